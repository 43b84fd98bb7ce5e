package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The values the emulated hook sees for CloudFormation's pseudo parameters.
// A real hook sees the account and region the stack is deployed to; no
// Control Tower control phasec's resources meet compares them with anything,
// so fixed, plausible values keep the output the same on every machine.
const (
	hookRegion    = "us-east-1"
	hookAccountID = "111122223333"
	hookPartition = "aws"
	hookURLSuffix = "amazonaws.com"
)

// noValue stands for AWS::NoValue while a value is being resolved: the
// property or list element holding it is removed, as CloudFormation does.
type noValue struct{}

// stack is one template as a CloudFormation hook would see it at deploy
// time, one resource at a time: every intrinsic function resolved, a Ref to
// a parameter resolved to its default, and a reference to another resource
// of the stack resolved to a plausible physical value (physical.go).
type stack struct {
	name       string
	params     map[string]map[string]any
	resources  map[string]map[string]any
	mappings   map[string]any
	conditions map[string]any

	// conditionValues caches evaluated conditions; evaluating marks those
	// being evaluated, to report a cycle rather than recurse forever.
	conditionValues map[string]bool
	evaluating      map[string]bool
	// resolving marks the resource properties being resolved for a
	// physical value (a name), for the same reason.
	resolving map[string]bool

	// assumed records, once each, what the emulation had to make up
	// (parameters without a default, attributes without a known form);
	// --verbose prints it.
	assumed map[string]bool
}

// newStack reads the sections the resolver needs from a decoded template.
// name is the stack name the hook would see as AWS::StackName.
func newStack(name string, doc map[string]any) (*stack, error) {
	if _, ok := doc["Transform"]; ok {
		return nil, fmt.Errorf("the template declares a Transform, which only CloudFormation can expand")
	}
	s := &stack{
		name:            name,
		params:          map[string]map[string]any{},
		resources:       map[string]map[string]any{},
		conditionValues: map[string]bool{},
		evaluating:      map[string]bool{},
		resolving:       map[string]bool{},
		assumed:         map[string]bool{},
	}
	if ps, ok := doc["Parameters"].(map[string]any); ok {
		for k, v := range ps {
			if m, ok := v.(map[string]any); ok {
				s.params[k] = m
			}
		}
	}
	rs, ok := doc["Resources"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the template has no Resources object")
	}
	for id, v := range rs {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("resource %s is not an object", id)
		}
		if _, ok := m["Type"].(string); !ok {
			return nil, fmt.Errorf("resource %s has no Type", id)
		}
		s.resources[id] = m
	}
	s.mappings, _ = doc["Mappings"].(map[string]any)
	s.conditions, _ = doc["Conditions"].(map[string]any)
	return s, nil
}

// hookResource is what one resource looks like to the Control Tower Guard
// rules run as a hook: {Type: {resourceProperties: properties}}.
type hookResource struct {
	ID   string
	Type string
	Doc  map[string]any
}

// hookResources returns the hook-mode document of every resource the stack
// creates, in logical-ID order. A resource whose Condition is false is not
// created, so no hook ever sees it.
func (s *stack) hookResources() ([]hookResource, error) {
	ids := make([]string, 0, len(s.resources))
	for id := range s.resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []hookResource
	for _, id := range ids {
		r := s.resources[id]
		if c, ok := r["Condition"].(string); ok {
			created, err := s.condition(c)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
			if !created {
				continue
			}
		}
		props, err := s.properties(id)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		typ := r["Type"].(string)
		out = append(out, hookResource{ID: id, Type: typ, Doc: map[string]any{
			typ: map[string]any{"resourceProperties": props},
		}})
	}
	return out, nil
}

// properties returns a resource's Properties with every intrinsic resolved.
func (s *stack) properties(id string) (map[string]any, error) {
	props, _ := s.resources[id]["Properties"].(map[string]any)
	if props == nil {
		return map[string]any{}, nil
	}
	v, err := s.resolve(props)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

// resolve returns v with every intrinsic function replaced by its value.
func (s *stack) resolve(v any) (any, error) {
	switch x := v.(type) {
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			r, err := s.resolve(e)
			if err != nil {
				return nil, err
			}
			if _, drop := r.(noValue); !drop {
				out = append(out, r)
			}
		}
		return out, nil
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					return s.intrinsic(k, arg)
				}
			}
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			r, err := s.resolve(e)
			if err != nil {
				return nil, err
			}
			if _, drop := r.(noValue); !drop {
				out[k] = r
			}
		}
		return out, nil
	}
	return v, nil
}

