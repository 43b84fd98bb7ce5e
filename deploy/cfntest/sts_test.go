package cfntest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/phasec/phasec/deploy/cfntest"
)

// keyed are SDK clients signing with the access key key, as another
// profile's credentials would.
type keyed struct {
	sts *sts.Client
	cfn *cloudformation.Client
}

func clientsWithKey(t *testing.T, key string) keyed {
	t.Helper()
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: key, SecretAccessKey: "fake"}, nil
	})
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion("eu-west-1"), config.WithCredentialsProvider(creds))
	if err != nil {
		t.Fatal(err)
	}
	return keyed{sts.NewFromConfig(cfg), cloudformation.NewFromConfig(cfg)}
}

func callerOf(t *testing.T, c keyed) (account, arn string) {
	t.Helper()
	out, err := c.sts.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(aws.ToString(out.UserId), "AIDA") || len(aws.ToString(out.UserId)) != 21 {
		t.Errorf("user ID %q is not an IAM user's", aws.ToString(out.UserId))
	}
	return aws.ToString(out.Account), aws.ToString(out.Arn)
}

// accountTemplate outputs the account a stack is created in.
const accountTemplate = `{
  "Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {}}},
  "Outputs": {"Account": {"Value": {"Ref": "AWS::AccountId"}}, "Topic": {"Value": {"Ref": "Topic"}}}
}`

// createIn creates a stack with c and returns it once created.
func createIn(t *testing.T, c keyed, name string) types.Stack {
	t.Helper()
	ctx := context.Background()
	cs, err := c.cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{
		StackName: &name, ChangeSetName: aws.String("create"), ChangeSetType: types.ChangeSetTypeCreate,
		TemplateBody: aws.String(accountTemplate),
	})
	if err != nil {
		t.Fatal(err)
	}
	for {
		out, err := c.cfn.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: cs.Id})
		if err != nil {
			t.Fatal(err)
		}
		if out.Status == types.ChangeSetStatusCreateComplete {
			break
		}
		if out.Status == types.ChangeSetStatusFailed {
			t.Fatalf("change set failed: %s", aws.ToString(out.StatusReason))
		}
		time.Sleep(time.Millisecond)
	}
	if _, err := c.cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id}); err != nil {
		t.Fatal(err)
	}
	for {
		out, err := c.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: &name})
		if err != nil {
			t.Fatal(err)
		}
		st := out.Stacks[0]
		if st.StackStatus != types.StackStatusCreateComplete && !strings.HasSuffix(string(st.StackStatus), "_IN_PROGRESS") {
			t.Fatalf("stack %s: %s", name, st.StackStatus)
		}
		if st.StackStatus == types.StackStatusCreateComplete {
			if !strings.Contains(*cs.Id, ":"+outputOf(st, "Account")+":changeSet/") {
				t.Errorf("change set %s is not in the stack's account %s", *cs.Id, outputOf(st, "Account"))
			}
			return st
		}
		time.Sleep(time.Millisecond)
	}
}

func outputOf(st types.Stack, key string) string {
	for _, o := range st.Outputs {
		if aws.ToString(o.OutputKey) == key {
			return aws.ToString(o.OutputValue)
		}
	}
	return ""
}

func TestCallerIdentityAndARNsFollowTheAccount(t *testing.T) {
	srv, _ := newFake(t, cfntest.WithAccount("111122223333"))
	shop := clientsWithKey(t, "shop-key")
	if account, arn := callerOf(t, shop); account != "111122223333" || arn != "arn:aws:iam::111122223333:user/shop-key" {
		t.Errorf("caller %s %s, want WithAccount's", account, arn)
	}
	st := createIn(t, shop, "baseline-shop")
	if !strings.HasPrefix(*st.StackId, "arn:aws:cloudformation:eu-west-1:111122223333:stack/baseline-shop/") || outputOf(st, "Account") != "111122223333" {
		t.Errorf("stack %s with AWS::AccountId %s, want account 111122223333", *st.StackId, outputOf(st, "Account"))
	}

	// Another profile's key has an account of its own; the others keep
	// theirs.
	if err := srv.SetCaller("finance-key", "444455556666"); err != nil {
		t.Fatal(err)
	}
	finance := clientsWithKey(t, "finance-key")
	if account, arn := callerOf(t, finance); account != "444455556666" || arn != "arn:aws:iam::444455556666:user/finance-key" {
		t.Errorf("finance caller %s %s", account, arn)
	}
	if account, _ := callerOf(t, shop); account != "111122223333" {
		t.Errorf("shop caller moved to %s", account)
	}
	st = createIn(t, finance, "baseline-finance")
	if !strings.Contains(*st.StackId, ":444455556666:stack/") || outputOf(st, "Account") != "444455556666" {
		t.Errorf("finance stack %s with AWS::AccountId %s", *st.StackId, outputOf(st, "Account"))
	}
	if n := srv.Calls("GetCallerIdentity"); n != 3 {
		t.Errorf("%d GetCallerIdentity calls, want 3", n)
	}
}

