// Package deploy plans and applies phasec stacks through CloudFormation
// change sets.
//
// Plan reads each stack's state, creates a change set for the rendered
// template (uploading it to S3 when it is over CloudFormation's inline
// limit), waits for it, and describes every change with its property
// values; the result can be shown to a reviewer and saved as a plan file.
// Apply executes exactly the change sets of a plan, after checking that
// they are still executable and that the templates are still the ones
// planned, streams stack events while CloudFormation works, and reports
// the root cause of a failure. Both refuse, before any change set is
// created or read, a stack pinned to an account ([Stack].Account, an
// account baseline's) when STS GetCallerIdentity says the credentials
// belong to another.
//
// On a blue-green stack, a release the live colour does not run yet is
// rolled out by Apply after the change set: a sequence of parameter-only
// change sets (the new colour's release and size, then the listener's
// weights step by step, then the cutover) gated by the new colour's target
// health and the stack's critical alarms, and rolled back when either
// fails. The rollout's lock and progress live on the stack (a stack tag
// and the parameters), so [Deployer.RolloutStatus],
// [Deployer.ResumeRollout] and [Deployer.AbortRollout] work from any
// machine.
//
// The package depends only on the AWS SDK, not on the compiler: the CLI
// hands it rendered templates as [Stack] values. It is tested against the
// wire-level fake in deploy/cfntest through the real SDK clients.
package deploy
