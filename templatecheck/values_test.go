package templatecheck

import (
	"encoding/json"
	"strings"
	"testing"
)

// ruleSamples gives a violating and a conforming value for the rules whose constraint cannot be
// derived mechanically (patterns and custom checks), keyed by "type path".
var ruleSamples = map[string]struct{ bad, good any }{
	"AWS::ElasticLoadBalancingV2::LoadBalancer Name":                          {"-web", "web-production"},
	"AWS::ElasticLoadBalancingV2::TargetGroup Name":                           {"web_tg", "web-tg"},
	"AWS::ElasticLoadBalancingV2::TargetGroup HealthCheckPort":                {"port-80", "traffic-port"},
	"AWS::ElasticLoadBalancingV2::TargetGroup Matcher.HttpCode":               {"2xx", "200,202-204"},
	"AWS::AutoScaling::AutoScalingGroup MaxInstanceLifetime":                  {3600, 86400},
	"AWS::AutoScaling::AutoScalingGroup LaunchTemplate.LaunchTemplateName":    {"web template", "web-template"},
	"AWS::AutoScaling::ScalingPolicy TargetTrackingConfiguration.TargetValue": {0, 60},
	"AWS::AutoScaling::LifecycleHook LifecycleHookName":                       {"drain hook", "drain-hook"},
	"AWS::CloudWatch::Alarm ExtendedStatistic":                                {"p101", "p99.9"},
	"AWS::CloudWatch::Alarm Period":                                           {45, 300},
	"AWS::CloudWatch::Alarm Metrics[].MetricStat.Period":                      {90, 30},
	"AWS::CloudWatch::Alarm Metrics[].Period":                                 {0, 10},
	"AWS::CloudWatch::Alarm Metrics[].Id":                                     {"Errors", "errors_5xx"},
	"AWS::CloudWatch::Alarm Namespace":                                        {":AWS/EC2", "AWS/EC2"},
	"AWS::CloudWatch::Dashboard DashboardName":                                {"web dashboard", "web-dashboard_1"},
	"AWS::CloudWatch::Dashboard DashboardBody":                                {`{"widgets": [}`, `{"widgets": []}`},
	"AWS::SNS::Topic TopicName":                                               {"alerts.critical", "alerts-critical"},
	"AWS::KMS::Alias AliasName":                                               {"alias/aws/s3", "alias/phasec/alerts"},
	"AWS::S3::Bucket BucketName":                                              {"My_Bucket", "phasec-access-logs-111122223333"},
	"AWS::IAM::Role RoleName":                                                 {"web role", "web-role"},
	"AWS::IAM::Role Path":                                                     {"phasec/", "/phasec/"},
	"AWS::IAM::Role Description":                                              {"tab\u0001", "Instances of web"},
	"AWS::IAM::Role Policies[].PolicyName":                                    {"my policy", "instance"},
	"AWS::IAM::InstanceProfile InstanceProfileName":                           {"web profile", "web-profile"},
	"AWS::IAM::InstanceProfile Path":                                          {"/phasec", "/phasec/"},
	"AWS::IAM::ManagedPolicy ManagedPolicyName":                               {"read only", "read-only"},
	"AWS::IAM::ManagedPolicy Path":                                            {"x", "/"},
	"AWS::IAM::Policy PolicyName":                                             {"read only", "read-only"},
	"AWS::Logs::LogGroup LogGroupName":                                        {"/phasec/web app", "/phasec/web/app"},
	"AWS::Logs::MetricFilter FilterName":                                      {"errors:5xx", "errors-5xx"},
	"AWS::Logs::MetricFilter LogGroupName":                                    {"/phasec/web app", "/phasec/web/app"},
	"AWS::Logs::MetricFilter MetricTransformations[].MetricName":              {"errors:5xx", "Errors5xx"},
	"AWS::Logs::MetricFilter MetricTransformations[].MetricNamespace":         {"Phasec App", "Phasec/App"},
	"AWS::Logs::MetricFilter MetricTransformations[].MetricValue":             {"one", "1"},
	"AWS::Budgets::Budget Budget.BudgetName":                                  {"web:monthly", "web-monthly"},
	"AWS::Events::Rule Name":                                                  {"guard duty", "guard-duty"},
	"AWS::Events::Rule Targets[].Id":                                          {"sns topic", "sns-topic"},
	"AWS::WAFv2::WebACL Name":                                                 {"web acl", "web-acl"},
	"AWS::WAFv2::WebACL VisibilityConfig.MetricName":                          {"web acl", "web-acl"},
	"AWS::WAFv2::WebACL Rules[].Name":                                         {"rate limit", "rate-limit"},
	"AWS::WAFv2::WebACL Rules[].VisibilityConfig.MetricName":                  {"rate limit", "rate-limit"},
	"AWS::WAFv2::WebACL Rules[].Statement.ManagedRuleGroupStatement.Name":     {"common rules", "AWSManagedRulesCommonRuleSet"},
	"AWS::WAFv2::IPSet Name":                                                  {"block list", "block-list"},
	"AWS::WAFv2::IPSet Addresses[]":                                           {"10.0.0.1", "10.0.0.0/24"},
	"AWS::CloudTrail::Trail TrailName":                                        {"-trail", "org-trail"},
	"AWS::SSM::Parameter Name":                                                {"/aws/web/x", "/phasec/web/image"},
	"AWS::EC2::SecurityGroup GroupDescription":                                {"web <sg>", "web security group"},
	"AWS::EC2::SecurityGroup GroupName":                                       {"sg-web", "web"},
	"AWS::EC2::SecurityGroup SecurityGroupIngress[].IpProtocol":               {"http", "tcp"},
	"AWS::EC2::SecurityGroup SecurityGroupIngress[].CidrIp":                   {"10.0.0.0", "10.0.0.0/16"},
	"AWS::EC2::SecurityGroup SecurityGroupIngress[].CidrIpv6":                 {"10.0.0.0/16", "::/0"},
	"AWS::EC2::SecurityGroup SecurityGroupIngress[].Description":              {"web <in>", "HTTPS from anywhere"},
	"AWS::EC2::SecurityGroup SecurityGroupEgress[].IpProtocol":                {"256", "-1"},
	"AWS::EC2::SecurityGroup SecurityGroupEgress[].CidrIp":                    {"::/0", "0.0.0.0/0"},
	"AWS::EC2::SecurityGroup SecurityGroupEgress[].CidrIpv6":                  {"0.0.0.0/0", "::/0"},
	"AWS::EC2::SecurityGroup SecurityGroupEgress[].Description":               {"out <all>", "HTTPS out"},
	"AWS::EC2::SecurityGroupIngress IpProtocol":                               {"https", "6"},
	"AWS::EC2::SecurityGroupIngress CidrIp":                                   {"10.0.0.300/8", "10.0.0.0/8"},
	"AWS::EC2::SecurityGroupIngress CidrIpv6":                                 {"fe80::/200", "fe80::/64"},
	"AWS::EC2::SecurityGroupIngress Description":                              {"in <x>", "from the load balancer"},
	"AWS::EC2::SecurityGroupEgress IpProtocol":                                {"ftp", "udp"},
	"AWS::EC2::SecurityGroupEgress CidrIp":                                    {"any", "0.0.0.0/0"},
	"AWS::EC2::SecurityGroupEgress CidrIpv6":                                  {"any", "::/0"},
	"AWS::EC2::SecurityGroupEgress Description":                               {"out <x>", "to the instances"},
	"AWS::EC2::LaunchTemplate LaunchTemplateName":                             {"web template", "web-template"},
	"AWS::EC2::LaunchTemplate LaunchTemplateData.UserData":                    {"#!/bin/bash", "IyEvYmluL2Jhc2gK"},
	"AWS::AutoScaling::ScalingPolicy TargetTrackingConfiguration.PredefinedMetricSpecification.ResourceLabel": {
		"web/tg", "app/web/50dc6c495c0c9188/targetgroup/web/6d0ecf831eec9f09"},
}

