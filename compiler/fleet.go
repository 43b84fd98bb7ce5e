package compiler

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
)

// fleet is one Auto Scaling group with the launch template it boots from
// and the target group that sends it traffic. A rolling stack has one
// fleet; a blue-green stack has two colours, and every concern that
// watches or scales instances does so once per fleet.
type fleet struct {
	// colour is "" for a rolling stack, else "blue" or "green".
	colour string
	// Logical IDs.
	asgID, launchTemplateID, targetGroupID string
	// imageParam and versionParam are the parameters that hold the
	// release this fleet runs.
	imageParam, versionParam string
}

// Colours of a blue-green stack.
const (
	colourBlue  = "blue"
	colourGreen = "green"
)

// fleets lists the stack's fleets, blue before green.
func (b *stackBuilder) fleets() []fleet {
	if b.env.Deployment.Strategy != StrategyBlueGreen {
		return []fleet{{
			asgID: idAsg, launchTemplateID: idLaunchTemplate, targetGroupID: idTargetGroup,
			imageParam: paramImageID, versionParam: paramAppVersion,
		}}
	}
	var out []fleet
	for _, c := range []string{colourBlue, colourGreen} {
		t := title(c)
		out = append(out, fleet{
			colour:           c,
			asgID:            idAsg + t,
			launchTemplateID: idLaunchTemplate + t,
			targetGroupID:    idTargetGroup + t,
			imageParam:       t + "ImageId",
			versionParam:     t + "AppVersion",
		})
	}
	return out
}

// idSuffix is what the fleet adds to the logical IDs of resources made per
// fleet ("Blue", "Green"; nothing for a rolling stack).
func (f fleet) idSuffix() string { return title(f.colour) }

// nameSuffix is what the fleet adds to AWS names ("-blue", "-green").
func (f fleet) nameSuffix() string {
	if f.colour == "" {
		return ""
	}
	return "-" + f.colour
}

// label names the fleet in descriptions and dashboards.
func (f fleet) label() string {
	if f.colour == "" {
		return "the group"
	}
	return "the " + f.colour + " colour"
}

// title capitalises an ASCII word.
func title(s string) string {
	if s == "" {
		return ""
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// fleetAsgDimension selects a fleet's group in AWS/EC2 and CWAgent metrics.
func fleetAsgDimension(f fleet) []cloudwatch.Alarm_Dimension {
	return []cloudwatch.Alarm_Dimension{{Name: "AutoScalingGroupName", Value: cloudformation.Ref(f.asgID)}}
}

// fleetTargetGroupDimension selects a fleet's target group in
// RequestCountPerTarget, which CloudWatch publishes per target group alone.
func fleetTargetGroupDimension(f fleet) []cloudwatch.Alarm_Dimension {
	return []cloudwatch.Alarm_Dimension{{Name: "TargetGroup", Value: cloudformation.GetAtt(f.targetGroupID, "TargetGroupFullName")}}
}
