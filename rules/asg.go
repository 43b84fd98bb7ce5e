package rules

import (
	"fmt"
	"strings"
)

const typeASG = "AWS::AutoScaling::AutoScalingGroup"

// scalingEvents are the notifications AwsSolutions-AS3 requires.
var scalingEvents = []string{
	"autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
	"autoscaling:EC2_INSTANCE_TERMINATE", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
}

var asgRules = []*Rule{
	{
		ID: "PHS-ASG-001", Severity: Error,
		Title:     "Auto Scaling groups behind a load balancer use its health checks",
		Rationale: "EC2 status checks miss an application that is up but failing; the load balancer's check does not.",
		Controls:  []string{"CT.AUTOSCALING.PR.4"},
		Types:     []string{typeASG},
		check: eachResource(typeASG, func(t *Template, r *Resource) string {
			if len(t.list(r.Props["TargetGroupARNs"])) == 0 && len(t.list(r.Props["LoadBalancerNames"])) == 0 {
				return ""
			}
			if s, _ := t.str(r.Props["HealthCheckType"]); s != "ELB" {
				return "is attached to a load balancer but HealthCheckType is not ELB"
			}
			return ""
		}),
	},
	{
		ID: "PHS-ASG-002", Severity: Warning,
		Title:     "Load balancer health checks have a grace period",
		Rationale: "Without a grace period, instances are replaced before the application has had time to start.",
		Controls:  []string{"AwsSolutions-AS2"},
		Types:     []string{typeASG},
		check: eachResource(typeASG, func(t *Template, r *Resource) string {
			if s, _ := t.str(r.Props["HealthCheckType"]); s == "ELB" && r.Props["HealthCheckGracePeriod"] == nil {
				return "uses ELB health checks without HealthCheckGracePeriod"
			}
			return ""
		}),
	},
	{
		ID: "PHS-ASG-003", Severity: Warning,
		Title:     "Auto Scaling groups keep a cooldown",
		Rationale: "A zero cooldown lets simple scaling policies launch or terminate again before the last change took effect.",
		Controls:  []string{"AwsSolutions-AS1"},
		Types:     []string{typeASG},
		check: eachResource(typeASG, func(t *Template, r *Resource) string {
			if n, ok := t.number(r.Props["Cooldown"]); ok && n == 0 {
				return "Cooldown is 0"
			}
			return ""
		}),
	},
	{
		ID: "PHS-ASG-004", Severity: Warning,
		Title:     "Auto Scaling groups notify launches, terminations and their failures",
		Rationale: "Operators learn of failed launches and unexpected terminations from the notification, not from the outage.",
		Controls:  []string{"AwsSolutions-AS3"},
		Types:     []string{typeASG},
		check: eachResource(typeASG, func(t *Template, r *Resource) string {
			seen := map[string]bool{}
			for _, nc := range t.list(r.Props["NotificationConfigurations"]) {
				for _, typ := range t.strs(get(nc, "NotificationTypes")) {
					seen[typ] = true
				}
			}
			var missing []string
			for _, e := range scalingEvents {
				if !seen[e] {
					missing = append(missing, e)
				}
			}
			if len(missing) > 0 {
				return "has no notification for " + strings.Join(missing, ", ")
			}
			return ""
		}),
	},
	{
		ID: "PHS-ASG-005", Severity: Warning,
		Title:     "Auto Scaling groups launch from a launch template",
		Rationale: "Launch templates support IMDSv2, versioning and every newer instance setting; launch configurations do not.",
		Controls:  []string{"CT.AUTOSCALING.PR.8"},
		Types:     []string{typeASG},
		check: eachResource(typeASG, func(t *Template, r *Resource) string {
			spec := r.Props["LaunchTemplate"]
			if spec == nil {
				spec = get(r.Props, "MixedInstancesPolicy", "LaunchTemplate", "LaunchTemplateSpecification")
			}
			if spec == nil {
				return "does not launch from a launch template"
			}
			m, _ := spec.(map[string]any)
			_, id := m["LaunchTemplateId"]
			_, name := m["LaunchTemplateName"]
			if id == name {
				return "must name its launch template by exactly one of LaunchTemplateId and LaunchTemplateName"
			}
			if m["Version"] == nil {
				return "does not pin its launch template's Version"
			}
			return ""
		}),
	},
	{
		ID: "PHS-ASG-006", Severity: Warning,
		Title:     "Auto Scaling groups name at least two Availability Zones",
		Rationale: "A group in one zone goes down with that zone; naming the zones lets a reviewer and a hook see that it spans several.",
		Controls:  []string{"CT.AUTOSCALING.PR.1"},
		Types:     []string{typeASG},
		check: eachResource(typeASG, func(t *Template, r *Resource) string {
			// CT.AUTOSCALING.PR.1 reads the AvailabilityZones property only:
			// the zones of the subnets in VPCZoneIdentifier are not in the
			// template (nor in what a hook sees).
			azs := r.Props["AvailabilityZones"]
			if azs == nil {
				return "names no AvailabilityZones; subnets alone do not show which zones the group spans"
			}
			if get(azs, "Fn::GetAZs") != nil || distinct(t.flatList(azs)) >= 2 {
				return ""
			}
			return "lists fewer than two distinct AvailabilityZones"
		}),
	},
	{
		ID: "PHS-ASG-007", Severity: Warning,
		Title:     "Auto Scaling groups use multiple instance types",
		Rationale: "A group of one instance type cannot launch while that type has no capacity in a zone; a second type keeps it scaling.",
		Controls:  []string{"CT.AUTOSCALING.PR.6"},
		Types:     []string{typeASG},
		check: eachResource(typeASG, func(t *Template, r *Resource) string {
			lt := get(r.Props, "MixedInstancesPolicy", "LaunchTemplate")
			overrides := t.list(get(lt, "Overrides"))
			var types, requirements int
			for _, o := range overrides {
				if get(o, "InstanceRequirements") != nil {
					requirements++
				}
				if s, ok := t.str(get(o, "InstanceType")); ok && strings.TrimSpace(s) != "" {
					types++
				} else if get(o, "InstanceType") != nil {
					types++ // an expression: CloudFormation resolves it to a type
				}
			}
			switch {
			case requirements > 0 && types > 0:
				return "mixes InstanceType and InstanceRequirements overrides; use one or the other"
			case requirements > 0:
				return "" // attribute-based selection picks from many types
			case lt == nil || get(lt, "LaunchTemplateSpecification") == nil:
				return "launches one instance type: no MixedInstancesPolicy with a launch template and instance type overrides"
			case len(overrides) < 2 || types < len(overrides):
				return fmt.Sprintf("has %d instance type override(s) in MixedInstancesPolicy; at least two, each with an InstanceType, are needed", types)
			}
			first, _ := t.str(get(overrides[0], "InstanceType"))
			second, _ := t.str(get(overrides[1], "InstanceType"))
			if first == second {
				return "overrides its launch template with the same instance type twice"
			}
			return ""
		}),
	},
}

// distinct counts the distinct non-empty strings of list.
func distinct(list []string) int {
	seen := map[string]bool{}
	for _, s := range list {
		if s != "" {
			seen[s] = true
		}
	}
	return len(seen)
}
