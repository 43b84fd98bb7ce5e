package templatecheck

import (
	"fmt"
	"strings"
)

// Cross-field rules for Elastic Load Balancing v2 load balancers, target groups, listeners
// and listener rules.

// targetGroupHealthCheck keeps the health check timeout below the interval.
func targetGroupHealthCheck(x *ruleContext) {
	t, okT := x.num(x.props, "HealthCheckTimeoutSeconds")
	i, okI := x.num(x.props, "HealthCheckIntervalSeconds")
	if okT && okI && t >= i {
		x.emit("HealthCheckTimeoutSeconds", "HealthCheckTimeoutSeconds %s must be smaller than HealthCheckIntervalSeconds %s", formatNum(t), formatNum(i))
	}
}

// listenerCertificates requires the one default certificate of HTTPS and TLS listeners.
func listenerCertificates(x *ruleContext) {
	proto, ok := x.props["Protocol"].(string)
	if !ok || (proto != "HTTPS" && proto != "TLS") {
		return
	}
	certs, ok := x.props["Certificates"]
	if !ok {
		x.emit("", "a %s listener needs Certificates with its default certificate", proto)
		return
	}
	if list, ok := certs.([]any); ok && len(list) != 1 {
		x.emit("Certificates", "a %s listener takes exactly one default certificate here, got %d (add more with AWS::ElasticLoadBalancingV2::ListenerCertificate)", proto, len(list))
	}
}

// actionConfigs maps an action type to the property that configures it.
var actionConfigs = map[string][]string{
	"forward":              {"TargetGroupArn", "ForwardConfig"},
	"redirect":             {"RedirectConfig"},
	"fixed-response":       {"FixedResponseConfig"},
	"authenticate-oidc":    {"AuthenticateOidcConfig"},
	"authenticate-cognito": {"AuthenticateCognitoConfig"},
	"jwt-validation":       {"JwtValidationConfig"},
}

var elbActionTypes = []string{"authenticate-cognito", "authenticate-oidc", "fixed-response", "forward", "jwt-validation", "redirect"}

// elbActions checks each listener (rule) action has the configuration its type needs.
func elbActions(x *ruleContext, key string) {
	actions, ok := x.props[key].([]any)
	if !ok {
		return
	}
	for i, a := range actions {
		m, ok := a.(map[string]any)
		if !ok {
			continue
		}
		rel := fmt.Sprintf("%s[%d]", key, i)
		t, ok := m["Type"].(string)
		if !ok {
			continue
		}
		if !contains(elbActionTypes, t) {
			x.emit(rel+".Type", "%q is not one of %s", t, strings.Join(elbActionTypes, ", "))
			continue
		}
		found := false
		for _, k := range actionConfigs[t] {
			if _, ok := m[k]; ok {
				found = true
			}
		}
		if !found {
			x.emit(rel, "a %s action needs %s", t, strings.Join(actionConfigs[t], " or "))
		}
		if o, ok := x.num(m, "Order"); ok && (o < 1 || o > 50000) {
			x.emit(rel+".Order", "Order %s must be from 1 to 50000", formatNum(o))
		}
		if rc, ok := m["RedirectConfig"].(map[string]any); ok {
			redirectConfig(x, rc, rel+".RedirectConfig")
		}
		if fc, ok := m["FixedResponseConfig"].(map[string]any); ok {
			fixedResponseConfig(x, fc, rel+".FixedResponseConfig")
		}
	}
}

// redirectConfig checks a redirect action.
func redirectConfig(x *ruleContext, rc map[string]any, rel string) {
	switch sc := rc["StatusCode"].(type) {
	case nil:
		x.emit(rel, "RedirectConfig needs StatusCode HTTP_301 or HTTP_302")
	case string:
		if sc != "HTTP_301" && sc != "HTTP_302" {
			x.emit(rel+".StatusCode", "%q is not HTTP_301 or HTTP_302", sc)
		}
	}
	if p, ok := rc["Protocol"].(string); ok && p != "HTTP" && p != "HTTPS" && p != "#{protocol}" {
		x.emit(rel+".Protocol", "%q is not HTTP, HTTPS or #{protocol}", p)
	}
	if v, ok := rc["Port"]; ok {
		if s, _ := v.(string); s != "#{port}" {
			if f, ok := numberOf(v); ok && (f < 1 || f > 65535) {
				x.emit(rel+".Port", "port %s must be from 1 to 65535 or #{port}", scalarText(v))
			}
		}
	}
}

var fixedResponseContentTypes = []string{"application/javascript", "application/json", "text/css", "text/html", "text/plain"}

// fixedResponseConfig checks a fixed-response action.
func fixedResponseConfig(x *ruleContext, fc map[string]any, rel string) {
	if sc, ok := fc["StatusCode"]; ok {
		s := scalarText(sc)
		if len(s) != 3 || !strings.ContainsRune("245", rune(s[0])) || strings.Trim(s, "0123456789") != "" {
			x.emit(rel+".StatusCode", "%q must be a 2XX, 4XX or 5XX status code", s)
		}
	} else {
		x.emit(rel, "FixedResponseConfig needs StatusCode")
	}
	if ct, ok := fc["ContentType"].(string); ok && !contains(fixedResponseContentTypes, ct) {
		x.emit(rel+".ContentType", "%q is not one of %s", ct, strings.Join(fixedResponseContentTypes, ", "))
	}
	if body, ok := fc["MessageBody"].(string); ok && len(body) > 1024 {
		x.emit(rel+".MessageBody", "MessageBody is %d characters; the maximum is 1024", len(body))
	}
}

// albSubnets requires two subnets for an Application Load Balancer when they are literal.
func albSubnets(x *ruleContext) {
	if t, ok := x.props["Type"].(string); ok && t != "application" {
		return
	}
	for _, k := range []string{"Subnets", "SubnetMappings"} {
		if list, ok := x.props[k].([]any); ok && len(list) < 2 {
			x.emit(k, "an Application Load Balancer needs at least two subnets, got %d", len(list))
		}
	}
}
