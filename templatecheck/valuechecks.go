package templatecheck

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"strings"

	"github.com/phasec/phasec/internal/jsontree"
)

// The custom checks of valueRules, for constraints that a range, a pattern or an enum cannot
// express. Each returns "" when the value is fine, else what is wrong; the caller appends the
// rule's source.

// elbName checks ELBv2 load balancer and target group names.
func elbName(loadBalancer bool) func(any) string {
	return func(v any) string {
		s, ok := literalString(v)
		if !ok {
			return ""
		}
		switch {
		case !elbNamePattern.MatchString(s):
			return fmt.Sprintf("%q may only contain letters, digits and hyphens", s)
		case strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-"):
			return fmt.Sprintf("%q must not begin or end with a hyphen", s)
		case loadBalancer && strings.HasPrefix(s, "internal-"):
			return fmt.Sprintf("%q must not begin with \"internal-\"", s)
		}
		return ""
	}
}

// healthCheckPort accepts "traffic-port" or a port number.
func healthCheckPort(v any) string {
	if s, ok := literalString(v); ok && s == "traffic-port" {
		return ""
	}
	f, ok := numberOf(v)
	if !ok || f < 1 || f > 65535 || f != float64(int(f)) {
		return fmt.Sprintf("%s must be \"traffic-port\" or a port from 1 to 65535", scalarText(v))
	}
	return ""
}

// maxInstanceLifetime accepts 0 (no limit) or at least one day.
func maxInstanceLifetime(v any) string {
	f, ok := numberOf(v)
	if !ok {
		return fmt.Sprintf("%s is not a number", scalarText(v))
	}
	if f != 0 && f < 86400 {
		return fmt.Sprintf("%s must be 0 or at least 86400 seconds", scalarText(v))
	}
	return ""
}

// positive requires a number greater than zero.
func positive(v any) string {
	f, ok := numberOf(v)
	if !ok {
		return fmt.Sprintf("%s is not a number", scalarText(v))
	}
	if f <= 0 {
		return fmt.Sprintf("%s must be greater than 0", scalarText(v))
	}
	return ""
}

// alarmPeriod accepts the alarm periods CloudWatch supports: 10, 30, or a multiple of 60.
func alarmPeriod(v any) string {
	f, ok := numberOf(v)
	if !ok {
		return fmt.Sprintf("%s is not a number", scalarText(v))
	}
	n := int(f)
	if float64(n) != f || n <= 0 || (n != 10 && n != 30 && n%60 != 0) {
		return fmt.Sprintf("period %s must be 10, 30, 60 or a multiple of 60 seconds", scalarText(v))
	}
	return ""
}

// extendedStatistic checks percentile-style statistics.
func extendedStatistic(v any) string {
	s, ok := literalString(v)
	if !ok {
		return ""
	}
	if !extendedStatisticPattern.MatchString(s) {
		return fmt.Sprintf("%q is not a percentile statistic such as p99 or p99.9", s)
	}
	return ""
}

// dashboardBody checks that a literal DashboardBody is a JSON object; an Fn::Sub body is
// checked by the Dashboard cross rule.
func dashboardBody(v any) string {
	body, ok := literalString(v)
	if !ok {
		return ""
	}
	return jsonObjectProblem(body)
}

// jsonObjectProblem describes why text is not a JSON object, or returns "". What it accepts is
// what json.Unmarshal accepts into a map (an object, or null); jsontree, which accepts the same
// documents, checks that without building the map, and json.Unmarshal only words the problem.
func jsonObjectProblem(text string) string {
	var p jsontree.Parser
	if n, err := p.Parse(text); err == nil && (n.Kind == jsontree.Object || n.Kind == jsontree.Null) {
		return ""
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(text), &obj); err != nil {
		return fmt.Sprintf("DashboardBody is not a JSON object: %v", err)
	}
	return ""
}

// kmsAliasName rejects the prefix reserved for AWS managed keys.
func kmsAliasName(v any) string {
	if s, ok := literalString(v); ok && strings.HasPrefix(s, "alias/aws/") {
		return fmt.Sprintf("%q: the alias/aws/ prefix is reserved for AWS managed keys", s)
	}
	return ""
}

