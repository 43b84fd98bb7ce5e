package rules

import "strings"

const (
	typeTopic        = "AWS::SNS::Topic"
	typeTopicPolicy  = "AWS::SNS::TopicPolicy"
	typeSubscription = "AWS::SNS::Subscription"
)

var snsRules = []*Rule{
	{
		ID: "PHS-SNS-001", Severity: Error,
		Title:     "SNS topics are encrypted with a KMS key",
		Rationale: "Alerts name resources and failures; encryption at rest keeps them between publisher and subscriber.",
		Types:     []string{typeTopic},
		check: eachResource(typeTopic, func(t *Template, r *Resource) string {
			if r.Props["KmsMasterKeyId"] == nil {
				return "has no KmsMasterKeyId"
			}
			return ""
		}),
	},
	{
		ID: "PHS-SNS-002", Severity: Error,
		Title:     "SNS topics accept publishing over TLS only",
		Rationale: "A publisher over plain HTTP exposes the message and its credentials on the network.",
		Controls:  []string{"AwsSolutions-SNS3"},
		Types:     []string{typeTopic, typeTopicPolicy},
		check: eachResource(typeTopic, func(t *Template, r *Resource) string {
			if r.Props["KmsMasterKeyId"] != nil {
				return "" // server-side encryption already requires TLS
			}
			for _, p := range t.ofType(typeTopicPolicy) {
				applies := false
				for _, topic := range t.list(p.Props["Topics"]) {
					if mentions(topic, r.ID) {
						applies = true
					}
				}
				if !applies {
					continue
				}
				for _, st := range statements(p.Props["PolicyDocument"]) {
					if isTLSDeny(t, st, func([]any) bool { return true }, "sns:Publish") {
						return ""
					}
				}
			}
			return "is not encrypted and no topic policy denies sns:Publish when aws:SecureTransport is false"
		}),
	},
	{
		ID: "PHS-SNS-003", Severity: Error,
		Title:     "SNS subscriptions deliver over encrypted transport",
		Rationale: "An http:// endpoint receives every alert in clear text.",
		Types:     []string{typeSubscription},
		check: eachResource(typeSubscription, func(t *Template, r *Resource) string {
			if p, _ := t.str(r.Props["Protocol"]); strings.EqualFold(p, "http") {
				return "delivers over plain HTTP"
			}
			return ""
		}),
	},
}