func TestCallerIdentityFailures(t *testing.T) {
	srv, _ := newFake(t)
	c := clientsWithKey(t, "old-key")
	if account, arn := callerOf(t, c); account != "123456789012" || arn != "arn:aws:iam::123456789012:user/old-key" {
		t.Errorf("default caller %s %s", account, arn)
	}
	for code, message := range map[string]string{
		"InvalidClientTokenId": "The security token included in the request is invalid.",
		"ExpiredToken":         "The security token included in the request is expired",
		"AccessDenied":         "User: arn:aws:iam::123456789012:user/old-key is not authorized to perform: sts:GetCallerIdentity because no VPC endpoint policy allows the sts:GetCallerIdentity action",
	} {
		if err := srv.FailCallerIdentity("old-key", code); err != nil {
			t.Fatal(err)
		}
		_, err := c.sts.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		var api smithy.APIError
		var resp *awshttp.ResponseError
		if !errors.As(err, &api) || api.ErrorCode() != code || api.ErrorMessage() != message {
			t.Errorf("%s: got %v", code, err)
		}
		if !errors.As(err, &resp) || resp.HTTPStatusCode() != http.StatusForbidden {
			t.Errorf("%s: not an HTTP 403: %v", code, err)
		}
	}
	// Other keys, and other APIs, still answer.
	if account, _ := callerOf(t, clientsWithKey(t, "new-key")); account != "123456789012" {
		t.Errorf("new key: %s", account)
	}
	if _, err := c.cfn.DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{}); err != nil {
		t.Errorf("CloudFormation failed too: %v", err)
	}
	if err := srv.SetCaller("old-key", "123456789012"); err != nil {
		t.Fatal(err)
	}
	if account, _ := callerOf(t, c); account != "123456789012" {
		t.Errorf("SetCaller did not lift the failure: %s", account)
	}
	if err := srv.FailCallerIdentity("", "Whatever"); err == nil {
		t.Error("unknown failure code accepted")
	}
	if err := srv.SetCaller("", "12345"); err == nil {
		t.Error("malformed account accepted")
	}
}

func TestCallerThroughTheControlEndpoint(t *testing.T) {
	srv, _ := newFake(t)
	call := func(method, path string) (int, string) {
		req, err := http.NewRequest(method, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := call(http.MethodPost, "/_fake/caller?account=444455556666"); code != 200 {
		t.Fatalf("caller: %d %s", code, body)
	}
	c := clientsWithKey(t, "any-key")
	if account, _ := callerOf(t, c); account != "444455556666" {
		t.Errorf("caller %s, want the control endpoint's", account)
	}
	if code, body := call(http.MethodPost, "/_fake/caller?failure=ExpiredToken&key=any-key"); code != 200 {
		t.Fatalf("caller failure: %d %s", code, body)
	}
	if _, err := c.sts.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err == nil || !strings.Contains(err.Error(), "ExpiredToken") {
		t.Errorf("failure not injected: %v", err)
	}
	if code, body := call(http.MethodGet, "/_fake/calls?action=GetCallerIdentity"); code != 200 || body != "2\n" {
		t.Errorf("calls: %d %q", code, body)
	}
	for _, bad := range []string{"/_fake/caller", "/_fake/caller?account=1", "/_fake/caller?failure=Nope", "/_fake/caller?account=444455556666&failure=ExpiredToken"} {
		if code, _ := call(http.MethodPost, bad); code == 200 {
			t.Errorf("%s accepted", bad)
		}
	}
	if code, _ := call(http.MethodGet, "/_fake/calls"); code == 200 {
		t.Error("calls without an action accepted")
	}
}
