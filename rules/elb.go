package rules

import (
	"fmt"
	"regexp"
	"strings"
)

const (
	typeLoadBalancer   = "AWS::ElasticLoadBalancingV2::LoadBalancer"
	typeListener       = "AWS::ElasticLoadBalancingV2::Listener"
	typeListenerCert   = "AWS::ElasticLoadBalancingV2::ListenerCertificate"
	typeTargetGroup    = "AWS::ElasticLoadBalancingV2::TargetGroup"
	typeWebACLAssoc    = "AWS::WAFv2::WebACLAssociation"
	typeACMCertificate = "AWS::CertificateManager::Certificate"
)

// acmArn is the shape of an AWS Certificate Manager certificate ARN.
var acmArn = regexp.MustCompile(`^arn:aws[a-z0-9-]*:acm:[a-z0-9-]+:\d{12}:certificate/[\w-]{1,64}$`)

var elbRules = []*Rule{
	{
		ID: "PHS-ELB-001", Severity: Error,
		Title:     "HTTP listeners only redirect to HTTPS",
		Rationale: "Plain HTTP must never carry a request to the application, only send the client to HTTPS.",
		Controls:  []string{"CT.ELASTICLOADBALANCING.PR.1"},
		Types:     []string{typeListener},
		check: eachResource(typeListener, func(t *Template, r *Resource) string {
			if p, _ := t.str(r.Props["Protocol"]); p != "HTTP" {
				return ""
			}
			actions := t.list(r.Props["DefaultActions"])
			if len(actions) == 0 {
				return "is an HTTP listener without default actions"
			}
			for i, a := range actions {
				typ, _ := t.str(get(a, "Type"))
				proto, _ := t.str(get(a, "RedirectConfig", "Protocol"))
				if typ != "redirect" || proto != "HTTPS" {
					return fmt.Sprintf("is an HTTP listener whose DefaultActions[%d] does not redirect to HTTPS", i)
				}
			}
			return ""
		}),
	},
	{
		ID: "PHS-ELB-002", Severity: Error,
		Title:     "HTTPS and TLS listeners present ACM certificates",
		Rationale: "Certificates from AWS Certificate Manager renew themselves and never leave AWS as key files.",
		Controls:  []string{"CT.ELASTICLOADBALANCING.PR.2"},
		Types:     []string{typeListener, typeListenerCert},
		check: func(t *Template) []violation {
			var out []violation
			for _, r := range t.ofType(typeListener, typeListenerCert) {
				if r.Type == typeListener {
					if p, _ := t.str(r.Props["Protocol"]); p != "HTTPS" && p != "TLS" {
						continue
					}
				}
				certs := t.list(r.Props["Certificates"])
				if len(certs) == 0 {
					out = append(out, violation{resource: r, message: "has no Certificates"})
					continue
				}
				for i, c := range certs {
					arn := get(c, "CertificateArn")
					if s, ok := t.str(arn); ok && acmArn.MatchString(s) || t.refersTo(arn, typeACMCertificate) {
						continue
					}
					out = append(out, violation{resource: r, message: fmt.Sprintf("Certificates[%d].CertificateArn is not an ACM certificate", i)})
				}
			}
			return out
		},
	},
	{
		ID: "PHS-ELB-003", Severity: Error,
		Title:     "HTTPS and TLS listeners accept TLS 1.2 or later only",
		Rationale: "TLS 1.0 and 1.1 have known weaknesses; without a policy, listeners default to one that still accepts them.",
		Types:     []string{typeListener},
		check: eachResource(typeListener, func(t *Template, r *Resource) string {
			if p, _ := t.str(r.Props["Protocol"]); p != "HTTPS" && p != "TLS" {
				return ""
			}
			policy, ok := t.str(r.Props["SslPolicy"])
			if !ok {
				return "has no SslPolicy, so the default (which accepts TLS 1.0) applies"
			}
			for _, prefix := range []string{"ELBSecurityPolicy-TLS13-", "ELBSecurityPolicy-TLS-1-2-", "ELBSecurityPolicy-FS-1-2-"} {
				if strings.HasPrefix(policy, prefix) {
					return ""
				}
			}
			return "SslPolicy " + policy + " accepts protocols older than TLS 1.2"
		}),
	},
	{
		ID: "PHS-ELB-004", Severity: Warning,
		Title:     "Application load balancers mitigate HTTP desync",
		Rationale: "Defensive or strictest mode stops request smuggling through ambiguous requests.",
		Controls:  []string{"CT.ELASTICLOADBALANCING.PR.3"},
		Types:     []string{typeLoadBalancer},
		check: eachALB(func(t *Template, r *Resource, attrs map[string]any) string {
			v, ok := attrs["routing.http.desync_mitigation_mode"]
			if !ok {
				return "" // the default is defensive
			}
			if s, _ := t.str(v); s != "defensive" && s != "strictest" {
				return "routing.http.desync_mitigation_mode is " + flatten(v)
			}
			return ""
		}),
	},
	{
		ID: "PHS-ELB-005", Severity: Error,
		Title:     "Application load balancers drop invalid header fields",
		Rationale: "Headers that are not valid HTTP are a request-smuggling vector to the application behind.",
		Controls:  []string{"CT.ELASTICLOADBALANCING.PR.4"},
		Types:     []string{typeLoadBalancer},
		check: eachALB(func(t *Template, r *Resource, attrs map[string]any) string {
			if !t.isTrue(attrs["routing.http.drop_invalid_header_fields.enabled"]) {
				return "routing.http.drop_invalid_header_fields.enabled is not true"
			}
			return ""
		}),
	},
	{
		ID: "PHS-ELB-006", Severity: Warning,
		Title:     "Load balancers have deletion protection",
		Rationale: "Deleting the load balancer takes the service off the internet; protection makes it a deliberate act.",
		Controls:  []string{"CT.ELASTICLOADBALANCING.PR.5"},
		Types:     []string{typeLoadBalancer},
		check: eachResource(typeLoadBalancer, func(t *Template, r *Resource) string {
			if !t.isTrue(lbAttributes(t, r)["deletion_protection.enabled"]) {
				return "deletion_protection.enabled is not true"
			}
			return ""
		}),
	},
	{
		ID: "PHS-ELB-007", Severity: Error,
		Title:     "Load balancers write access logs",
		Rationale: "Access logs record every request with client, latency and response: the first thing an incident needs.",
		Controls:  []string{"AwsSolutions-ELB2", "CT.ELASTICLOADBALANCING.PR.6"},
		Types:     []string{typeLoadBalancer},
		check: eachResource(typeLoadBalancer, func(t *Template, r *Resource) string {
			if typ, ok := t.str(r.Props["Type"]); ok && typ == "gateway" {
				return ""
			}
			attrs := lbAttributes(t, r)
			if !t.isTrue(attrs["access_logs.s3.enabled"]) {
				return "access_logs.s3.enabled is not true"
			}
			bucket := attrs["access_logs.s3.bucket"]
			if s, ok := t.str(bucket); ok && strings.TrimSpace(s) != "" || t.refersTo(bucket, typeBucket) {
				return ""
			}
			return "access_logs.s3.bucket names no bucket"
		}),
	},
	{
		ID: "PHS-ELB-008", Severity: Error,
		Title:     "Internet-facing application load balancers sit behind AWS WAF",
		Rationale: "A web ACL filters known exploits, bad bots and floods before they reach the application.",
		Types:     []string{typeLoadBalancer, typeWebACLAssoc},
		check: eachALB(func(t *Template, r *Resource, _ map[string]any) string {
			if s, ok := t.str(r.Props["Scheme"]); ok && s == "internal" {
				return ""
			}
			for _, a := range t.ofType(typeWebACLAssoc) {
				if mentions(a.Props["ResourceArn"], r.ID) {
					return ""
				}
			}
			return "is internet-facing and no AWS::WAFv2::WebACLAssociation protects it"
		}),
	},
	{
		ID: "PHS-ELB-009", Severity: Warning,
		Title:     "Target groups do not turn off cross-zone load balancing",
		Rationale: "Without it, a zone that lost instances sends its share of traffic to the few left there.",
		Controls:  []string{"CT.ELASTICLOADBALANCING.PR.15"},
		Types:     []string{typeTargetGroup},
		check: eachResource(typeTargetGroup, func(t *Template, r *Resource) string {
			for _, a := range t.list(r.Props["TargetGroupAttributes"]) {
				if k, _ := t.str(get(a, "Key")); k == "load_balancing.cross_zone.enabled" {
					v, _ := t.str(get(a, "Value"))
					if v != "true" && v != "use_load_balancer_configuration" && !t.isTrue(get(a, "Value")) {
						return "load_balancing.cross_zone.enabled is " + flatten(get(a, "Value"))
					}
				}
			}
			return ""
		}),
	},
	{
		ID: "PHS-ELB-010", Severity: Warning,
		Title:     "Network load balancers balance across zones",
		Rationale: "Without cross-zone load balancing, each zone's node serves only its own zone's targets, so losing targets in one zone overloads the rest there.",
		Controls:  []string{"CT.ELASTICLOADBALANCING.PR.14"},
		Types:     []string{typeLoadBalancer},
		check: eachResource(typeLoadBalancer, func(t *Template, r *Resource) string {
			if typ, _ := t.str(r.Props["Type"]); typ != "network" {
				return ""
			}
			if !t.isTrue(lbAttributes(t, r)["load_balancing.cross_zone.enabled"]) {
				return "load_balancing.cross_zone.enabled is not true"
			}
			return ""
		}),
	},
}

// lbAttributes returns a load balancer's attributes by key.
func lbAttributes(t *Template, r *Resource) map[string]any {
	out := map[string]any{}
	for _, a := range t.list(r.Props["LoadBalancerAttributes"]) {
		if k, ok := t.str(get(a, "Key")); ok {
			out[k] = get(a, "Value")
		}
	}
	return out
}

// eachALB builds a check over application load balancers (the type when
// Type is absent).
func eachALB(f func(t *Template, r *Resource, attrs map[string]any) string) func(*Template) []violation {
	return eachResource(typeLoadBalancer, func(t *Template, r *Resource) string {
		if typ, ok := t.str(r.Props["Type"]); ok && typ != "application" {
			return ""
		}
		return f(t, r, lbAttributes(t, r))
	})
}
