package main

import (
	"fmt"
	"strings"

	"github.com/phasec/phasec/compiler"
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
// compiled, rendered and checked.
func (a *app) compileAndRender(specsDir, format string, names []string) ([]renderedStack, error) {
	if err := checkFormat(format); err != nil {
		return nil, err
	}
	stacks, err := a.compile(specsDir, names)
	if err != nil {
		return nil, err
	}
	return render(stacks)
}

// renderedStack is a stack with its canonical template bytes.
type renderedStack struct {
	*compiler.Stack
	body []byte
}

// render renders every stack and checks each template's structure against
// CloudFormation's resource schemas and limits; any failure fails them all.
// A structural problem means phasec would emit a template CloudFormation
// rejects, so it stops the command before anything is written or deployed.
func render(stacks []*compiler.Stack) ([]renderedStack, error) {
	out := make([]renderedStack, len(stacks))
	var problems []string
	for i, s := range stacks {
		body, err := compiler.Render(s.Template)
		if err != nil {
			return nil, err
		}
		found, err := templatecheck.Check(body)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name, err)
		}
		for _, p := range found {
			problems = append(problems, s.Name+": "+p.String())
		}
		out[i] = renderedStack{Stack: s, body: body}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s\nCloudFormation would reject these templates; this is a phasec bug or a value phasec should have refused: please report it",
			strings.Join(problems, "\n"))
	}
	return out, nil
}
