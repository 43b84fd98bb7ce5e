package deploy

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// caller is who the credentials are, as STS GetCallerIdentity tells it.
type caller struct {
	account string
	arn     string
}

// callerIdentity asks STS whose credentials c signs with, once: every
// stack of the region is checked against the same answer. A failure is
// not kept, so that a later command with the same Deployer asks again.
func (c *clients) callerIdentity(ctx context.Context) (caller, error) {
	c.callerMu.Lock()
	defer c.callerMu.Unlock()
	if c.caller != nil {
		return *c.caller, nil
	}
	out, err := c.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return caller{}, err
	}
	c.caller = &caller{account: deref(out.Account), arn: deref(out.Arn)}
	return *c.caller, nil
}

// accountPin is a stack that must be deployed to a given account.
type accountPin struct {
	stack   string
	region  string
	account string // empty: the stack may be deployed anywhere
}

// checkAccounts refuses, before anything is created or executed, every
// stack pinned to an account other than the credentials' of its region:
// an account baseline deployed with the wrong credentials would put one
// account's audit trail, GuardDuty detector and Config recorder in
// another. STS is asked once per region, and only when some stack is
// pinned. The error joins one *StackError per refused stack.
func (d *Deployer) checkAccounts(ctx context.Context, pins []accountPin) error {
	failed := map[string]error{} // by region: STS is not asked twice for one run
	var errs []error
	for _, p := range pins {
		if p.account == "" {
			continue
		}
		err, asked := failed[p.region]
		var who caller
		if !asked {
			var c *clients
			if c, err = d.clientsFor(ctx, p.region); err == nil {
				who, err = c.callerIdentity(ctx)
			}
			if err != nil {
				failed[p.region] = err
			}
		}
		switch {
		case err != nil:
			errs = append(errs, stackErr(p.stack, "pinned to account %s, but the account of the credentials could not be found "+
				"(check them, or pass --profile): %w", p.account, err))
		case who.account != p.account:
			errs = append(errs, stackErr(p.stack, "pinned to account %s, but the credentials belong to account %s (%s): "+
				"use credentials of account %s (--profile or AWS_PROFILE)", p.account, who.account, who.arn, p.account))
		}
	}
	return errors.Join(errs...)
}

// isAccountID reports whether s looks like an AWS account ID.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// plannedAccount is the account a planned stack must be applied in: the
// one it was planned in, which must still be the one the specs pin.
func plannedAccount(sp StackPlan, s Stack) (string, error) {
	if sp.Account != "" && s.Account != "" && sp.Account != s.Account {
		return "", fmt.Errorf("planned in account %s, but the specs now pin it to account %s: run phasec plan again", sp.Account, s.Account)
	}
	if sp.Account != "" {
		return sp.Account, nil
	}
	return s.Account, nil
}
