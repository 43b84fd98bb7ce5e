package deploy

import (
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// ResourceChange is one resource's change in a change set, in the terms a
// reviewer needs: what happens to it, whether it is replaced, which
// properties change from what to what, and whether it touches security.
type ResourceChange struct {
	// Action is Add, Modify, Remove, Import or Dynamic.
	Action     string `json:"action"`
	LogicalID  string `json:"logicalId"`
	PhysicalID string `json:"physicalId,omitempty"`
	Type       string `json:"type"`
	// Replacement is True, Conditional or False for a Modify: True means
	// the resource is deleted and created anew.
	Replacement string           `json:"replacement,omitempty"`
	Properties  []PropertyChange `json:"properties,omitempty"`
	// Security says why the change is security-relevant, if it is.
	Security string `json:"security,omitempty"`
}

// PropertyChange is one changed attribute or property.
type PropertyChange struct {
	// Attribute is Properties, Tags, Metadata, ...; Name is the property.
	Attribute string `json:"attribute"`
	Name      string `json:"name,omitempty"`
	// RequiresRecreation is Always, Conditionally or Never.
	RequiresRecreation string `json:"requiresRecreation,omitempty"`
	// Source is why it changes: DirectModification, ParameterReference,
	// ResourceReference, ...; CausingEntity is the parameter or resource.
	Source        string  `json:"source,omitempty"`
	CausingEntity string  `json:"causingEntity,omitempty"`
	Before        *string `json:"before,omitempty"`
	After         *string `json:"after,omitempty"`
}

// resourceChange converts the SDK's change, keeping what review needs.
func resourceChange(rc *types.ResourceChange) ResourceChange {
	out := ResourceChange{
		Action:      string(rc.Action),
		LogicalID:   deref(rc.LogicalResourceId),
		PhysicalID:  deref(rc.PhysicalResourceId),
		Type:        deref(rc.ResourceType),
		Replacement: string(rc.Replacement),
	}
	for _, d := range rc.Details {
		if d.Target == nil {
			continue
		}
		out.Properties = append(out.Properties, PropertyChange{
			Attribute:          string(d.Target.Attribute),
			Name:               deref(d.Target.Name),
			RequiresRecreation: string(d.Target.RequiresRecreation),
			Source:             string(d.ChangeSource),
			CausingEntity:      deref(d.CausingEntity),
			Before:             d.Target.BeforeValue,
			After:              d.Target.AfterValue,
		})
	}
	out.Security = securityReason(out)
	return out
}
