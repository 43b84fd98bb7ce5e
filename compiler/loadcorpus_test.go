package compiler

import (
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/phasec/phasec/specs"
)

// specCorpus is every spec directory the tests know: the shipped specs, a
// slice of the generated estate, and each directory of .cue files in the
// CLI scripts, valid or not. Tests that change how specs are loaded run
// over all of it.
func specCorpus(t *testing.T) map[string]fstest.MapFS {
	t.Helper()
	corpus := map[string]fstest.MapFS{"generated": generatedSpecs(4)}
	shipped := fstest.MapFS{}
	names, err := filepath.Glob("../specs/*.cue")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		data, err := specs.Files.ReadFile(filepath.Base(name))
		if err != nil {
			t.Fatal(err)
		}
		shipped[filepath.Base(name)] = &fstest.MapFile{Data: data}
	}
	corpus[ShippedSpecsName] = shipped

	scripts, err := filepath.Glob("../cmd/phasec/testdata/script/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(scripts)
	for _, script := range scripts {
		ar, err := txtar.ParseFile(script)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if path.Ext(f.Name) != ".cue" {
				continue
			}
			dir := strings.TrimSuffix(filepath.Base(script), ".txtar") + "/" + path.Dir(f.Name)
			if corpus[dir] == nil {
				corpus[dir] = fstest.MapFS{}
			}
			corpus[dir][path.Base(f.Name)] = &fstest.MapFile{Data: f.Data}
		}
	}
	return corpus
}
