package templatecheck

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// This file checks resource types and Properties against goformation's schema: the type exists,
// every property name is declared, required properties are present, and each value has the JSON
// type the schema asks for, recursively through property types.
//
// Leniency follows CloudFormation, which converts scalars before calling the resource provider:
// a number may be written as a numeric string ("300"), a boolean as "true"/"false", and a string
// property accepts numbers and booleans. Everything else is strict.

// customTypePattern is what CloudFormation accepts as a custom resource type name.
var customTypePattern = regexp.MustCompile(`^Custom::[A-Za-z0-9_@-]{1,60}$`)

// checkProperties validates one resource's Properties against its schema.
func (c *checker) checkProperties(r *resource, path string) {
	props, hasProps := r.def["Properties"]
	ppath := join(path, "Properties")
	if r.typ == "AWS::CloudFormation::CustomResource" || strings.HasPrefix(r.typ, "Custom::") {
		c.checkCustomResource(r, props, hasProps, ppath)
		return
	}
	s, _ := loadSchema()
	sh, err := s.resourceShape(r.typ)
	if err != nil {
		c.add(join(path, "Type"), checkSchema, "cannot check %s: %v", r.typ, err)
		return
	}
	if sh == nil {
		if r.typ != "" && !c.transformed { // a macro may expand types the schema does not know
			c.add(join(path, "Type"), checkSchema, "unknown resource type %q (not in goformation's CloudFormation schema)", r.typ)
		}
		return
	}
	if !hasProps {
		props = map[string]any{}
	}
	c.checkValue(props, sh, ppath)
}

// checkCustomResource allows any properties but requires the ServiceToken CloudFormation sends
// the request to.
func (c *checker) checkCustomResource(r *resource, props any, hasProps bool, path string) {
	if strings.HasPrefix(r.typ, "Custom::") && !customTypePattern.MatchString(r.typ) {
		c.add(strings.TrimSuffix(path, ".Properties")+".Type", checkSchema,
			"custom resource type %q must match %s", r.typ, customTypePattern)
	}
	m, ok := props.(map[string]any)
	if !hasProps || !ok {
		c.add(path, checkSchema, "custom resource needs Properties with a ServiceToken")
		return
	}
	if _, ok := m["ServiceToken"]; !ok {
		c.add(path, checkSchema, "missing required property ServiceToken")
	}
}

// checkValue checks v against sh. Intrinsic functions are checked for what they yield (a scalar
// or a list); their own arguments are checked by the reference walk.
func (c *checker) checkValue(v any, sh *shape, path string) {
	if v == nil {
		return // the reference walk reports nulls wherever they are
	}
	if fn, arg, ok := intrinsic(v); ok {
		c.checkIntrinsicValue(fn, arg, sh, path)
		return
	}
	switch sh.kind {
	case kindAny:
		return
	case kindString:
		switch v.(type) {
		case string, json.Number, bool:
			return
		}
		c.add(path, checkSchema, "expected a string, got %s", describe(v))
	case kindNumber:
		switch x := v.(type) {
		case json.Number:
			return
		case string:
			if isNumeric(x) {
				return
			}
			c.add(path, checkSchema, "expected a number, got string %q", truncate(x))
			return
		}
		c.add(path, checkSchema, "expected a number, got %s", describe(v))
	case kindBoolean:
		switch x := v.(type) {
		case bool:
			return
		case string:
			if strings.EqualFold(x, "true") || strings.EqualFold(x, "false") {
				return
			}
			c.add(path, checkSchema, "expected a boolean, got string %q", truncate(x))
			return
		}
		c.add(path, checkSchema, "expected a boolean, got %s", describe(v))
	case kindStringOrBoolean:
		switch v.(type) {
		case string, bool:
			return
		}
		c.add(path, checkSchema, "expected a string or boolean, got %s", describe(v))
	case kindArray:
		list, ok := v.([]any)
		if !ok {
			c.add(path, checkSchema, "expected an array, got %s", describe(v))
			return
		}
		if sh.items == nil {
			return
		}
		for i, item := range list {
			c.checkValue(item, sh.items, index(path, i))
		}
	case kindObject:
		if sh.open() {
			// JSON-document properties (policies, dashboards) take an object, or the same JSON
			// as a string.
			switch v.(type) {
			case map[string]any, string:
				return
			}
			c.add(path, checkSchema, "expected a JSON object, got %s", describe(v))
			return
		}
		m, ok := v.(map[string]any)
		if !ok {
			c.add(path, checkSchema, "expected %s, got %s", objectName(sh), describe(v))
			return
		}
		c.checkObject(m, sh, path)
	}
}

