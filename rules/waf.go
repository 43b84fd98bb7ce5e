package rules

import "strings"

const (
	typeWebACL        = "AWS::WAFv2::WebACL"
	typeWAFRuleGroup  = "AWS::WAFv2::RuleGroup"
	typeWAFLoggingCfg = "AWS::WAFv2::LoggingConfiguration"
)

// baselineRuleGroups are the AWS managed rule groups every regional web
// ACL should run: the OWASP-style core set and known exploit inputs.
var baselineRuleGroups = []string{"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"}

var wafRules = []*Rule{
	{
		ID: "PHS-WAF-001", Severity: Error,
		Title:     "Web ACLs contain rules",
		Rationale: "A web ACL without rules only applies its default action: it filters nothing.",
		Controls:  []string{"CT.WAFV2.PR.1"},
		Types:     []string{typeWebACL},
		check: eachResource(typeWebACL, func(t *Template, r *Resource) string {
			if len(t.list(r.Props["Rules"])) == 0 {
				return "has no Rules"
			}
			return ""
		}),
	},
	{
		ID: "PHS-WAF-002", Severity: Warning,
		Title:     "Web ACLs log the requests they inspect",
		Rationale: "Without logs, a blocked attack or a wrongly blocked customer leaves no trace to investigate.",
		Types:     []string{typeWebACL, typeWAFLoggingCfg},
		check: eachResource(typeWebACL, func(t *Template, r *Resource) string {
			for _, lc := range t.ofType(typeWAFLoggingCfg) {
				if mentions(lc.Props["ResourceArn"], r.ID) {
					return ""
				}
			}
			return "has no AWS::WAFv2::LoggingConfiguration"
		}),
	},
	{
		ID: "PHS-WAF-003", Severity: Warning,
		Title:     "Regional web ACLs block floods and the AWS managed baseline threats",
		Rationale: "A rate-based rule and the core and known-bad-inputs rule groups stop the attacks every public endpoint sees.",
		Types:     []string{typeWebACL},
		check: eachResource(typeWebACL, func(t *Template, r *Resource) string {
			if s, _ := t.str(r.Props["Scope"]); s != "REGIONAL" {
				return ""
			}
			groups := map[string]bool{}
			rate := false
			for _, rule := range t.list(r.Props["Rules"]) {
				if get(rule, "Statement", "RateBasedStatement") != nil && get(rule, "Action", "Block") != nil {
					rate = true
				}
				mg := get(rule, "Statement", "ManagedRuleGroupStatement")
				if mg == nil || get(rule, "OverrideAction", "Count") != nil {
					continue
				}
				if vendor, _ := t.str(get(mg, "VendorName")); vendor == "AWS" {
					name, _ := t.str(get(mg, "Name"))
					groups[name] = true
				}
			}
			var missing []string
			if !rate {
				missing = append(missing, "a blocking rate-based rule")
			}
			for _, g := range baselineRuleGroups {
				if !groups[g] {
					missing = append(missing, g)
				}
			}
			if len(missing) > 0 {
				return "lacks " + strings.Join(missing, ", ")
			}
			return ""
		}),
	},
	{
		ID: "PHS-WAF-004", Severity: Error,
		Title:     "WAF rule groups contain rules",
		Rationale: "An empty rule group looks like protection in a web ACL and inspects nothing.",
		Controls:  []string{"CT.WAFV2.PR.2"},
		Types:     []string{typeWAFRuleGroup},
		check: eachResource(typeWAFRuleGroup, func(t *Template, r *Resource) string {
			if len(t.list(r.Props["Rules"])) == 0 {
				return "has no Rules"
			}
			return ""
		}),
	},
}
