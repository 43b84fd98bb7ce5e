package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/phasec/phasec/compiler"
)

// TestWorkflowPlansEveryShippedStack: the CI workflow plans each account's
// stacks with that account's role, from a list in its matrix. A stack the
// shipped specs gain but the list lacks would never be planned, and one
// listed twice would be planned with two accounts' roles; the apply matrix
// must name the same accounts.
func TestWorkflowPlansEveryShippedStack(t *testing.T) {
	body, err := os.ReadFile("../../.github/workflows/phasec.yml")
	if err != nil {
		t.Fatal(err)
	}
	entry := regexp.MustCompile(`(?m)^\s+- account: (\w+).*\n\s+stacks: (.+)$`)
	var listed, accounts []string
	for _, m := range entry.FindAllStringSubmatch(string(body), -1) {
		accounts = append(accounts, m[1])
		listed = append(listed, strings.Fields(m[2])...)
	}
	spec, err := compiler.LoadShipped()
	if err != nil {
		t.Fatal(err)
	}
	var shipped []string
	for _, s := range compiler.Compile(spec) {
		shipped = append(shipped, s.Name)
	}
	slices.Sort(listed)
	slices.Sort(shipped)
	if !slices.Equal(listed, shipped) {
		t.Errorf("the workflow's plan matrix lists %v; the shipped specs define %v", listed, shipped)
	}
	apply := regexp.MustCompile(`(?m)^\s+account: \[(.+)\]$`).FindStringSubmatch(string(body))
	if apply == nil {
		t.Fatal("the workflow's apply matrix names no accounts")
	}
	if got := strings.Split(strings.ReplaceAll(apply[1], " ", ""), ","); !slices.Equal(got, accounts) {
		t.Errorf("the apply matrix names accounts %v; the plan matrix %v", got, accounts)
	}
}
