package compiler

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/phasec/phasec/templatecheck"
)

// goldenDir holds the locked templates of the shipped specs.
const goldenDir = "../golden"

// updateGolden is the one switch that rewrites golden files (make golden).
// It is an environment variable, not a flag, so `go test ./...` never
// trips over an unknown flag in other packages.
var updateGolden = os.Getenv("PHASEC_UPDATE_GOLDEN") == "1"

// renderShipped compiles and renders every shipped stack.
func renderShipped(t testing.TB) map[string][]byte {
	t.Helper()
	spec, err := LoadShipped()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, s := range Compile(spec) {
		body, err := Render(s.Template)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		out[GoldenPath(goldenDir, s)] = body
	}
	return out
}

// TestGolden locks the templates of the shipped specs: any change to a spec
// or to the compiler that changes a template fails here with a (-want +got)
// diff until `make golden` rewrites the files and the diff is reviewed.
func TestGolden(t *testing.T) {
	got := renderShipped(t)
	if updateGolden {
		if err := os.RemoveAll(goldenDir); err != nil {
			t.Fatal(err)
		}
		for path, body := range got {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, body, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for path, body := range got {
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v (run `make golden` to create it)", path, err)
			continue
		}
		if !bytes.Equal(want, body) {
			t.Errorf("%s differs from the compiled template (-want +got):\n%s\nIf the change is intended, run `make golden` and review the diff.",
				path, cmp.Diff(string(want), string(body)))
		}
	}
	// A golden file without a stack is a stack that was removed from the
	// specs: the lock must not keep it.
	err := filepath.WalkDir(goldenDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if _, ok := got[path]; !ok {
			t.Errorf("%s has no stack in the shipped specs; run `make golden`", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDeterministic compiles the shipped specs twice, from independent
// loads and concurrently, and requires byte-identical templates.
func TestDeterministic(t *testing.T) {
	first := renderShipped(t)
	results := make(chan map[string][]byte, 4)
	for range 4 {
		go func() { results <- renderShipped(t) }()
	}
	for range 4 {
		again := <-results
		for path, body := range first {
			if !bytes.Equal(body, again[path]) {
				t.Fatalf("%s differs between two compilations of the same specs", path)
			}
		}
	}
}

// TestRenderCanonical checks the canonical form itself: two-space indent,
// trailing newline, no HTML escaping, and no goformation-encoded
// intrinsics left behind.
func TestRenderCanonical(t *testing.T) {
	for path, body := range renderShipped(t) {
		s := string(body)
		if !strings.HasSuffix(s, "}\n") {
			t.Errorf("%s: no trailing newline", path)
		}
		if !strings.HasPrefix(s, "{\n  \"AWSTemplateFormatVersion\"") {
			t.Errorf("%s: not two-space indented with sorted keys: %.60q", path, s)
		}
		for _, esc := range []string{`\u003c`, `\u003e`, `\u0026`} {
			if strings.Contains(s, esc) {
				t.Errorf("%s: HTML-escaped %s", path, esc)
			}
		}
		if strings.Contains(s, `"eyAi`) || strings.Contains(s, `"eyJ`) {
			t.Errorf("%s: a base64-encoded intrinsic was not decoded", path)
		}
	}
}

// TestTemplatesAreValid runs the structural checks on every shipped
// template: resource schema, references (Ref, GetAtt attributes, Sub
// variables, DependsOn), cycles, CloudFormation limits and value rules.
func TestTemplatesAreValid(t *testing.T) {
	for path, body := range renderShipped(t) {
		problems, err := templatecheck.Check(body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", path, p)
		}
	}
}
