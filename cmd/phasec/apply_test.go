package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phasec/phasec/deploy/cfntest"
)

// TestDeployExitCodes runs plan and apply in-process, where a script cannot
// see exit statuses: 2 for changes present with --detailed-exitcode, 130
// for an interrupted apply.
func TestDeployExitCodes(t *testing.T) {
	srv := cfntest.NewServer()
	t.Cleanup(srv.Close)
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "none"))
	t.Setenv("PHASEC_POLL_INTERVAL", "2ms")
	t.Setenv("PHASEC_MAX_BACKOFF", "1ms")
	t.Setenv("PHASEC_BUCKET", "phasec-templates") // the stack is over the inline template limit
	specs := filepath.Join(dir, "specs")
	if err := os.MkdirAll(specs, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(specs, "shop.cue"), []byte(shopSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	golden, plan := filepath.Join(dir, "golden"), filepath.Join(dir, "plan.json")

	run := func(ctx context.Context, args ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		a := &app{stdout: &stdout, stderr: &stderr, stdin: strings.NewReader("")}
		return a.run(ctx, args), stderr.String()
	}
	ctx := context.Background()
	if code, stderr := run(ctx, "build", "--specs", specs, "--out", golden); code != 0 {
		t.Fatalf("build: %d %s", code, stderr)
	}
	if code, stderr := run(ctx, "plan", "--specs", specs, "--golden", golden, "-o", plan, "--detailed-exitcode"); code != exitChanges {
		t.Fatalf("plan: exit %d, want %d\n%s", code, exitChanges, stderr)
	}

	srv.HoldResource("shop-production", "Asg")
	cctx, cancel := context.WithCancel(ctx)
	type outcome struct {
		code   int
		stderr string
	}
	done := make(chan outcome, 1)
	go func() {
		code, stderr := run(cctx, "apply", "--specs", specs, "--golden", golden, plan)
		done <- outcome{code, stderr}
	}()
	wait, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	if err := srv.WaitEvent(wait, "shop-production", "", "CREATE_IN_PROGRESS"); err != nil {
		t.Fatal(err)
	}
	cancel()
	got := <-done
	if got.code != exitInterrupted || !strings.Contains(got.stderr, "CloudFormation carries on with shop-production (us-east-1)") {
		t.Fatalf("interrupted apply: exit %d\n%s", got.code, got.stderr)
	}
	srv.ReleaseResource("shop-production", "Asg")
	if code, stderr := run(ctx, "apply", "--specs", specs, "--golden", golden, "--watch", "shop-production"); code != exitOK {
		t.Fatalf("watch: exit %d\n%s", code, stderr)
	}
	if code, _ := run(ctx, "apply", "--specs", specs, "--golden", golden, "--watch", "nope"); code != exitError {
		t.Fatalf("watch of an unknown stack: exit %d", code)
	}
}

const shopSpec = `package specs

services: shop: {
	region: "us-east-1"
	network: {
		vpcId: "vpc-0a1b2c3d4e5f60718"
		publicSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
		privateSubnetIds: ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"]
		ingressCidrs: ["10.0.0.0/8"]
	}
	app: certificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	alerts: {
		critical: email: ["oncall@example.com"]
		warning: email: ["team@example.com"]
		info: email: ["feed@example.com"]
	}
	environments: production: tier: "production"
}
`
