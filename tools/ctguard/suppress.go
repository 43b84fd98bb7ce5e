package main

import (
	"slices"
	"strings"

	"github.com/phasec/phasec/rules"
)

// controlMapping maps each rule of phasec's catalogue to the Control Tower
// controls it mirrors (its Controls, rules/): the one place that says which
// control a suppression of a phasec rule exempts a resource from.
func controlMapping() map[string][]string {
	out := map[string][]string{}
	for _, r := range rules.Catalogue() {
		if ids := r.ControlTower(); len(ids) > 0 {
			out[r.ID] = ids
		}
	}
	return out
}

// suppressions are the suppressions of one template that can exempt a
// resource from a Control Tower control.
type suppressions struct {
	mapping map[string][]string
	list    []rules.Suppression
	// used counts, per entry of list, the findings it covered.
	used []int
}

// newSuppressions keeps the template's phasec suppressions, as rules reads
// them. Those translated from cdk-nag's metadata are left out: they were
// written for one AwsSolutions rule, and exempting the resource from the
// Control Tower controls of the phasec rule that mirrors it too would widen
// them behind their author's back.
func newSuppressions(declared []rules.Suppression, mapping map[string][]string) *suppressions {
	s := &suppressions{mapping: mapping}
	for _, d := range declared {
		if strings.HasPrefix(d.Source, rules.SourceCdkNag) {
			continue
		}
		s.list = append(s.list, d)
	}
	s.used = make([]int, len(s.list))
	return s
}

// match returns the first suppression that exempts resource from control,
// or nil: one of a rule whose Controls include the control, on the resource
// itself or on the template with resources listing it or none. A
// suppression limited by appliesTo covers only the findings of its rule with
// those details, which a control's finding does not have, so it covers
// none here.
func (s *suppressions) match(control, resource string) *rules.Suppression {
	for i := range s.list {
		sup := &s.list[i]
		if !slices.Contains(s.mapping[sup.Rule], control) {
			continue
		}
		if len(sup.Resources) > 0 && !slices.Contains(sup.Resources, resource) {
			continue
		}
		if len(sup.AppliesTo) > 0 {
			continue
		}
		s.used[i]++
		return sup
	}
	return nil
}

// unused returns the suppressions that mirror a Control Tower control and
// covered no finding of one: phasec's rule is stricter than the controls
// there, or the suppression is stale.
func (s *suppressions) unused() []rules.Suppression {
	var out []rules.Suppression
	for i, sup := range s.list {
		if s.used[i] == 0 && len(s.mapping[sup.Rule]) > 0 {
			out = append(out, sup)
		}
	}
	return out
}
