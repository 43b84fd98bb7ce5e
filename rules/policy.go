package rules

import (
	"slices"
	"strings"
)

const (
	typeQueuePolicy = "AWS::SQS::QueuePolicy"
)

var policyRules = []*Rule{
	{
		ID: "PHS-POL-001", Severity: Error,
		Title:     "Resource policies do not allow everyone without a condition",
		Rationale: "Principal * without a condition opens the bucket, topic, queue or key to every AWS account.",
		Types:     []string{typeBucketPolicy, typeTopicPolicy, typeQueuePolicy, typeKMSKey},
		check: func(t *Template) []violation {
			var out []violation
			for _, r := range t.ofType(typeBucketPolicy, typeTopicPolicy, typeQueuePolicy, typeKMSKey) {
				doc := r.Props["PolicyDocument"]
				if r.Type == typeKMSKey {
					doc = r.Props["KeyPolicy"]
				}
				for _, st := range statements(doc) {
					if st["Effect"] == "Allow" && isEveryone(st["Principal"]) && st["Condition"] == nil {
						out = append(out, violation{resource: r, message: "allows Principal * without a Condition"})
						break
					}
				}
			}
			return out
		},
	},
}

// statements returns a policy document's statements as maps.
func statements(doc any) []map[string]any {
	var out []map[string]any
	switch st := get(doc, "Statement").(type) {
	case []any:
		for _, s := range st {
			if m, ok := s.(map[string]any); ok {
				out = append(out, m)
			}
		}
	case map[string]any:
		out = append(out, st)
	}
	return out
}

// isEveryone reports whether a policy principal is "*" or {"AWS": "*"}.
func isEveryone(p any) bool {
	if p == "*" {
		return true
	}
	aws := get(p, "AWS")
	if aws == "*" {
		return true
	}
	if l, ok := aws.([]any); ok && slices.Contains(l, any("*")) {
		return true
	}
	return false
}

// isTLSDeny reports whether a policy statement denies every principal
// everything (or service:*) on resources that covers accepts, whenever the
// request is not made over TLS.
func isTLSDeny(t *Template, st map[string]any, covers func([]any) bool, serviceWildcard string) bool {
	if st["Effect"] != "Deny" || !isEveryone(st["Principal"]) {
		return false
	}
	actions := t.strs(st["Action"])
	if len(actions) == 0 {
		return false
	}
	for _, a := range actions {
		if a != "*" && !strings.EqualFold(a, serviceWildcard) {
			return false
		}
	}
	cond, ok := st["Condition"].(map[string]any)
	if !ok || len(cond) != 1 {
		return false
	}
	b, ok := cond["Bool"].(map[string]any)
	if !ok || len(b) != 1 || !t.isFalse(b["aws:SecureTransport"]) {
		return false
	}
	return covers(t.list(st["Resource"]))
}
