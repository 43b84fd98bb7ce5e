package templatecheck

import (
	"encoding/json"
	"strings"
)

// This file walks every value that CloudFormation evaluates (resource properties and
// attributes, outputs, conditions) and checks each intrinsic function: its argument shape, and
// that every name it mentions resolves. Along the way it records the dependency edges between
// resources that cycles.go looks at.

// scope says where a walk happens, which decides what names may be referenced.
type scope struct {
	from       string // resource whose dependencies are being collected; "" outside Resources
	resources  bool   // resources may be referenced (false in Conditions and Fn::ImportValue)
	conditions bool   // inside the Conditions section: condition functions are allowed
	why        string // why resources may not be referenced, for the message
}

// walkRefs checks every intrinsic function in v.
func (c *checker) walkRefs(v any, path string, sc scope) {
	if fn, arg, ok := intrinsic(v); ok {
		c.checkIntrinsic(fn, arg, path, sc)
		return
	}
	switch x := v.(type) {
	case map[string]any:
		if sc.conditions {
			if name, ok := x["Condition"].(string); ok && len(x) == 1 {
				c.checkConditionName(name, join(path, "Condition"))
				return
			}
		}
		// Map order does not matter: problems are sorted at the end.
		for k, v := range x {
			c.walkRefs(v, join(path, k), sc)
		}
	case []any:
		for i, item := range x {
			c.walkRefs(item, index(path, i), sc)
		}
	case nil:
		// CloudFormation: "'null' values are not allowed in templates".
		c.add(path, checkSchema, "null values are not allowed in templates")
	}
}

// checkIntrinsic validates one function call and recurses into its arguments.
func (c *checker) checkIntrinsic(fn string, arg any, path string, sc scope) {
	p := join(path, fn)
	args, isList := arg.([]any)
	switch fn {
	case "Ref":
		name, ok := arg.(string)
		if !ok {
			c.add(p, checkReference, "Ref takes the name of a parameter or resource, got %s", describe(arg))
			return
		}
		c.resolveName(name, p, sc, "Ref")
	case "Fn::GetAtt":
		c.checkGetAtt(arg, p, sc)
	case "Fn::Sub":
		c.checkSub(arg, p, sc)
	case "Fn::Join":
		if !isList || len(args) != 2 {
			c.add(p, checkReference, "Fn::Join takes [delimiter, [values...]]")
			c.walkRefs(arg, p, sc)
			return
		}
		if _, ok := args[0].(string); !ok {
			c.add(index(p, 0), checkReference, "Fn::Join delimiter must be a string, got %s", describe(args[0]))
		}
		c.requireList(args[1], index(p, 1), "Fn::Join", sc)
	case "Fn::Select":
		if !isList || len(args) != 2 {
			c.add(p, checkReference, "Fn::Select takes [index, list]")
			c.walkRefs(arg, p, sc)
			return
		}
		i, literal := literalIndex(args[0])
		if _, _, isFn := intrinsic(args[0]); !literal && !isFn {
			c.add(index(p, 0), checkReference, "Fn::Select index must be a number, got %s", describe(args[0]))
		}
		c.walkRefs(args[0], index(p, 0), sc)
		if list, ok := args[1].([]any); ok && literal && (i < 0 || i >= len(list)) {
			c.add(index(p, 0), checkReference, "Fn::Select index %d is out of range for a list of %d", i, len(list))
		}
		c.requireList(args[1], index(p, 1), "Fn::Select", sc)
	case "Fn::Split":
		if !isList || len(args) != 2 {
			c.add(p, checkReference, "Fn::Split takes [delimiter, string]")
			c.walkRefs(arg, p, sc)
			return
		}
		if _, ok := args[0].(string); !ok {
			c.add(index(p, 0), checkReference, "Fn::Split delimiter must be a string, got %s", describe(args[0]))
		}
		c.requireScalar(args[1], index(p, 1), "Fn::Split", sc)
	case "Fn::Base64":
		c.requireScalar(arg, p, "Fn::Base64", sc)
	case "Fn::ImportValue":
		// "You can't use Ref or GetAtt functions in the ImportValue function to reference a
		// resource" (User Guide, Fn::ImportValue).
		inner := sc
		inner.resources = false
		inner.why = "Fn::ImportValue cannot depend on a resource"
		c.requireScalar(arg, p, "Fn::ImportValue", inner)
	case "Fn::GetAZs":
		if _, ok := arg.(string); ok {
			return
		}
		if _, _, ok := intrinsic(arg); !ok {
			c.add(p, checkReference, "Fn::GetAZs takes a region name (or \"\"), got %s", describe(arg))
			return
		}
		c.walkRefs(arg, p, sc)
	case "Fn::Cidr":
		if !isList || len(args) != 3 {
			c.add(p, checkReference, "Fn::Cidr takes [ipBlock, count, cidrBits]")
		}
		c.walkRefs(arg, p, sc)
	case "Fn::FindInMap":
		c.checkFindInMap(arg, p, sc)
	case "Fn::If":
		if sc.conditions {
			c.add(p, checkReference, "Fn::If is not allowed in Conditions; use Fn::And, Fn::Or, Fn::Not")
		}
		if !isList || len(args) != 3 {
			c.add(p, checkReference, "Fn::If takes [condition name, value if true, value if false]")
			c.walkRefs(arg, p, sc)
			return
		}
		if name, ok := args[0].(string); ok {
			c.checkConditionName(name, index(p, 0))
		} else {
			c.add(index(p, 0), checkReference, "Fn::If condition must be a condition name, got %s", describe(args[0]))
		}
		c.walkRefs(args[1], index(p, 1), sc)
		c.walkRefs(args[2], index(p, 2), sc)
	case "Fn::Length":
		c.requireLanguageExtensions(fn, p)
		c.requireList(arg, p, fn, sc)
	case "Fn::ToJsonString":
		c.requireLanguageExtensions(fn, p)
		switch arg.(type) {
		case map[string]any, []any:
		default:
			c.add(p, checkReference, "Fn::ToJsonString takes an object or a list, got %s", describe(arg))
		}
		c.walkRefs(arg, p, sc)
	case "Fn::Transform":
		c.walkRefs(arg, p, sc)
	default:
		if conditionFunctions[fn] {
			if !sc.conditions {
				c.add(p, checkReference, "%s is only allowed in the Conditions section", fn)
			}
			c.checkConditionFunction(fn, arg, p, sc)
			return
		}
		c.add(p, checkReference, "unknown intrinsic function %s", fn)
	}
}

