package compiler

// ServiceSecurity is what a service says about security for all of its
// environments: the vet rules it is exempt from.
type ServiceSecurity struct {
	Suppress map[string]SuppressionSpec `json:"suppress"`
}

// EnvironmentSecurity is one environment's web application firewall and
// the vet rules it alone is exempt from.
type EnvironmentSecurity struct {
	WAF      WAFSpec                    `json:"waf"`
	Suppress map[string]SuppressionSpec `json:"suppress"`
}

// WAFSpec configures the web ACL in front of the load balancer.
type WAFSpec struct {
	// RateLimit is the requests one client IP address may send in five
	// minutes before it is blocked.
	RateLimit int `json:"rateLimit"`
}

// SuppressionSpec is one exemption from a vet rule as the spec declares
// it, keyed by rule ID in its map.
type SuppressionSpec struct {
	Reason string `json:"reason"`
	// Resources limits it to these logical IDs; empty means the stack.
	Resources []string `json:"resources"`
	// AppliesTo limits it to these findings of the rule.
	AppliesTo []string `json:"appliesTo"`
}
