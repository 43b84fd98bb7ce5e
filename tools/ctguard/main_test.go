package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// runTool runs the command as main does and returns its exit status and
// output.
func runTool(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// fakeToolDir makes a tool folder whose package.json pins version 0.0.62
// and, when installed is not empty, a node_modules holding that version of
// the package; guard, when not empty, is the cfn-guard binary's script.
func fakeToolDir(t *testing.T, installed, guard string) string {
	t.Helper()
	dir := t.TempDir()
	write := func(path, body string, mode os.FileMode) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "package.json"), `{"dependencies": {"`+packageName+`": "0.0.62"}}`, 0o644)
	if installed == "" {
		return dir
	}
	pkg := filepath.Join(dir, "node_modules", packageName)
	write(filepath.Join(pkg, "package.json"), `{"version": "`+installed+`"}`, 0o644)
	if guard != "" {
		bin, err := guardBinary(pkg)
		if err != nil {
			t.Skip(err)
		}
		write(bin, guard, 0o755)
	}
	return dir
}

// TestCannotRun: exit status 2, and a message saying what to do, whenever
// the check cannot run as pinned.
func TestCannotRun(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake cfn-guard is a shell script")
	}
	tests := []struct {
		name    string
		toolDir string
		args    []string
		want    string
	}{
		{"no template", fakeToolDir(t, "", ""), nil, "usage: ctguard"},
		{"not installed", fakeToolDir(t, "", ""), []string{"testdata/pass.json"}, "@cdklabs/cdk-validator-cfnguard is not installed: run npm ci in"},
		{"another version installed", fakeToolDir(t, "0.0.61", ""), []string{"testdata/pass.json"}, "0.0.61 is installed, package.json pins 0.0.62"},
		{"no binary", fakeToolDir(t, "0.0.62", ""), []string{"testdata/pass.json"}, "--version"},
		{"another cfn-guard", fakeToolDir(t, "0.0.62", "#!/bin/sh\necho 'cfn-guard 3.0.0'\n"), []string{"testdata/pass.json"}, `is "cfn-guard 3.0.0", want cfn-guard 3.1.1`},
		{"the right cfn-guard but no rules", fakeToolDir(t, "0.0.62", "#!/bin/sh\necho 'cfn-guard 3.1.1'\n"), []string{"testdata/pass.json"}, "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runTool(t, append([]string{"--tool-dir", tt.toolDir}, tt.args...)...)
			if code != 2 || !strings.Contains(stderr, tt.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and a message containing %q", code, stdout, stderr, tt.want)
			}
		})
	}
}

// installed skips a test that needs the real package: CI installs it
// (make ct runs npm ci) before running the check on the golden templates,
// which is then the assertion that they pass.
func installed(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join("node_modules", filepath.FromSlash(packageName))); err != nil {
		t.Skip("tools/ctguard/node_modules is absent: run npm ci in tools/ctguard (make ct does) to run the real Control Tower rules")
	}
}

// TestRealRules runs the pinned cfn-guard and Control Tower rules on the
// test templates: one that passes only because its intrinsics are resolved
// as a hook resolves them (template mode fails it on CT.AUTOSCALING.PR.1
// and CT.CLOUDWATCH.PR.2), one with a failure and two suppressed ones.
func TestRealRules(t *testing.T) {
	installed(t)
	code, stdout, stderr := runTool(t, "--tool-dir", ".", "testdata/pass.json")
	if code != 0 || stdout != "" {
		t.Errorf("pass.json: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if want := "ctguard: 1 templates, 4 resources (0 of types no control names)"; !strings.HasPrefix(stderr, want) {
		t.Errorf("pass.json summary %q, want it to start %q", stderr, want)
	}

	code, stdout, stderr = runTool(t, "--tool-dir", ".", "testdata/fail.json")
	want := "testdata/fail.json: ShortLogs: CT.CLOUDWATCH.PR.2: Require an Amazon CloudWatch log group to be retained for at least one year: RetentionInDays is 30 (cloudwatch/ct-cloudwatch-pr-2.guard)\n"
	if code != 1 || stdout != want {
		t.Errorf("fail.json: exit %d, stdout (-want +got):\n%s\nstderr:\n%s", code, cmp.Diff(want, stdout), stderr)
	}
	if !strings.HasSuffix(stderr, ": 1 failures, 2 suppressed\n") {
		t.Errorf("fail.json summary %q", stderr)
	}

	code, stdout, _ = runTool(t, "--tool-dir", ".", "--verbose", "testdata/fail.json")
	want += "testdata/fail.json: DevLogs: CT.CLOUDWATCH.PR.2: suppressed by PHS-LOGS-001: dev logs only serve release debugging\n" +
		"testdata/fail.json: LogBucket: CT.S3.PR.9: suppressed by PHS-S3-010: the test's log bucket cannot use Object Lock\n"
	if code != 1 || stdout != want {
		t.Errorf("fail.json --verbose: exit %d, stdout (-want +got):\n%s", code, cmp.Diff(want, stdout))
	}

	code, _, stderr = runTool(t, "--tool-dir", ".", "testdata/pass.json", "testdata/missing.json")
	if code != 2 || !strings.Contains(stderr, "missing.json") {
		t.Errorf("a missing template: exit %d, stderr %q; want 2", code, stderr)
	}
}

// TestBatchingChangesNothing: the verdicts of one cfn-guard run with every
// rule and document of a type are those of one run per rule and document,
// which is how a hook evaluates them.
func TestBatchingChangesNothing(t *testing.T) {
	installed(t)
	g, controls, err := setup(".")
	if err != nil {
		t.Fatal(err)
	}
	tmpl, _, err := loadTemplate("testdata/fail.json", controlMapping())
	if err != nil {
		t.Fatal(err)
	}
	byType := map[string][]map[string]any{}
	for _, r := range tmpl.resources {
		byType[r.Type] = append(byType[r.Type], r.Doc)
	}
	for typ, docs := range byType {
		var applicable []control
		for _, c := range controls {
			if c.names(typ) {
				applicable = append(applicable, c)
			}
		}
		batched, err := g.validate(applicable, docs)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range docs {
			for _, c := range applicable {
				single, err := g.validate([]control{c}, []map[string]any{doc})
				if err != nil {
					t.Fatal(err)
				}
				if b, s := batched[i][c.Rule].verdict, single[0][c.Rule].verdict; b != s {
					t.Errorf("%s on %s document %d: batched verdict %d, alone %d", c.ID, typ, i+1, b, s)
				}
			}
		}
	}
}

// TestSelectionCoversMetadata: every resource type a control's metadata
// says it evaluates is one its rule file names, so the selection by text
// never leaves a control out.
func TestSelectionCoversMetadata(t *testing.T) {
	installed(t)
	pkg := filepath.Join("node_modules", filepath.FromSlash(packageName))
	controls, err := loadControls(pkg)
	if err != nil {
		t.Fatal(err)
	}
	if len(controls) < 200 {
		t.Fatalf("only %d Control Tower rule files", len(controls))
	}
	for _, c := range controls {
		path := filepath.Join(pkg, metadataDir, strings.TrimSuffix(c.File, ".guard")+".metadata.json")
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var meta struct{ EvaluatedResourceTypes []string }
		if err := json.Unmarshal(body, &meta); err != nil {
			t.Fatal(err)
		}
		for _, typ := range meta.EvaluatedResourceTypes {
			if !c.names(typ) {
				t.Errorf("%s (%s) evaluates %s, which its rule file does not name", c.ID, c.File, typ)
			}
		}
	}
}
