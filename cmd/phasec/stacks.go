package main

import (
	"github.com/phasec/phasec/compiler"
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

// renderedStack is a stack with its canonical template bytes.
type renderedStack struct {
	*compiler.Stack
	body []byte
}

// render renders every stack; any failure fails them all.
func render(stacks []*compiler.Stack) ([]renderedStack, error) {
	out := make([]renderedStack, len(stacks))
	for i, s := range stacks {
		body, err := compiler.Render(s.Template)
		if err != nil {
			return nil, err
		}
		out[i] = renderedStack{Stack: s, body: body}
	}
	return out, nil
}
