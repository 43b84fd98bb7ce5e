package deploy_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/phasec/phasec/deploy"
	"github.com/phasec/phasec/deploy/cfntest"
)

// baseline is a stack pinned to account, as an account baseline is: no
// tier, no releases.
func baseline(name, region, account string) deploy.Stack {
	s := shop(name, "", tmplV1, "2")
	s.Region, s.Account, s.CriticalAlarms = region, account, nil
	return s
}

func TestUnpinnedStacksDoNotAskWhoTheCallerIs(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	created(t, e, shop("shop-a", "dev", tmplV1, "2"))
	if n := e.srv.Calls("GetCallerIdentity"); n != 0 {
		t.Errorf("%d GetCallerIdentity calls for stacks that pin no account", n)
	}
}

func TestPinnedStacksArePlannedAndAppliedInTheirAccount(t *testing.T) {
	e := newEnv(t, deploy.Options{}, cfntest.WithAccount("111122223333"))
	ctx := context.Background()
	stacks := []deploy.Stack{
		baseline("baseline-shop", "eu-west-1", "111122223333"),
		shop("shop-a", "dev", tmplV1, "2"),
		baseline("baseline-shop-us", "us-east-1", "111122223333"),
		baseline("baseline-shop-eu2", "eu-west-1", "111122223333"),
	}
	e.srv.Throttle(1) // the first call, STS's, is retried like any other
	plan, err := e.d.Plan(ctx, stacks)
	if err != nil {
		t.Fatal(err)
	}
	// Once per region, though two stacks of eu-west-1 are pinned.
	if n := e.srv.Calls("GetCallerIdentity"); n != 3 {
		t.Errorf("%d GetCallerIdentity calls, want 1 throttled + 1 per region", n)
	}
	var accounts []string
	for _, sp := range plan.Stacks {
		accounts = append(accounts, sp.Account)
		if !strings.Contains(sp.ChangeSetID, ":111122223333:changeSet/") {
			t.Errorf("%s: change set %s not in the account", sp.Stack, sp.ChangeSetID)
		}
	}
	if diff := cmp.Diff([]string{"111122223333", "", "111122223333", "111122223333"}, accounts); diff != "" {
		t.Errorf("planned accounts (-want +got):\n%s", diff)
	}
	var out bytes.Buffer
	deploy.WritePlan(&out, plan, false)
	for _, head := range []string{"baseline-shop (eu-west-1, account 111122223333): create,", "shop-a (eu-west-1, dev): create,"} {
		if !strings.Contains(out.String(), "\n"+head) && !strings.HasPrefix(out.String(), head) {
			t.Errorf("plan output lacks %q:\n%s", head, out.String())
		}
	}

	path := filepath.Join(t.TempDir(), "plan.json")
	if err := deploy.WritePlanFile(path, plan); err != nil {
		t.Fatal(err)
	}
	read, err := deploy.ReadPlanFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(plan, read); diff != "" {
		t.Fatalf("plan file round trip (-want +got):\n%s", diff)
	}
	if _, err := e.d.Apply(ctx, read, stacks); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if n := e.srv.Calls("GetCallerIdentity"); n != 3 {
		t.Errorf("apply asked STS again: %d calls", n)
	}
	st, _ := e.srv.Stack("baseline-shop")
	if st.Status != "CREATE_COMPLETE" || !strings.Contains(st.ID, ":111122223333:stack/baseline-shop/") {
		t.Errorf("baseline-shop: %s %s", st.Status, st.ID)
	}
}

func TestPinnedStacksOfAnotherAccountAreRefusedBeforeAnything(t *testing.T) {
	e := newEnv(t, deploy.Options{}) // the credentials are 123456789012's
	stacks := []deploy.Stack{
		shop("shop-a", "dev", tmplV1, "2"),
		baseline("baseline-shop", "eu-west-1", "111122223333"),
		baseline("baseline-here", "eu-west-1", "123456789012"),
		baseline("baseline-finance", "eu-west-1", "444455556666"),
	}
	plan, err := e.d.Plan(context.Background(), stacks)
	want := "baseline-shop: pinned to account 111122223333, but the credentials belong to account 123456789012 " +
		"(arn:aws:iam::123456789012:user/fake): use credentials of account 111122223333 (--profile or AWS_PROFILE)\n" +
		"baseline-finance: pinned to account 444455556666, but the credentials belong to account 123456789012 " +
		"(arn:aws:iam::123456789012:user/fake): use credentials of account 444455556666 (--profile or AWS_PROFILE)"
	if err == nil || err.Error() != want {
		t.Fatalf("err:\n%v\nwant:\n%s", err, want)
	}
	var se *deploy.StackError
	if !errors.As(err, &se) || se.Stack != "baseline-shop" {
		t.Errorf("not a StackError of baseline-shop: %#v", err)
	}
	if len(plan.Stacks) != 0 {
		t.Errorf("planned %d stacks", len(plan.Stacks))
	}
	for action, want := range map[string]int{"GetCallerIdentity": 1, "CreateChangeSet": 0, "DescribeStacks": 0, "PutObject": 0} {
		if n := e.srv.Calls(action); n != want {
			t.Errorf("%d %s calls, want %d", n, action, want)
		}
	}
}