// resolveName checks that a Ref (or a Sub variable) names a parameter, a resource or a pseudo
// parameter, and records the dependency edge.
func (c *checker) resolveName(name, path string, sc scope, via string) {
	if pseudoParameters[name] {
		return
	}
	if _, ok := c.params[name]; ok {
		return
	}
	if _, ok := c.resources[name]; ok {
		if !sc.resources {
			c.add(path, checkReference, "%s %q names a resource: %s", via, name, sc.why)
			return
		}
		c.addDep(sc.from, name)
		return
	}
	if c.transformed {
		return // a macro may define it
	}
	if strings.HasPrefix(name, "AWS::") {
		c.add(path, checkReference, "%s to unknown pseudo parameter %q", via, name)
		return
	}
	c.add(path, checkReference, "%s to %q, which is neither a parameter, a resource nor a pseudo parameter", via, name)
}

// checkGetAtt checks Fn::GetAtt's shape, that the resource exists and that its type has the
// attribute.
func (c *checker) checkGetAtt(arg any, path string, sc scope) {
	var res, attr string
	switch a := arg.(type) {
	case string:
		var ok bool
		res, attr, ok = strings.Cut(a, ".")
		if !ok || res == "" || attr == "" {
			c.add(path, checkReference, "Fn::GetAtt string form must be \"Resource.Attribute\", got %q", a)
			return
		}
	case []any:
		if len(a) != 2 {
			c.add(path, checkReference, "Fn::GetAtt takes [resource, attribute], got %d elements", len(a))
			return
		}
		var ok bool
		if res, ok = a[0].(string); !ok {
			c.add(index(path, 0), checkReference, "Fn::GetAtt resource must be a logical ID, got %s", describe(a[0]))
			return
		}
		switch at := a[1].(type) {
		case string:
			attr = at
		default:
			// The attribute name may be computed by Ref to a parameter; then only the resource
			// can be checked.
			if fn, _, ok := intrinsic(at); !ok || fn != "Ref" {
				c.add(index(path, 1), checkReference, "Fn::GetAtt attribute must be a string or Ref, got %s", describe(at))
			}
			c.walkRefs(at, index(path, 1), sc)
		}
	default:
		c.add(path, checkReference, "Fn::GetAtt takes [resource, attribute], got %s", describe(arg))
		return
	}
	r, ok := c.resources[res]
	if !ok {
		if !c.transformed {
			c.add(path, checkReference, "Fn::GetAtt on %q, which is not a resource in this template", res)
		}
		return
	}
	if !sc.resources {
		c.add(path, checkReference, "Fn::GetAtt %q names a resource: %s", res, sc.why)
		return
	}
	c.addDep(sc.from, res)
	if attr != "" {
		c.checkAttribute(r, attr, path)
	}
}

