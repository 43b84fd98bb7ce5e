package compiler

import (
	"encoding/json"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// setRawAttribute records a resource attribute (UpdatePolicy,
// CreationPolicy) as a plain JSON value. goformation's policy types declare
// their numbers as float64 with omitempty, so a zero that matters, such as
// a resource-signal Count of 0 for a group that starts empty, would vanish
// and CloudFormation's default (1) would apply instead.
func (b *stackBuilder) setRawAttribute(id, name string, value any) {
	if b.rawAttributes == nil {
		b.rawAttributes = map[string]map[string]any{}
	}
	if b.rawAttributes[id] == nil {
		b.rawAttributes[id] = map[string]any{}
	}
	b.rawAttributes[id][name] = value
}

// setRawProperty records a property as a plain JSON value, for the few
// places where goformation's Go type cannot hold what CloudFormation
// accepts: a listener's forward weight is an *int, but a blue-green stack
// sets it from a parameter with Ref.
func (b *stackBuilder) setRawProperty(id, name string, value any) {
	if b.rawProperties == nil {
		b.rawProperties = map[string]map[string]any{}
	}
	if b.rawProperties[id] == nil {
		b.rawProperties[id] = map[string]any{}
	}
	b.rawProperties[id][name] = value
}

// applyRawAttributes wraps the resources that have raw attributes or
// properties, once every concern has finished with the typed goformation
// values.
func applyRawAttributes(b *stackBuilder) {
	ids := map[string]bool{}
	for id := range b.rawAttributes {
		ids[id] = true
	}
	for id := range b.rawProperties {
		ids[id] = true
	}
	for id := range ids {
		b.t.Resources[id] = withAttributes{
			Resource: b.t.Resources[id],
			attrs:    b.rawAttributes[id],
			props:    b.rawProperties[id],
		}
	}
}

// withAttributes is a resource whose JSON carries extra top-level
// attributes next to Type and Properties, and extra properties.
type withAttributes struct {
	cloudformation.Resource
	attrs map[string]any
	props map[string]any
}

// MarshalJSON writes the wrapped resource and then sets the attributes
// and properties over what it wrote.
func (w withAttributes) MarshalJSON() ([]byte, error) {
	inner, err := json.Marshal(w.Resource)
	if err != nil {
		return nil, err
	}
	var fields map[string]any
	if err := json.Unmarshal(inner, &fields); err != nil {
		return nil, err
	}
	for name, v := range w.attrs {
		fields[name] = v
	}
	if len(w.props) > 0 {
		props, _ := fields["Properties"].(map[string]any)
		if props == nil {
			props = map[string]any{}
		}
		for name, v := range w.props {
			props[name] = v
		}
		fields["Properties"] = props
	}
	return json.Marshal(fields)
}
