// Package atomicwrite writes files so that a reader, or a failed command,
// never leaves a half-written file behind: each file is written to a
// temporary sibling and renamed into place.
package atomicwrite

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// File writes data to path atomically.
func File(path string, data []byte) error {
	return Files(map[string][]byte{path: data})
}

// Files writes every file, or none: all contents are first written to
// temporary files next to their targets, and only when all of them are on
// disk are they renamed into place. A failure removes the temporaries and
// leaves existing files untouched.
func Files(files map[string][]byte) error {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)

	temps := make(map[string]string, len(paths))
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}
	for _, p := range paths {
		dir := filepath.Dir(p)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			cleanup()
			return err
		}
		f, err := os.CreateTemp(dir, "."+filepath.Base(p)+".tmp-*")
		if err != nil {
			cleanup()
			return err
		}
		temps[p] = f.Name()
		_, werr := f.Write(files[p])
		cerr := f.Close()
		if werr != nil || cerr != nil {
			cleanup()
			return fmt.Errorf("writing %s: %w", p, firstErr(werr, cerr))
		}
		if err := os.Chmod(f.Name(), 0o644); err != nil {
			cleanup()
			return err
		}
	}
	for _, p := range paths {
		if err := os.Rename(temps[p], p); err != nil {
			cleanup()
			return err
		}
		delete(temps, p)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
