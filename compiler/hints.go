package compiler

import "strings"

// hintFor suggests a fix for the schema violations whose fix is obvious.
func hintFor(e *Error) string {
	last := e.Path
	if i := strings.LastIndex(last, "."); i >= 0 {
		last = last[i+1:]
	}
	switch {
	case strings.HasPrefix(e.Msg, "field not allowed"):
		return "check the spelling; README.md lists every field a spec may have"
	case last == "tier":
		return `tier must be one of "production", "staging", "dev"`
	case last == "stack":
		return "the stack name is <service>-<environment> and must fit in 26 characters: shorten the service or environment name"
	case last == "minSize" || last == "maxSize":
		return "minSize must not exceed maxSize"
	case last == "environments":
		return `add at least one environment, e.g. environments: production: tier: "production"`
	case last == "vpcId":
		return `a VPC ID looks like "vpc-0a1b2c3d4e5f60718"`
	case strings.Contains(e.Path, "SubnetIds"):
		return `a subnet ID looks like "subnet-0a1b2c3d4e5f60001"; the load balancer needs at least two public subnets`
	case strings.Contains(e.Path, ".email"):
		return `an e-mail address looks like "oncall@example.com"`
	case strings.Contains(e.Path, ".https"):
		return "webhook endpoints must be https:// URLs"
	case strings.HasSuffix(last, "Target"):
		return "targets are percentages between 10 and 95"
	}
	return ""
}
