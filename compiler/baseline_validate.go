package compiler

import (
	"cuelang.org/go/cue"
)

// baselinePath is the CUE path of a baseline's field, for positioned
// errors.
func baselinePath(bl *Baseline, rest ...string) cue.Path {
	sels := []cue.Selector{cue.Str("baselines"), cue.Str(bl.Name)}
	for _, r := range rest {
		sels = append(sels, cue.Str(r))
	}
	return cue.MakePath(sels...)
}

// validateBaselines catches what the schema cannot: two baselines for one
// account and region (there can be only one trail recorder, detector and
// Config recorder of theirs), and a baseline whose stack name, and so
// golden file, is also a service environment's.
func validateBaselines(spec *Spec) Errors {
	var errs Errors
	envStacks := map[string]string{}
	for _, svc := range spec.Services {
		for _, env := range svc.Environments {
			envStacks[env.Stack] = envPath(svc, env).String()
		}
	}
	seen := map[string]*Baseline{}
	for _, bl := range spec.Baselines {
		if other, ok := envStacks[bl.Stack]; ok {
			errs = append(errs, spec.errorAt(baselinePath(bl),
				"rename the baseline or the service; stack names must be unique",
				"the baseline's stack name %s is also the stack of %s", bl.Stack, other))
		}
		key := bl.AccountID + "/" + bl.Region
		if first, dup := seen[key]; dup {
			errs = append(errs, spec.errorAt(baselinePath(bl, "accountId"),
				"declare one baseline per account and region",
				"account %s in %s already has the baseline %s", bl.AccountID, bl.Region, first.Name))
			continue
		}
		seen[key] = bl
	}
	return errs
}
