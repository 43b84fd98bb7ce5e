package compiler

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/phasec/phasec/specs"
)

// FuzzLoad feeds arbitrary spec text to the loader. Whatever the input, it
// must not panic, and a failure must be reported as positioned spec errors
// that each say something, never as a bare internal error. Run it with
// `go test ./compiler -fuzz FuzzLoad`; the seeds run in every `go test`.
func FuzzLoad(f *testing.F) {
	names, _ := fs.Glob(specs.Files, "*.cue")
	for _, n := range names {
		src, _ := fs.ReadFile(specs.Files, n)
		f.Add(string(src))
	}
	f.Add("package specs\nservices: x: {}\n")
	f.Add("services: \"a-b\": environments: e: tier: \"dev\"\n")
	f.Add("{{{")
	f.Fuzz(func(t *testing.T, src string) {
		spec, err := loadWithin(t, 10*time.Second, src)
		if err == nil {
			// A spec that loads must compile and render.
			for _, s := range Compile(spec) {
				if _, err := Render(s.Template); err != nil {
					t.Fatalf("loaded spec does not render: %v", err)
				}
			}
			return
		}
		var errs Errors
		if !errors.As(err, &errs) {
			t.Fatalf("loader error is not a spec error: %T %v", err, err)
		}
		for _, e := range errs {
			if strings.TrimSpace(e.Msg) == "" {
				t.Fatalf("spec error without a message: %#v", e)
			}
		}
	})
}

// loadWithin loads src as a one-file spec directory and fails the test if
// that takes longer than limit: a spec that makes evaluation hang is a bug
// the fuzzer should report, and its engine has no per-input timeout.
func loadWithin(t *testing.T, limit time.Duration, src string) (*Spec, error) {
	type result struct {
		spec *Spec
		err  error
	}
	done := make(chan result, 1)
	go func() {
		spec, err := LoadFS(fstest.MapFS{"fuzz.cue": {Data: []byte(src)}}, "fuzz")
		done <- result{spec, err}
	}()
	select {
	case r := <-done:
		return r.spec, r.err
	case <-time.After(limit):
		t.Fatalf("loading took over %v: %q", limit, src)
		return nil, nil
	}
}
