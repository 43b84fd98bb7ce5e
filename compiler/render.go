package compiler

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// Render turns a template into canonical JSON: keys sorted, two-space
// indent, no HTML escaping, trailing newline. The same template always gives
// the same bytes, which is what makes golden files and sha256 locks work.
//
// goformation's own Template.JSON cannot be used: it escapes HTML ("<" in a
// dashboard becomes \u003c) and, worse, runs its intrinsic processor, which
// evaluates Fn::Join, Fn::Sub and friends instead of emitting them. Its
// intrinsic helpers (cloudformation.Ref, GetAtt, Sub...) encode each
// function as a base64 JSON string; Render decodes exactly those back into
// CloudFormation's object form and evaluates nothing.
func Render(t *cloudformation.Template) ([]byte, error) {
	raw, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	tree, err := decodeJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	tree = decodeIntrinsics(tree)
	unwrapListParams(tree)

	out := bytes.NewBuffer(make([]byte, 0, 2*len(raw)))
	if err := writeCanonical(out, tree, 0); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// decodeJSON decodes one JSON value, keeping numbers exactly as written.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// marshalNoEscape is json.Marshal without HTML escaping.
func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// intrinsicNames are the functions goformation encodes as base64 strings.
var intrinsicNames = map[string]bool{
	"Ref": true, "Fn::Base64": true, "Fn::And": true, "Fn::Equals": true,
	"Fn::If": true, "Fn::Not": true, "Fn::Or": true, "Fn::FindInMap": true,
	"Fn::GetAtt": true, "Fn::GetAZs": true, "Fn::ImportValue": true,
	"Fn::Join": true, "Fn::Select": true, "Fn::Split": true, "Fn::Sub": true,
	"Fn::Cidr": true, "Fn::Transform": true,
}

// decodeIntrinsics walks a decoded template and replaces every base64
// intrinsic string with the function object it encodes, recursively (an
// Fn::Join of Refs nests encoded strings inside encoded strings).
func decodeIntrinsics(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = decodeIntrinsics(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = decodeIntrinsics(e)
		}
		return x
	case string:
		if fn, ok := asIntrinsic(x); ok {
			return decodeIntrinsics(fn)
		}
		return x
	}
	return v
}

// asIntrinsic decodes s if, and only if, it is a goformation-encoded
// intrinsic: valid base64 of a one-key JSON object whose key is an
// intrinsic function name. Ordinary strings never qualify.
func asIntrinsic(s string) (map[string]any, bool) {
	// Every encoded intrinsic starts with "{" then a space or a quote,
	// which base64 writes as "eyA" or "eyJ"; this test rejects ordinary
	// strings before any decoding.
	if len(s) < 8 || len(s)%4 != 0 || !strings.HasPrefix(s, "eyA") && !strings.HasPrefix(s, "eyJ") {
		return nil, false
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) == 0 || b[0] != '{' && b[0] != ' ' {
		return nil, false
	}
	v, err := decodeJSON(b)
	obj, ok := v.(map[string]any)
	if err != nil || !ok || len(obj) != 1 {
		return nil, false
	}
	for k := range obj {
		if !intrinsicNames[k] {
			return nil, false
		}
	}
	return obj, true
}

// unwrapListParams replaces every one-element list holding a Ref to a
// List-typed parameter with the Ref itself (see listParam). Such a nested
// list is never valid CloudFormation, so the rewrite cannot change meaning.
func unwrapListParams(tree any) {
	root, _ := tree.(map[string]any)
	params, _ := root["Parameters"].(map[string]any)
	isList := map[string]bool{}
	for name, p := range params {
		typ, _ := p.(map[string]any)["Type"].(string)
		isList[name] = strings.HasPrefix(typ, "List<") || typ == "CommaDelimitedList"
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
		case []any:
			if len(x) == 1 {
				if ref, ok := x[0].(map[string]any); ok && len(ref) == 1 {
					if name, ok := ref["Ref"].(string); ok && isList[name] {
						return ref
					}
				}
			}
			for i, e := range x {
				x[i] = walk(e)
			}
		}
		return v
	}
	for _, section := range []string{"Resources", "Outputs"} {
		if m, ok := root[section]; ok {
			walk(m)
		}
	}
}
