package deploy

import (
	"crypto/sha256"
	"encoding/hex"
)

// Stack is one stack to deploy, as the CLI builds it from the compiler's
// output; deploy needs nothing else from the compiler.
type Stack struct {
	Name           string            // CloudFormation stack name "<service>-<env>"
	Tier           string            // "production" | "staging" | "dev"
	Region         string            // where the stack lives, unless Options.Region overrides it
	Template       []byte            // canonical JSON template
	Parameters     map[string]string // parameter values
	Tags           map[string]string // stack tags
	CriticalAlarms []string          // CloudWatch alarm names of the stack's critical alarms
	// Account, when set, is the only AWS account the stack may be
	// deployed to (an account baseline's): plan, apply and rollout resume
	// refuse credentials of another account.
	Account string
	// Strategy is how releases roll out: StrategyRolling or
	// StrategyBlueGreen; empty for stacks without releases (baselines).
	Strategy string
	// BlueGreen tunes the rollouts of a blue-green stack; nil otherwise.
	BlueGreen *BlueGreen
	// Release is what the spec says the stack runs. A blue-green stack
	// whose live colour runs another release is rolled out by Apply.
	Release Release
	// MonitoringMinutes, when set, is how long CloudFormation watches the
	// rollback triggers after an update (the spec's
	// rollbackMonitoringMinutes); nil means the tier's default.
	MonitoringMinutes *int32
}

// TemplateSHA256 is the hex sha256 of the template: what a plan records
// and apply compares, so that what was reviewed is what is deployed.
func (s Stack) TemplateSHA256() string {
	return sha256Hex(s.Template)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// tierPolicy is what a tier changes in how a stack is deployed.
type tierPolicy struct {
	// monitoringMinutes is how long CloudFormation watches the rollback
	// triggers after an update before it considers the update done.
	monitoringMinutes int32
	// protect turns on termination protection after a successful apply.
	protect bool
}

// tiers is the one place that says how each tier is deployed.
var tiers = map[string]tierPolicy{
	"production": {monitoringMinutes: 15, protect: true},
	"staging":    {monitoringMinutes: 10},
	"dev":        {monitoringMinutes: 5},
}

// policyFor returns the tier's policy; an unknown tier gets the most
// cautious monitoring and no protection.
func policyFor(tier string) tierPolicy {
	if p, ok := tiers[tier]; ok {
		return p
	}
	return tierPolicy{monitoringMinutes: 15}
}