// intrinsic evaluates one intrinsic function. Functions whose value only
// CloudFormation can know (Fn::ImportValue, Fn::Cidr, the language
// extensions) are an error: guessing them would make the check's verdict a
// guess too.
func (s *stack) intrinsic(fn string, arg any) (any, error) {
	switch fn {
	case "Ref":
		name, ok := arg.(string)
		if !ok {
			return nil, fmt.Errorf("Ref takes a name, not %s", brief(arg))
		}
		return s.ref(name)
	case "Fn::GetAtt":
		id, attr, err := getAttArgs(arg)
		if err != nil {
			return nil, err
		}
		return s.getAtt(id, attr)
	case "Fn::Sub":
		return s.sub(arg)
	case "Fn::Join":
		return s.join(arg)
	case "Fn::Select":
		return s.selectFn(arg)
	case "Fn::Split":
		return s.split(arg)
	case "Fn::If":
		return s.ifFn(arg)
	case "Fn::Base64":
		r, err := s.resolve(arg)
		if err != nil {
			return nil, err
		}
		str, err := scalarString(r)
		if err != nil {
			return nil, fmt.Errorf("Fn::Base64: %w", err)
		}
		return base64.StdEncoding.EncodeToString([]byte(str)), nil
	case "Fn::GetAZs":
		return availabilityZones(), nil
	case "Fn::FindInMap":
		return s.findInMap(arg)
	}
	return nil, fmt.Errorf("cannot resolve %s: its value is known only to CloudFormation at deploy time", fn)
}

// ref resolves a Ref: a pseudo parameter, a parameter (its default), or a
// resource of the stack (physical.go).
func (s *stack) ref(name string) (any, error) {
	switch name {
	case "AWS::Region":
		return hookRegion, nil
	case "AWS::AccountId":
		return hookAccountID, nil
	case "AWS::Partition":
		return hookPartition, nil
	case "AWS::URLSuffix":
		return hookURLSuffix, nil
	case "AWS::StackName":
		return s.name, nil
	case "AWS::StackId":
		return fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/%s", hookPartition, hookRegion, hookAccountID, s.name, uuidFrom(s.name)), nil
	case "AWS::NotificationARNs":
		return []any{}, nil
	case "AWS::NoValue":
		return noValue{}, nil
	}
	if p, ok := s.params[name]; ok {
		return s.parameter(name, p), nil
	}
	if _, ok := s.resources[name]; ok {
		return s.physicalRef(name)
	}
	return nil, fmt.Errorf("Ref to %s, which is neither a parameter nor a resource of the template", name)
}

// parameter is a parameter's value at deploy time: its default, since that
// is what phasec deploys unless a release overrides it (image IDs, sizes,
// weights, which no default can hold). List types are split as
// CloudFormation splits them. A parameter without a default becomes a
// placeholder string (a one-element list for list types), recorded in
// assumed so that --verbose shows it.
func (s *stack) parameter(name string, p map[string]any) any {
	typ, _ := p["Type"].(string)
	isList := strings.HasPrefix(typ, "List<") || typ == "CommaDelimitedList"
	def, ok := p["Default"]
	if !ok {
		s.assume(fmt.Sprintf("parameter %s (%s) has no default: the hook is assumed to see %q", name, typ, "param-"+name))
		if isList {
			return []any{"param-" + name}
		}
		return "param-" + name
	}
	if str, ok := def.(string); ok && isList {
		parts := strings.Split(str, ",")
		out := make([]any, len(parts))
		for i, part := range parts {
			out[i] = strings.TrimSpace(part)
		}
		return out
	}
	return def
}

// assume records one thing the emulation made up.
func (s *stack) assume(what string) { s.assumed[what] = true }

