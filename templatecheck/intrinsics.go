package templatecheck

import (
	"encoding/json"
	"strings"
)

// Intrinsic functions are JSON objects with exactly one key, "Ref" or "Fn::…". This file knows
// which functions exist, what shape of value each one produces (a scalar or a list), and so
// whether it may stand where the schema expects a string, a number or an array.

// intrinsicNames are the functions CloudFormation evaluates inside Resources and Outputs.
var intrinsicNames = map[string]bool{
	"Ref":              true,
	"Fn::GetAtt":       true,
	"Fn::Sub":          true,
	"Fn::Join":         true,
	"Fn::If":           true,
	"Fn::Select":       true,
	"Fn::Split":        true,
	"Fn::Base64":       true,
	"Fn::FindInMap":    true,
	"Fn::ImportValue":  true,
	"Fn::GetAZs":       true,
	"Fn::Cidr":         true,
	"Fn::Length":       true, // AWS::LanguageExtensions only
	"Fn::ToJsonString": true, // AWS::LanguageExtensions only
	"Fn::Transform":    true, // macro invocation; its output is unknown until deploy
}

// conditionFunctions are only valid inside the Conditions section (and Fn::If's first argument
// names a condition, it does not evaluate one).
var conditionFunctions = map[string]bool{
	"Fn::And":    true,
	"Fn::Or":     true,
	"Fn::Not":    true,
	"Fn::Equals": true,
}

// intrinsic returns the function name and argument when v is an intrinsic function call.
// Any single-key object whose key is "Ref" or starts with "Fn::" counts, so that a misspelt
// function is reported as an unknown function rather than as an unknown property.
func intrinsic(v any) (string, any, bool) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return "", nil, false
	}
	for k, arg := range m {
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k, arg, true
		}
	}
	return "", nil, false
}

// yield is what an intrinsic function evaluates to, as far as can be known before deploy.
type yield uint8

const (
	yieldUnknown yield = iota // could be a scalar or a list (Fn::Select, Fn::FindInMap, macros)
	yieldScalar               // a string or number
	yieldList                 // a list of strings
	yieldNoValue              // Ref AWS::NoValue: the property is removed
)

// pseudoParameters are the names Ref accepts besides parameters and resources.
var pseudoParameters = map[string]bool{
	"AWS::AccountId":        true,
	"AWS::NotificationARNs": true,
	"AWS::NoValue":          true,
	"AWS::Partition":        true,
	"AWS::Region":           true,
	"AWS::StackId":          true,
	"AWS::StackName":        true,
	"AWS::URLSuffix":        true,
}

// yieldOf says whether an intrinsic produces a scalar or a list. It never reports problems; the
// reference walk does that. Names that do not resolve yield unknown, so that one dangling
// reference is reported once (as a reference problem), not again as a type mismatch.
func (c *checker) yieldOf(fn string, arg any) yield {
	switch fn {
	case "Ref":
		name, _ := arg.(string)
		switch {
		case name == "AWS::NoValue":
			return yieldNoValue
		case name == "AWS::NotificationARNs":
			return yieldList
		case pseudoParameters[name]:
			return yieldScalar
		}
		if def, ok := c.params[name]; ok {
			t, _ := def["Type"].(string)
			if isListParameterType(t) {
				return yieldList
			}
			return yieldScalar
		}
		if _, ok := c.resources[name]; ok {
			return yieldScalar
		}
		return yieldUnknown
	case "Fn::GetAtt":
		res, attr, ok := getAttTarget(arg)
		if !ok {
			return yieldUnknown
		}
		r := c.resources[res]
		if r == nil {
			return yieldUnknown
		}
		a, known := lookupAttribute(r.typ, attr)
		if !known {
			return yieldUnknown
		}
		if a.list {
			return yieldList
		}
		return yieldScalar
	case "Fn::Sub", "Fn::Join", "Fn::Base64", "Fn::ImportValue", "Fn::Length", "Fn::ToJsonString":
		return yieldScalar
	case "Fn::Split", "Fn::GetAZs", "Fn::Cidr":
		return yieldList
	case "Fn::If":
		args, ok := arg.([]any)
		if !ok || len(args) != 3 {
			return yieldUnknown
		}
		a, b := c.valueYield(args[1]), c.valueYield(args[2])
		switch {
		case a == b:
			return a
		case a == yieldNoValue:
			return b
		case b == yieldNoValue:
			return a
		}
		return yieldUnknown
	case "Fn::Select":
		args, ok := arg.([]any)
		if !ok || len(args) != 2 {
			return yieldUnknown
		}
		if list, ok := args[1].([]any); ok {
			if i, ok := literalIndex(args[0]); ok && i >= 0 && i < len(list) {
				return c.valueYield(list[i])
			}
			return yieldUnknown
		}
		// Elements of a list produced by an intrinsic are strings.
		if fn, a, ok := intrinsic(args[1]); ok && c.yieldOf(fn, a) == yieldList {
			return yieldScalar
		}
		return yieldUnknown
	case "Fn::FindInMap":
		if v, ok := c.findInMapLiteral(arg); ok {
			return c.valueYield(v)
		}
		return yieldUnknown
	}
	return yieldUnknown
}

// valueYield classifies any value, literal or intrinsic.
func (c *checker) valueYield(v any) yield {
	if fn, arg, ok := intrinsic(v); ok {
		return c.yieldOf(fn, arg)
	}
	switch v.(type) {
	case []any:
		return yieldList
	case map[string]any:
		return yieldUnknown
	}
	return yieldScalar
}

// isListParameterType reports whether Ref to a parameter of this type yields a list.
func isListParameterType(t string) bool {
	return strings.HasPrefix(t, "List<") || t == "CommaDelimitedList" ||
		strings.HasPrefix(t, "AWS::SSM::Parameter::Value<List<") ||
		t == "AWS::SSM::Parameter::Value<CommaDelimitedList>"
}

// getAttTarget splits Fn::GetAtt's argument, in either the list form ["Res", "Attr"] or the
// string form "Res.Attr", into resource and attribute. ok is false when the shape is wrong or
// the attribute name is itself computed (a Ref to a parameter), which cannot be resolved.
func getAttTarget(arg any) (res, attr string, ok bool) {
	switch a := arg.(type) {
	case string:
		res, attr, ok = strings.Cut(a, ".")
		return res, attr, ok && res != "" && attr != ""
	case []any:
		if len(a) != 2 {
			return "", "", false
		}
		res, ok1 := a[0].(string)
		attr, ok2 := a[1].(string)
		return res, attr, ok1 && ok2 && res != "" && attr != ""
	}
	return "", "", false
}

// literalIndex reads an Fn::Select index given as a number or numeric string.
func literalIndex(v any) (int, bool) {
	switch x := v.(type) {
	case json.Number:
		i, err := x.Int64()
		return int(i), err == nil
	case string:
		i, err := json.Number(x).Int64()
		return int(i), err == nil
	}
	return 0, false
}

// findInMapLiteral resolves Fn::FindInMap when the map name and both keys are literal strings.
func (c *checker) findInMapLiteral(arg any) (any, bool) {
	args, ok := arg.([]any)
	if !ok || len(args) < 3 {
		return nil, false
	}
	names := make([]string, 3)
	for i := range names {
		s, ok := args[i].(string)
		if !ok {
			return nil, false
		}
		names[i] = s
	}
	m, ok := c.mappings[names[0]].(map[string]any)
	if !ok {
		return nil, false
	}
	second, ok := m[names[1]].(map[string]any)
	if !ok {
		return nil, false
	}
	v, ok := second[names[2]]
	return v, ok
}
