package main

import (
	"strings"
	"testing"
)

func TestParseReports(t *testing.T) {
	rules := []control{{ID: "CT.A.PR.1", File: "a/ct-a-pr-1.guard", Rule: "a_check"}, {ID: "CT.B.PR.1", File: "b/ct-b-pr-1.guard", Rule: "b_check"}}
	// The template-mode half of every rule skips on a hook document, so a
	// rule cfn-guard judged appears twice: skipped and passed or failed.
	out := `[
		{"name": "DATA_STDIN[1]", "status": "FAIL", "not_applicable": ["a_check", "b_check"], "compliant": ["b_check"],
		 "not_compliant": [{"Rule": {"name": "a_check", "checks": []}}]},
		{"name": "DATA_STDIN[2]", "status": "SKIP", "not_applicable": ["a_check", "b_check"], "compliant": [], "not_compliant": []}
	]`
	got, err := parseReports([]byte(out), rules, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		doc  int
		rule string
		want verdict
	}{{0, "a_check", fail}, {0, "b_check", pass}, {1, "a_check", skip}, {1, "b_check", skip}} {
		if v := got[c.doc][c.rule].verdict; v != c.want {
			t.Errorf("document %d, %s: verdict %d, want %d", c.doc+1, c.rule, v, c.want)
		}
	}
	if got[0]["a_check"].failure["name"] != "a_check" {
		t.Errorf("the failure's report is not kept: %v", got[0]["a_check"].failure)
	}
}

func TestParseReportsRejects(t *testing.T) {
	rules := []control{{Rule: "a_check", File: "a.guard"}}
	for name, c := range map[string]struct {
		out, want string
		ndocs     int
	}{
		"not JSON":                  {`Error occurred`, "not its JSON report", 1},
		"a document missing":        {`[]`, "reported on 0 documents, want 1", 1},
		"documents out of order":    {`[{"name": "DATA_STDIN[2]", "not_applicable": ["a_check"]}]`, "is for DATA_STDIN[2], want DATA_STDIN[1]", 1},
		"a rule without a verdict":  {`[{"name": "DATA_STDIN[1]", "not_applicable": ["other"]}]`, "no verdict of a_check (a.guard)", 1},
		"a failure that is no rule": {`[{"name": "DATA_STDIN[1]", "not_compliant": [{"Clause": {}}]}]`, "not a rule's", 1},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseReports([]byte(c.out), rules, c.ndocs)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want one containing %q", err, c.want)
			}
		})
	}
}
