package compiler

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/autoscaling"
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
)

// TargetTrackingPolicies tunes the three target-tracking policies.
type TargetTrackingPolicies struct {
	CPU      TargetTrackingOptions `json:"cpu"`
	Memory   TargetTrackingOptions `json:"memory"`
	Requests TargetTrackingOptions `json:"requests"`
}

// TargetTrackingOptions tunes one target-tracking policy.
type TargetTrackingOptions struct {
	// DisableScaleIn leaves scale-in to a step policy.
	DisableScaleIn bool `json:"disableScaleIn"`
	// InstanceWarmup overrides the group's warm-up for this policy.
	InstanceWarmup *int `json:"instanceWarmup"`
}

// scalingMetric is one of the three metrics the group scales on, with
// what its target-tracking policy, its alarms and its messages need.
type scalingMetric struct {
	// key is the metric's name in the spec: cpu, memory, requests.
	key string
	// id prefixes logical IDs (CpuStepScaleOut); label names it in
	// messages and alarm descriptions.
	id, label string
	// unit follows a threshold in messages: "%" or " requests per
	// instance per minute".
	unit string
	// percent metrics cannot exceed 100.
	percent bool
	// namespace, name and stat of the CloudWatch metric that alarms watch.
	namespace, name, stat string
	dims                  func(f fleet) []cloudwatch.Alarm_Dimension
}

// scalingMetrics are the metrics in the fixed order every loop over them
// uses, so that output never depends on map order.
var scalingMetrics = []scalingMetric{
	{
		key: "cpu", id: "Cpu", label: "CPU", unit: "%", percent: true,
		namespace: "AWS/EC2", name: "CPUUtilization", stat: "Average", dims: fleetAsgDimension,
	},
	{
		key: "memory", id: "Memory", label: "memory", unit: "%", percent: true,
		namespace: agentNamespace, name: "mem_used_percent", stat: "Average", dims: fleetAsgDimension,
	},
	{
		// RequestCountPerTarget is per minute only as a one-minute Sum; the
		// schema pins its alarms' periods to 60 seconds.
		key: "requests", id: "Requests", label: "requests per target", unit: " requests per instance per minute",
		namespace: "AWS/ApplicationELB", name: "RequestCountPerTarget", stat: "Sum", dims: fleetTargetGroupDimension,
	},
}

// metricByKey returns the scaling metric named key in the spec.
func metricByKey(key string) scalingMetric {
	for _, m := range scalingMetrics {
		if m.key == key {
			return m
		}
	}
	panic("compiler: unknown scaling metric " + key)
}

// target is the target-tracking goal on metric m.
func (sc *Scaling) target(m scalingMetric) float64 {
	switch m.key {
	case "cpu":
		return float64(sc.CPUTarget)
	case "memory":
		return float64(sc.MemoryTarget)
	default:
		return float64(sc.RequestsPerTarget)
	}
}

// tracking is the target-tracking options of metric m.
func (sc *Scaling) tracking(m scalingMetric) TargetTrackingOptions {
	switch m.key {
	case "cpu":
		return sc.TargetTracking.CPU
	case "memory":
		return sc.TargetTracking.Memory
	default:
		return sc.TargetTracking.Requests
	}
}

// compileScaling adds every policy that changes the group's size: target
// tracking on CPU, memory and requests per target, which holds the group
// at the environment's goals; step policies that react harder to spikes and
// own scale-in when they have a scale-in side; the simple fallback for
// saturation; and the scheduled actions. The group's own scaling settings
// are set by configureGroupScaling, which compileCompute calls.
func compileScaling(b *stackBuilder) {
	compileTargetTracking(b)
	compileStepScaling(b)
	compileSimpleScaling(b)
	compileSchedules(b)
}

// compileTargetTracking adds one target-tracking policy per metric. Target
// tracking scales out fast and in slowly on its own, and each policy may
// scale out while scale-in waits for all of them (with scale-in enabled) to
// agree.
func compileTargetTracking(b *stackBuilder) {
	for _, f := range b.fleets() {
		compileFleetTargetTracking(b, f)
	}
}

