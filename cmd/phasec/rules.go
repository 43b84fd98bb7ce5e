package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/phasec/phasec/compiler"
	"github.com/phasec/phasec/rules"
)

// ruleOutcome is what the security and compliance rules say about one
// stack, as vet and build report it.
type ruleOutcome struct {
	// Findings are the violations no suppression covers.
	Findings []rules.Finding `json:"findings"`
	// Suppressions are the stack's exemptions, each with where it was
	// declared and how many findings it covered.
	Suppressions []suppressionReport `json:"suppressions"`
	// Invalid are suppressions that cannot be honoured.
	Invalid []invalidReport `json:"invalid,omitempty"`

	blocking bool
}

// suppressionReport is one suppression in vet's and build's output.
type suppressionReport struct {
	rules.Suppression
	// Pos is where the spec declares it; empty for phasec's own.
	Pos string `json:"pos,omitempty"`
}

// invalidReport is a suppression that cannot be honoured.
type invalidReport struct {
	suppressionReport
	Problem string `json:"problem"`
}

// checkRules reads the rule catalogue's report on a rendered stack (render
// runs the rules when asked) and ties each suppression back to where the
// spec declared it.
func checkRules(s renderedStack) (ruleOutcome, error) {
	rep := s.rules
	if rep == nil {
		var err error
		if rep, err = rules.Check(s.body); err != nil {
			return ruleOutcome{}, fmt.Errorf("%s: %w", s.Name, err)
		}
	}
	out := ruleOutcome{Findings: rep.Findings, Suppressions: []suppressionReport{}, blocking: rep.Blocking()}
	for _, sup := range rep.Suppressions {
		out.Suppressions = append(out.Suppressions, suppressionReport{Suppression: sup, Pos: declaredAt(s.Stack, sup)})
	}
	for _, inv := range rep.Invalid {
		out.Invalid = append(out.Invalid, invalidReport{
			suppressionReport: suppressionReport{Suppression: inv.Suppression, Pos: declaredAt(s.Stack, inv.Suppression)},
			Problem:           inv.Problem,
		})
	}
	return out, nil
}

// declaredAt finds the spec position of a suppression read back from the
// template, by rule and source.
func declaredAt(s *compiler.Stack, sup rules.Suppression) string {
	for _, d := range s.Suppressions {
		if d.Rule == sup.Rule && d.Source == sup.Source {
			return d.Pos
		}
	}
	return ""
}

// printFinding writes one finding and, indented, what the rule asks for.
func printFinding(w io.Writer, stack string, f rules.Finding) {
	where := f.Resource
	if f.Type != "" {
		where += " (" + f.Type + ")"
	}
	fmt.Fprintf(w, "%s: %s %s %s: %s\n", stack, f.Severity, f.Rule, where, f.Message)
	if r, ok := rules.Lookup(f.Rule); ok {
		controls := ""
		if len(r.Controls) > 0 {
			controls = " [" + strings.Join(r.Controls, ", ") + "]"
		}
		fmt.Fprintf(w, "    %s%s: %s\n", r.Title, controls, r.Rationale)
	}
}

// printSuppressions lists a stack's suppressions, one a line.
func printSuppressions(w io.Writer, sups []suppressionReport) {
	for _, s := range sups {
		on := "stack"
		if len(s.Resources) > 0 {
			on = strings.Join(s.Resources, ", ")
		}
		from := s.Source
		if s.Pos != "" {
			from = s.Pos
		}
		fmt.Fprintf(w, "    suppressed %s on %s (%d): %s [%s]\n", s.Rule, on, s.Matched, s.Reason, from)
	}
}

