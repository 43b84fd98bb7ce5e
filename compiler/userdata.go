package compiler

import (
	"fmt"
	"strings"

	"github.com/phasec/phasec/appmetrics"
)

const (
	// agentNamespace is where the CloudWatch agent publishes memory and
	// disk metrics.
	agentNamespace = "CWAgent"
	// appMetricsNamespace is where the application's embedded-metric
	// records are published; the alarms and the dashboard read the same
	// constant of package appmetrics, so the names cannot drift apart.
	appMetricsNamespace = appmetrics.DefaultNamespace
	agentConfigPath     = "/opt/aws/amazon-cloudwatch-agent/etc/phasec.json"
)

// userData is the boot script of a fleet's instances, as an Fn::Sub
// template. It configures the CloudWatch agent to publish memory and disk
// usage per Auto Scaling group (the memory target-tracking policy and the
// alarms read these) and to relay the application's embedded-metric
// records, and starts the application that the image provides as
// phasec-app.service, with the fleet's release in its environment.
//
// A rolling group's instances then tell CloudFormation whether they are
// healthy, only once the application answers its own health check on the
// instance: creation and rolling updates wait for that signal, so a release
// whose instances never become healthy fails and is rolled back. A
// blue-green colour is gated by its target group's health instead, which
// the rollout watches.
func userData(b *stackBuilder, f fleet) string {
	hc := b.svc.App.HealthCheck
	env := strings.Join([]string{
		appmetrics.EnvService + "=" + b.svc.Name,
		appmetrics.EnvEnvironment + "=" + b.env.Name,
		"PHASEC_APP_VERSION=${" + f.versionParam + "}",
		appmetrics.EnvNamespace + "=" + appMetricsNamespace,
		appmetrics.EnvLogGroup + "=" + metricsLogGroupName(b),
		fmt.Sprintf("PHASEC_PORT=%d", b.svc.App.Port),
	}, "\n")
	signals := f.colour == ""
	lines := []string{"#!/bin/bash", "set -euo pipefail"}
	packages := "amazon-cloudwatch-agent"
	if signals {
		packages += " aws-cfn-bootstrap"
		lines = append(lines,
			"# cfn-signal fails when no creation or update is waiting for this",
			"# instance (a later scale-out launch); that is not an error here.",
			"signal() { /opt/aws/bin/cfn-signal --exit-code \"$1\" --stack '${AWS::StackName}' --resource "+f.asgID+" --region '${AWS::Region}' || true; }",
			"# Any failed step reports failure at once instead of letting",
			"# CloudFormation wait out its timeout.",
			"trap 'signal 1' ERR",
		)
	}
	lines = append(lines,
		"dnf install -y "+packages,
		"install -d -m 0755 /etc/phasec /var/log/phasec",
		"cat > /etc/phasec/app.env <<'EOF'",
		env,
		"EOF",
		"cat > "+agentConfigPath+" <<'EOF'",
		escapeSub(agentConfig(b)),
		"EOF",
		"/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:"+agentConfigPath,
		"systemctl enable --now phasec-app.service",
	)
	if signals {
		healthURL := fmt.Sprintf("http://127.0.0.1:%d%s", b.svc.App.Port, hc.Path)
		// Poll every 5 s until shortly before CloudFormation stops waiting.
		attempts := max(b.env.Deployment.Rolling.SignalMinutes*12-6, 6)
		lines = append(lines,
			fmt.Sprintf("for attempt in $(seq 1 %d); do", attempts),
			"  if curl -fsS -o /dev/null --max-time 4 '"+healthURL+"'; then signal 0; exit 0; fi",
			"  sleep 5",
			"done",
			"echo 'phasec: "+healthURL+" never answered' >&2",
			"signal 1",
			"exit 1",
		)
	}
	return strings.Join(lines, "\n") + "\n"
}

// agentConfig is the CloudWatch agent's configuration. Memory and disk are
// aggregated to the AutoScalingGroupName dimension alone, which is the
// dimension set that target tracking and the alarms query.
func agentConfig(b *stackBuilder) string {
	cfg := map[string]any{
		"agent": map[string]any{"metrics_collection_interval": 60, "run_as_user": "cwagent"},
		"metrics": map[string]any{
			"namespace": agentNamespace,
			"append_dimensions": map[string]any{
				"AutoScalingGroupName": "${aws:AutoScalingGroupName}",
				"InstanceId":           "${aws:InstanceId}",
			},
			"aggregation_dimensions": []any{[]any{"AutoScalingGroupName"}},
			"metrics_collected": map[string]any{
				"mem":  map[string]any{"measurement": []any{"mem_used_percent"}},
				"disk": map[string]any{"measurement": []any{"disk_used_percent"}, "resources": []any{"/"}},
			},
		},
		"logs": map[string]any{
			"metrics_collected": map[string]any{"emf": map[string]any{}},
			"logs_collected": map[string]any{"files": map[string]any{"collect_list": []any{
				map[string]any{
					"file_path":       "/var/log/phasec/app.log",
					"log_group_name":  appLogGroupName(b),
					"log_stream_name": "{instance_id}",
				},
			}}},
		},
	}
	out, err := marshalNoEscape(cfg)
	if err != nil {
		panic(err) // a literal map of strings and numbers always marshals
	}
	return strings.TrimSpace(string(out))
}

// escapeSub protects literal ${...} from Fn::Sub, which would otherwise
// try to resolve them: CloudFormation writes ${!x} out as ${x}.
func escapeSub(s string) string {
	return strings.ReplaceAll(s, "${", "${!")
}
