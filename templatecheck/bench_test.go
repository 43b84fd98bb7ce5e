package templatecheck

import (
	"os"
	"strings"
	"testing"

	gfschema "github.com/awslabs/goformation/v7/schema"
)

// BenchmarkCheck measures checking the realistic template once the schema is loaded, the cost
// per stack that `phasec vet` pays.
func BenchmarkCheck(b *testing.B) {
	tmpl, err := os.ReadFile("testdata/realistic.json")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := Check(tmpl); err != nil { // load the schema outside the timing
		b.Fatal(err)
	}
	b.SetBytes(int64(len(tmpl)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Check(tmpl); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSchemaIndex measures the one-time scan of goformation's 7.6 MB schema.
func BenchmarkSchemaIndex(b *testing.B) {
	b.SetBytes(int64(len(gfschema.CloudformationSchema)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := indexDefinitions(gfschema.CloudformationSchema); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdStart measures everything the first Check in a process pays: indexing the schema,
// compiling the resource types of the realistic template, and checking it.
func BenchmarkColdStart(b *testing.B) {
	tmpl, err := os.ReadFile("testdata/realistic.json")
	if err != nil {
		b.Fatal(err)
	}
	types := []string{}
	for _, line := range strings.Split(string(tmpl), "\n") {
		if _, after, ok := strings.Cut(line, `"Type": "AWS::`); ok {
			types = append(types, "AWS::"+strings.SplitN(after, `"`, 2)[0])
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		idx, err := indexDefinitions(gfschema.CloudformationSchema)
		if err != nil {
			b.Fatal(err)
		}
		s := &schemaSet{src: gfschema.CloudformationSchema, index: idx, compiled: map[string]*shape{}, failed: map[string]error{}}
		for _, typ := range types {
			if _, err := s.resourceShape(typ); err != nil {
				b.Fatal(err)
			}
		}
	}
}
