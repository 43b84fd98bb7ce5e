package compiler

import (
	"testing"
	"testing/fstest"

	"github.com/phasec/phasec/internal/cputime"
	"github.com/phasec/phasec/internal/specgen"
)

// BenchmarkShipped measures what `phasec build` does with the shipped
// specs: load and check against the schema, compile, render.
func BenchmarkShipped(b *testing.B) {
	defer cputime.Report(b)()
	for b.Loop() {
		spec, err := LoadShipped()
		if err != nil {
			b.Fatal(err)
		}
		renderAll(b, Compile(spec))
	}
}

// BenchmarkGenerated300 compiles 100 generated services with three
// environments each: the scale of a platform team's whole estate.
func BenchmarkGenerated300(b *testing.B) {
	fsys := generatedSpecs(100)
	defer cputime.Report(b)()
	for b.Loop() {
		spec, err := LoadFS(fsys, "gen")
		if err != nil {
			b.Fatal(err)
		}
		stacks := Compile(spec)
		if len(stacks) != 300 {
			b.Fatalf("compiled %d stacks, want 300", len(stacks))
		}
		renderAll(b, stacks)
	}
}

// BenchmarkCompileRender300 isolates the Go compiler and renderer from
// CUE evaluation on the same 300 stacks.
func BenchmarkCompileRender300(b *testing.B) {
	spec, err := LoadFS(generatedSpecs(100), "gen")
	if err != nil {
		b.Fatal(err)
	}
	defer cputime.Report(b)()
	for b.Loop() {
		renderAll(b, Compile(spec))
	}
}

// BenchmarkLoad300 isolates loading: parsing, CUE evaluation against the
// schema, decoding and the compiler's own checks of the same estate.
func BenchmarkLoad300(b *testing.B) {
	fsys := generatedSpecs(100)
	defer cputime.Report(b)()
	for b.Loop() {
		if _, err := LoadFS(fsys, "gen"); err != nil {
			b.Fatal(err)
		}
	}
}

func renderAll(b *testing.B, stacks []*Stack) {
	for _, s := range stacks {
		if _, err := Render(s.Template); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGeneratedSpecsCompile keeps the benchmark's input honest: the
// generated estate must load and give 300 stacks.
func TestGeneratedSpecsCompile(t *testing.T) {
	spec, err := LoadFS(generatedSpecs(100), "gen")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(Compile(spec)); n != 300 {
		t.Fatalf("compiled %d stacks, want 300", n)
	}
}

// generatedSpecs is the benchmarks' estate: n generated services with
// three environments each.
func generatedSpecs(n int) fstest.MapFS { return specgen.Services(n) }
