package compiler

import (
	"github.com/awslabs/goformation/v7/cloudformation/autoscaling"
)

// MixedInstances runs the group on several instance types and, outside
// production, optionally on Spot capacity.
type MixedInstances struct {
	// InstanceTypes in priority order; they include the environment's
	// instance type.
	InstanceTypes []string `json:"instanceTypes"`
	// OnDemandBaseCapacity instances are always On-Demand.
	OnDemandBaseCapacity int `json:"onDemandBaseCapacity"`
	// SpotPercentage of the capacity above the base runs on Spot.
	SpotPercentage         int    `json:"spotPercentage"`
	SpotAllocationStrategy string `json:"spotAllocationStrategy"`
}

// configureMixedInstances replaces the group's single launch template by a
// mixed-instances policy over the same template when the spec asks for
// one. On-Demand capacity follows the spec's order of instance types
// (prioritized); Spot capacity, if any, comes from the pools least likely
// to be interrupted at the lowest price, and capacity rebalancing replaces
// Spot instances that receive a rebalance recommendation before they are
// interrupted.
func configureMixedInstances(b *stackBuilder, asg *autoscaling.AutoScalingGroup) {
	mi := b.env.Scaling.MixedInstances
	if mi == nil {
		return
	}
	overrides := make([]autoscaling.AutoScalingGroup_LaunchTemplateOverrides, len(mi.InstanceTypes))
	for i, t := range mi.InstanceTypes {
		overrides[i] = autoscaling.AutoScalingGroup_LaunchTemplateOverrides{InstanceType: ptr(t)}
	}
	dist := &autoscaling.AutoScalingGroup_InstancesDistribution{
		OnDemandAllocationStrategy:          ptr("prioritized"),
		OnDemandBaseCapacity:                ptr(mi.OnDemandBaseCapacity),
		OnDemandPercentageAboveBaseCapacity: ptr(100 - mi.SpotPercentage),
	}
	if mi.SpotPercentage > 0 {
		dist.SpotAllocationStrategy = ptr(mi.SpotAllocationStrategy)
		asg.CapacityRebalance = ptr(true)
	}
	asg.MixedInstancesPolicy = &autoscaling.AutoScalingGroup_MixedInstancesPolicy{
		LaunchTemplate: &autoscaling.AutoScalingGroup_LaunchTemplate{
			LaunchTemplateSpecification: asg.LaunchTemplate,
			Overrides:                   overrides,
		},
		InstancesDistribution: dist,
	}
	// A group launches from exactly one source.
	asg.LaunchTemplate = nil
}
