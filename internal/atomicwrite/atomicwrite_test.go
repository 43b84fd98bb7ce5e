package atomicwrite

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFilesWritesAll(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		filepath.Join(dir, "a", "one.json"): []byte("1\n"),
		filepath.Join(dir, "b", "two.json"): []byte("2\n"),
	}
	if err := Files(files); err != nil {
		t.Fatal(err)
	}
	for p, want := range files {
		got, err := os.ReadFile(p)
		if err != nil || string(got) != string(want) {
			t.Errorf("%s = %q, %v; want %q", p, got, err, want)
		}
	}
	assertNoTemporaries(t, dir)
}

// TestFilesWritesNoneOnFailure: when one file cannot be written, none is
// replaced and no temporary file is left behind.
func TestFilesWritesNoneOnFailure(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "a", "one.json")
	if err := os.MkdirAll(filepath.Dir(existing), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(existing, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A regular file where a directory must be created makes the second
	// write fail.
	blocker := filepath.Join(dir, "b")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := Files(map[string][]byte{
		existing:                         []byte("new\n"),
		filepath.Join(blocker, "x.json"): []byte("x\n"),
	})
	if err == nil {
		t.Fatal("want an error")
	}
	if got, _ := os.ReadFile(existing); string(got) != "old\n" {
		t.Errorf("existing file changed to %q", got)
	}
	assertNoTemporaries(t, dir)
}

func assertNoTemporaries(t *testing.T, dir string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, "*", ".*.tmp-*"))
	if len(matches) > 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}
