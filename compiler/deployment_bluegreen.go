package compiler

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// paramLiveColour records which colour serves when no rollout runs. The
// rollout engine reads it from the deployed stack; the template constrains
// it and publishes it as an output of the same name.
const paramLiveColour = "LiveColour"

// maxListenerWeight is the largest forward weight an ALB listener accepts.
const maxListenerWeight = 999

// colourParam names a per-colour parameter: BlueMinSize, GreenWeight.
func colourParam(f fleet, what string) string { return f.idSuffix() + what }

// compileBlueGreenParameters declares what a blue-green rollout changes,
// step by step, without touching the locked template: each colour's
// release, size and share of traffic. The stack's parameter values are
// those of a fresh stack: blue live with the spec's release and size, green
// idle with the same release, all traffic on blue.
func compileBlueGreenParameters(b *stackBuilder) {
	sc := b.env.Scaling
	release := b.env.Deployment.Release
	image := releaseImage(b.svc, b.env)
	for _, f := range b.fleets() {
		live := f.colour == colourBlue
		b.t.Parameters[f.imageParam] = cloudformation.Parameter{
			Type:                  "String",
			Description:           ptr(fmt.Sprintf("Machine image that %s runs: an AMI ID, or resolve:ssm:<parameter>.", f.label())),
			AllowedPattern:        ptr(`^(ami-[0-9a-f]{8,17}|resolve:ssm:/[a-zA-Z0-9_./-]+)$`),
			ConstraintDescription: ptr("must be ami-<hex> or resolve:ssm:/<parameter path>"),
		}
		b.stack.Parameters[f.imageParam] = image
		b.t.Parameters[f.versionParam] = cloudformation.Parameter{
			Type:                  "String",
			Description:           ptr(fmt.Sprintf("Application version that %s runs.", f.label())),
			AllowedPattern:        ptr(`^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$`),
			ConstraintDescription: ptr("1-64 letters, digits, dots, underscores, plus or minus signs"),
		}
		b.stack.Parameters[f.versionParam] = release.Version

		size := func(what, description string, value int) {
			b.t.Parameters[colourParam(f, what)] = cloudformation.Parameter{
				Type:        "Number",
				Description: ptr(description),
				MinValue:    ptr(0.0),
				MaxValue:    ptr(1000.0),
			}
			b.stack.Parameters[colourParam(f, what)] = fmt.Sprint(value)
		}
		minSize, maxSize, weight := 0, 0, 0
		if live {
			minSize, maxSize, weight = sc.MinSize, sc.MaxSize, 100
		}
		size("MinSize", fmt.Sprintf("Minimum size of %s; 0 while it is idle.", f.label()), minSize)
		size("MaxSize", fmt.Sprintf("Maximum size of %s; 0 while it is idle.", f.label()), maxSize)
		b.t.Parameters[colourParam(f, "Weight")] = cloudformation.Parameter{
			Type:        "Number",
			Description: ptr(fmt.Sprintf("Share of traffic the HTTPS listener sends to %s, relative to the other colour.", f.label())),
			MinValue:    ptr(0.0),
			MaxValue:    ptr(float64(maxListenerWeight)),
		}
		b.stack.Parameters[colourParam(f, "Weight")] = fmt.Sprint(weight)
	}
	b.t.Parameters[paramLiveColour] = cloudformation.Parameter{
		Type:          "String",
		Description:   ptr("Colour that serves when no rollout is running."),
		AllowedValues: []any{colourBlue, colourGreen},
	}
	b.stack.Parameters[paramLiveColour] = colourBlue
}

// compileBlueGreenListener makes the HTTPS listener forward to both colours
// by the weights in the parameters. goformation types a forward weight as
// an int, which cannot hold a Ref, so the action is written as plain JSON.
func compileBlueGreenListener(b *stackBuilder) {
	var groups []any
	for _, f := range b.fleets() {
		groups = append(groups, map[string]any{
			"TargetGroupArn": cloudformation.Ref(f.targetGroupID),
			"Weight":         cloudformation.Ref(colourParam(f, "Weight")),
		})
	}
	b.setRawProperty(idHTTPSListener, "DefaultActions", []any{map[string]any{
		"Type": "forward",
		"ForwardConfig": map[string]any{
			"TargetGroups": groups,
			// Stickiness would pin users to the old colour and defeat
			// the traffic steps.
			"TargetGroupStickinessConfig": map[string]any{"Enabled": false},
		},
	}})
}

// compileBlueGreenOutputs publishes what the rollout engine looks up, and
// which colour serves, so that the console and describe-stacks show it
// next to the groups.
func compileBlueGreenOutputs(b *stackBuilder) {
	b.t.Outputs[paramLiveColour] = cloudformation.Output{
		Value:       cloudformation.Ref(paramLiveColour),
		Description: ptr("Colour that serves when no rollout is running; a completed rollout switches it."),
	}
	for _, f := range b.fleets() {
		t := f.idSuffix()
		b.t.Outputs[t+"TargetGroupArn"] = cloudformation.Output{
			Value:       cloudformation.Ref(f.targetGroupID),
			Description: ptr(fmt.Sprintf("Target group of %s, whose health gates each rollout.", f.label())),
		}
		b.t.Outputs[t+"AutoScalingGroupName"] = cloudformation.Output{
			Value:       cloudformation.Ref(f.asgID),
			Description: ptr(fmt.Sprintf("Auto Scaling group of %s.", f.label())),
		}
	}
}