// checkAttribute reports a GetAtt (or ${Res.Attr}) that the resource type does not return.
func (c *checker) checkAttribute(r *resource, attr, path string) {
	if r.typ == "" {
		return
	}
	if _, known := lookupAttribute(r.typ, attr); known {
		return
	}
	if r.typ == "AWS::CloudFormation::Stack" {
		c.add(path, checkReference, "nested stack %q only has attributes Outputs.NAME, not %q", r.name, attr)
		return
	}
	attrs, ok := attributeTable[r.typ]
	if !ok {
		c.add(path, checkReference, "no attribute table for %s: add it to templatecheck's attributeTable (GetAtt %s.%s)", r.typ, r.name, attr)
		return
	}
	if len(attrs) == 0 {
		c.add(path, checkReference, "%s %q has no attributes for Fn::GetAtt (asked for %s)", r.typ, r.name, attr)
		return
	}
	c.add(path, checkReference, "%s %q has no attribute %q (has: %s)", r.typ, r.name, attr, strings.Join(attributeNames(r.typ), ", "))
}

// checkSub parses Fn::Sub's template and resolves every ${Var} and ${Resource.Attribute}.
func (c *checker) checkSub(arg any, path string, sc scope) {
	var tmpl string
	vars := map[string]any{}
	switch a := arg.(type) {
	case string:
		tmpl = a
	case []any:
		if len(a) != 2 {
			c.add(path, checkReference, "Fn::Sub takes a string or [string, {variables}], got %d elements", len(a))
			return
		}
		s, ok := a[0].(string)
		if !ok {
			c.add(index(path, 0), checkReference, "Fn::Sub template must be a literal string, got %s", describe(a[0]))
			return
		}
		tmpl = s
		m, ok := a[1].(map[string]any)
		if !ok {
			c.add(index(path, 1), checkReference, "Fn::Sub variables must be an object, got %s", describe(a[1]))
			return
		}
		vars = m
		for _, k := range sortedKeys(m) {
			c.walkRefs(m[k], join(index(path, 1), k), sc)
		}
	default:
		c.add(path, checkReference, "Fn::Sub takes a string or [string, {variables}], got %s", describe(arg))
		return
	}
	for _, name := range subVariables(tmpl) {
		if _, ok := vars[name]; ok {
			continue
		}
		if res, attr, ok := strings.Cut(name, "."); ok && !pseudoParameters[name] {
			r, found := c.resources[res]
			if !found {
				if !c.transformed {
					c.add(path, checkReference, "Fn::Sub ${%s}: %q is not a resource in this template", name, res)
				}
				continue
			}
			if !sc.resources {
				c.add(path, checkReference, "Fn::Sub ${%s} names a resource: %s", name, sc.why)
				continue
			}
			c.addDep(sc.from, res)
			c.checkAttribute(r, attr, path)
			continue
		}
		c.resolveName(name, path, sc, "Fn::Sub ${"+name+"}")
	}
}

