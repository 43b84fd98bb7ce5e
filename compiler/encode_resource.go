package compiler

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/awslabs/goformation/v7/cloudformation"

	"github.com/phasec/phasec/internal/jsontree"
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
func (enc encoder) encodeResource(v reflect.Value) (jsontree.Node, error) {
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	t := v.Type()
	if structEncodingOf(t).fallback {
		return enc.encodeByMarshal(v.Interface())
	}
	shape := resourceShapeOf(t)
	typeName, err := enc.encodeValue(reflect.ValueOf(shape.typeName))
	if err != nil {
		return jsontree.Node{}, err
	}
	props, err := enc.encodeStruct(v)
	if err != nil {
		return jsontree.Node{}, err
	}
	members := []jsontree.Member{{Key: "Type", Value: typeName}, {Key: "Properties", Value: props}}
	for i, a := range resourceAttributes {
		if shape.attrs[i] < 0 {
			continue
		}
		fv := v.Field(shape.attrs[i])
		if isEmptyValue(fv) {
			continue
		}
		val, err := enc.encodeValue(fv)
		if err != nil {
			return jsontree.Node{}, err
		}
		members = append(members, jsontree.Member{Key: a.name, Value: val})
	}
	return jsontree.Node{Kind: jsontree.Object, Members: jsontree.SortMembers(members)}, nil
}

// encodeWithAttributes writes a wrapped resource as withAttributes'
// MarshalJSON does. That method decodes the resource's JSON into
// map[string]any and encodes it again, so the resource's numbers come out
// as float64 would write them; strings, intrinsics among them, come out
// unchanged, and are decoded here only after that.
func (enc encoder) encodeWithAttributes(w withAttributes) (jsontree.Node, error) {
	inner, err := encoder{}.encodeValue(reflect.ValueOf(w.Resource))
	if err != nil {
		return jsontree.Node{}, err
	}
	if inner.Kind != jsontree.Object {
		return enc.encodeByMarshal(w)
	}
	if err := normalizeNumbers(&inner); err != nil {
		return jsontree.Node{}, err
	}
	if enc.intrinsics {
		decodeIntrinsics(&inner)
	}
	members := inner.Members
	set := func(ms []jsontree.Member, name string, value any) ([]jsontree.Member, error) {
		val, err := enc.encodeValue(reflect.ValueOf(value))
		if err != nil {
			return nil, err
		}
		for i := range ms {
			if ms[i].Key == name {
				ms[i].Value = val
				return ms, nil
			}
		}
		return jsontree.SortMembers(append(ms, jsontree.Member{Key: name, Value: val})), nil
	}
	for _, name := range sortedKeys(w.attrs) {
		if members, err = set(members, name, w.attrs[name]); err != nil {
			return jsontree.Node{}, err
		}
	}
	if len(w.props) > 0 {
		props := jsontree.Node{Kind: jsontree.Object}
		if p, ok := (&jsontree.Node{Kind: jsontree.Object, Members: members}).Member("Properties"); ok && p.Kind == jsontree.Object {
			props = *p
		}
		for _, name := range sortedKeys(w.props) {
			if props.Members, err = set(props.Members, name, w.props[name]); err != nil {
				return jsontree.Node{}, err
			}
		}
		var found bool
		for i := range members {
			if members[i].Key == "Properties" {
				members[i].Value, found = props, true
			}
		}
		if !found {
			members = jsontree.SortMembers(append(members, jsontree.Member{Key: "Properties", Value: props}))
		}
	}
	return jsontree.Node{Kind: jsontree.Object, Members: members}, nil
}

// normalizeNumbers rewrites every number as decoding it into a float64 and
// encoding it again would. encodeWithAttributes calls it while intrinsics
// are still goformation's base64 strings, as they are at that point in
// withAttributes' round trip, so their numbers are left alone.
func normalizeNumbers(n *jsontree.Node) error {
	switch n.Kind {
	case jsontree.Number:
		f, err := strconv.ParseFloat(n.Text, 64)
		if err != nil {
			return fmt.Errorf("json: cannot read number %s: %w", n.Text, err)
		}
		n.Text, err = formatFloat(f, 64)
		return err
	case jsontree.Array:
		for i := range n.Elems {
			if err := normalizeNumbers(&n.Elems[i]); err != nil {
				return err
			}
		}
	case jsontree.Object:
		for i := range n.Members {
			if err := normalizeNumbers(&n.Members[i].Value); err != nil {
				return err
			}
		}
	}
	return nil
}
