package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

const (
	typeLaunchTemplate = "AWS::EC2::LaunchTemplate"
	typeLaunchConfig   = "AWS::AutoScaling::LaunchConfiguration"
	typeInstance       = "AWS::EC2::Instance"
	typeVolume         = "AWS::EC2::Volume"
	typeSecurityGroup  = "AWS::EC2::SecurityGroup"
	typeSGIngress      = "AWS::EC2::SecurityGroupIngress"
)

var ec2Rules = []*Rule{
	{
		ID: "PHS-EC2-001", Severity: Error,
		Title:     "Instances require IMDSv2",
		Rationale: "Session tokens stop SSRF and open proxies from reading the instance's credentials out of the metadata service.",
		Controls:  []string{"CT.EC2.PR.1", "CT.AUTOSCALING.PR.2", "CIS 2.0 5.6"},
		Types:     []string{typeLaunchTemplate, typeLaunchConfig},
		check: func(t *Template) []violation {
			return launchSettings(t, func(md map[string]any) string {
				if !imdsEnabled(t, md) {
					return ""
				}
				if s, _ := t.str(md["HttpTokens"]); s != "required" {
					return "MetadataOptions.HttpTokens is not required"
				}
				return ""
			})
		},
	},
	{
		ID: "PHS-EC2-002", Severity: Warning,
		Title:     "The metadata service answers one network hop only",
		Rationale: "A hop limit of 1 keeps containers and forwarded traffic on the instance from reaching its credentials.",
		Controls:  []string{"CT.EC2.PR.2", "CT.AUTOSCALING.PR.3"},
		Types:     []string{typeLaunchTemplate, typeLaunchConfig},
		check: func(t *Template) []violation {
			return launchSettings(t, func(md map[string]any) string {
				if !imdsEnabled(t, md) {
					return ""
				}
				if v, ok := md["HttpPutResponseHopLimit"]; ok {
					if n, _ := t.number(v); n != 1 {
						return "MetadataOptions.HttpPutResponseHopLimit is not 1"
					}
				}
				return ""
			})
		},
	},
	{
		ID: "PHS-EC2-003", Severity: Error,
		Title:     "Instances get no public IP address, explicitly",
		Rationale: "Instances behind a load balancer need no public address; left unset, the subnet's setting decides.",
		Controls:  []string{"CT.EC2.PR.9", "CT.EC2.PR.8", "CT.AUTOSCALING.PR.5"},
		Types:     []string{typeLaunchTemplate, typeInstance, typeLaunchConfig},
		check: func(t *Template) []violation {
			var out []violation
			for _, r := range t.ofType(typeLaunchTemplate, typeInstance) {
				nis := r.Props["NetworkInterfaces"]
				if r.Type == typeLaunchTemplate {
					nis = get(r.Props, "LaunchTemplateData", "NetworkInterfaces")
				}
				list := t.list(nis)
				if len(list) == 0 {
					out = append(out, violation{resource: r, message: "declares no NetworkInterfaces with AssociatePublicIpAddress false"})
					continue
				}
				for i, ni := range list {
					if id, ok := get(ni, "NetworkInterfaceId").(string); ok && id != "" {
						continue // an existing interface keeps its own addressing
					}
					if !t.isFalse(get(ni, "AssociatePublicIpAddress")) {
						out = append(out, violation{resource: r, message: fmt.Sprintf("NetworkInterfaces[%d].AssociatePublicIpAddress is not false", i)})
					}
				}
			}
			for _, r := range t.ofType(typeLaunchConfig) {
				if t.isTrue(r.Props["AssociatePublicIpAddress"]) {
					out = append(out, violation{resource: r, message: "AssociatePublicIpAddress is true"})
				}
			}
			return out
		},
	},
	{
		ID: "PHS-EC2-004", Severity: Error,
		Title:     "EBS volumes are encrypted",
		Rationale: "Encryption protects data at rest, in snapshots and on the volume's way between instance and storage.",
		Controls:  []string{"AwsSolutions-EC26", "CT.EC2.PR.14", "CT.EC2.PR.7", "CT.AUTOSCALING.PR.9"},
		Types:     []string{typeLaunchTemplate, typeInstance, typeLaunchConfig, typeVolume},
		check: func(t *Template) []violation {
			var out []violation
			for _, r := range t.ofType(typeLaunchTemplate, typeInstance, typeLaunchConfig, typeVolume) {
				if r.Type == typeVolume {
					if !t.isTrue(r.Props["Encrypted"]) {
						out = append(out, violation{resource: r, message: "Encrypted is not true"})
					}
					continue
				}
				bdms := r.Props["BlockDeviceMappings"]
				if r.Type == typeLaunchTemplate {
					bdms = get(r.Props, "LaunchTemplateData", "BlockDeviceMappings")
				}
				for i, bdm := range t.list(bdms) {
					ebs, ok := get(bdm, "Ebs").(map[string]any)
					if ok && !t.isTrue(ebs["Encrypted"]) {
						out = append(out, violation{resource: r, message: fmt.Sprintf("BlockDeviceMappings[%d].Ebs.Encrypted is not true", i)})
					}
				}
			}
			return out
		},
	},
	{
		ID: "PHS-EC2-005", Severity: Warning,
		Title:     "Instances have detailed monitoring",
		Rationale: "One-minute metrics let alarms and scaling react within minutes rather than tens of minutes.",
		Controls:  []string{"CT.EC2.PR.10", "CT.EC2.PR.13", "AwsSolutions-EC28"},
		Types:     []string{typeLaunchTemplate, typeInstance, typeLaunchConfig},
		check: func(t *Template) []violation {
			var out []violation
			for _, r := range t.ofType(typeLaunchTemplate, typeInstance, typeLaunchConfig) {
				switch r.Type {
				case typeLaunchTemplate:
					if !t.isTrue(get(r.Props, "LaunchTemplateData", "Monitoring", "Enabled")) {
						out = append(out, violation{resource: r, message: "LaunchTemplateData.Monitoring.Enabled is not true"})
					}
				case typeInstance:
					if !t.isTrue(r.Props["Monitoring"]) {
						out = append(out, violation{resource: r, message: "Monitoring is not true"})
					}
				case typeLaunchConfig:
					if t.isFalse(r.Props["InstanceMonitoring"]) {
						out = append(out, violation{resource: r, message: "InstanceMonitoring is false"})
					}
				}
			}
			return out
		},
	},
	{
		ID: "PHS-EC2-006", Severity: Warning,
		Title:     "Instances run on AWS Nitro instance types",
		Rationale: "The Nitro system isolates instances in hardware and encrypts their traffic on supported types.",
		Controls:  []string{"CT.EC2.PR.15", "CT.EC2.PR.16", "CT.AUTOSCALING.PR.10"},
		Types:     []string{typeLaunchTemplate, typeInstance, typeASG},
		check: func(t *Template) []violation {
			return instanceTypeCheck(t, isNitro, "is not a Nitro instance type")
		},
	},
	{
		ID: "PHS-EC2-007", Severity: Error,
		Title:     "Security groups admit no traffic from the whole internet",
		Rationale: "0.0.0.0/0 and ::/0 expose the port to every scanner; an internet-facing entry point needs a reviewed exemption.",
		Controls:  []string{"AwsSolutions-EC23"},
		Types:     []string{typeSecurityGroup, typeSGIngress},
		check: ingressCheck(func(t *Template, rule map[string]any) string {
			for _, k := range []string{"CidrIp", "CidrIpv6"} {
				if c, ok := t.str(rule[k]); ok && strings.Contains(c, "/0") {
					return fmt.Sprintf("admits %s (%s)", c, describePorts(t, rule))
				}
			}
			return ""
		}),
	},
	{
		ID: "PHS-EC2-008", Severity: Error,
		Title:     "Traffic from the whole internet reaches ports 80 and 443 only",
		Rationale: "Only web ports are meant for everyone; anything else open to the world is an attack surface.",
		Controls:  []string{"CT.EC2.PR.3"},
		Types:     []string{typeSecurityGroup, typeSGIngress},
		check: ingressCheck(func(t *Template, rule map[string]any) string {
			if !fromWorld(t, rule) {
				return ""
			}
			proto := protocol(t, rule)
			if !slices.Contains([]string{"tcp", "udp", "icmp", "icmpv6"}, proto) {
				return "admits protocol " + proto + " from anywhere"
			}
			if proto == "tcp" || proto == "udp" {
				from, okF := t.number(rule["FromPort"])
				to, okT := t.number(rule["ToPort"])
				if !okF || !okT || from != to || (from != 80 && from != 443) {
					return "admits " + describePorts(t, rule) + " from anywhere"
				}
			}
			return ""
		}),
	},
	{
		ID: "PHS-EC2-009", Severity: Error,
		Title:     "Administration and database ports are not open to the internet",
		Rationale: "SSH, RDP and database ports open to the world are the most attacked doors there are.",
		Controls:  []string{"CT.EC2.PR.4", "CIS 1.4 5.2"},
		Types:     []string{typeSecurityGroup, typeSGIngress},
		check: ingressCheck(func(t *Template, rule map[string]any) string {
			if !fromWorld(t, rule) {
				return ""
			}
			proto := protocol(t, rule)
			if proto == "-1" {
				return "admits all traffic from anywhere"
			}
			if proto != "tcp" && proto != "udp" {
				return ""
			}
			from, okF := t.number(rule["FromPort"])
			to, okT := t.number(rule["ToPort"])
			if !okF || !okT || from == -1 || to == -1 {
				return "admits every " + proto + " port from anywhere"
			}
			for _, p := range blockedPorts {
				if float64(p) >= from && float64(p) <= to {
					return fmt.Sprintf("admits %s port %d from anywhere", proto, p)
				}
			}
			return ""
		}),
	},
	{
		ID: "PHS-EC2-010", Severity: Warning,
		Title:     "Security groups describe their purpose",
		Rationale: "A description tells the next operator why the group exists before they change it.",
		Controls:  []string{"AwsSolutions-EC27"},
		Types:     []string{typeSecurityGroup},
		check: eachResource(typeSecurityGroup, func(t *Template, r *Resource) string {
			d, ok := t.str(r.Props["GroupDescription"])
			if ok && len(strings.TrimSpace(d)) < 2 {
				return "GroupDescription is empty"
			}
			if !ok && r.Props["GroupDescription"] == nil {
				return "has no GroupDescription"
			}
			return ""
		}),
	},
	{
		ID: "PHS-EC2-011", Severity: Warning,
		Title:     "Instance types that replace a launch template's, and stand-alone instances, encrypt traffic between instances",
		Rationale: "Nitro types with in-transit encryption protect traffic between instances in hardware; burstable and older types send it as the application does.",
		Controls:  []string{"CT.AUTOSCALING.PR.11", "CT.EC2.PR.19"},
		Types:     []string{typeInstance, typeASG},
		check: func(t *Template) []violation {
			// Like the controls, the check leaves launch templates' own types
			// alone: CT.AUTOSCALING.PR.11 covers overrides only.
			var out []violation
			for _, v := range instanceTypeCheck(t, encryptsInTransit, "does not encrypt traffic between instances") {
				if v.resource.Type != typeLaunchTemplate {
					out = append(out, v)
				}
			}
			return out
		},
	},
}

