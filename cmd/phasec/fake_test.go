package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/phasec/phasec/deploy/cfntest"
)

// setupFake starts a CloudFormation fake for every script and points the
// AWS SDK of the phasec under test at it through the standard endpoint
// variables, so that plan and apply run unchanged, with no test-only
// flags. Polling and retry backoff are shortened to keep scripts fast.
func setupFake(env *testscript.Env) error {
	srv := cfntest.NewServer()
	env.Defer(srv.Close)
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		env.Setenv(k, v)
	}
	env.Setenv("FAKE_URL", srv.URL)
	env.Setenv("AWS_CONFIG_FILE", filepath.Join(env.WorkDir, ".aws", "config"))
	env.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(env.WorkDir, ".aws", "credentials"))
	env.Setenv("PHASEC_POLL_INTERVAL", "2ms")
	env.Setenv("PHASEC_MAX_BACKOFF", "1ms")
	// A stack with its alarms and dashboard is over CloudFormation's
	// 51,200-byte inline limit, so every plan uploads its template; the
	// fake's S3 accepts it. plan_large unsets it to see the refusal.
	env.Setenv("PHASEC_BUCKET", "phasec-templates")
	env.Setenv("NO_COLOR", "1")
	return nil
}

// fakeCmds are the script commands that drive the fake, through its
// control endpoint as a fake in another process would be driven.
var fakeCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"fake": fakeCmd,
}

// fakeCmd is "fake VERB ARGS...":
//
//	fake fail RESOURCE [REASON]   the next change of RESOURCE fails
//	fake throttle N               the next N API calls are throttled
//	fake obsolete STACK           the stack's change sets become OBSOLETE
//	fake status STACK STATUS      put the stack in STATUS
//	fake hold RESOURCE            executions stop before RESOURCE
//	fake alarm NAME [STATE [REASON]]  create a CloudWatch alarm, in STATE
//	fake alarm-when NAME STACK PARAM VALUE  the alarm fires once the
//	                              stack's parameter PARAM equals VALUE
//	fake health TG [STATE [REASON]] [after=N]  script the health of target
//	                              group TG's targets (logical ID)
//	fake wait STACK RESOURCE STATUS [N]  block until that event (or N of them) exists
//	fake caller ACCOUNT [KEY]     the access key KEY (every other key when
//	                              absent) belongs to ACCOUNT from now on
//	fake caller-fails CODE [KEY]  STS GetCallerIdentity with KEY fails with
//	                              CODE (InvalidClientTokenId, ExpiredToken,
//	                              AccessDenied)
//	fake calls ACTION             print how many ACTION calls the fake answered
//	fake stacks                   print "name status protection" per stack
func fakeCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("fake does not fail")
	}
	if len(args) == 0 {
		ts.Fatalf("usage: fake VERB ARGS...")
	}
	arg := func(i int) string {
		if i >= len(args) {
			ts.Fatalf("fake %s: missing argument %d", args[0], i)
		}
		return args[i]
	}
	q := url.Values{}
	method := http.MethodPost
	switch args[0] {
	case "fail":
		q.Set("resource", arg(1))
		if len(args) > 2 {
			q.Set("reason", args[2])
		}
	case "throttle":
		q.Set("n", arg(1))
	case "obsolete":
		q.Set("stack", arg(1))
	case "status":
		q.Set("stack", arg(1))
		q.Set("status", arg(2))
	case "hold", "release":
		q.Set("resource", arg(1))
	case "alarm":
		q.Set("name", arg(1))
		if len(args) > 2 {
			q.Set("state", args[2])
		}
		if len(args) > 3 {
			q.Set("reason", args[3])
		}
	case "alarm-when":
		args[0] = "alarm"
		q.Set("name", arg(1))
		q.Set("stack", arg(2))
		q.Set("param", arg(3))
		q.Set("value", arg(4))
	case "health":
		q.Set("resource", arg(1))
		for _, a := range args[2:] {
			switch {
			case strings.HasPrefix(a, "after="):
				q.Set("after", strings.TrimPrefix(a, "after="))
			case q.Get("state") == "":
				q.Set("state", a)
			default:
				q.Set("reason", a)
			}
		}
	case "wait":
		method = http.MethodGet
		q.Set("stack", arg(1))
		q.Set("resource", arg(2))
		q.Set("status", arg(3))
		if len(args) > 4 {
			q.Set("count", args[4])
		}
	case "caller":
		q.Set("account", arg(1))
		if len(args) > 2 {
			q.Set("key", args[2])
		}
	case "caller-fails":
		args[0] = "caller"
		q.Set("failure", arg(1))
		if len(args) > 2 {
			q.Set("key", args[2])
		}
	case "calls":
		method = http.MethodGet
		q.Set("action", arg(1))
	case "stacks":
		method = http.MethodGet
	default:
		ts.Fatalf("fake: unknown verb %q", args[0])
	}
	req, err := http.NewRequest(method, ts.Getenv("FAKE_URL")+"/_fake/"+args[0]+"?"+q.Encode(), nil)
	ts.Check(err)
	resp, err := http.DefaultClient.Do(req)
	ts.Check(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	ts.Check(err)
	if resp.StatusCode != http.StatusOK {
		ts.Fatalf("fake %s: %s: %s", args[0], resp.Status, body)
	}
	switch args[0] {
	case "calls":
		ts.Stdout().Write(body)
		return
	case "stacks":
	default:
		return
	}
	var stacks []cfntest.StackState
	ts.Check(json.Unmarshal(body, &stacks))
	out := ts.Stdout() // even when there is no stack: stdout is then empty, not the last command's
	for _, s := range stacks {
		fmt.Fprintf(out, "%s %s protection=%v\n", s.Name, s.Status, s.TerminationProtection)
	}
}
