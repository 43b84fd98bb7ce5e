package main

import (
	"fmt"
	"strings"

	"github.com/phasec/phasec/compiler"
	"github.com/phasec/phasec/internal/jsontree"
	"github.com/phasec/phasec/internal/parallel"
	"github.com/phasec/phasec/rules"
	"github.com/phasec/phasec/templatecheck"
)

// compile loads the specs (the shipped examples when specsDir is empty),
// compiles them and keeps the stacks named in names (all when none are).
func (a *app) compile(specsDir string, names []string) ([]*compiler.Stack, error) {
	var (
		spec *compiler.Spec
		err  error
	)
	if specsDir == "" {
		spec, err = compiler.LoadShipped()
	} else {
		spec, err = compiler.LoadDir(specsDir)
	}
	if err != nil {
		return nil, err
	}
	return compiler.Select(compiler.Compile(spec), names)
}

// compileAndRender is what build, vet and diff start with: an unknown
// --format is refused before any work, then the selected stacks are
// compiled, rendered and checked; with withRules, the security and
// compliance rules run on each stack too.
func (a *app) compileAndRender(specsDir, format string, names []string, withRules bool) ([]renderedStack, error) {
	if err := checkFormat(format); err != nil {
		return nil, err
	}
	stacks, err := a.compile(specsDir, names)
	if err != nil {
		return nil, err
	}
	return render(stacks, withRules)
}

// renderedStack is a stack with its canonical template bytes.
type renderedStack struct {
	*compiler.Stack
	body []byte
	// rules is the rule catalogue's report on the template, when render
	// was asked for it.
	rules *rules.Report
}

// render renders every stack and checks each template's structure against
// CloudFormation's resource schemas and limits; any failure fails them all.
// A structural problem means phasec would emit a template CloudFormation
// rejects, so it stops the command before anything is written or deployed.
// With withRules it also runs the rule catalogue on each template, which
// then is decoded once for both.
//
// Stacks are independent, so they are rendered and checked on every CPU;
// the results are then read in stack order, so what is reported, and which
// error stops the command, does not depend on which finished first.
func render(stacks []*compiler.Stack, withRules bool) ([]renderedStack, error) {
	out := make([]renderedStack, len(stacks))
	found := make([][]templatecheck.Problem, len(stacks))
	errs := make([]error, len(stacks))
	parallel.For(len(stacks), func(i int) {
		out[i], found[i], errs[i] = renderStack(stacks[i], withRules)
	})
	var problems []string
	for i, s := range stacks {
		if errs[i] != nil {
			return nil, errs[i]
		}
		for _, p := range found[i] {
			problems = append(problems, s.Name+": "+p.String())
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s\nCloudFormation would reject these templates; this is a phasec bug or a value phasec should have refused: please report it",
			strings.Join(problems, "\n"))
	}
	return out, nil
}

// renderStack renders one stack, checks its structure and, with withRules,
// runs the rules on it.
func renderStack(s *compiler.Stack, withRules bool) (renderedStack, []templatecheck.Problem, error) {
	body, err := compiler.Render(s.Template)
	if err != nil {
		return renderedStack{}, nil, err
	}
	doc, err := jsontree.Decode(body)
	if err != nil {
		return renderedStack{}, nil, fmt.Errorf("%s: templatecheck: template is not valid JSON: %w", s.Name, err)
	}
	found, err := templatecheck.CheckDocument(doc, len(body))
	if err != nil {
		return renderedStack{}, nil, fmt.Errorf("%s: %w", s.Name, err)
	}
	r := renderedStack{Stack: s, body: body}
	if withRules {
		obj, ok := doc.(map[string]any)
		if !ok {
			return renderedStack{}, nil, fmt.Errorf("%s: rules: template is not a JSON object", s.Name)
		}
		r.rules = rules.CheckDocument(obj)
	}
	return r, found, nil
}