func TestPlanIsAppliedOnlyWithItsAccountsCredentials(t *testing.T) {
	e := newEnv(t, deploy.Options{}, cfntest.WithAccount("111122223333"))
	ctx := context.Background()
	s := baseline("baseline-shop", "eu-west-1", "111122223333")
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	// Later, another run of phasec with the finance account's
	// credentials.
	if err := e.srv.SetCaller("", "444455556666"); err != nil {
		t.Fatal(err)
	}
	described := e.srv.Calls("DescribeChangeSet")
	want := "baseline-shop: pinned to account 111122223333, but the credentials belong to account 444455556666 " +
		"(arn:aws:iam::444455556666:user/fake): use credentials of account 111122223333 (--profile or AWS_PROFILE)"
	if _, err := e.rerun().Apply(ctx, plan, []deploy.Stack{s}); err == nil || err.Error() != want {
		t.Fatalf("err:\n%v\nwant:\n%s", err, want)
	}
	// A version 1 plan has no account: the specs' pin is checked.
	v1 := *plan
	v1.Version, v1.Stacks = 1, []deploy.StackPlan{plan.Stacks[0]}
	v1.Stacks[0].Account = ""
	if _, err := e.rerun().Apply(ctx, &v1, []deploy.Stack{s}); err == nil || err.Error() != want {
		t.Fatalf("version 1 plan: err:\n%v\nwant:\n%s", err, want)
	}
	// A plan made in one account is not applied to a stack the specs
	// now pin to another.
	moved := s
	moved.Account = "444455556666"
	_, err = e.rerun().Apply(ctx, plan, []deploy.Stack{moved})
	if err == nil || err.Error() != "baseline-shop: planned in account 111122223333, but the specs now pin it to account 444455556666: run phasec plan again" {
		t.Fatalf("moved pin: %v", err)
	}
	if n := e.srv.Calls("DescribeChangeSet") - described; n != 0 {
		t.Errorf("the change set was read %d times with the wrong credentials", n)
	}
	if n := e.srv.Calls("ExecuteChangeSet"); n != 0 {
		t.Errorf("%d change sets executed", n)
	}

	// Back with the shop account's credentials, the plan applies.
	if err := e.srv.SetCaller("", "111122223333"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.rerun().Apply(ctx, plan, []deploy.Stack{s}); err != nil {
		t.Fatalf("apply: %v", err)
	}
}

func TestCallerIdentityFailureIsClear(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	if err := e.srv.FailCallerIdentity("", "InvalidClientTokenId"); err != nil {
		t.Fatal(err)
	}
	_, err := e.d.Plan(context.Background(), []deploy.Stack{
		baseline("baseline-shop", "eu-west-1", "111122223333"),
		baseline("baseline-shop-2", "eu-west-1", "111122223333"),
	})
	prefix := "baseline-shop: pinned to account 111122223333, but the account of the credentials could not be found " +
		"(check them, or pass --profile): operation error STS: GetCallerIdentity, https response error StatusCode: 403"
	if err == nil || !strings.HasPrefix(err.Error(), prefix) ||
		!strings.Contains(err.Error(), "api error InvalidClientTokenId: The security token included in the request is invalid.\nbaseline-shop-2: ") {
		t.Fatalf("err %v", err)
	}
	for action, want := range map[string]int{"GetCallerIdentity": 1, "CreateChangeSet": 0} {
		if n := e.srv.Calls(action); n != want {
			t.Errorf("%d %s calls, want %d", n, action, want)
		}
	}
}

func TestResumeRefusesAPinnedStackOfAnotherAccount(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	s := bgShop("1.5.0")
	s.Account = "111122223333"
	_, err := e.d.ResumeRollout(context.Background(), s)
	if err == nil || !strings.HasPrefix(err.Error(), "shop-production: pinned to account 111122223333, but the credentials belong to account 123456789012") {
		t.Fatalf("err %v", err)
	}
	if n := e.srv.Calls("DescribeStacks"); n != 0 {
		t.Errorf("the stack was read %d times", n)
	}
}
