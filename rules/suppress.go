package rules

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// MinReasonLength is the shortest reason a suppression may give: long
// enough that it has to say something. The spec schema enforces the same.
const MinReasonLength = 20

// Suppression exempts a template, or some of its resources, from one rule.
type Suppression struct {
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
	// Resources are the logical IDs it covers; empty means the template.
	Resources []string `json:"resources,omitempty"`
	// AppliesTo limits it to findings with these details.
	AppliesTo []string `json:"appliesTo,omitempty"`
	// Source says who declared it: the spec path it came from, "phasec"
	// for the compiler's own, or "cdk_nag" for cdk-nag metadata.
	Source string `json:"source,omitempty"`
	// Matched counts the findings it suppressed.
	Matched int `json:"matched"`
}

// Invalid is a suppression that cannot be honoured, and why.
type Invalid struct {
	Suppression Suppression `json:"suppression"`
	Problem     string      `json:"problem"`
}

// SourceCdkNag starts the Source of a suppression translated from cdk-nag's
// metadata ("cdk_nag AwsSolutions-IAM5"): it was written for that cdk-nag
// rule only, which tools that honour suppressions for other engines need to
// know.
const SourceCdkNag = "cdk_nag"

// The metadata keys suppressions are read from.
const (
	metadataKey     = "phasec"
	suppressionsKey = "suppressions"
)

// readSuppressions collects the template-wide and per-resource
// suppressions, in template order then logical-ID order, and sets apart
// those that cannot be honoured.
func readSuppressions(t *Template) ([]*Suppression, []Invalid) {
	metadata, _ := t.doc["Metadata"].(map[string]any)
	all := decodeSuppressions(get(metadata, metadataKey, suppressionsKey))
	all = append(all, cdkNagSuppressions(metadata, nil)...)
	for _, id := range t.ids {
		r := t.resources[id]
		for _, s := range decodeSuppressions(get(r.Metadata, metadataKey, suppressionsKey)) {
			s.Resources = []string{id}
			all = append(all, s)
		}
		all = append(all, cdkNagSuppressions(r.Metadata, []string{id})...)
	}
	var ok []*Suppression
	var invalid []Invalid
	for _, s := range all {
		if problem := t.invalidSuppression(s); problem != "" {
			invalid = append(invalid, Invalid{Suppression: *s, Problem: problem})
			continue
		}
		ok = append(ok, s)
	}
	return ok, invalid
}

// Suppressions returns the suppressions a decoded template declares, read
// exactly as Check reads them: those that can be honoured, in template
// order then logical-ID order, and apart those that cannot. Tools that
// check phasec's templates with other engines (tools/ctguard) honour the
// same suppressions through it instead of reading the metadata again.
func Suppressions(doc map[string]any) ([]Suppression, []Invalid) {
	sups, invalid := readSuppressions(newTemplate(doc))
	out := make([]Suppression, len(sups))
	for i, s := range sups {
		out[i] = *s
	}
	return out, invalid
}

// invalidSuppression says what is wrong with s, or "" when it is valid.
func (t *Template) invalidSuppression(s *Suppression) string {
	if _, known := byID[s.Rule]; !known {
		return fmt.Sprintf("no rule has the ID %q", s.Rule)
	}
	if utf8.RuneCountInString(strings.TrimSpace(s.Reason)) < MinReasonLength {
		return fmt.Sprintf("the reason must say why the rule does not apply, in at least %d characters", MinReasonLength)
	}
	for _, id := range s.Resources {
		if t.resources[id] == nil {
			return fmt.Sprintf("the template has no resource %s", id)
		}
	}
	return ""
}

// decodeSuppressions reads a list of {rule, reason, resources, appliesTo,
// source} objects; malformed entries become suppressions without a reason,
// which are then reported as invalid.
func decodeSuppressions(v any) []*Suppression {
	list, _ := v.([]any)
	var out []*Suppression
	for _, e := range list {
		m, _ := e.(map[string]any)
		s := &Suppression{}
		s.Rule, _ = m["rule"].(string)
		s.Reason, _ = m["reason"].(string)
		s.Source, _ = m["source"].(string)
		s.Resources = stringList(m["resources"])
		s.AppliesTo = stringList(m["appliesTo"])
		out = append(out, s)
	}
	return out
}

// cdkNagSuppressions translates cdk-nag's metadata (a resource's, or the
// template's for the whole stack, the way cdk-nag v2 recorded stack
// suppressions): a suppression of AwsSolutions-X suppresses every phasec
// rule that mirrors AwsSolutions-X. Suppressions of other cdk-nag packs have
// no phasec rule and are ignored.
func cdkNagSuppressions(metadata map[string]any, resources []string) []*Suppression {
	list, _ := get(metadata, "cdk_nag", "rules_to_suppress").([]any)
	var out []*Suppression
	for _, e := range list {
		m, _ := e.(map[string]any)
		id, _ := m["id"].(string)
		reason, _ := m["reason"].(string)
		for _, rule := range catalogue {
			if slices.Contains(rule.Controls, id) {
				out = append(out, &Suppression{
					Rule: rule.ID, Reason: reason, Resources: resources,
					AppliesTo: stringList(m["applies_to"]), Source: SourceCdkNag + " " + id,
				})
			}
		}
	}
	return out
}

// stringList returns the string elements of a JSON list.
func stringList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// matching returns the first suppression that covers f, or nil.
func matching(sups []*Suppression, f Finding) *Suppression {
	for _, s := range sups {
		if s.Rule != f.Rule {
			continue
		}
		if len(s.Resources) > 0 && !slices.Contains(s.Resources, f.Resource) {
			continue
		}
		if len(s.AppliesTo) > 0 && !slices.Contains(s.AppliesTo, f.Detail) {
			continue
		}
		return s
	}
	return nil
}
