package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// guardVersion is the cfn-guard release the pinned package ships (its
// guard-version.json). The Control Tower rules are written for a Guard
// engine, and a different engine may judge the same rule differently, so
// the check refuses to run with another.
const guardVersion = "3.1.1"

// guardBinary is the path of the cfn-guard binary the package ships for
// this machine: bin/ubuntu/x86_64/cfn-guard on Linux on amd64.
func guardBinary(pkg string) (string, error) {
	osDir := map[string]string{"linux": "ubuntu", "darwin": "macos"}[runtime.GOOS]
	archDir := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]
	if osDir == "" || archDir == "" {
		return "", fmt.Errorf("the package ships no cfn-guard binary for %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	return filepath.Join(pkg, "bin", osDir, archDir, "cfn-guard"), nil
}

// guard runs one cfn-guard binary.
type guard struct{ bin string }

// checkVersion fails unless the binary runs and is guardVersion.
func (g guard) checkVersion() error {
	out, err := exec.Command(g.bin, "--version").Output()
	if err != nil {
		return fmt.Errorf("%s --version: %w", g.bin, err)
	}
	got := strings.TrimSpace(string(out))
	if got != "cfn-guard "+guardVersion {
		return fmt.Errorf("%s is %q, want cfn-guard %s", g.bin, got, guardVersion)
	}
	return nil
}

// verdict is one rule's outcome on one document.
type verdict int

const (
	skip verdict = iota // the rule does not apply to the document
	pass
	fail
)

// outcome is one rule's verdict on one document; for a failure, failure is
// cfn-guard's report of it (a "Rule" object of its JSON output).
type outcome struct {
	verdict verdict
	failure map[string]any
}

// validate evaluates every rule on every document in one cfn-guard run and
// returns the outcomes, outcomes[document][rule name]. The rule files and
// documents go through --payload on standard input, so nothing is written
// to disk; cfn-guard evaluates each rule file on its own, so files that
// define helper rules or variables of the same name do not interfere.
func (g guard) validate(rules []control, docs []map[string]any) ([]map[string]outcome, error) {
	payload := struct {
		Rules []string `json:"rules"`
		Data  []string `json:"data"`
	}{}
	for _, r := range rules {
		payload.Rules = append(payload.Rules, r.Text)
	}
	for _, d := range docs {
		b, err := json.Marshal(d)
		if err != nil {
			return nil, err
		}
		payload.Data = append(payload.Data, string(b))
	}
	in, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(g.bin, "validate", "--payload", "--structured", "--show-summary", "none", "--output-format", "json")
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	// cfn-guard exits 0 when every rule passes or skips and 19 when one
	// fails; anything else (5 for a rule it cannot parse, which it then
	// reports as skipped) means the verdicts cannot be trusted.
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 19) {
		return nil, fmt.Errorf("cfn-guard validate: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return parseReports(stdout.Bytes(), rules, len(docs))
}

// guardReport is cfn-guard's structured report on one document.
type guardReport struct {
	Name          string           `json:"name"`
	Status        string           `json:"status"`
	NotCompliant  []map[string]any `json:"not_compliant"`
	NotApplicable []string         `json:"not_applicable"`
	Compliant     []string         `json:"compliant"`
}

// parseReports turns cfn-guard's JSON output into outcomes. It insists on
// one report per document, in order, and on a verdict for every rule on
// every document: a rule cfn-guard did not report on would otherwise pass
// unnoticed.
func parseReports(out []byte, rules []control, ndocs int) ([]map[string]outcome, error) {
	var reports []guardReport
	if err := json.Unmarshal(out, &reports); err != nil {
		return nil, fmt.Errorf("cfn-guard output is not its JSON report: %w: %.200s", err, out)
	}
	if len(reports) != ndocs {
		return nil, fmt.Errorf("cfn-guard reported on %d documents, want %d", len(reports), ndocs)
	}
	outcomes := make([]map[string]outcome, ndocs)
	for i, rep := range reports {
		if want := fmt.Sprintf("DATA_STDIN[%d]", i+1); rep.Name != want {
			return nil, fmt.Errorf("cfn-guard report %d is for %s, want %s", i+1, rep.Name, want)
		}
		seen := map[string]outcome{}
		for _, name := range rep.NotApplicable {
			seen[name] = outcome{verdict: skip}
		}
		for _, name := range rep.Compliant {
			seen[name] = outcome{verdict: pass}
		}
		for _, nc := range rep.NotCompliant {
			rule, _ := nc["Rule"].(map[string]any)
			name, _ := rule["name"].(string)
			if name == "" {
				return nil, fmt.Errorf("cfn-guard report %d: a failure that is not a rule's: %.200v", i+1, nc)
			}
			seen[name] = outcome{verdict: fail, failure: rule}
		}
		outcomes[i] = map[string]outcome{}
		for _, r := range rules {
			o, ok := seen[r.Rule]
			if !ok {
				return nil, fmt.Errorf("cfn-guard gave no verdict of %s (%s) on document %d", r.Rule, r.File, i+1)
			}
			outcomes[i][r.Rule] = o
		}
	}
	return outcomes, nil
}

// packageVersion is the version of the npm package installed at pkg.
func packageVersion(pkg string) (string, error) {
	body, err := os.ReadFile(filepath.Join(pkg, "package.json"))
	if err != nil {
		return "", err
	}
	var meta struct{ Version string }
	if err := json.Unmarshal(body, &meta); err != nil {
		return "", fmt.Errorf("%s/package.json: %w", pkg, err)
	}
	return meta.Version, nil
}
