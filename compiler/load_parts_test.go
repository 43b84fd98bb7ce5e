package compiler

import (
	"strings"
	"testing"
	"testing/fstest"

	"cuelang.org/go/cue/cuecontext"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestPartsMatchWhole holds evaluateParts to the evaluation of the whole
// directory: on every spec directory of the corpus, and on each again with
// a valid second service beside it (so that single-service directories,
// which LoadFS evaluates whole, are split too), the parts must never
// accept what the whole rejects, and must decode to the same spec when
// both accept.
func TestPartsMatchWhole(t *testing.T) {
	extra := generatedSpecs(1)["svc000.cue"]
	split := 0
	for name, fsys := range specCorpus(t) {
		withExtra := fstest.MapFS{"zz-extra.cue": extra}
		for f, data := range fsys {
			withExtra[f] = data
		}
		for _, variant := range []struct {
			name string
			fsys fstest.MapFS
		}{{name, fsys}, {name + "+extra", withExtra}} {
			sources, err := readSpecSources(variant.fsys, variant.name)
			if err != nil {
				continue
			}
			files, err := sources.parse()
			if err != nil {
				continue
			}
			ctx := cuecontext.New()
			data, err := buildData(ctx, variant.name, files)
			if err != nil {
				continue
			}
			parts, partsOK := evaluateParts(sources, ctx, data)
			root, err := evaluateWhole(ctx, data)
			if err != nil {
				if partsOK {
					t.Errorf("%s: the parts pass, the whole fails with:\n%v", variant.name, err)
				}
				continue
			}
			whole, err := decode(root, data)
			if err != nil {
				t.Fatalf("%s: %v", variant.name, err)
			}
			if !partsOK {
				if strings.HasSuffix(variant.name, "+extra") {
					t.Errorf("%s: the whole passes, the parts do not", variant.name)
				}
				continue
			}
			split++
			if diff := cmp.Diff(whole, parts, cmpopts.IgnoreUnexported(Spec{})); diff != "" {
				t.Errorf("%s: parts differ from the whole (-whole +parts):\n%s", variant.name, diff)
			}
		}
	}
	if split < 10 {
		t.Fatalf("only %d directories were evaluated in parts; the corpus is broken", split)
	}
	t.Logf("%d directories evaluated alike in parts and whole", split)
}

// TestSpecParts pins which top levels evaluateParts splits; everything
// else is evaluated whole, where #Spec reports what is wrong.
func TestSpecParts(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // parts as kind.name, or "" when not split
	}{
		{"services and baselines", `services: b: {}, services: a: {}, baselines: x: {}`, "services.a services.b baselines.x"},
		{"helpers aside", `#common: {region: "x"}, _h: 1, services: a: #common, services: b: {}`, "services.a services.b"},
		{"an unknown top-level field", `services: a: {}, servics: b: {}`, ""},
		{"an optional service", `services: a: {}, services: b?: {}`, ""},
		{"a required service", `services: a: {}, services: b!: {}`, ""},
		{"no services", `services: {}, baselines: x: {}`, ""},
		{"baselines only", `baselines: x: {}`, ""},
		{"services not a struct", `services: 5`, ""},
		{"a pattern only", `services: [string]: {}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := cuecontext.New().CompileString(tt.src)
			if err := v.Err(); err != nil {
				t.Fatal(err)
			}
			parts, ok := specParts(v)
			var got []string
			for _, p := range parts {
				got = append(got, p.kind+"."+p.name)
			}
			if !ok {
				got = nil
			}
			if diff := cmp.Diff(tt.want, strings.Join(got, " ")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
