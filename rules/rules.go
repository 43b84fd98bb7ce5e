// Package rules is phasec's catalogue of security and compliance rules. Each
// rule inspects a rendered CloudFormation template (decoded JSON), so it
// checks templates that phasec did not write just as well as its own; each
// names the AWS Solutions (cdk-nag), CIS AWS Foundations or AWS Control
// Tower proactive control it mirrors, where one exists.
//
// Suppressions live in the template itself, the way cdk-nag records them:
// template-wide under Metadata.phasec.suppressions, per resource under the
// resource's Metadata.phasec.suppressions (and, for the AwsSolutions rules,
// cdk-nag's Metadata.cdk_nag.rules_to_suppress at either level). Every
// suppression needs a reason; one without is itself an error.
package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/phasec/phasec/internal/jsontree"
)

// Severity says whether a finding blocks a build.
type Severity string

const (
	// Error findings make phasec build and phasec vet fail.
	Error Severity = "error"
	// Warning findings are reported and do not block.
	Warning Severity = "warning"
)

// Rule is one check of the catalogue.
type Rule struct {
	// ID is stable and is what suppressions name, e.g. PHS-S3-002.
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	// Title says what a compliant template does, in one line.
	Title string `json:"title"`
	// Rationale says why it matters, in one line.
	Rationale string `json:"rationale"`
	// Controls are the matching AWS Solutions (cdk-nag), CIS AWS
	// Foundations Benchmark v1.4.0 and Control Tower controls.
	Controls []string `json:"controls,omitempty"`
	// Types are the resource types the rule inspects.
	Types []string `json:"types"`

	check func(t *Template) []violation
}

// violation is what a rule's check reports before the engine turns it into a
// Finding: which resource, which part of it (for suppressions that apply to
// one finding only), and what is wrong.
type violation struct {
	resource *Resource
	detail   string
	message  string
}

// Finding is one violation of one rule by one resource.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Resource is the logical ID, empty for a finding about the template.
	Resource string `json:"resource,omitempty"`
	Type     string `json:"type,omitempty"`
	// Detail names the offending part when a resource can break a rule in
	// several ways (IAM wildcards); a suppression's appliesTo matches it.
	Detail  string `json:"detail,omitempty"`
	Message string `json:"message"`
	// Reason is set on suppressed findings: the suppression's reason.
	Reason string `json:"reason,omitempty"`
}

// Report is the outcome of checking one template.
type Report struct {
	// Findings are the violations no suppression covers, in catalogue
	// order, then by resource.
	Findings []Finding `json:"findings"`
	// Suppressed are the violations a suppression covers.
	Suppressed []Finding `json:"suppressed"`
	// Suppressions are all suppressions the template declares, with how
	// many findings each covered.
	Suppressions []Suppression `json:"suppressions"`
	// Invalid are suppressions that cannot be honoured: no reason, an
	// unknown rule, a resource the template does not have.
	Invalid []Invalid `json:"invalid,omitempty"`
}

// Blocking reports whether the template must not be built: an unsuppressed
// error, or a suppression that is not valid.
func (r *Report) Blocking() bool {
	if len(r.Invalid) > 0 {
		return true
	}
	for _, f := range r.Findings {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// Check decodes a rendered template and runs every rule of the catalogue on
// it. The error is only for input that is not a JSON object.
func Check(template []byte) (*Report, error) {
	v, err := jsontree.Decode(template)
	if err != nil {
		return nil, fmt.Errorf("rules: template is not a JSON object: %w", err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("rules: template is not a JSON object")
	}
	return CheckDocument(doc), nil
}

// CheckDocument runs every rule on a decoded template, which it does not
// modify.
func CheckDocument(doc map[string]any) *Report {
	t := newTemplate(doc)
	var all []Finding
	for _, r := range catalogue {
		for _, v := range r.check(t) {
			f := Finding{Rule: r.ID, Severity: r.Severity, Detail: v.detail, Message: v.message}
			if v.resource != nil {
				f.Resource, f.Type = v.resource.ID, v.resource.Type
			}
			all = append(all, f)
		}
	}
	sups, invalid := readSuppressions(t)
	rep := &Report{Findings: []Finding{}, Suppressed: []Finding{}, Invalid: invalid}
	for _, f := range all {
		if s := matching(sups, f); s != nil {
			s.Matched++
			f.Reason = s.Reason
			rep.Suppressed = append(rep.Suppressed, f)
			continue
		}
		rep.Findings = append(rep.Findings, f)
	}
	rep.Suppressions = make([]Suppression, len(sups))
	for i, s := range sups {
		rep.Suppressions[i] = *s
	}
	return rep
}

// Catalogue returns every rule, ordered by ID.
func Catalogue() []Rule {
	out := make([]Rule, len(catalogue))
	for i, r := range catalogue {
		out[i] = *r
		out[i].check = nil
	}
	return out
}

// awsSolutionsPrefix starts the IDs of cdk-nag's AWS Solutions rules among
// a rule's Controls.
const awsSolutionsPrefix = "AwsSolutions-"

// AwsSolutions returns the cdk-nag AwsSolutions rules the rule mirrors, in
// the order of its Controls: tools/cdknag, which runs the real cdk-nag on
// phasec's templates, honours a suppression of the rule for exactly these.
func (r Rule) AwsSolutions() []string {
	var out []string
	for _, c := range r.Controls {
		if strings.HasPrefix(c, awsSolutionsPrefix) {
			out = append(out, c)
		}
	}
	return out
}

// controlTowerPrefix starts the IDs of AWS Control Tower proactive controls
// among a rule's Controls (CT.S3.PR.2).
const controlTowerPrefix = "CT."

// ControlTower returns the Control Tower proactive controls the rule
// mirrors, in the order of its Controls: tools/ctguard, which runs the
// controls' own Guard rules on phasec's templates, honours a suppression of
// the rule for exactly these.
func (r Rule) ControlTower() []string {
	var out []string
	for _, c := range r.Controls {
		if strings.HasPrefix(c, controlTowerPrefix) {
			out = append(out, c)
		}
	}
	return out
}

// Lookup finds a rule by ID.
func Lookup(id string) (Rule, bool) {
	r, ok := byID[id]
	if !ok {
		return Rule{}, false
	}
	out := *r
	out.check = nil
	return out, true
}

// byID indexes the catalogue.
var byID = func() map[string]*Rule {
	m := map[string]*Rule{}
	for _, r := range catalogue {
		if _, dup := m[r.ID]; dup {
			panic("rules: duplicate rule ID " + r.ID)
		}
		m[r.ID] = r
	}
	return m
}()

// catalogue is every rule in ID order; the order is the report's order.
var catalogue = func() []*Rule {
	all := concat(
		asgRules, cfgRules, cisRules, cloudwatchRules, ec2Rules, elbRules, eventsRules,
		guarddutyRules, iamRules, kmsRules, logsRules, policyRules, s3Rules, snsRules,
		trailRules, wafRules,
	)
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}()

func concat(groups ...[]*Rule) []*Rule {
	var out []*Rule
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// eachResource builds a check that runs f on every resource of one type;
// f returns what is wrong, or "" when the resource complies.
func eachResource(typ string, f func(t *Template, r *Resource) string) func(*Template) []violation {
	return func(t *Template) []violation {
		var out []violation
		for _, r := range t.ofType(typ) {
			if msg := f(t, r); msg != "" {
				out = append(out, violation{resource: r, message: msg})
			}
		}
		return out
	}
}
