package compiler

import "strings"

// hintFor suggests a fix for the schema violations whose fix is obvious.
func hintFor(e *Error) string {
	last := e.Path
	if i := strings.LastIndex(last, "."); i >= 0 {
		last = last[i+1:]
	}
	if h := scalingHint(e, last); h != "" {
		return h
	}
	if h := monitoringHint(e, last); h != "" {
		return h
	}
	switch {
	case strings.Contains(e.Path, ".suppress.") && last == "reason":
		return "every suppression needs a reason, at least 20 characters saying why the rule does not apply here"
	case strings.Contains(e.Path, ".suppress.") && strings.HasPrefix(e.Msg, "field not allowed"):
		return "no vet rule has this ID; README.md lists the rule catalogue"
	case last == "rateLimit":
		return "the WAF rate limit counts requests per client IP address in 5 minutes: 10 to 2000000000"
	case len(e.Also) > 0 && strings.HasPrefix(e.Msg, "conflicting values"):
		return "these places set different values for one field; keep one"
	case e.Msg == "missing required field":
		return "add " + last + "; README.md describes every field"
	case strings.Contains(e.Msg, "mismatched types string and int"):
		return "write numbers without quotes"
	case strings.Contains(e.Msg, "mismatched types"):
		return "the value has the wrong type; README.md lists each field's type"
	case strings.HasPrefix(e.Msg, "field not allowed"):
		return "check the spelling; README.md lists every field a spec may have"
	case last == "tier":
		return `tier must be one of "production", "staging", "dev"`
	case last == "stack":
		return "the stack name is <service>-<environment> and must fit in 26 characters: shorten the service or environment name"
	case (last == "minSize" || last == "maxSize") && strings.Contains(e.Msg, "out of bound"):
		return "minSize must not exceed maxSize, and both are at most 1000"
	case last == "region":
		return `a region looks like "us-east-1"`
	case last == "name" && strings.Contains(e.Msg, "MaxRunes"):
		return "service and environment names are at most 20 characters"
	case last == "environments":
		return `add at least one environment, e.g. environments: production: tier: "production"`
	case last == "vpcId":
		return `a VPC ID looks like "vpc-0a1b2c3d4e5f60718"`
	case strings.Contains(e.Path, "privateSubnetIds") && strings.Contains(e.Msg, "MinItems"):
		return "each Availability Zone in network.availabilityZones needs a private subnet"
	case strings.Contains(e.Path, "availabilityZones"):
		return `a zone looks like "eu-west-1a": the region's name and a letter`
	case strings.Contains(e.Path, "SubnetIds"):
		return `a subnet ID looks like "subnet-0a1b2c3d4e5f60001"; the load balancer needs at least two public subnets`
	case strings.Contains(e.Path, ".email"):
		return `an e-mail address looks like "oncall@example.com"`
	case strings.Contains(e.Path, ".https"):
		return "webhook endpoints must be https:// URLs"
	case strings.HasSuffix(last, "Target") && strings.Contains(e.Msg, "out of bound"):
		return "targets are percentages between 10 and 95"
	case last == "port":
		return "ports are 1-65535"
	case last == "path" && strings.Contains(e.Path, "healthCheck"):
		return `a health-check path starts with "/", e.g. "/health"`
	case last == "timeoutSeconds":
		return "the health-check timeout must be shorter than its interval"
	case strings.Contains(e.Path, "ingressCidrs"):
		return `a CIDR block looks like "203.0.113.0/24"`
	}
	return ""
}