// s3BucketName applies the general purpose bucket naming rules: lowercase letters, digits, dots
// and hyphens; begins and ends with a letter or digit; no adjacent dots; not an IP address;
// none of the reserved prefixes and suffixes.
func s3BucketName(v any) string {
	s, ok := literalString(v)
	if !ok {
		return ""
	}
	if !s3BucketPattern.MatchString(s) {
		return fmt.Sprintf("%q must be lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit", s)
	}
	if strings.Contains(s, "..") {
		return fmt.Sprintf("%q must not contain two adjacent periods", s)
	}
	if net.ParseIP(s) != nil {
		return fmt.Sprintf("%q must not be formatted as an IP address", s)
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(s, p) {
			return fmt.Sprintf("%q must not begin with the reserved prefix %q", s, p)
		}
	}
	for _, suf := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(s, suf) {
			return fmt.Sprintf("%q must not end with the reserved suffix %q", s, suf)
		}
	}
	return ""
}

// ssmParameterName: registry pattern ^(?i)((?!aws|ssm)[\w.-]+|\/(?!aws|ssm)[\w.-]+(\/[\w.-]+)*)$,
// rewritten without look-ahead for RE2.
func ssmParameterName(v any) string {
	s, ok := literalString(v)
	if !ok {
		return ""
	}
	if !ssmNamePattern.MatchString(s) {
		return fmt.Sprintf("%q must be a name or a /path/of/names made of letters, digits, _ . -", s)
	}
	first := strings.ToLower(strings.TrimPrefix(s, "/"))
	if strings.HasPrefix(first, "aws") || strings.HasPrefix(first, "ssm") {
		return fmt.Sprintf("%q must not begin with aws or ssm (reserved)", s)
	}
	if !strings.HasPrefix(s, "/") && strings.Contains(s, "/") {
		return fmt.Sprintf("%q: a hierarchical name must begin with /", s)
	}
	return ""
}

// sgGroupName rejects names that look like security group IDs.
func sgGroupName(v any) string {
	if s, ok := literalString(v); ok && strings.HasPrefix(s, "sg-") {
		return fmt.Sprintf("%q must not begin with sg-", s)
	}
	return ""
}

// ipProtocol: a protocol name (tcp, udp, icmp, icmpv6), -1 for all, or a number 0-255.
func ipProtocol(v any) string {
	s := scalarText(v)
	switch strings.ToLower(s) {
	case "tcp", "udp", "icmp", "icmpv6", "-1":
		return ""
	}
	if f, ok := numberOf(v); ok && f >= 0 && f <= 255 && f == float64(int(f)) {
		return ""
	}
	return fmt.Sprintf("%q must be tcp, udp, icmp, icmpv6, -1 or a protocol number from 0 to 255", s)
}

// cidr requires CIDR notation, IPv4 or IPv6.
func cidr(v any) string {
	s, ok := literalString(v)
	if !ok {
		return ""
	}
	if _, _, err := net.ParseCIDR(s); err != nil {
		return fmt.Sprintf("%q is not in CIDR notation", s)
	}
	return ""
}

// cidrV4 requires an IPv4 CIDR block.
func cidrV4(v any) string {
	s, ok := literalString(v)
	if !ok {
		return ""
	}
	ip, _, err := net.ParseCIDR(s)
	if err != nil || ip.To4() == nil {
		return fmt.Sprintf("%q is not an IPv4 CIDR block", s)
	}
	return ""
}

// cidrV6 requires an IPv6 CIDR block.
func cidrV6(v any) string {
	s, ok := literalString(v)
	if !ok {
		return ""
	}
	ip, _, err := net.ParseCIDR(s)
	if err != nil || ip.To4() != nil {
		return fmt.Sprintf("%q is not an IPv6 CIDR block", s)
	}
	return ""
}

// userDataSize checks the 16 KB raw user-data limit: a literal UserData is already base64, an
// Fn::Base64 of a literal or Fn::Sub is measured before encoding.
func userDataSize(v any) string {
	const max = 16 * 1024
	raw := 0
	if s, ok := literalString(v); ok {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return "UserData must be base64-encoded (wrap it in Fn::Base64)"
		}
		raw = len(b)
	} else if fn, arg, ok := intrinsic(v); ok && fn == "Fn::Base64" {
		raw = knownLength(arg)
	}
	if raw > max {
		return fmt.Sprintf("user data is at least %d bytes before encoding; the maximum is %d", raw, max)
	}
	return ""
}
