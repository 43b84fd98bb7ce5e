package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/phasec/phasec/rules"
)

// finding is one control's failure on one resource.
type finding struct {
	File     string
	Resource string
	Control  string
	RuleFile string
	Message  string
	// Suppression is the template's suppression that covers the finding,
	// nil when none does.
	Suppression *rules.Suppression
}

// note is something said about a template rather than a resource's
// verdict: a suppression that cannot be honoured, or (--verbose) one that
// covered nothing, or what the emulation assumed.
type note struct {
	File    string
	Text    string
	Verbose bool
}

// tally counts one control's verdicts over every resource it was run on.
type tally struct{ pass, fail, skip int }

// result is the outcome of checking a set of templates.
type result struct {
	Findings  []finding
	Notes     []note
	Tallies   map[string]*tally // by control ID
	Resources int
	// Unchecked counts resources of types no Control Tower rule names.
	Unchecked   int
	Evaluations int
	GuardRuns   int
}

// template is one template file being checked.
type template struct {
	file      string
	stack     *stack
	resources []hookResource
	sups      *suppressions
}

// loadTemplate reads a template file and builds its hook-mode documents.
func loadTemplate(file string, mapping map[string][]string) (*template, []note, error) {
	body, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("%s: not a JSON template: %w", file, err)
	}
	st, err := newStack(stackName(file), doc)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	res, err := st.hookResources()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	declared, invalid := rules.Suppressions(doc)
	var notes []note
	for _, inv := range invalid {
		notes = append(notes, note{File: file, Text: fmt.Sprintf("%s: %s: suppression not honoured: %s",
			scope(inv.Suppression), inv.Suppression.Rule, inv.Problem)})
	}
	return &template{file: file, stack: st, resources: res, sups: newSuppressions(declared, mapping)}, notes, nil
}

// stackName is the name the stack of a template file would have: the
// file's folder and name joined (golden/ledger/production.json is
// ledger-production), or the name alone for a file in the current folder.
func stackName(file string) string {
	name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	dir := filepath.Base(filepath.Dir(file))
	if dir == "." || dir == string(filepath.Separator) {
		return name
	}
	return dir + "-" + name
}

// check runs the Control Tower rules on every resource of every template
// the way a hook would, one document per resource. The resources of all the
// templates are grouped by type, and each type is one cfn-guard run with
// every rule file that names the type: a handful of runs in all.
func check(g guard, controls []control, files []string) (*result, error) {
	mapping := controlMapping()
	res := &result{Tallies: map[string]*tally{}}
	var templates []*template
	for _, f := range files {
		t, notes, err := loadTemplate(f, mapping)
		if err != nil {
			return nil, err
		}
		templates = append(templates, t)
		res.Notes = append(res.Notes, notes...)
	}

	type ref struct {
		t *template
		r hookResource
	}
	byType := map[string][]ref{}
	for _, t := range templates {
		for _, r := range t.resources {
			byType[r.Type] = append(byType[r.Type], ref{t, r})
			res.Resources++
		}
	}
	types := make([]string, 0, len(byType))
	for typ := range byType {
		types = append(types, typ)
	}
	sort.Strings(types)

	// One job per resource type, run on every core: each cfn-guard run
	// spends most of its time compiling its rule files (the instance-type
	// lists of the Nitro controls are long), so the runs cannot usefully
	// be merged, only overlapped.
	type job struct {
		typ        string
		refs       []ref
		applicable []control
		outcomes   []map[string]outcome
		err        error
	}
	var jobs []*job
	for _, typ := range types {
		j := &job{typ: typ, refs: byType[typ]}
		for _, c := range controls {
			if c.names(typ) {
				j.applicable = append(j.applicable, c)
			}
		}
		if len(j.applicable) == 0 {
			res.Unchecked += len(j.refs)
			continue
		}
		jobs = append(jobs, j)
	}
	var wg sync.WaitGroup
	slots := make(chan struct{}, runtime.NumCPU())
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			docs := make([]map[string]any, len(j.refs))
			for i, rf := range j.refs {
				docs[i] = rf.r.Doc
			}
			j.outcomes, j.err = g.validate(j.applicable, docs)
		}()
	}
	wg.Wait()

	// failures lists each template's failed controls.
	failures := map[*template][]finding{}
	for _, j := range jobs {
		if j.err != nil {
			return nil, fmt.Errorf("%s: %w", j.typ, j.err)
		}
		res.GuardRuns++
		for i, rf := range j.refs {
			for _, c := range j.applicable {
				o := j.outcomes[i][c.Rule]
				tl := res.Tallies[c.ID]
				if tl == nil {
					tl = &tally{}
					res.Tallies[c.ID] = tl
				}
				res.Evaluations++
				switch o.verdict {
				case pass:
					tl.pass++
				case skip:
					tl.skip++
				case fail:
					tl.fail++
					failures[rf.t] = append(failures[rf.t], finding{
						File: rf.t.file, Resource: rf.r.ID, Control: c.ID, RuleFile: c.File,
						Message: failureMessage(o.failure, rf.r.Type),
					})
				}
			}
		}
	}

	for _, t := range templates {
		fs := failures[t]
		sort.SliceStable(fs, func(i, j int) bool {
			if fs[i].Resource != fs[j].Resource {
				return fs[i].Resource < fs[j].Resource
			}
			return lessControlID(fs[i].Control, fs[j].Control)
		})
		for i := range fs {
			fs[i].Suppression = t.sups.match(fs[i].Control, fs[i].Resource)
		}
		res.Findings = append(res.Findings, fs...)
		for _, sup := range t.sups.unused() {
			res.Notes = append(res.Notes, note{File: t.file, Verbose: true, Text: fmt.Sprintf(
				"%s: %s: suppression covers no Control Tower finding (%s)",
				scope(sup), sup.Rule, strings.Join(mapping[sup.Rule], ", "))})
		}
		for _, a := range t.stack.assumptions() {
			res.Notes = append(res.Notes, note{File: t.file, Verbose: true, Text: "assumed: " + a})
		}
	}
	return res, nil
}

// scope names what a suppression covers: its resources, or (stack).
func scope(s rules.Suppression) string {
	if len(s.Resources) == 0 {
		return "(stack)"
	}
	return strings.Join(s.Resources, ",")
}
