package compiler

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"

	"github.com/phasec/phasec/internal/jsontree"
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
	tree, err := encodeTree(t)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	unwrapListParams(&tree)

	out := bytes.NewBuffer(make([]byte, 0, 64<<10))
	jsontree.Write(out, &tree)
	out.WriteByte('\n')
	return out.Bytes(), nil
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

// asIntrinsicNode decodes s if, and only if, it is a goformation-encoded
// intrinsic: valid base64 of a one-key JSON object whose key is an
// intrinsic function name. Ordinary strings never qualify. Encoded
// intrinsics nested inside (an Fn::Join of Refs nests encoded strings
// inside encoded strings) are decoded too.
func asIntrinsicNode(s string) (jsontree.Node, bool) {
	// Every encoded intrinsic starts with "{" then a space or a quote,
	// which base64 writes as "eyA" or "eyJ"; this test rejects ordinary
	// strings before any decoding.
	if len(s) < 8 || len(s)%4 != 0 || !strings.HasPrefix(s, "eyA") && !strings.HasPrefix(s, "eyJ") {
		return jsontree.Node{}, false
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) == 0 || b[0] != '{' && b[0] != ' ' {
		return jsontree.Node{}, false
	}
	// Like a json.Decoder, read the first value and ignore what follows.
	p := jsontree.Parser{Strings: asIntrinsicNode}
	fn, err := p.ParseFirst(string(b))
	if err != nil || fn.Kind != jsontree.Object || len(fn.Members) != 1 || !intrinsicNames[fn.Members[0].Key] {
		return jsontree.Node{}, false
	}
	return fn, true
}

// decodeIntrinsics replaces every string of a tree that is an encoded
// intrinsic by the function it encodes.
func decodeIntrinsics(n *jsontree.Node) {
	switch n.Kind {
	case jsontree.String:
		if fn, ok := asIntrinsicNode(n.Text); ok {
			*n = fn
		}
	case jsontree.Array:
		for i := range n.Elems {
			decodeIntrinsics(&n.Elems[i])
		}
	case jsontree.Object:
		for i := range n.Members {
			decodeIntrinsics(&n.Members[i].Value)
		}
	}
}

// unwrapListParams replaces every one-element list holding a Ref to a
// List-typed parameter with the Ref itself (see listParam). Such a nested
// list is never valid CloudFormation, so the rewrite cannot change meaning.
func unwrapListParams(root *jsontree.Node) {
	isList := map[string]bool{}
	if params, ok := root.Member("Parameters"); ok {
		for _, p := range params.Members {
			typ := ""
			if t, ok := p.Value.Member("Type"); ok && t.Kind == jsontree.String {
				typ = t.Text
			}
			isList[p.Key] = strings.HasPrefix(typ, "List<") || typ == "CommaDelimitedList"
		}
	}
	var walk func(n *jsontree.Node)
	walk = func(n *jsontree.Node) {
		switch n.Kind {
		case jsontree.Object:
			for i := range n.Members {
				walk(&n.Members[i].Value)
			}
		case jsontree.Array:
			if len(n.Elems) == 1 {
				if ref := n.Elems[0]; ref.Kind == jsontree.Object && len(ref.Members) == 1 &&
					ref.Members[0].Key == "Ref" && ref.Members[0].Value.Kind == jsontree.String && isList[ref.Members[0].Value.Text] {
					*n = ref
					return
				}
			}
			for i := range n.Elems {
				walk(&n.Elems[i])
			}
		}
	}
	for _, section := range []string{"Resources", "Outputs"} {
		if m, ok := root.Member(section); ok {
			walk(m)
		}
	}
}
