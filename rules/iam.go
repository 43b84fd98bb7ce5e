package rules

import (
	"regexp"
	"slices"
	"strings"
)

const (
	typeRole          = "AWS::IAM::Role"
	typeUser          = "AWS::IAM::User"
	typeGroup         = "AWS::IAM::Group"
	typePolicy        = "AWS::IAM::Policy"
	typeManagedPolicy = "AWS::IAM::ManagedPolicy"
)

// serviceWildcard matches "*" and "service:*", the actions CT.IAM.PR.3 and
// CT.IAM.PR.5 forbid in Allow statements.
var serviceWildcard = regexp.MustCompile(`^[\w-]*:?\*$`)

var iamRules = []*Rule{
	{
		ID: "PHS-IAM-001", Severity: Error,
		Title:     "Roles, users and groups use no AWS managed policies",
		Rationale: "AWS managed policies grant what AWS thought anyone might need, and change without review.",
		Controls:  []string{"AwsSolutions-IAM4"},
		Types:     []string{typeRole, typeUser, typeGroup},
		check: func(t *Template) []violation {
			var out []violation
			for _, r := range t.ofType(typeRole, typeUser, typeGroup) {
				for _, p := range t.list(r.Props["ManagedPolicyArns"]) {
					arn := flatten(t.resolve(p))
					if strings.Contains(arn, ":iam::aws:") {
						out = append(out, violation{resource: r, detail: "Policy::" + arn, message: "attaches the AWS managed policy " + arn})
					}
				}
			}
			return out
		},
	},
	{
		ID: "PHS-IAM-002", Severity: Error,
		Title:     "IAM policies grant no wildcard actions or resources without a reviewed reason",
		Rationale: "A wildcard grants whatever exists now and later; each one needs evidence that nothing narrower works.",
		Controls:  []string{"AwsSolutions-IAM5"},
		Types:     []string{typeRole, typeUser, typeGroup, typePolicy, typeManagedPolicy},
		check: eachAllowStatement(func(t *Template, st map[string]any) []violation {
			var out []violation
			seen := map[string]bool{}
			add := func(detail, msg string) {
				if !seen[detail] {
					seen[detail] = true
					out = append(out, violation{detail: detail, message: msg})
				}
			}
			for _, a := range t.list(st["Action"]) {
				if s := flatten(t.resolve(a)); strings.Contains(s, "*") {
					add("Action::"+s, "allows the wildcard action "+s)
				}
			}
			for _, res := range t.list(st["Resource"]) {
				if s := flatten(t.resolve(res)); strings.Contains(s, "*") {
					add("Resource::"+s, "allows actions on the wildcard resource "+s)
				}
			}
			return out
		}),
	},
	{
		ID: "PHS-IAM-003", Severity: Error,
		Title:     "No IAM policy grants full administrator access",
		Rationale: "Action * on Resource * is every permission in the account; nothing phasec deploys needs it.",
		Controls:  []string{"CT.IAM.PR.1", "CT.IAM.PR.2", "CIS 1.4 1.16"},
		Types:     []string{typeRole, typeUser, typeGroup, typePolicy, typeManagedPolicy},
		check: eachAllowStatement(func(t *Template, st map[string]any) []violation {
			if slices.Contains(t.strs(st["Action"]), "*") && slices.Contains(t.strs(st["Resource"]), "*") {
				return []violation{{message: "allows Action * on Resource *"}}
			}
			return nil
		}),
	},
	{
		ID: "PHS-IAM-004", Severity: Error,
		Title:     "IAM policies allow no service-wide actions and no NotAction",
		Rationale: "service:* and Allow with NotAction grant every action a service has or will have.",
		Controls:  []string{"CT.IAM.PR.3", "CT.IAM.PR.5"},
		Types:     []string{typeRole, typeUser, typeGroup, typePolicy, typeManagedPolicy},
		check: eachAllowStatement(func(t *Template, st map[string]any) []violation {
			var out []violation
			if st["NotAction"] != nil {
				out = append(out, violation{message: "allows with NotAction"})
			}
			for _, a := range t.strs(st["Action"]) {
				if serviceWildcard.MatchString(a) {
					out = append(out, violation{detail: "Action::" + a, message: "allows every action of a service: " + a})
				}
			}
			return out
		}),
	},
	{
		ID: "PHS-IAM-005", Severity: Error,
		Title:     "IAM users get permissions only through groups",
		Rationale: "Permissions attached to people one by one drift apart and outlive their owners' roles.",
		Controls:  []string{"CT.IAM.PR.4", "CIS 1.4 1.15"},
		Types:     []string{typeUser, typePolicy, typeManagedPolicy},
		check: func(t *Template) []violation {
			var out []violation
			for _, r := range t.ofType(typeUser) {
				if len(t.list(r.Props["Policies"])) > 0 || len(t.list(r.Props["ManagedPolicyArns"])) > 0 {
					out = append(out, violation{resource: r, message: "has policies attached directly"})
				}
			}
			for _, r := range t.ofType(typePolicy, typeManagedPolicy) {
				if len(t.list(r.Props["Users"])) > 0 {
					out = append(out, violation{resource: r, message: "is attached to users directly"})
				}
			}
			return out
		},
	},
}

// eachAllowStatement builds a check over every Allow statement of every
// identity policy: inline policies of roles, users and groups, and policy
// resources. f's violations get the resource filled in.
func eachAllowStatement(f func(t *Template, st map[string]any) []violation) func(*Template) []violation {
	return func(t *Template) []violation {
		var out []violation
		for _, r := range t.ofType(typeRole, typeUser, typeGroup, typePolicy, typeManagedPolicy) {
			var docs []any
			if r.Type == typePolicy || r.Type == typeManagedPolicy {
				docs = append(docs, r.Props["PolicyDocument"])
			} else {
				for _, p := range t.list(r.Props["Policies"]) {
					docs = append(docs, get(p, "PolicyDocument"))
				}
			}
			for _, doc := range docs {
				for _, st := range statements(doc) {
					if st["Effect"] != "Allow" {
						continue
					}
					for _, v := range f(t, st) {
						v.resource = r
						out = append(out, v)
					}
				}
			}
		}
		return dedupe(out)
	}
}

// dedupe drops repeated (resource, detail, message) violations, which
// several statements of one policy can produce.
func dedupe(in []violation) []violation {
	seen := map[string]bool{}
	var out []violation
	for _, v := range in {
		key := v.resource.ID + "\x00" + v.detail + "\x00" + v.message
		if !seen[key] {
			seen[key] = true
			out = append(out, v)
		}
	}
	return out
}
