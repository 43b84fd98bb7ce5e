package compiler

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/autoscaling"
)

// compileScaling adds the target-tracking policies that hold the group at
// the environment's CPU, memory and requests-per-target goals. Target
// tracking scales out fast and in slowly on its own, and each policy may
// scale out while scale-in waits for all of them to agree.
func compileScaling(b *stackBuilder) {
	sc := b.env.Scaling
	b.targetTracking("CpuTargetTracking", float64(sc.CPUTarget), &autoscaling.ScalingPolicy_TargetTrackingConfiguration{
		PredefinedMetricSpecification: &autoscaling.ScalingPolicy_PredefinedMetricSpecification{
			PredefinedMetricType: "ASGAverageCPUUtilization",
		},
	})
	b.targetTracking("MemoryTargetTracking", float64(sc.MemoryTarget), &autoscaling.ScalingPolicy_TargetTrackingConfiguration{
		CustomizedMetricSpecification: &autoscaling.ScalingPolicy_CustomizedMetricSpecification{
			Namespace:  agentNamespace,
			MetricName: "mem_used_percent",
			Statistic:  "Average",
			Unit:       ptr("Percent"),
			Dimensions: []autoscaling.ScalingPolicy_MetricDimension{{
				Name:  "AutoScalingGroupName",
				Value: cloudformation.Ref(idAsg),
			}},
		},
	})
	requests := b.targetTracking("RequestsTargetTracking", float64(sc.RequestsPerTarget), &autoscaling.ScalingPolicy_TargetTrackingConfiguration{
		PredefinedMetricSpecification: &autoscaling.ScalingPolicy_PredefinedMetricSpecification{
			PredefinedMetricType: "ALBRequestCountPerTarget",
			ResourceLabel: ptr(cloudformation.Join("/", []string{
				cloudformation.GetAtt(idLoadBalancer, "LoadBalancerFullName"),
				cloudformation.GetAtt(idTargetGroup, "TargetGroupFullName"),
			})),
		},
	})
	// Request counting needs the target group attached to the load
	// balancer, which the listener does.
	requests.AWSCloudFormationDependsOn = []string{idHTTPSListener}
}

// targetTracking adds one target-tracking policy on the group.
func (b *stackBuilder) targetTracking(id string, target float64, cfg *autoscaling.ScalingPolicy_TargetTrackingConfiguration) *autoscaling.ScalingPolicy {
	cfg.TargetValue = target
	p := &autoscaling.ScalingPolicy{
		AutoScalingGroupName:        cloudformation.Ref(idAsg),
		PolicyType:                  ptr("TargetTrackingScaling"),
		TargetTrackingConfiguration: cfg,
	}
	b.add(id, p)
	return p
}
