package rules

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/phasec/phasec/internal/cfnsub"
)

// Template is a decoded CloudFormation template with the lookups rules
// need. Rules read values the way a CloudFormation hook sees them wherever
// that can be known without deploying: a Ref to a parameter stands for the
// parameter's default, and a Ref or Fn::GetAtt to a resource of the
// template is a reference to that resource.
type Template struct {
	doc       map[string]any
	params    map[string]map[string]any
	resources map[string]*Resource
	ids       []string
}

// Resource is one entry of the Resources section.
type Resource struct {
	ID       string
	Type     string
	Props    map[string]any
	Metadata map[string]any
}

func newTemplate(doc map[string]any) *Template {
	t := &Template{doc: doc, params: map[string]map[string]any{}, resources: map[string]*Resource{}}
	if ps, ok := doc["Parameters"].(map[string]any); ok {
		for name, p := range ps {
			if pm, ok := p.(map[string]any); ok {
				t.params[name] = pm
			}
		}
	}
	if rs, ok := doc["Resources"].(map[string]any); ok {
		for id, r := range rs {
			rm, ok := r.(map[string]any)
			if !ok {
				continue
			}
			res := &Resource{ID: id}
			res.Type, _ = rm["Type"].(string)
			res.Props, _ = rm["Properties"].(map[string]any)
			if res.Props == nil {
				res.Props = map[string]any{}
			}
			res.Metadata, _ = rm["Metadata"].(map[string]any)
			t.resources[id] = res
			t.ids = append(t.ids, id)
		}
	}
	sort.Strings(t.ids)
	return t
}

// ofType returns the resources of the given types in logical-ID order.
func (t *Template) ofType(types ...string) []*Resource {
	var out []*Resource
	for _, id := range t.ids {
		r := t.resources[id]
		for _, typ := range types {
			if r.Type == typ {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// get walks nested maps: get(m, "A", "B") is m.A.B, nil when absent.
func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// resolve replaces a Ref to a parameter with the parameter's default, the
// value the stack is deployed with unless overridden. List parameters
// resolve to a list. Anything else is returned unchanged.
func (t *Template) resolve(v any) any {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return v
	}
	name, ok := m["Ref"].(string)
	if !ok {
		return v
	}
	p, ok := t.params[name]
	if !ok {
		return v
	}
	def, ok := p["Default"]
	if !ok {
		return v
	}
	typ, _ := p["Type"].(string)
	if s, ok := def.(string); ok && (strings.HasPrefix(typ, "List<") || typ == "CommaDelimitedList") {
		var out []any
		for _, part := range strings.Split(s, ",") {
			out = append(out, strings.TrimSpace(part))
		}
		return out
	}
	return def
}

// str returns v as a string after resolving parameters.
func (t *Template) str(v any) (string, bool) {
	s, ok := t.resolve(v).(string)
	return s, ok
}

// isTrue reports whether v is the boolean true or the string "true", the
// two forms CloudFormation accepts for a boolean.
func (t *Template) isTrue(v any) bool {
	switch x := t.resolve(v).(type) {
	case bool:
		return x
	case string:
		return strings.EqualFold(x, "true")
	}
	return false
}

// isFalse is isTrue's counterpart: only an explicit false counts.
func (t *Template) isFalse(v any) bool {
	switch x := t.resolve(v).(type) {
	case bool:
		return !x
	case string:
		return strings.EqualFold(x, "false")
	}
	return false
}

// number returns v as a float64 when it is a JSON number or a numeric
// string.
func (t *Template) number(v any) (float64, bool) {
	switch x := t.resolve(v).(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	case int:
		return float64(x), true
	case string:
		f, err := json.Number(x).Float64()
		return f, err == nil
	}
	return 0, false
}

// list returns v as a list: a list as is, a parameter's list default, a
// single value as a one-element list, nil as nil.
func (t *Template) list(v any) []any {
	switch x := t.resolve(v).(type) {
	case nil:
		return nil
	case []any:
		return x
	default:
		return []any{x}
	}
}

// strs returns the string elements of list(v).
func (t *Template) strs(v any) []string {
	var out []string
	for _, e := range t.list(v) {
		if s, ok := t.str(e); ok {
			out = append(out, s)
		}
	}
	return out
}

// flatList returns every element of list(v) as a string: literals (and
// parameter defaults) as they are, expressions flattened, so that two
// references to different subnets count as two.
func (t *Template) flatList(v any) []string {
	var out []string
	for _, e := range t.list(v) {
		out = append(out, flatten(t.resolve(e)))
	}
	return out
}

// refTo returns the logical ID a value refers to with Ref or Fn::GetAtt,
// when that ID is a resource of the template.
func (t *Template) refTo(v any) (*Resource, bool) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return nil, false
	}
	var id string
	switch {
	case m["Ref"] != nil:
		id, _ = m["Ref"].(string)
	case m["Fn::GetAtt"] != nil:
		switch ga := m["Fn::GetAtt"].(type) {
		case []any:
			if len(ga) > 0 {
				id, _ = ga[0].(string)
			}
		case string:
			id, _, _ = strings.Cut(ga, ".")
		}
	}
	r, ok := t.resources[id]
	return r, ok
}

// refersTo reports whether v is a Ref or Fn::GetAtt of a resource of type
// typ in the template.
func (t *Template) refersTo(v any, typ string) bool {
	r, ok := t.refTo(v)
	return ok && r.Type == typ
}

// mentions reports whether v, an expression of any shape, refers to the
// resource id anywhere: in a Ref, an Fn::GetAtt or an Fn::Sub variable.
func mentions(v any, id string) bool {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			switch k {
			case "Ref":
				if e == id {
					return true
				}
			case "Fn::GetAtt":
				if r, ok := e.([]any); ok && len(r) > 0 && r[0] == id {
					return true
				}
				if s, ok := e.(string); ok && strings.HasPrefix(s, id+".") {
					return true
				}
			case "Fn::Sub":
				s, _ := e.(string)
				if l, ok := e.([]any); ok && len(l) > 0 {
					s, _ = l[0].(string)
					if mentions(l[1:], id) {
						return true
					}
				}
				if strings.Contains(s, "${"+id+"}") || strings.Contains(s, "${"+id+".") {
					return true
				}
			}
			if mentions(e, id) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if mentions(e, id) {
				return true
			}
		}
	}
	return false
}