// blockedPorts are the ports CT.EC2.PR.4 keeps closed to the world:
// remote administration, mail, file sharing, databases and dashboards.
var blockedPorts = []int{20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300}

// launchSettings runs f on the metadata options of every launch template
// and launch configuration.
func launchSettings(t *Template, f func(md map[string]any) string) []violation {
	var out []violation
	for _, r := range t.ofType(typeLaunchTemplate, typeLaunchConfig) {
		md := get(r.Props, "MetadataOptions")
		if r.Type == typeLaunchTemplate {
			md = get(r.Props, "LaunchTemplateData", "MetadataOptions")
		}
		m, _ := md.(map[string]any)
		if msg := f(m); msg != "" {
			out = append(out, violation{resource: r, message: msg})
		}
	}
	return out
}

// imdsEnabled reports whether the metadata endpoint is on (it is unless
// HttpEndpoint says disabled); a nil map means the defaults.
func imdsEnabled(t *Template, md map[string]any) bool {
	s, ok := t.str(md["HttpEndpoint"])
	return !ok || s != "disabled"
}

// ingressCheck builds a check over every ingress rule: inline rules of
// security groups and stand-alone ingress resources.
func ingressCheck(f func(t *Template, rule map[string]any) string) func(*Template) []violation {
	return func(t *Template) []violation {
		var out []violation
		for _, r := range t.ofType(typeSecurityGroup) {
			for i, rule := range t.list(r.Props["SecurityGroupIngress"]) {
				m, _ := rule.(map[string]any)
				if msg := f(t, m); msg != "" {
					out = append(out, violation{resource: r, message: fmt.Sprintf("SecurityGroupIngress[%d] %s", i, msg)})
				}
			}
		}
		for _, r := range t.ofType(typeSGIngress) {
			if msg := f(t, r.Props); msg != "" {
				out = append(out, violation{resource: r, message: msg})
			}
		}
		return out
	}
}

