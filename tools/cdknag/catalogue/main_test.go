package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMapping: what make nag is given names the AwsSolutions rules phasec's
// suppressions must cover in cdk-nag, leaves out the Control Tower and CIS
// controls of the same rules, and leaves out the rules cdk-nag has no
// counterpart for.
func TestMapping(t *testing.T) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	var got map[string][]string
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("output is not a JSON object of lists: %v\n%s", err, buf.Bytes())
	}
	for id, want := range map[string][]string{
		"PHS-IAM-002": {"AwsSolutions-IAM5"},
		"PHS-EC2-007": {"AwsSolutions-EC23"},
		// CT.EC2.PR.10, CT.EC2.PR.13 and AwsSolutions-EC28, in that order.
		"PHS-EC2-005": {"AwsSolutions-EC28"},
		// AwsSolutions-ELB2 and CT.ELASTICLOADBALANCING.PR.6.
		"PHS-ELB-007": {"AwsSolutions-ELB2"},
	} {
		if diff := cmp.Diff(want, got[id]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", id, diff)
		}
	}
	// Control Tower or nothing only: not relevant to cdk-nag.
	for _, id := range []string{"PHS-ELB-001", "PHS-ELB-003"} {
		if ids, ok := got[id]; ok {
			t.Errorf("%s maps to %q; it mirrors no AwsSolutions rule", id, ids)
		}
	}
}
