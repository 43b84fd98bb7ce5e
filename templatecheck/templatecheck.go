// Package templatecheck validates rendered CloudFormation templates the way CloudFormation itself
// would reject them, before they reach a change set: resource schemas (from goformation's bundled
// JSON schema), references between logical IDs, CloudFormation quotas, and the value ranges and
// patterns of the properties phasec emits.
//
// It exists because a golden file only proves that output did not change, not that it deploys;
// a bad template otherwise surfaces minutes into `phasec apply` as a rollback.
package templatecheck

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/phasec/phasec/internal/jsontree"
)

// Problem is one way a template would be rejected by CloudFormation.
type Problem struct {
	Path    string // JSON path into the template, e.g. "Resources.Asg.Properties.MinSize"
	Check   string // "schema" | "reference" | "limit" | "value"
	Message string // what is wrong and what was expected
}

// String renders the problem as one line that points at the offending field, the way vet-style
// tools print findings.
func (p Problem) String() string {
	path := p.Path
	if path == "" {
		path = "(template)"
	}
	return path + ": " + p.Check + ": " + p.Message
}

// The four kinds of check, used as Problem.Check.
const (
	checkSchema    = "schema"
	checkReference = "reference"
	checkLimit     = "limit"
	checkValue     = "value"
)

// Check validates a rendered template (JSON bytes) and returns every problem, sorted by Path then
// Message; nil when clean. The error is only for input that is not JSON at all (or when the
// bundled resource schema cannot be loaded, which is a build defect, not a template defect).
func Check(template []byte) ([]Problem, error) {
	// Numbers stay json.Number so that 0.1 and 10000000000000001 survive exactly for range checks.
	doc, err := jsontree.Decode(template)
	if err != nil {
		return nil, fmt.Errorf("templatecheck: template is not valid JSON: %w", err)
	}
	return CheckDocument(doc, len(template))
}

// CheckDocument is Check on a template already decoded as a json.Decoder with UseNumber would
// (jsontree.Decode does), which is size bytes long, for callers that also run other checks on
// the decoded template. It does not modify doc.
func CheckDocument(doc any, size int) ([]Problem, error) {
	if _, err := loadSchema(); err != nil {
		return nil, err
	}
	c := newChecker(size)
	c.run(doc)
	return c.result(), nil
}

// checker holds one template while it is being checked; it is never shared between goroutines.
type checker struct {
	size int

	params     map[string]map[string]any // parameter name -> its definition
	resources  map[string]*resource      // logical ID -> resource
	conditions map[string]any
	mappings   map[string]any
	// langExt is set when the template declares the AWS::LanguageExtensions transform, which
	// unlocks Fn::Length, Fn::ToJsonString and intrinsic functions in a few more places.
	langExt bool
	// transformed is set for any transform but AWS::LanguageExtensions: macros may rewrite the
	// template, so reference checks that would otherwise be certain are skipped rather than wrong.
	transformed bool

	// deps is the resource dependency graph (Ref, GetAtt, Sub, DependsOn edges) for cycle checks.
	deps map[string]map[string]bool

	problems []Problem
}

// resource is one entry of the Resources section.
type resource struct {
	name string
	typ  string         // "" when Type is missing or not a string
	def  map[string]any // the whole resource object
}

// newChecker prepares the state for checking one template of size bytes.
func newChecker(size int) *checker {
	return &checker{
		size:       size,
		params:     map[string]map[string]any{},
		resources:  map[string]*resource{},
		conditions: map[string]any{},
		mappings:   map[string]any{},
		deps:       map[string]map[string]bool{},
	}
}

// add records one problem.
func (c *checker) add(path, check, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Check: check, Message: fmt.Sprintf(format, args...)})
}

// run checks the whole template, section by section. The order matters only in that the
// symbol tables (parameters, resources, conditions, mappings) are collected before anything
// that resolves names against them.
func (c *checker) run(doc any) {
	top, ok := doc.(map[string]any)
	if !ok {
		c.add("", checkSchema, "template must be a JSON object, got %s", describe(doc))
		return
	}
	c.checkTemplateSize()
	c.collect(top)
	c.checkTopLevel(top)
	c.checkSectionLimits(top)
	c.checkParameters()
	c.checkMappings()
	c.checkConditions()
	for _, name := range sortedKeys(c.resources) {
		c.checkResource(c.resources[name])
	}
	c.checkOutputs(top)
	c.checkCycles()
}

// result sorts problems by Path, then Message, and drops exact duplicates (the same fault found
// through two routes, for instance both branches of an Fn::If sharing a value).
func (c *checker) result() []Problem {
	if len(c.problems) == 0 {
		return nil
	}
	sort.Slice(c.problems, func(i, j int) bool {
		a, b := c.problems[i], c.problems[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Message != b.Message {
			return a.Message < b.Message
		}
		return a.Check < b.Check
	})
	out := c.problems[:1]
	for _, p := range c.problems[1:] {
		if p != out[len(out)-1] {
			out = append(out, p)
		}
	}
	return out
}

// collect builds the symbol tables. Malformed sections are reported by checkTopLevel; here they
// are simply treated as empty so that later checks do not cascade.
func (c *checker) collect(top map[string]any) {
	if m, ok := top["Parameters"].(map[string]any); ok {
		for name, v := range m {
			def, _ := v.(map[string]any)
			if def == nil {
				def = map[string]any{}
			}
			c.params[name] = def
		}
	}
	if m, ok := top["Resources"].(map[string]any); ok {
		for name, v := range m {
			r := &resource{name: name}
			r.def, _ = v.(map[string]any)
			if r.def != nil {
				r.typ, _ = r.def["Type"].(string)
			}
			c.resources[name] = r
		}
	}
	if m, ok := top["Conditions"].(map[string]any); ok {
		c.conditions = m
	}
	if m, ok := top["Mappings"].(map[string]any); ok {
		c.mappings = m
	}
	// AWS::LanguageExtensions only adds functions; any other transform is a macro that may add
	// resources, parameters or conditions the checks cannot see.
	var transforms []any
	switch t := top["Transform"].(type) {
	case []any:
		transforms = t
	case nil:
	default:
		transforms = []any{t}
	}
	for _, t := range transforms {
		if t == "AWS::LanguageExtensions" {
			c.langExt = true
		} else {
			c.transformed = true
		}
	}
}

// sortedKeys returns the keys of a map in order, so that checks run (and problems are found) in
// a deterministic order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// join appends a key to a JSON path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// index appends an array index to a JSON path.
func index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}