// compileFleetTargetTracking adds the three policies on one fleet's group.
func compileFleetTargetTracking(b *stackBuilder, f fleet) {
	sc := &b.env.Scaling
	b.targetTracking(f, "CpuTargetTracking", sc.TargetTracking.CPU, float64(sc.CPUTarget), &autoscaling.ScalingPolicy_TargetTrackingConfiguration{
		PredefinedMetricSpecification: &autoscaling.ScalingPolicy_PredefinedMetricSpecification{
			PredefinedMetricType: "ASGAverageCPUUtilization",
		},
	})
	b.targetTracking(f, "MemoryTargetTracking", sc.TargetTracking.Memory, float64(sc.MemoryTarget), &autoscaling.ScalingPolicy_TargetTrackingConfiguration{
		CustomizedMetricSpecification: &autoscaling.ScalingPolicy_CustomizedMetricSpecification{
			Namespace:  agentNamespace,
			MetricName: "mem_used_percent",
			Statistic:  "Average",
			Unit:       ptr("Percent"),
			Dimensions: []autoscaling.ScalingPolicy_MetricDimension{{
				Name:  "AutoScalingGroupName",
				Value: cloudformation.Ref(f.asgID),
			}},
		},
	})
	requests := b.targetTracking(f, "RequestsTargetTracking", sc.TargetTracking.Requests, float64(sc.RequestsPerTarget), &autoscaling.ScalingPolicy_TargetTrackingConfiguration{
		PredefinedMetricSpecification: &autoscaling.ScalingPolicy_PredefinedMetricSpecification{
			PredefinedMetricType: "ALBRequestCountPerTarget",
			ResourceLabel: ptr(cloudformation.Join("/", []string{
				cloudformation.GetAtt(idLoadBalancer, "LoadBalancerFullName"),
				cloudformation.GetAtt(f.targetGroupID, "TargetGroupFullName"),
			})),
		},
	})
	// Request counting needs the target group attached to the load
	// balancer, which the listener does.
	requests.AWSCloudFormationDependsOn = []string{idHTTPSListener}
}

// targetTracking adds one target-tracking policy on the group. Scale-in is
// written out either way, so that the template says who owns it.
func (b *stackBuilder) targetTracking(f fleet, id string, opts TargetTrackingOptions, target float64, cfg *autoscaling.ScalingPolicy_TargetTrackingConfiguration) *autoscaling.ScalingPolicy {
	cfg.TargetValue = target
	cfg.DisableScaleIn = ptr(opts.DisableScaleIn)
	id += f.idSuffix()
	p := &autoscaling.ScalingPolicy{
		AutoScalingGroupName:        cloudformation.Ref(f.asgID),
		PolicyType:                  ptr("TargetTrackingScaling"),
		TargetTrackingConfiguration: cfg,
		EstimatedInstanceWarmup:     opts.InstanceWarmup,
	}
	b.add(id, p)
	return p
}

// scalingNotifications routes the group's own events by severity: launches
// and terminations are routine (info); a failed one needs someone now
// (critical), since the group cannot hold its capacity.
// Together they cover the four events AwsSolutions-AS3 asks for.
var scalingNotifications = []struct {
	severity Severity
	events   []string
}{
	{Info, []string{"autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_TERMINATE"}},
	{Critical, []string{"autoscaling:EC2_INSTANCE_LAUNCH_ERROR", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"}},
}

// configureGroupScaling sets the group's scaling properties: the instance
// warm-up that target tracking and step policies count new instances with,
// the default cooldown of simple scaling, the scaling-activity
// notifications, and the mixed-instances policy when the spec asks for one.
// compileCompute calls it on the group it builds.
func configureGroupScaling(b *stackBuilder, asg *autoscaling.AutoScalingGroup) {
	sc := b.env.Scaling
	asg.DefaultInstanceWarmup = ptr(sc.InstanceWarmup)
	asg.Cooldown = ptr(itoa(sc.DefaultCooldown))
	for _, n := range scalingNotifications {
		asg.NotificationConfigurations = append(asg.NotificationConfigurations, autoscaling.AutoScalingGroup_NotificationConfiguration{
			TopicARN:          []string{alarmTopicFor(n.severity)},
			NotificationTypes: n.events,
		})
	}
	configureMixedInstances(b, asg)
}
