package compiler

import (
	"encoding/json"
	"testing"
)

// TestDataPoliciesExplicit: every resource that holds or unlocks data says
// what happens to it when its stack is deleted or it is replaced, and
// production and baseline stacks keep their logs, buckets and the keys that
// decrypt them. Only the alert topics' key, which guards nothing at rest,
// goes with the stack everywhere.
func TestDataPoliciesExplicit(t *testing.T) {
	spec, err := LoadShipped()
	if err != nil {
		t.Fatal(err)
	}
	stateful := map[string]bool{"AWS::S3::Bucket": true, "AWS::KMS::Key": true, "AWS::Logs::LogGroup": true}
	for _, s := range Compile(spec) {
		body, err := Render(s.Template)
		if err != nil {
			t.Fatal(err)
		}
		var tmpl struct {
			Resources map[string]struct {
				Type                string
				DeletionPolicy      string
				UpdateReplacePolicy string
			}
		}
		if err := json.Unmarshal(body, &tmpl); err != nil {
			t.Fatal(err)
		}
		keeps := s.Baseline != "" || s.Tier == "production"
		n := 0
		for id, r := range tmpl.Resources {
			if !stateful[r.Type] {
				continue
			}
			n++
			want := "Delete"
			if keeps && id != idAlertsKey {
				want = "Retain"
			}
			if r.DeletionPolicy != want || r.UpdateReplacePolicy != want {
				t.Errorf("%s: %s (%s) has DeletionPolicy %q and UpdateReplacePolicy %q, want %q for both",
					s.Name, id, r.Type, r.DeletionPolicy, r.UpdateReplacePolicy, want)
			}
		}
		if n < 5 {
			t.Errorf("%s: only %d buckets, keys and log groups: the test no longer sees the stack's data", s.Name, n)
		}
	}
}