// rulesError is the error of a stack that must not be built: every
// unsuppressed error finding, and every invalid suppression at the spec
// position that declares it.
func rulesError(stack string, o ruleOutcome) string {
	var b strings.Builder
	for _, inv := range o.Invalid {
		fmt.Fprintln(&b, invalidError(stack, inv))
	}
	for _, f := range o.Findings {
		if f.Severity != rules.Error {
			continue
		}
		printFinding(&b, stack, f)
		fmt.Fprintf(&b, "    hint: fix it, or suppress %s with a reason in the spec (README.md, Security and compliance)\n", f.Rule)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// invalidError is an invalid suppression as an error: at the spec position
// that declares it when there is one, with a hint on how to fix it.
func invalidError(stack string, inv invalidReport) string {
	var msg string
	if inv.Pos != "" {
		msg = fmt.Sprintf("%s: %s: %s", inv.Pos, inv.Source, inv.Problem)
	} else {
		msg = fmt.Sprintf("%s: suppression of %s (%s): %s", stack, inv.Rule, inv.Source, inv.Problem)
	}
	hint := fmt.Sprintf("a suppression needs a reason of at least %d characters saying why the rule does not apply", rules.MinReasonLength)
	switch {
	case strings.HasPrefix(inv.Problem, "the template has no resource"):
		hint = "resources are logical IDs of the stack's template, as phasec vet prints them (for example LoadBalancerSecurityGroup)"
	case strings.HasPrefix(inv.Problem, "no rule has the ID"):
		hint = "README.md lists the rule catalogue"
	}
	return msg + "\n    hint: " + hint
}

// countSuppressed adds up the findings a stack's suppressions covered.
func countSuppressed(sups []suppressionReport) int {
	n := 0
	for _, s := range sups {
		n += s.Matched
	}
	return n
}

// printVet writes vet's report: per stack its verdict, findings and
// suppressions, then the totals.
func printVet(w io.Writer, results []vetResult) {
	var errs, warns, suppressed int
	for _, r := range results {
		e, wn := countSeverity(r.Findings)
		n := countSuppressed(r.Suppressions)
		errs, warns, suppressed = errs+e, warns+wn, suppressed+n
		verdict := "ok"
		if e+wn > 0 || len(r.Invalid) > 0 {
			verdict = count(e, "error") + ", " + count(wn, "warning")
			if len(r.Invalid) > 0 {
				verdict += ", " + count(len(r.Invalid), "invalid suppression")
			}
		}
		fmt.Fprintf(w, "%-28s %s, %s suppressed\n", r.Stack, verdict, count(n, "finding"))
		for _, f := range r.Findings {
			printFinding(w, r.Stack, f)
		}
		printSuppressions(w, r.Suppressions)
	}
	fmt.Fprintf(w, "vet: %s, %s, %s, %s suppressed\n",
		count(len(results), "stack"), count(errs, "error"), count(warns, "warning"), count(suppressed, "finding"))
}

// vetVerdict fails vet when a stack could not be built.
func vetVerdict(results []vetResult) error {
	var msgs []string
	for _, r := range results {
		if !r.blocking {
			continue
		}
		var ids []string
		for _, f := range r.Findings {
			if f.Severity == rules.Error && !slices.Contains(ids, f.Rule) {
				ids = append(ids, f.Rule)
			}
		}
		for _, inv := range r.Invalid {
			msgs = append(msgs, invalidError(r.Stack, inv))
		}
		if len(ids) > 0 {
			msgs = append(msgs, fmt.Sprintf("vet: %s is blocked by %s", r.Stack, strings.Join(ids, ", ")))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return &exitCodeError{code: exitError, err: errors.New(strings.Join(msgs, "\n"))}
}

// countSeverity counts error and warning findings.
func countSeverity(fs []rules.Finding) (errs, warns int) {
	for _, f := range fs {
		if f.Severity == rules.Error {
			errs++
		} else {
			warns++
		}
	}
	return errs, warns
}

// checkBuildRules runs the rules on every stack before build writes
// anything. Warnings go to stderr; any blocking stack fails the build with
// its error findings and invalid suppressions.
func checkBuildRules(a *app, rendered []renderedStack) ([]ruleOutcome, error) {
	outcomes := make([]ruleOutcome, len(rendered))
	var blocked []string
	for i, s := range rendered {
		o, err := checkRules(s)
		if err != nil {
			return nil, err
		}
		outcomes[i] = o
		for _, f := range o.Findings {
			if f.Severity == rules.Warning {
				printFinding(a.stderr, s.Name, f)
			}
		}
		if o.blocking {
			blocked = append(blocked, rulesError(s.Name, o))
		}
	}
	if len(blocked) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(blocked, "\n"))
	}
	return outcomes, nil
}

// count writes n and the noun, in the plural unless n is 1.
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