// flatten renders an expression as one string for messages and for the
// details suppressions match: literals as they are, Ref as <Name>,
// Fn::GetAtt as <Name.Attribute>, Fn::Join joined, and Fn::Sub as its
// template with each ${Name} written <Name>. That is cdk-nag's notation, so
// an appliesTo entry reads the same in both tools, and a template's metadata
// never holds a ${...} outside Fn::Sub (which cfn-lint reports as E1029).
func flatten(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case map[string]any:
		if len(x) != 1 {
			break
		}
		for k, e := range x {
			switch k {
			case "Ref":
				return "<" + flatten(e) + ">"
			case "Fn::GetAtt":
				if l, ok := e.([]any); ok {
					parts := make([]string, len(l))
					for i, p := range l {
						parts[i] = flatten(p)
					}
					return "<" + strings.Join(parts, ".") + ">"
				}
				return "<" + flatten(e) + ">"
			case "Fn::Sub":
				if l, ok := e.([]any); ok && len(l) > 0 {
					return subPlaceholders(flatten(l[0]))
				}
				return subPlaceholders(flatten(e))
			case "Fn::Join":
				if l, ok := e.([]any); ok && len(l) == 2 {
					sep := flatten(l[0])
					items, _ := l[1].([]any)
					parts := make([]string, len(items))
					for i, p := range items {
						parts[i] = flatten(p)
					}
					return strings.Join(parts, sep)
				}
			}
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// subPlaceholders rewrites an Fn::Sub template's ${Name} variables as
// <Name> and its ${!Literal} escapes as the literal ${Literal}.
func subPlaceholders(tmpl string) string {
	return cfnsub.Expand(tmpl, func(name string) string { return "<" + name + ">" })
}