// synthesize builds a value for the rule's path, e.g. "A.B[].C" -> {"A": {"B": [{"C": v}]}}, and
// the concrete path where the value lands.
func synthesize(segs []string, v any) (map[string]any, string) {
	var build func(i int) (any, string)
	build = func(i int) (any, string) {
		if i == len(segs) {
			return v, ""
		}
		inner, rest := build(i + 1)
		if rest != "" && rest[0] != '[' {
			rest = "." + rest
		}
		if segs[i] == "[]" {
			return []any{inner}, "[0]" + rest
		}
		return map[string]any{segs[i]: inner}, segs[i] + rest
	}
	root, path := build(0)
	return root.(map[string]any), path
}

// derivedSamples computes bad and good values from a rule's declarative constraints.
func derivedSamples(r *valueRule) (bad, good any, ok bool) {
	switch {
	case r.maxItems > 0:
		return make([]any, r.maxItems+1), make([]any, max(r.minItems, 1)), true
	case r.minItems > 0:
		return []any{}, make([]any, r.minItems), true
	case len(r.enum) > 0:
		return "not-in-the-enum", r.enum[0], true
	case r.min != nil:
		good = *r.min
		if r.max != nil {
			good = *r.max
		}
		return *r.min - 1, good, true
	case r.max != nil:
		return *r.max + 1, *r.max, true
	case r.integer:
		return 1.5, 2, true
	case r.maxLen > 0:
		return strings.Repeat("a", r.maxLen+1), strings.Repeat("a", max(r.minLen, 1)), true
	}
	return nil, nil, false
}

