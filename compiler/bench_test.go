package compiler

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

// reportCPU adds the process's CPU time per iteration (user and system,
// every thread, the garbage collector's included) to a benchmark's
// results. On a shared machine wall time varies with other people's work;
// CPU time much less so, and it also shows what parallelism costs.
func reportCPU(b *testing.B) func() {
	start := cpuTime(b)
	return func() {
		b.ReportMetric(float64((cpuTime(b)-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkShipped measures what `phasec build` does with the shipped
// specs: load and check against the schema, compile, render.
func BenchmarkShipped(b *testing.B) {
	defer reportCPU(b)()
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
	defer reportCPU(b)()
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
	defer reportCPU(b)()
	for b.Loop() {
		renderAll(b, Compile(spec))
	}
}

// BenchmarkLoad300 isolates loading: parsing, CUE evaluation against the
// schema, decoding and the compiler's own checks of the same estate.
func BenchmarkLoad300(b *testing.B) {
	fsys := generatedSpecs(100)
	defer reportCPU(b)()
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

// generatedSpecs writes n services, one file each, with production,
// staging and dev environments and a few overrides.
func generatedSpecs(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, `package specs

services: "svc%03d": {
	region: "us-east-1"
	network: {
		vpcId: "vpc-%08x"
		publicSubnetIds: ["subnet-%08x", "subnet-%08x"]
		privateSubnetIds: ["subnet-%08x", "subnet-%08x"]
	}
	app: {
		port: %d
		certificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	}
	alerts: {
		critical: email: ["oncall@example.com"]
		warning: email: ["team%03d@example.com"]
		info: https: ["https://hooks.example.com/svc%03d"]
	}
	environments: {
		production: {tier: "production", scaling: maxSize: %d}
		staging: tier: "staging"
		dev: tier: "dev"
	}
}
`, i, i, 2*i, 2*i+1, 1000+2*i, 1001+2*i, 8000+i, i, i, 10+i%20)
		fsys[fmt.Sprintf("svc%03d.cue", i)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}
