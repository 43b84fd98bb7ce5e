// Package templatediff compares two CloudFormation templates resource by
// resource, the way a reviewer reads them: which resources appear, vanish
// or change, and which property paths changed inside each.
package templatediff

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
)

// Action is what happened to one logical ID between two templates.
type Action string

// The actions, with the symbols plan output uses.
const (
	Add    Action = "+"
	Modify Action = "~"
	Remove Action = "-"
)

// Change is one logical ID that differs.
type Change struct {
	// Section is "Resources", "Parameters", "Outputs" or another top-level
	// template section; a changed scalar section (Description) has an
	// empty ID.
	Section string `json:"section"`
	ID      string `json:"id,omitempty"`
	Action  Action `json:"action"`
	// Type is the resource type, when Section is Resources.
	Type string `json:"type,omitempty"`
	// Paths are the changed leaves inside a modified entry, such as
	// "Properties.MaxSize", each with its old and new value.
	Paths []PathChange `json:"paths,omitempty"`
}

// PathChange is one changed value inside an entry.
type PathChange struct {
	Path string `json:"path"`
	Old  any    `json:"old,omitempty"`
	New  any    `json:"new,omitempty"`
}

// Diff compares two rendered templates. Changes come in a stable order:
// by section, then logical ID.
func Diff(oldJSON, newJSON []byte) ([]Change, error) {
	var oldT, newT map[string]any
	if err := json.Unmarshal(oldJSON, &oldT); err != nil {
		return nil, fmt.Errorf("old template: %w", err)
	}
	if err := json.Unmarshal(newJSON, &newT); err != nil {
		return nil, fmt.Errorf("new template: %w", err)
	}
	var changes []Change
	for _, section := range unionKeys(oldT, newT) {
		o, n := oldT[section], newT[section]
		om, oIsMap := o.(map[string]any)
		nm, nIsMap := n.(map[string]any)
		if (oIsMap || o == nil) && (nIsMap || n == nil) && section != "Metadata" {
			changes = append(changes, diffEntries(section, om, nm)...)
			continue
		}
		if !reflect.DeepEqual(o, n) {
			changes = append(changes, Change{Section: section, Action: actionFor(o, n),
				Paths: []PathChange{{Path: section, Old: o, New: n}}})
		}
	}
	return changes, nil
}

// diffEntries compares the named entries of one section.
func diffEntries(section string, old, new map[string]any) []Change {
	var out []Change
	for _, id := range unionKeys(old, new) {
		o, inOld := old[id]
		n, inNew := new[id]
		c := Change{Section: section, ID: id}
		switch {
		case !inOld:
			c.Action, c.Type = Add, typeOf(n)
		case !inNew:
			c.Action, c.Type = Remove, typeOf(o)
		case reflect.DeepEqual(o, n):
			continue
		default:
			c.Action, c.Type = Modify, typeOf(n)
			c.Paths = leafChanges("", o, n, nil)
		}
		if section != "Resources" {
			c.Type = ""
		}
		out = append(out, c)
	}
	return out
}

// leafChanges lists the deepest paths at which a and b differ. Lists of
// different lengths are reported whole: an index-by-index diff of a
// shifted list says nothing useful.
func leafChanges(path string, a, b any, out []PathChange) []PathChange {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		for _, k := range unionKeys(am, bm) {
			if !reflect.DeepEqual(am[k], bm[k]) {
				out = leafChanges(join(path, k), am[k], bm[k], out)
			}
		}
		return out
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok && len(al) == len(bl) {
		for i := range al {
			if !reflect.DeepEqual(al[i], bl[i]) {
				out = leafChanges(join(path, strconv.Itoa(i)), al[i], bl[i], out)
			}
		}
		return out
	}
	return append(out, PathChange{Path: path, Old: a, New: b})
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func typeOf(v any) string {
	m, _ := v.(map[string]any)
	t, _ := m["Type"].(string)
	return t
}

func actionFor(o, n any) Action {
	switch {
	case o == nil:
		return Add
	case n == nil:
		return Remove
	}
	return Modify
}

// unionKeys is the sorted union of two maps' keys.
func unionKeys(a, b map[string]any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}
