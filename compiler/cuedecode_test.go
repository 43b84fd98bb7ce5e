package compiler

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDecodeMatchesCUE holds decodeInto to cue.Value.Decode on every
// spec directory of the corpus that passes the schema.
func TestDecodeMatchesCUE(t *testing.T) {
	type model struct {
		Services  map[string]*Service  `json:"services"`
		Baselines map[string]*Baseline `json:"baselines"`
	}
	checked := 0
	for name, fsys := range specCorpus(t) {
		root, _, err := evaluate(fsys, name)
		if err != nil {
			continue
		}
		checked++
		var want, got model
		if err := root.Decode(&want); err != nil {
			t.Fatalf("%s: Decode: %v", name, err)
		}
		if err := decodeInto(root, &got); err != nil {
			t.Fatalf("%s: decodeInto: %v", name, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: decodeInto differs from Decode (-want +got):\n%s", name, diff)
		}
	}
	if checked < 10 {
		t.Fatalf("only %d spec directories passed the schema; the corpus is broken", checked)
	}
	t.Logf("%d spec directories decoded alike", checked)
}
