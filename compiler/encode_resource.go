package compiler

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// goformationPackages is where goformation's generated resource types
// live.
const goformationPackages = "github.com/awslabs/goformation/v7/cloudformation/"

// resourceAttributes are the attributes goformation's generated
// MarshalJSON writes next to Type and Properties, in the order it writes
// them, with the struct field each comes from. A type has UpdatePolicy and
// CreationPolicy only where CloudFormation allows them.
var resourceAttributes = []struct{ name, field string }{
	{"DependsOn", "AWSCloudFormationDependsOn"},
	{"Metadata", "AWSCloudFormationMetadata"},
	{"DeletionPolicy", "AWSCloudFormationDeletionPolicy"},
	{"UpdateReplacePolicy", "AWSCloudFormationUpdateReplacePolicy"},
	{"Condition", "AWSCloudFormationCondition"},
	{"UpdatePolicy", "AWSCloudFormationUpdatePolicy"},
	{"CreationPolicy", "AWSCloudFormationCreationPolicy"},
}

// resourceShape is where a generated resource type keeps its attributes.
type resourceShape struct {
	generated bool
	// typeName is what AWSCloudFormationType returns, a constant of the
	// generated code.
	typeName string
	// attrs holds, per entry of resourceAttributes, the field's index, or
	// -1 where the type has no such attribute.
	attrs []int
}

var resourceShapes sync.Map // reflect.Type (struct) -> *resourceShape

// isGeneratedResource reports whether t, or the struct it points to, is a
// goformation resource type, whose MarshalJSON writes
// {Type, Properties, attributes...} as encodeResource does.
func isGeneratedResource(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && resourceShapeOf(t).generated
}

func resourceShapeOf(t reflect.Type) *resourceShape {
	if s, ok := resourceShapes.Load(t); ok {
		return s.(*resourceShape)
	}
	s := &resourceShape{}
	if strings.HasPrefix(t.PkgPath(), goformationPackages) && reflect.PointerTo(t).Implements(resourceType) {
		s.generated = true
		s.typeName = reflect.New(t).Interface().(cloudformation.Resource).AWSCloudFormationType()
		for i, a := range resourceAttributes {
			f, ok := t.FieldByName(a.field)
			switch {
			case ok && len(f.Index) == 1 && f.Tag.Get("json") == "-":
				s.attrs = append(s.attrs, f.Index[0])
			case i < 5:
				// Every generated type has the first five.
				s.generated = false
			default:
				s.attrs = append(s.attrs, -1)
			}
		}
	}
	resourceShapes.Store(t, s)
	return s
}

// encodeResource writes a generated resource as its MarshalJSON does:
// Type, Properties (every field but the attributes, which are tagged "-")
// and each attribute that is not empty.
func encodeResource(v reflect.Value) (jsonNode, error) {
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	t := v.Type()
	if structEncodingOf(t).fallback {
		return encodeByMarshal(v.Interface())
	}
	shape := resourceShapeOf(t)
	typeName, err := encodeValue(reflect.ValueOf(shape.typeName))
	if err != nil {
		return jsonNode{}, err
	}
	props, err := encodeStruct(v)
	if err != nil {
		return jsonNode{}, err
	}
	members := []jsonMember{{key: "Type", val: typeName}, {key: "Properties", val: props}}
	for i, a := range resourceAttributes {
		if shape.attrs[i] < 0 {
			continue
		}
		fv := v.Field(shape.attrs[i])
		if isEmptyValue(fv) {
			continue
		}
		val, err := encodeValue(fv)
		if err != nil {
			return jsonNode{}, err
		}
		members = append(members, jsonMember{key: a.name, val: val})
	}
	return jsonNode{kind: jsonObject, members: sortMembers(members)}, nil
}

// encodeWithAttributes writes a wrapped resource as withAttributes'
// MarshalJSON does. That method decodes the resource's JSON into
// map[string]any and encodes it again, so the resource's numbers come out
// as float64 would write them; strings, intrinsics among them, come out
// unchanged, and are decoded here only after that.
func encodeWithAttributes(w withAttributes) (jsonNode, error) {
	inner, err := encodeValue(reflect.ValueOf(w.Resource))
	if err != nil {
		return jsonNode{}, err
	}
	if inner.kind != jsonObject {
		return encodeByMarshal(w)
	}
	if err := normalizeNumbers(&inner); err != nil {
		return jsonNode{}, err
	}
	members := inner.members
	set := func(ms []jsonMember, name string, value any) ([]jsonMember, error) {
		val, err := encodeValue(reflect.ValueOf(value))
		if err != nil {
			return nil, err
		}
		for i := range ms {
			if ms[i].key == name {
				ms[i].val = val
				return ms, nil
			}
		}
		return sortMembers(append(ms, jsonMember{key: name, val: val})), nil
	}
	for _, name := range sortedKeys(w.attrs) {
		if members, err = set(members, name, w.attrs[name]); err != nil {
			return jsonNode{}, err
		}
	}
	if len(w.props) > 0 {
		props := jsonNode{kind: jsonObject}
		if p, ok := (&jsonNode{kind: jsonObject, members: members}).member("Properties"); ok && p.kind == jsonObject {
			props = *p
		}
		for _, name := range sortedKeys(w.props) {
			if props.members, err = set(props.members, name, w.props[name]); err != nil {
				return jsonNode{}, err
			}
		}
		var found bool
		for i := range members {
			if members[i].key == "Properties" {
				members[i].val, found = props, true
			}
		}
		if !found {
			members = sortMembers(append(members, jsonMember{key: "Properties", val: props}))
		}
	}
	return jsonNode{kind: jsonObject, members: members}, nil
}

// normalizeNumbers rewrites every number outside an intrinsic function as
// decoding it into a float64 and encoding it again would. Intrinsics are
// still goformation's base64 strings at that point in withAttributes'
// round trip, so their numbers are left alone.
func normalizeNumbers(n *jsonNode) error {
	switch n.kind {
	case jsonNumber:
		f, err := strconv.ParseFloat(n.text, 64)
		if err != nil {
			return fmt.Errorf("json: cannot read number %s: %w", n.text, err)
		}
		n.text, err = formatFloat(f, 64)
		return err
	case jsonArray:
		for i := range n.elems {
			if err := normalizeNumbers(&n.elems[i]); err != nil {
				return err
			}
		}
	case jsonObject:
		if n.intrinsic {
			return nil
		}
		for i := range n.members {
			if err := normalizeNumbers(&n.members[i].val); err != nil {
				return err
			}
		}
	}
	return nil
}