// TestEveryValueRuleFires proves each entry of the table can fail: a violating value at its path
// produces a value problem there, and a conforming value does not.
func TestEveryValueRuleFires(t *testing.T) {
	for i := range valueRules {
		r := &valueRules[i]
		key := r.typ + " " + r.path
		t.Run(key, func(t *testing.T) {
			if r.source == "" {
				t.Errorf("rule has no source")
			}
			var bad, good any
			if s, ok := ruleSamples[key]; ok {
				bad, good = s.bad, s.good
			} else {
				var ok bool
				bad, good, ok = derivedSamples(r)
				if !ok || r.pattern != nil || r.check != nil {
					t.Fatalf("no sample: add one to ruleSamples")
				}
			}
			var segs []string
			for _, part := range strings.Split(r.path, ".") {
				name, iter := strings.CutSuffix(part, "[]")
				segs = append(segs, name)
				if iter {
					segs = append(segs, "[]")
				}
			}
			for _, tc := range []struct {
				value any
				want  bool
			}{{bad, true}, {good, false}} {
				props, rel := synthesize(segs, tc.value)
				doc := map[string]any{"Resources": map[string]any{"R": map[string]any{"Type": r.typ, "Properties": props}}}
				b, err := json.Marshal(doc)
				if err != nil {
					t.Fatal(err)
				}
				problems, err := Check(b)
				if err != nil {
					t.Fatal(err)
				}
				path := "Resources.R.Properties." + rel
				// Other rules may fire on the same synthetic resource; only this rule's problem,
				// recognised by its source note, counts.
				got := false
				for _, p := range problems {
					if p.Check == checkValue && p.Path == path && strings.HasSuffix(p.Message, "("+r.source+")") {
						got = true
					}
				}
				if got != tc.want {
					t.Errorf("value %v: value problem at %s = %v, want %v; problems: %v", abbreviate(tc.value), path, got, tc.want, problems)
				}
			}
		})
	}
}