// checkObject checks property names, required properties and each value.
func (c *checker) checkObject(m map[string]any, sh *shape, path string) {
	for name, v := range m { // order does not matter: problems are sorted at the end
		if p, ok := sh.props[name]; ok {
			c.checkValue(v, p, join(path, name))
			continue
		}
		if sh.values != nil {
			c.checkValue(v, sh.values, join(path, name))
			continue
		}
		if sh.closed {
			c.add(join(path, name), checkSchema, "unknown property %q for %s (allowed: %s)",
				name, objectName(sh), strings.Join(sortedKeys(sh.props), ", "))
		}
	}
	for _, req := range sh.required {
		if _, ok := m[req]; !ok {
			c.add(path, checkSchema, "missing required property %s", req)
		}
	}
}

// checkIntrinsicValue checks that an intrinsic function may stand where sh is expected.
func (c *checker) checkIntrinsicValue(fn string, arg any, sh *shape, path string) {
	if fn == "Fn::If" {
		// Both branches must fit; each is checked in its own right.
		if args, ok := arg.([]any); ok && len(args) == 3 {
			c.checkValue(args[1], sh, index(join(path, "Fn::If"), 1))
			c.checkValue(args[2], sh, index(join(path, "Fn::If"), 2))
		}
		return
	}
	if !intrinsicNames[fn] {
		return // reported once by the reference walk
	}
	y := c.yieldOf(fn, arg)
	if y == yieldNoValue || y == yieldUnknown || sh.kind == kindAny {
		return
	}
	switch sh.kind {
	case kindString, kindNumber, kindBoolean, kindStringOrBoolean:
		if y == yieldList {
			c.add(path, checkSchema, "expected a %s, but %s yields a list", sh.kind, fn)
		}
	case kindArray:
		if y == yieldScalar {
			c.add(path, checkSchema, "expected an array, but %s yields a single value", fn)
		}
	case kindObject:
		if sh.open() {
			return // a JSON document may be built as a string (Fn::Sub, Fn::Join, Fn::ToJsonString)
		}
		c.add(path, checkSchema, "expected %s, but %s yields a %s", objectName(sh), fn, yieldName(y))
	}
}

// yieldName names a yield for messages.
func yieldName(y yield) string {
	if y == yieldList {
		return "list"
	}
	return "single value"
}

// objectName names an object shape for messages: its property type where known.
func objectName(sh *shape) string {
	if sh.name != "" {
		return "an object (" + sh.name + ")"
	}
	return "an object"
}

// numericString is a JSON number written as a string. strconv.ParseFloat would also take "NaN",
// "Inf" and hex floats, which CloudFormation does not.
var numericString = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// isNumeric reports whether CloudFormation would accept s where a number is expected.
func isNumeric(s string) bool {
	return numericString.MatchString(s)
}

// describe names the JSON type of a value for messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("string %q", truncate(x))
	case json.Number:
		return "number " + x.String()
	case bool:
		return fmt.Sprintf("boolean %t", x)
	case []any:
		return "an array"
	case map[string]any:
		if fn, _, ok := intrinsic(x); ok {
			return fn
		}
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// truncate keeps messages readable when a value is a whole user-data script.
func truncate(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