// fromWorld reports whether an ingress rule admits every address.
func fromWorld(t *Template, rule map[string]any) bool {
	v4, _ := t.str(rule["CidrIp"])
	v6, _ := t.str(rule["CidrIpv6"])
	return v4 == "0.0.0.0/0" || v6 == "::/0"
}

// protocol names an ingress rule's protocol, mapping protocol numbers to
// the names CloudFormation also accepts.
func protocol(t *Template, rule map[string]any) string {
	p, ok := t.str(rule["IpProtocol"])
	if !ok {
		if n, isNum := t.number(rule["IpProtocol"]); isNum {
			p = strconv.Itoa(int(n))
		}
	}
	switch strings.ToLower(p) {
	case "6":
		return "tcp"
	case "17":
		return "udp"
	case "1":
		return "icmp"
	case "58":
		return "icmpv6"
	}
	return strings.ToLower(p)
}

// describePorts renders an ingress rule's protocol and port range.
func describePorts(t *Template, rule map[string]any) string {
	proto := protocol(t, rule)
	from, okF := t.number(rule["FromPort"])
	to, okT := t.number(rule["ToPort"])
	switch {
	case proto == "-1":
		return "all traffic"
	case !okF || !okT:
		return proto
	case from == to:
		return fmt.Sprintf("%s port %d", proto, int(from))
	default:
		return fmt.Sprintf("%s ports %d-%d", proto, int(from), int(to))
	}
}