func abbreviate(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

// TestValueRulePathsExistInSchema guards the table against typos: every rule's type and path
// must exist in goformation's schema.
func TestValueRulePathsExistInSchema(t *testing.T) {
	s, err := loadSchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range valueRules {
		sh, err := s.resourceShape(r.typ)
		if err != nil || sh == nil {
			t.Errorf("%s: resource type not in schema (%v)", r.typ, err)
			continue
		}
		for _, part := range strings.Split(r.path, ".") {
			name, iter := strings.CutSuffix(part, "[]")
			next := sh.props[name]
			if next == nil {
				t.Errorf("%s %s: no property %q", r.typ, r.path, name)
				break
			}
			sh = next
			if iter {
				if sh.kind != kindArray || sh.items == nil {
					t.Errorf("%s %s: %q is not a list", r.typ, r.path, name)
					break
				}
				sh = sh.items
			}
		}
	}
	for _, cr := range crossRules {
		if sh, _ := s.resourceShape(cr.typ); sh == nil {
			t.Errorf("cross rule for %s: resource type not in schema", cr.typ)
		}
	}
}

func TestCrossRules(t *testing.T) {
	asg := func(props string) string {
		return tpl(`"Asg": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {` + props + `}}`)
	}
	policy := func(props string) string {
		return tpl(`"P": {"Type": "AWS::AutoScaling::ScalingPolicy", "Properties": {"AutoScalingGroupName": "g", ` + props + `}}`)
	}
	alarm := func(props string) string {
		return tpl(`"A": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 3, ` + props + `}}`)
	}
	metric := `"Namespace": "AWS/EC2", "MetricName": "CPUUtilization", "Period": 60, "Statistic": "Average", "Threshold": 90`
	steps := func(list string) string {
		return policy(`"PolicyType": "StepScaling", "AdjustmentType": "ChangeInCapacity", "StepAdjustments": [` + list + `]`)
	}
	listener := func(props string) string {
		return tpl(`"L": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": "arn", ` + props + `}}`)
	}
	ebs := func(e string) string {
		return tpl(`"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {` + e + `}}]}}}`)
	}
	runCases(t, []checkCase{
		{"ASG sizes in order", asg(`"MinSize": "1", "MaxSize": "3", "DesiredCapacity": 2, "LaunchConfigurationName": "lc"`), nil},
		{"ASG MinSize above MaxSize", asg(`"MinSize": "4", "MaxSize": "3", "LaunchConfigurationName": "lc"`),
			[]string{"Resources.Asg.Properties.MinSize: value: MinSize 4 is greater than MaxSize 3"}},
		{"ASG DesiredCapacity outside", asg(`"MinSize": 2, "MaxSize": 3, "DesiredCapacity": "5", "LaunchConfigurationName": "lc"`),
			[]string{"Resources.Asg.Properties.DesiredCapacity: value: DesiredCapacity 5 is above MaxSize 3"}},
		{"ASG launch source", asg(`"MinSize": "1", "MaxSize": "1", "LaunchConfigurationName": "lc", "LaunchTemplate": {"LaunchTemplateId": "lt-1", "LaunchTemplateName": "web", "Version": "1"}`),
			[]string{"Resources.Asg.Properties: value: specify only one launch source, not LaunchConfigurationName and LaunchTemplate", "Resources.Asg.Properties.LaunchTemplate: value: give LaunchTemplateId or LaunchTemplateName, not both"}},
		{"ASG without launch source", asg(`"MinSize": "1", "MaxSize": "1"`),
			[]string{"Resources.Asg.Properties: value: the group needs a launch source"}},
		{"target tracking policy", policy(`"PolicyType": "TargetTrackingScaling", "TargetTrackingConfiguration": {"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}, "TargetValue": 60}`), nil},
		{"target tracking with step fields", policy(`"PolicyType": "TargetTrackingScaling", "Cooldown": "60", "TargetTrackingConfiguration": {"TargetValue": 60}`),
			[]string{"Resources.P.Properties.Cooldown: value: Cooldown is not valid for a TargetTrackingScaling policy", "Resources.P.Properties.TargetTrackingConfiguration: value: needs PredefinedMetricSpecification or CustomizedMetricSpecification"}},
		{"ALBRequestCountPerTarget needs ResourceLabel", policy(`"PolicyType": "TargetTrackingScaling", "TargetTrackingConfiguration": {"PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget"}, "TargetValue": 100}`),
			[]string{"Resources.P.Properties.TargetTrackingConfiguration.PredefinedMetricSpecification: value: ALBRequestCountPerTarget needs a ResourceLabel"}},
		{"simple scaling is the default type", policy(`"AdjustmentType": "ChangeInCapacity"`),
			[]string{"Resources.P.Properties: value: a SimpleScaling policy needs ScalingAdjustment"}},
		{"step adjustments well-formed", steps(`{"MetricIntervalUpperBound": 0, "ScalingAdjustment": -1}, {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 1}, {"MetricIntervalLowerBound": 10, "ScalingAdjustment": 2}`), nil},
		{"step adjustments overlap", steps(`{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 20, "ScalingAdjustment": 1}, {"MetricIntervalLowerBound": 10, "ScalingAdjustment": 2}`),
			[]string{"Resources.P.Properties.StepAdjustments: value: step adjustments 0 and 1 overlap (10 < 20)"}},
		{"step adjustments gap", steps(`{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 1}, {"MetricIntervalLowerBound": 15, "ScalingAdjustment": 2}`),
			[]string{"Resources.P.Properties.StepAdjustments: value: gap between step adjustments 0 and 1 (10 to 15)"}},
		{"step adjustment with both bounds open", steps(`{"ScalingAdjustment": 1}`),
			[]string{"Resources.P.Properties.StepAdjustments[0]: value: a step adjustment cannot leave both bounds open"}},
		{"step adjustment inverted bounds", steps(`{"MetricIntervalLowerBound": 10, "MetricIntervalUpperBound": 5, "ScalingAdjustment": 1}`),
			[]string{"Resources.P.Properties.StepAdjustments[0]: value: upper bound 5 must be greater than lower bound 10"}},
		{"step adjustments need open ends", steps(`{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 1}`),
			[]string{"Resources.P.Properties.StepAdjustments: value: a positive upper bound needs a step adjustment without upper bound"}},
		{"metric alarm", alarm(metric + `, "DatapointsToAlarm": 3`), nil},
		{"DatapointsToAlarm above EvaluationPeriods", alarm(metric + `, "DatapointsToAlarm": 4`),
			[]string{"Resources.A.Properties.DatapointsToAlarm: value: DatapointsToAlarm 4 is greater than EvaluationPeriods 3"}},
		{"alarm without Threshold", alarm(`"Namespace": "AWS/EC2", "MetricName": "CPUUtilization", "Period": 60, "ExtendedStatistic": "p90"`),
			[]string{"Resources.A.Properties: value: a static-threshold alarm needs Threshold"}},
		{"alarm with both statistics and missing fields", alarm(`"Statistic": "Sum", "ExtendedStatistic": "p90", "Threshold": 1`),
			[]string{"Resources.A.Properties: value: give Statistic or ExtendedStatistic, not both", "a metric alarm needs MetricName", "a metric alarm needs Namespace", "a metric alarm needs Period"}},
		{"anomaly operator without band", alarm(strings.Replace(metric, `"Threshold": 90`, `"Threshold": 1`, 1) + `, "ComparisonOperator": "LessThanLowerThreshold"`),
			[]string{"Resources.A.Properties.ComparisonOperator: value: LessThanLowerThreshold is only valid for anomaly detection alarms"}},
		{"math alarm mixes metric fields and returns twice", alarm(`"Threshold": 1, "Period": 60, "Metrics": [{"Id": "a", "Expression": "m1 * 2"}, {"Id": "m1", "MetricStat": {"Metric": {"Namespace": "N", "MetricName": "M"}, "Period": 60, "Stat": "Sum"}}]`),
			[]string{"Resources.A.Properties.Period: value: Period cannot be combined with Metrics", "Resources.A.Properties.Metrics: value: exactly one entry must have ReturnData true (omitted counts as true); 2 do"}},
		{"anomaly alarm returns the metric and its band", alarm(`"ComparisonOperator": "LessThanLowerThreshold", "ThresholdMetricId": "band", "Metrics": [{"Id": "m1", "MetricStat": {"Metric": {"Namespace": "N", "MetricName": "M"}, "Period": 300, "Stat": "Sum"}}, {"Id": "band", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)"}]`), nil},
		{"anomaly alarm without its band returned", alarm(`"ComparisonOperator": "LessThanLowerThreshold", "ThresholdMetricId": "band", "Metrics": [{"Id": "m1", "MetricStat": {"Metric": {"Namespace": "N", "MetricName": "M"}, "Period": 300, "Stat": "Sum"}}, {"Id": "band", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)", "ReturnData": false}]`),
			[]string{"Resources.A.Properties.Metrics: value: exactly two entries (the metric and its anomaly band) must have ReturnData true (omitted counts as true); 1 do"}},
		{"target group timeout not below interval", tpl(`"TG": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"HealthCheckIntervalSeconds": 10, "HealthCheckTimeoutSeconds": 10}}`),
			[]string{"Resources.TG.Properties.HealthCheckTimeoutSeconds: value: HealthCheckTimeoutSeconds 10 must be smaller than HealthCheckIntervalSeconds 10"}},
		{"HTTPS listener without certificate, forward without target", listener(`"Protocol": "HTTPS", "Port": 443, "DefaultActions": [{"Type": "forward"}]`),
			[]string{"Resources.L.Properties: value: a HTTPS listener needs Certificates", "Resources.L.Properties.DefaultActions[0]: value: a forward action needs TargetGroupArn or ForwardConfig"}},
		{"redirect and fixed response configs", listener(`"Protocol": "HTTP", "Port": 80, "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"StatusCode": "HTTP_307", "Protocol": "FTP", "Port": "70000"}}, {"Type": "fixed-response", "Order": 2, "FixedResponseConfig": {"StatusCode": "302", "ContentType": "text/xml"}}]`),
			[]string{`DefaultActions[0].RedirectConfig.StatusCode: value: "HTTP_307" is not HTTP_301 or HTTP_302`, `DefaultActions[0].RedirectConfig.Protocol: value: "FTP" is not HTTP, HTTPS or #{protocol}`, "DefaultActions[0].RedirectConfig.Port: value: port 70000 must be from 1 to 65535", `DefaultActions[1].FixedResponseConfig.StatusCode: value: "302" must be a 2XX, 4XX or 5XX status code`, `DefaultActions[1].FixedResponseConfig.ContentType: value: "text/xml" is not one of`}},
		{"listener rule action type", tpl(`"R": {"Type": "AWS::ElasticLoadBalancingV2::ListenerRule", "Properties": {"ListenerArn": "arn", "Priority": 1, "Conditions": [{"Field": "path-pattern", "Values": ["/x"]}], "Actions": [{"Type": "forwards", "TargetGroupArn": "arn"}]}}`),
			[]string{`Resources.R.Properties.Actions[0].Type: value: "forwards" is not one of`}},
		{"ALB with one subnet", tpl(`"LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Subnets": ["subnet-1"]}}`),
			[]string{"Resources.LB.Properties.Subnets: value: an Application Load Balancer needs at least two subnets, got 1"}},
		{"gp3 volume in range", ebs(`"VolumeType": "gp3", "VolumeSize": 65536, "Iops": 80000, "Throughput": 2000`), nil},
		{"gp3 volume out of range", ebs(`"VolumeType": "gp3", "VolumeSize": 70000, "Iops": 2000, "Throughput": 2500`),
			[]string{"Ebs.VolumeSize: value: gp3 VolumeSize 70000 GiB is outside 1-65536", "Ebs.Iops: value: gp3 Iops 2000 is outside 3000-80000", "Ebs.Throughput: value: gp3 Throughput 2500 MiB/s is outside 125-2000"}},
		{"io2 needs Iops, gp2 takes none", tpl(`"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"BlockDeviceMappings": [{"Ebs": {"VolumeType": "io2", "VolumeSize": 10}}, {"Ebs": {"VolumeType": "gp2", "VolumeSize": 10, "Iops": 3000, "Throughput": 200}}]}}}`),
			[]string{"BlockDeviceMappings[0].Ebs: value: io2 volumes need Iops", "BlockDeviceMappings[1].Ebs.Iops: value: Iops is only supported for gp3, io1 and io2 volumes, not gp2", "BlockDeviceMappings[1].Ebs.Throughput: value: Throughput is only supported for gp3 volumes, not gp2"}},
		{"security group rules", tpl(`"SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "web", "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 80, "CidrIp": "0.0.0.0/0"}, {"IpProtocol": "tcp", "FromPort": 22}, {"IpProtocol": "-1", "CidrIp": "10.0.0.0/8", "SourceSecurityGroupId": "sg-1"}]}}`),
			[]string{"SecurityGroupIngress[0].FromPort: value: FromPort 443 is greater than ToPort 80", "SecurityGroupIngress[1]: value: a TCP or UDP rule needs FromPort and ToPort", "SecurityGroupIngress[1]: value: a rule needs one of CidrIp", "SecurityGroupIngress[2]: value: a rule takes one of CidrIp, CidrIpv6, SourcePrefixListId, SourceSecurityGroupId, SourceSecurityGroupName, not CidrIp and SourceSecurityGroupId"}},
		{"standalone ingress without source", tpl(`"In": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"GroupId": "sg-1", "IpProtocol": "udp", "FromPort": 53, "ToPort": 53}}`),
			[]string{"Resources.In.Properties: value: a rule needs one of CidrIp, CidrIpv6, SourcePrefixListId, SourceSecurityGroupId, SourceSecurityGroupName"}},
		{"FIFO topic naming", tpl(`"A": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "a", "FifoTopic": true}}, "B": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "b.fifo"}}`),
			[]string{`Resources.A.Properties.TopicName: value: FIFO topic name "a" must end in .fifo`, `Resources.B.Properties.TopicName: value: topic name "b.fifo" ends in .fifo but FifoTopic is not true`}},
		{"SSM parameter value size", tpl(`"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "` + strings.Repeat("x", 4097) + `"}}, "Q": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Tier": "Advanced", "Value": "` + strings.Repeat("x", 4097) + `"}}`),
			[]string{"Resources.P.Properties.Value: value: Value is 4097 bytes; the Standard tier allows 4096"}},
		{"budget subscribers", tpl(`"B": {"Type": "AWS::Budgets::Budget", "Properties": {"Budget": {"BudgetType": "COST", "TimeUnit": "MONTHLY"}, "NotificationsWithSubscribers": [{"Notification": {"ComparisonOperator": "GREATER_THAN", "NotificationType": "ACTUAL", "Threshold": 80}, "Subscribers": [{"SubscriptionType": "SNS", "Address": "a"}, {"SubscriptionType": "SNS", "Address": "b"}]}]}}`),
			[]string{"Resources.B.Properties.NotificationsWithSubscribers[0].Subscribers: value: 2 SNS subscribers; at most 1 per notification"}},
		{"scheduled action needs a size", tpl(`"S": {"Type": "AWS::AutoScaling::ScheduledAction", "Properties": {"AutoScalingGroupName": "g", "Recurrence": "0 8 * * *"}}`),
			[]string{"Resources.S.Properties: value: a scheduled action needs at least one of MinSize, MaxSize, DesiredCapacity"}},
		{"dashboard Sub body must stay JSON", tpl(`"D": {"Type": "AWS::CloudWatch::Dashboard", "Properties": {"DashboardBody": {"Fn::Sub": "{\"widgets\": [${AWS::Region}"}}}`),
			[]string{"Resources.D.Properties.DashboardBody: value: DashboardBody is not a JSON object"}},
		{"dashboard Sub body with variables passes", tpl(`"D": {"Type": "AWS::CloudWatch::Dashboard", "Properties": {"DashboardBody": {"Fn::Sub": "{\"widgets\": [{\"properties\": {\"region\": \"${AWS::Region}\", \"period\": ${Period}}}]}"}}}`, `"Parameters": {"Period": {"Type": "Number"}}`), nil},
		{"dashboard body size counts Fn::Join text", tpl(`"D": {"Type": "AWS::CloudWatch::Dashboard", "Properties": {"DashboardBody": {"Fn::Join": ["", ["` + strings.Repeat("x", 600_000) + `", {"Ref": "AWS::Region"}, "` + strings.Repeat("y", 400_001) + `"]]}}}`),
			[]string{"Resources.D.Properties.DashboardBody: value: at least 1000001 characters once resolved; the maximum is 1000000",
				"(template): limit: template is"}},
		{"user data size counts Fn::Sub text", tpl(`"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"UserData": {"Fn::Base64": {"Fn::Sub": "` + strings.Repeat("x", 16385) + `${AWS::Region}"}}}}}`),
			[]string{"Resources.LT.Properties.LaunchTemplateData.UserData: value: user data is at least 16385 bytes before encoding; the maximum is 16384"}},
		{"value rules follow Fn::If branches", tpl(`"TG": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Port": {"Fn::If": ["C", 80, 70000]}}}`, `"Conditions": {"C": {"Fn::Equals": ["a", "b"]}}`),
			[]string{"Resources.TG.Properties.Port.Fn::If[2]: value: 70000 is above the maximum 65535"}},
		{"value rules skip intrinsics", tpl(`"TG": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Port": {"Ref": "P"}, "Name": {"Fn::Sub": "${AWS::StackName}-with-a-name-far-longer-than-32"}}}`, `"Parameters": {"P": {"Type": "Number"}}`), nil},
	})
}
