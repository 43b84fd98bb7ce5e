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
		Title:     "Auto Scaling groups span at least two Availability Zones",
		Rationale: "A group in one zone goes down with that zone.",
		Controls:  []string{"CT.AUTOSCALING.PR.1"},
		Types:     []string{typeASG},
		check: eachResource(typeASG, func(t *Template, r *Resource) string {
			if azs := r.Props["AvailabilityZones"]; azs != nil {
				if get(azs, "Fn::GetAZs") != nil || distinct(t.flatList(azs)) >= 2 {
					return ""
				}
				return "lists fewer than two distinct AvailabilityZones"
			}
			if n := distinct(t.flatList(r.Props["VPCZoneIdentifier"])); n < 2 {
				return fmt.Sprintf("has %d subnet(s) in VPCZoneIdentifier and no AvailabilityZones; at least two zones are needed", n)
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
