package compiler

import "github.com/awslabs/goformation/v7/cloudformation/policies"

// dataPolicies are the DeletionPolicy and UpdateReplacePolicy of a resource
// that holds or unlocks data (a log group, a KMS key): Retain keeps it when
// its stack is deleted or it is replaced, Delete removes it with its
// environment. phasec writes the choice on every such resource rather than
// leaving it to CloudFormation's default, so that a reviewer reads it in the
// golden file. A key is kept whenever the data it encrypts is kept: a
// retained log group or bucket whose key is scheduled for deletion becomes
// unreadable once the key is gone.
func dataPolicies(retain bool) (policies.DeletionPolicy, policies.UpdateReplacePolicy) {
	if retain {
		return "Retain", "Retain"
	}
	return "Delete", "Delete"
}

// retainsData reports whether a tier keeps its logs, and the key that
// encrypts them, when its stack goes away: production logs are evidence
// for incident reviews and audits; staging and dev logs go with their
// environment.
func retainsData(tier string) bool { return tier == "production" }