// subVariables lists the variable names of an Fn::Sub template, skipping ${!Literal} escapes.
// CloudFormation takes everything between "${" and the next "}" as the name.
func subVariables(tmpl string) []string {
	var names []string
	for {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			return names
		}
		tmpl = tmpl[i+2:]
		j := strings.IndexByte(tmpl, '}')
		if j < 0 {
			return names // an unterminated "${" is literal text
		}
		name := tmpl[:j]
		tmpl = tmpl[j+1:]
		if strings.HasPrefix(name, "!") {
			continue
		}
		names = append(names, name)
	}
}

// checkFindInMap checks the argument shape and, when the names are literal, that the mapping
// and both keys exist.
func (c *checker) checkFindInMap(arg any, path string, sc scope) {
	args, ok := arg.([]any)
	maxArgs := 3
	if c.langExt {
		maxArgs = 4 // the fourth argument is {"DefaultValue": ...}
	}
	if !ok || len(args) < 3 || len(args) > maxArgs {
		c.add(path, checkReference, "Fn::FindInMap takes [map name, top-level key, second-level key]")
		c.walkRefs(arg, path, sc)
		return
	}
	c.walkRefs(args, path, sc)
	name, ok := args[0].(string)
	if !ok {
		return
	}
	m, ok := c.mappings[name].(map[string]any)
	if !ok {
		c.add(index(path, 0), checkReference, "Fn::FindInMap: no mapping %q in Mappings", name)
		return
	}
	if len(args) == 4 {
		return // a default value makes missing keys legal
	}
	k1, ok1 := args[1].(string)
	k2, ok2 := args[2].(string)
	if !ok1 {
		return
	}
	second, ok := m[k1].(map[string]any)
	if !ok {
		c.add(index(path, 1), checkReference, "Fn::FindInMap: mapping %q has no key %q", name, k1)
		return
	}
	if ok2 {
		if _, ok := second[k2]; !ok {
			c.add(index(path, 2), checkReference, "Fn::FindInMap: mapping %q key %q has no key %q", name, k1, k2)
		}
	}
}

// requireList checks an argument that must be a list: a literal array or a function yielding
// one.
func (c *checker) requireList(v any, path, fn string, sc scope) {
	if f, a, ok := intrinsic(v); ok {
		if intrinsicNames[f] && c.yieldOf(f, a) == yieldScalar {
			c.add(path, checkReference, "%s needs a list here, but %s yields a single value", fn, f)
		}
		c.walkRefs(v, path, sc)
		return
	}
	if _, ok := v.([]any); !ok {
		c.add(path, checkReference, "%s needs a list here, got %s", fn, describe(v))
		return
	}
	c.walkRefs(v, path, sc)
}

// requireScalar checks an argument that must be a string: a literal or a function yielding one.
func (c *checker) requireScalar(v any, path, fn string, sc scope) {
	if f, a, ok := intrinsic(v); ok {
		if intrinsicNames[f] && c.yieldOf(f, a) == yieldList {
			c.add(path, checkReference, "%s needs a string here, but %s yields a list", fn, f)
		}
		c.walkRefs(v, path, sc)
		return
	}
	switch v.(type) {
	case string, json.Number:
		return
	}
	c.add(path, checkReference, "%s needs a string here, got %s", fn, describe(v))
}

// requireLanguageExtensions reports functions CloudFormation only knows under the
// AWS::LanguageExtensions transform.
func (c *checker) requireLanguageExtensions(fn, path string) {
	if !c.langExt {
		c.add(path, checkReference, "%s needs \"Transform\": \"AWS::LanguageExtensions\"", fn)
	}
}

// checkConditionName reports a condition name that Conditions does not define.
func (c *checker) checkConditionName(name, path string) {
	if _, ok := c.conditions[name]; !ok {
		c.add(path, checkReference, "condition %q is not defined in Conditions", name)
	}
}

// addDep records that resource from depends on resource to.
func (c *checker) addDep(from, to string) {
	if from == "" {
		return
	}
	if c.deps[from] == nil {
		c.deps[from] = map[string]bool{}
	}
	c.deps[from][to] = true
}
