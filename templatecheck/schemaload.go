package templatecheck

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	gfschema "github.com/awslabs/goformation/v7/schema"
)

// The goformation schema is a 7.6 MB JSON document with ~7,300 definitions, of which a template
// uses a few dozen. Decoding all of it into Go values costs ~120 ms and ~14 MB of heap, so
// instead the first Check scans it once for the byte span of each definition (no copy: spans
// index the string constant, which lives in the binary's read-only data) and definitions are
// decoded and compiled only when a template first uses them. See BenchmarkSchemaIndex for the
// one-time cost.

// span is the byte range of one definition's JSON value inside the schema string.
type span struct{ start, end int32 }

// schemaSet is the lazily compiled view of the goformation schema.
type schemaSet struct {
	src   string
	index map[string]span

	mu       sync.Mutex
	compiled map[string]*shape // definition name -> compiled shape (placeholder while compiling)
	failed   map[string]error
}

var (
	schemaOnce sync.Once
	schemaVal  *schemaSet
	schemaErr  error
)

// loadSchema returns the process-wide schema, indexing it on first use.
func loadSchema() (*schemaSet, error) {
	schemaOnce.Do(func() {
		idx, err := indexDefinitions(gfschema.CloudformationSchema)
		if err != nil {
			schemaErr = fmt.Errorf("templatecheck: indexing goformation schema: %w", err)
			return
		}
		schemaVal = &schemaSet{
			src:      gfschema.CloudformationSchema,
			index:    idx,
			compiled: map[string]*shape{},
			failed:   map[string]error{},
		}
	})
	return schemaVal, schemaErr
}

// kind is the JSON type a schema node expects.
type kind uint8

const (
	kindAny kind = iota // no type constraint
	kindString
	kindNumber
	kindBoolean
	kindArray
	kindObject
	kindStringOrBoolean // only Parameter.NoEcho uses a type list
)

// String names the kind for messages.
func (k kind) String() string {
	switch k {
	case kindString:
		return "string"
	case kindNumber:
		return "number"
	case kindBoolean:
		return "boolean"
	case kindArray:
		return "array"
	case kindObject:
		return "object"
	case kindStringOrBoolean:
		return "string or boolean"
	}
	return "any value"
}

// shape is a compiled schema node: just the constraints goformation's schema expresses
// (type, properties, required, items, map values). It is immutable once compiled, so checks
// read it without locking.
type shape struct {
	kind     kind
	name     string            // definition name, for messages; "" for inline nodes
	props    map[string]*shape // declared properties of an object
	required []string
	// closed is true when additionalProperties is false: undeclared property names are errors.
	closed bool
	// values is the shape of every value of a map-typed object (patternProperties).
	values *shape
	items  *shape
}

// open reports whether the node is an object that accepts any content: JSON documents such as
// IAM policies or dashboards, typed "object" with no property list.
func (s *shape) open() bool {
	return s.kind == kindObject && s.props == nil && s.values == nil
}

// rawNode mirrors the few JSON-schema keywords goformation's schema uses.
type rawNode struct {
	Type                 json.RawMessage     `json:"type"`
	Ref                  string              `json:"$ref"`
	Properties           map[string]*rawNode `json:"properties"`
	PatternProperties    map[string]*rawNode `json:"patternProperties"`
	AdditionalProperties *bool               `json:"additionalProperties"`
	Required             []string            `json:"required"`
	Items                *rawNode            `json:"items"`
}

// resourceShape returns the compiled Properties shape of a resource type, or nil when the schema
// does not know the type.
func (s *schemaSet) resourceShape(typ string) (*shape, error) {
	if _, ok := s.index[typ]; !ok || strings.Contains(typ, ".") {
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	def, err := s.definition(typ)
	if err != nil || def == nil {
		return nil, err
	}
	if p := def.props["Properties"]; p != nil {
		return p, nil
	}
	return &shape{kind: kindObject, props: map[string]*shape{}, closed: true}, nil
}

// definition compiles one named definition (and, transitively, everything it references).
// The caller holds s.mu. A placeholder is registered before compiling so that recursive
// definitions (WAFv2 statements nest statements) terminate.
func (s *schemaSet) definition(name string) (*shape, error) {
	if sh, ok := s.compiled[name]; ok {
		return sh, nil
	}
	if err, ok := s.failed[name]; ok {
		return nil, err
	}
	sp, ok := s.index[name]
	if !ok {
		return nil, fmt.Errorf("templatecheck: goformation schema has no definition %q", name)
	}
	var raw rawNode
	if err := json.Unmarshal([]byte(s.src[sp.start:sp.end]), &raw); err != nil {
		err = fmt.Errorf("templatecheck: decoding schema definition %q: %w", name, err)
		s.failed[name] = err
		return nil, err
	}
	sh := &shape{name: name}
	s.compiled[name] = sh
	if err := s.fill(sh, &raw); err != nil {
		delete(s.compiled, name)
		s.failed[name] = err
		return nil, err
	}
	return sh, nil
}

// compile turns an inline schema node into a shape; $ref nodes share the definition's shape.
func (s *schemaSet) compile(raw *rawNode) (*shape, error) {
	if raw.Ref != "" {
		return s.definition(strings.TrimPrefix(raw.Ref, "#/definitions/"))
	}
	sh := &shape{}
	return sh, s.fill(sh, raw)
}

// fill compiles raw into sh in place.
func (s *schemaSet) fill(sh *shape, raw *rawNode) error {
	if raw.Ref != "" {
		target, err := s.definition(strings.TrimPrefix(raw.Ref, "#/definitions/"))
		if err != nil {
			return err
		}
		name := sh.name
		*sh = *target
		sh.name = name
		return nil
	}
	k, err := parseKind(raw.Type)
	if err != nil {
		return err
	}
	sh.kind = k
	sh.required = raw.Required
	sh.closed = raw.AdditionalProperties != nil && !*raw.AdditionalProperties
	if len(raw.Properties) > 0 {
		sh.props = make(map[string]*shape, len(raw.Properties))
		for _, name := range sortedKeys(raw.Properties) {
			p, err := s.compile(raw.Properties[name])
			if err != nil {
				return err
			}
			sh.props[name] = p
		}
	}
	// goformation writes every map type as patternProperties "^[a-zA-Z0-9]+$"; that key pattern is
	// a generator artefact (tag maps take keys such as "team:name"), so only the value shape is kept.
	for _, pat := range sortedKeys(raw.PatternProperties) {
		v, err := s.compile(raw.PatternProperties[pat])
		if err != nil {
			return err
		}
		sh.values = v
		break
	}
	if raw.Items != nil {
		it, err := s.compile(raw.Items)
		if err != nil {
			return err
		}
		sh.items = it
	}
	return nil
}

// parseKind reads a JSON-schema "type", which is a name or a list of names.
func parseKind(t json.RawMessage) (kind, error) {
	if len(t) == 0 {
		return kindAny, nil
	}
	var one string
	if err := json.Unmarshal(t, &one); err == nil {
		switch one {
		case "string":
			return kindString, nil
		case "number", "integer":
			return kindNumber, nil
		case "boolean":
			return kindBoolean, nil
		case "array":
			return kindArray, nil
		case "object":
			return kindObject, nil
		}
		return kindAny, fmt.Errorf("templatecheck: unknown schema type %q", one)
	}
	var many []string
	if err := json.Unmarshal(t, &many); err != nil {
		return kindAny, fmt.Errorf("templatecheck: schema type %s: %w", t, err)
	}
	if len(many) == 2 && many[0] == "string" && many[1] == "boolean" {
		return kindStringOrBoolean, nil
	}
	return kindAny, nil
}
