package cfntest

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
)

// template is the part of a CloudFormation template the fake understands:
// parameters with their defaults, resources with their properties and
// dependencies, and outputs.
type template struct {
	params    map[string]paramDef
	resources map[string]*tmplResource
	outputs   map[string]map[string]any
	desc      string
}

type paramDef struct {
	typ        string
	def        string
	hasDefault bool
}

type tmplResource struct {
	typ   string
	props map[string]any
	attrs map[string]any // Metadata, UpdatePolicy, ...: compared, not interpreted
	deps  []string       // logical IDs this resource refers to or depends on
}

// parseTemplate decodes a JSON template and reports the errors
// CloudFormation reports for malformed ones.
func parseTemplate(body []byte) (*template, *apiError) {
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, validationError("Template format error: JSON not well-formed.")
	}
	t := &template{params: map[string]paramDef{}, resources: map[string]*tmplResource{}, outputs: map[string]map[string]any{}}
	t.desc, _ = raw["Description"].(string)
	params, _ := raw["Parameters"].(map[string]any)
	for name, v := range params {
		m, _ := v.(map[string]any)
		p := paramDef{}
		p.typ, _ = m["Type"].(string)
		if d, ok := m["Default"]; ok {
			p.hasDefault = true
			p.def = scalarString(d)
		}
		t.params[name] = p
	}
	resources, _ := raw["Resources"].(map[string]any)
	if len(resources) == 0 {
		return nil, validationError("Template format error: At least one Resources member must be defined.")
	}
	for id, v := range resources {
		m, _ := v.(map[string]any)
		typ, _ := m["Type"].(string)
		if typ == "" {
			return nil, validationError("Template format error: [/Resources/%s] Every Resources object must contain a Type member.", id)
		}
		r := &tmplResource{typ: typ, attrs: map[string]any{}}
		r.props, _ = m["Properties"].(map[string]any)
		for _, attr := range []string{"Metadata", "UpdatePolicy", "CreationPolicy", "Condition"} {
			if a, ok := m[attr]; ok {
				r.attrs[attr] = a
			}
		}
		deps := map[string]bool{}
		collectRefs(r.props, deps)
		switch d := m["DependsOn"].(type) {
		case string:
			deps[d] = true
		case []any:
			for _, x := range d {
				if s, ok := x.(string); ok {
					deps[s] = true
				}
			}
		}
		for d := range deps {
			if _, isResource := resources[d]; isResource && d != id {
				r.deps = append(r.deps, d)
			}
		}
		sort.Strings(r.deps)
		t.resources[id] = r
	}
	outputs, _ := raw["Outputs"].(map[string]any)
	for k, v := range outputs {
		if m, ok := v.(map[string]any); ok {
			t.outputs[k] = m
		}
	}
	return t, nil
}

// scalarString renders a JSON scalar the way CloudFormation shows it.
func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = scalarString(e)
		}
		return strings.Join(parts, ",")
	default:
		return compactJSON(x)
	}
}

// compactJSON is json.Marshal without the HTML escaping, as AWS shows
// values.
func compactJSON(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

// valueString renders a property value as CloudFormation's Before/After
// values: strings as they are, anything else as compact JSON.
func valueString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return compactJSON(v)
}

var subVar = regexp.MustCompile(`\$\{([^!}][^}]*)\}`)

// collectRefs adds every logical name that v refers to through Ref,
// Fn::GetAtt or Fn::Sub.
func collectRefs(v any, into map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			if r, ok := x["Ref"].(string); ok {
				into[r] = true
				return
			}
			if g, ok := x["Fn::GetAtt"]; ok {
				switch a := g.(type) {
				case []any:
					if len(a) > 0 {
						if s, ok := a[0].(string); ok {
							into[s] = true
						}
					}
				case string:
					into[strings.SplitN(a, ".", 2)[0]] = true
				}
				return
			}
			if sub, ok := x["Fn::Sub"]; ok {
				str, _ := sub.(string)
				if a, ok := sub.([]any); ok && len(a) > 0 {
					str, _ = a[0].(string)
					if len(a) > 1 {
						collectRefs(a[1], into)
					}
				}
				for _, m := range subVar.FindAllStringSubmatch(str, -1) {
					into[strings.SplitN(m[1], ".", 2)[0]] = true
				}
				return
			}
		}
		for _, e := range x {
			collectRefs(e, into)
		}
	case []any:
		for _, e := range x {
			collectRefs(e, into)
		}
	}
}

// refersTo reports whether v refers to the logical name id.
func refersTo(v any, id string) bool {
	refs := map[string]bool{}
	collectRefs(v, refs)
	return refs[id]
}

// resolveParams replaces {"Ref": P} and ${P} in Fn::Sub strings for
// every template parameter P by its value, so that a parameter change
// shows up as a property change (a release version in user data, say).
func resolveParams(v any, t *template, values map[string]string) any {
	switch x := v.(type) {
	case map[string]any:
		if sub, ok := x["Fn::Sub"]; ok && len(x) == 1 {
			return map[string]any{"Fn::Sub": resolveSubParams(sub, t, values)}
		}
		if r, ok := x["Ref"].(string); ok && len(x) == 1 {
			if p, isParam := t.params[r]; isParam {
				val, given := values[r]
				if !given {
					val = p.def
				}
				if strings.HasPrefix(p.typ, "List<") || p.typ == "CommaDelimitedList" {
					var items []any
					for _, s := range strings.Split(val, ",") {
						items = append(items, strings.TrimSpace(s))
					}
					return items
				}
				return val
			}
			return x
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = resolveParams(e, t, values)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = resolveParams(e, t, values)
		}
		return out
	default:
		return v
	}
}

// topoOrder orders logical IDs so that every resource comes after those
// it depends on; ties are broken by name so the order is stable.
func topoOrder(t *template, ids []string) []string {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	done := map[string]bool{}
	var out []string
	var visit func(id string, path map[string]bool)
	visit = func(id string, path map[string]bool) {
		if done[id] || path[id] {
			return
		}
		path[id] = true
		if r := t.resources[id]; r != nil {
			for _, d := range r.deps {
				visit(d, path)
			}
		}
		delete(path, id)
		done[id] = true
		if want[id] {
			out = append(out, id)
		}
	}
	sorted := append([]string(nil), ids...)
	sort.Strings(sorted)
	for _, id := range sorted {
		visit(id, map[string]bool{})
	}
	return out
}

// resolveSubParams substitutes template parameters into an Fn::Sub
// string; in the [string, variables] form the variables are resolved and
// shadow parameters of the same name.
func resolveSubParams(sub any, t *template, values map[string]string) any {
	str, vars := "", map[string]any{}
	switch a := sub.(type) {
	case string:
		str = a
	case []any:
		if len(a) != 2 {
			return sub
		}
		str, _ = a[0].(string)
		vars, _ = a[1].(map[string]any)
	default:
		return sub
	}
	out := subVar.ReplaceAllStringFunc(str, func(m string) string {
		name := m[2 : len(m)-1]
		p, isParam := t.params[name]
		if _, shadowed := vars[name]; shadowed || !isParam {
			return m
		}
		if val, given := values[name]; given {
			return val
		}
		return p.def
	})
	if _, isList := sub.([]any); isList {
		return []any{out, resolveParams(vars, t, values)}
	}
	return out
}