// assumptions returns what the emulation made up, sorted.
func (s *stack) assumptions() []string {
	out := make([]string, 0, len(s.assumed))
	for a := range s.assumed {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// getAttArgs reads Fn::GetAtt's two forms: "Id.Attr" and ["Id", "Attr"].
func getAttArgs(arg any) (id, attr string, err error) {
	switch x := arg.(type) {
	case string:
		if id, attr, ok := strings.Cut(x, "."); ok {
			return id, attr, nil
		}
	case []any:
		if len(x) == 2 {
			id, ok1 := x[0].(string)
			attr, ok2 := x[1].(string)
			if ok1 && ok2 {
				return id, attr, nil
			}
		}
	}
	return "", "", fmt.Errorf("Fn::GetAtt takes \"Id.Attribute\" or [Id, Attribute], not %s", brief(arg))
}

// subVariable matches ${Name} in Fn::Sub; ${!Literal} is written as is.
var subVariable = regexp.MustCompile(`\$\{([^}]*)\}`)

// sub evaluates Fn::Sub in both its forms.
func (s *stack) sub(arg any) (any, error) {
	var text string
	vars := map[string]any{}
	switch x := arg.(type) {
	case string:
		text = x
	case []any:
		if len(x) != 2 {
			return nil, fmt.Errorf("Fn::Sub takes a string or [string, variables], not %s", brief(arg))
		}
		var ok bool
		if text, ok = x[0].(string); !ok {
			return nil, fmt.Errorf("Fn::Sub's first argument is not a string: %s", brief(x[0]))
		}
		if vars, ok = x[1].(map[string]any); !ok {
			return nil, fmt.Errorf("Fn::Sub's variables are not an object: %s", brief(x[1]))
		}
	default:
		return nil, fmt.Errorf("Fn::Sub takes a string or [string, variables], not %s", brief(arg))
	}
	var failed error
	out := subVariable.ReplaceAllStringFunc(text, func(m string) string {
		name := m[2 : len(m)-1]
		if strings.HasPrefix(name, "!") {
			return "${" + name[1:] + "}"
		}
		v, err := s.subValue(name, vars)
		if err == nil {
			var str string
			if str, err = scalarString(v); err == nil {
				return str
			}
		}
		if failed == nil {
			failed = fmt.Errorf("Fn::Sub ${%s}: %w", name, err)
		}
		return m
	})
	if failed != nil {
		return nil, failed
	}
	return out, nil
}

// subValue is the value of one ${Name} of Fn::Sub: a variable of its own,
// else a Ref, else (Id.Attribute) a GetAtt.
func (s *stack) subValue(name string, vars map[string]any) (any, error) {
	if v, ok := vars[name]; ok {
		return s.resolve(v)
	}
	if _, isParam := s.params[name]; isParam || strings.HasPrefix(name, "AWS::") {
		return s.ref(name)
	}
	if _, isResource := s.resources[name]; isResource {
		return s.ref(name)
	}
	if id, attr, ok := strings.Cut(name, "."); ok {
		return s.getAtt(id, attr)
	}
	return nil, fmt.Errorf("no variable, parameter or resource of that name")
}

// join evaluates Fn::Join: [delimiter, list].
func (s *stack) join(arg any) (any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 2 {
		return nil, fmt.Errorf("Fn::Join takes [delimiter, list], not %s", brief(arg))
	}
	delim, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("Fn::Join's delimiter is not a string: %s", brief(args[0]))
	}
	list, err := s.resolveList("Fn::Join", args[1])
	if err != nil {
		return nil, err
	}
	parts := make([]string, len(list))
	for i, e := range list {
		if parts[i], err = scalarString(e); err != nil {
			return nil, fmt.Errorf("Fn::Join element %d: %w", i, err)
		}
	}
	return strings.Join(parts, delim), nil
}

// selectFn evaluates Fn::Select: [index, list].
func (s *stack) selectFn(arg any) (any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 2 {
		return nil, fmt.Errorf("Fn::Select takes [index, list], not %s", brief(arg))
	}
	idx, err := s.resolve(args[0])
	if err != nil {
		return nil, err
	}
	str, err := scalarString(idx)
	if err != nil {
		return nil, fmt.Errorf("Fn::Select index: %w", err)
	}
	i, err := strconv.Atoi(str)
	if err != nil {
		return nil, fmt.Errorf("Fn::Select index %q is not an integer", str)
	}
	list, err := s.resolveList("Fn::Select", args[1])
	if err != nil {
		return nil, err
	}
	if i < 0 || i >= len(list) {
		return nil, fmt.Errorf("Fn::Select index %d is outside a list of %d", i, len(list))
	}
	return list[i], nil
}

// split evaluates Fn::Split: [delimiter, string].
func (s *stack) split(arg any) (any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 2 {
		return nil, fmt.Errorf("Fn::Split takes [delimiter, string], not %s", brief(arg))
	}
	delim, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("Fn::Split's delimiter is not a string: %s", brief(args[0]))
	}
	v, err := s.resolve(args[1])
	if err != nil {
		return nil, err
	}
	str, err := scalarString(v)
	if err != nil {
		return nil, fmt.Errorf("Fn::Split: %w", err)
	}
	var out []any
	for _, part := range strings.Split(str, delim) {
		out = append(out, part)
	}
	return out, nil
}

