package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phasec/phasec/internal/cputime"
	"github.com/phasec/phasec/internal/specgen"
)

// BenchmarkBuildShipped measures `phasec build` on the shipped specs, the
// whole command: load, compile, render, structural checks, security
// rules, writing the files.
func BenchmarkBuildShipped(b *testing.B) {
	benchmarkBuild(b, nil)
}

// BenchmarkBuild300 measures `phasec build` on 100 generated services with
// three environments each.
func BenchmarkBuild300(b *testing.B) {
	dir := b.TempDir()
	for name, f := range specgen.Services(100) {
		if err := os.WriteFile(filepath.Join(dir, name), f.Data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	benchmarkBuild(b, []string{"--specs", dir})
}

func benchmarkBuild(b *testing.B, args []string) {
	var errBuf strings.Builder
	a := &app{stdout: io.Discard, stderr: &errBuf, stdin: nil}
	args = append([]string{"build", "--out", b.TempDir()}, args...)
	defer cputime.Report(b)()
	for b.Loop() {
		if code := a.run(context.Background(), args); code != exitOK {
			b.Fatalf("phasec build exited %d: %s", code, errBuf.String())
		}
	}
}