// instanceTypeCheck reports every instance type a template launches that
// ok rejects: the type of each launch template and instance, the types
// that Auto Scaling groups' overrides put in its place, and the types that
// attribute-based selection (InstanceRequirements) may pick, which must be
// listed (AllowedInstanceTypes) for the check to see them.
func instanceTypeCheck(t *Template, ok func(string) bool, what string) []violation {
	var out []violation
	check := func(r *Resource, where string, v any) {
		if v == nil {
			return
		}
		it, known := t.str(v)
		switch {
		case !known:
			out = append(out, violation{resource: r, message: where + " cannot be determined from the template"})
		case !ok(it):
			out = append(out, violation{resource: r, message: where + " " + it + " " + what})
		}
	}
	requirements := func(r *Resource, where string, req any) {
		if req == nil {
			return
		}
		allowed := t.list(get(req, "AllowedInstanceTypes"))
		if len(allowed) == 0 {
			out = append(out, violation{resource: r, message: where + ".AllowedInstanceTypes is empty: any instance type may be picked"})
		}
		for i, a := range allowed {
			check(r, fmt.Sprintf("%s.AllowedInstanceTypes[%d]", where, i), a)
		}
	}
	for _, r := range t.ofType(typeLaunchTemplate) {
		check(r, "LaunchTemplateData.InstanceType", get(r.Props, "LaunchTemplateData", "InstanceType"))
		requirements(r, "LaunchTemplateData.InstanceRequirements", get(r.Props, "LaunchTemplateData", "InstanceRequirements"))
	}
	for _, r := range t.ofType(typeInstance) {
		if r.Props["InstanceType"] == nil {
			// The controls for instances require the type on the instance
			// itself, where a reviewer sees it.
			out = append(out, violation{resource: r, message: "InstanceType is not set on the instance"})
		}
		check(r, "InstanceType", r.Props["InstanceType"])
	}
	for _, r := range t.ofType(typeASG) {
		for i, o := range t.list(get(r.Props, "MixedInstancesPolicy", "LaunchTemplate", "Overrides")) {
			where := fmt.Sprintf("MixedInstancesPolicy.LaunchTemplate.Overrides[%d]", i)
			check(r, where+".InstanceType", get(o, "InstanceType"))
			requirements(r, where+".InstanceRequirements", get(o, "InstanceRequirements"))
		}
	}
	return out
}