// ifFn evaluates Fn::If: [condition, value if true, value if false].
func (s *stack) ifFn(arg any) (any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 3 {
		return nil, fmt.Errorf("Fn::If takes [condition, then, else], not %s", brief(arg))
	}
	name, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("Fn::If's condition is not a name: %s", brief(args[0]))
	}
	yes, err := s.condition(name)
	if err != nil {
		return nil, err
	}
	if yes {
		return s.resolve(args[1])
	}
	return s.resolve(args[2])
}

// findInMap evaluates Fn::FindInMap: [map, top-level key, second-level key].
func (s *stack) findInMap(arg any) (any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 3 {
		return nil, fmt.Errorf("Fn::FindInMap takes [map, key, key], not %s", brief(arg))
	}
	var v any = s.mappings
	for _, a := range args {
		r, err := s.resolve(a)
		if err != nil {
			return nil, err
		}
		key, err := scalarString(r)
		if err != nil {
			return nil, fmt.Errorf("Fn::FindInMap key: %w", err)
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("Fn::FindInMap: no %q in the template's Mappings", key)
		}
		if v, ok = m[key]; !ok {
			return nil, fmt.Errorf("Fn::FindInMap: no %q in the template's Mappings", key)
		}
	}
	return s.resolve(v)
}

// resolveList resolves v, which fn needs to be a list.
func (s *stack) resolveList(fn string, v any) ([]any, error) {
	r, err := s.resolve(v)
	if err != nil {
		return nil, err
	}
	list, ok := r.([]any)
	if !ok {
		return nil, fmt.Errorf("%s needs a list, got %s", fn, brief(r))
	}
	return list, nil
}

// condition evaluates a named condition of the Conditions section.
func (s *stack) condition(name string) (bool, error) {
	if v, ok := s.conditionValues[name]; ok {
		return v, nil
	}
	def, ok := s.conditions[name]
	if !ok {
		return false, fmt.Errorf("no condition %s in the template", name)
	}
	if s.evaluating[name] {
		return false, fmt.Errorf("condition %s refers to itself", name)
	}
	s.evaluating[name] = true
	v, err := s.conditionValue(def)
	delete(s.evaluating, name)
	if err != nil {
		return false, fmt.Errorf("condition %s: %w", name, err)
	}
	s.conditionValues[name] = v
	return v, nil
}

// conditionValue evaluates a condition function: Fn::Equals, Fn::And,
// Fn::Or, Fn::Not, or {"Condition": name}.
func (s *stack) conditionValue(v any) (bool, error) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false, fmt.Errorf("not a condition function: %s", brief(v))
	}
	var fn string
	var arg any
	for fn, arg = range m { // its one entry
	}
	switch fn {
	case "Condition":
		name, ok := arg.(string)
		if !ok {
			return false, fmt.Errorf("Condition takes a name, not %s", brief(arg))
		}
		return s.condition(name)
	case "Fn::Equals":
		args, ok := arg.([]any)
		if !ok || len(args) != 2 {
			return false, fmt.Errorf("Fn::Equals takes two values, not %s", brief(arg))
		}
		var strs [2]string
		for i, a := range args {
			r, err := s.resolve(a)
			if err != nil {
				return false, err
			}
			if strs[i], err = scalarString(r); err != nil {
				return false, fmt.Errorf("Fn::Equals: %w", err)
			}
		}
		return strs[0] == strs[1], nil
	case "Fn::And", "Fn::Or", "Fn::Not": // lists of conditions, below
	default:
		return false, fmt.Errorf("%s is not a condition function", fn)
	}
	args, ok := arg.([]any)
	if !ok {
		return false, fmt.Errorf("%s takes a list of conditions, not %s", fn, brief(arg))
	}
	values := make([]bool, len(args))
	for i, a := range args {
		var err error
		if values[i], err = s.conditionValue(a); err != nil {
			return false, err
		}
	}
	switch fn {
	case "Fn::And":
		return !slices.Contains(values, false), nil
	case "Fn::Or":
		return slices.Contains(values, true), nil
	}
	if len(values) != 1 {
		return false, fmt.Errorf("Fn::Not takes one condition, not %d", len(values))
	}
	return !values[0], nil
}

// scalarString is a resolved scalar as CloudFormation turns it into text
// in Fn::Sub, Fn::Join and the like.
func scalarString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return "", fmt.Errorf("%s is not a string or number", brief(v))
}

// brief shows a value in an error message, shortened.
func brief(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}
