package jsontree

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// byEncodingJSON is the reference: decode with encoding/json (numbers
// kept as written), then encode with two-space indent and no HTML
// escaping.
func byEncodingJSON(t *testing.T, doc string) (decoded any, canonical string, ok bool) {
	t.Helper()
	if !json.Valid([]byte(doc)) {
		return nil, "", false
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(doc)))
	dec.UseNumber()
	if err := dec.Decode(&decoded); err != nil {
		t.Fatalf("encoding/json decodes what it called valid: %v", err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(decoded); err != nil {
		t.Fatal(err)
	}
	return decoded, out.String(), true
}

// byParser is the same through Parse, Value and Write.
func byParser(doc string) (decoded any, canonical string, ok bool) {
	var p Parser
	n, err := p.Parse(doc)
	if err != nil {
		return nil, "", false
	}
	var out bytes.Buffer
	Write(&out, &n)
	out.WriteByte('\n')
	return n.Value(), out.String(), true
}

// samples are awkward documents: HTML and control characters, escapes of
// every kind, surrogate pairs and lone surrogates, invalid UTF-8,
// duplicate keys, number forms, deep nesting, and a few that are not JSON
// at all.
var samples = []string{
	`{"b":["<tag> & \"quote\" \\ \n\t\r \u0001 \u2028 \u2029 é \ufffd",1.5,true,null],"a":{"z":[],"y":{},"x":-3}}`,
	`{"\u003cscript\u003e":"\u0026amp; \/ \b\f"}`,
	`["\ud83d\ude00", "\ud83d", "\ude00x", "\ud83d\u0041", "\uD83D\uDE00"]`,
	"[\"\xff\xfe raw invalid\", \"caf\xc3\xa9\", \"\xe2\x80\xa8\"]",
	`{"k":1,"k":2,"a":{"k":[1]},"a":{"k":[2]}}`,
	`[0, -0, 1e5, 1E+5, 1.25e-3, -12.5, 100000000000000000000000]`,
	`{"a":[{"b":[{"c":[1,{"d":{}}]},[]]},{"e":[[],[[]]]}],"f":{"g":{"h":[1,2,3]}}}`,
	" \t\r\n{ \"spaced\" : [ 1 , 2 ] } \n",
	`"just a string"`, `true`, `null`, `[]`, `{}`,
	// Not JSON: encoding/json and the parser must both refuse these.
	`{"a":1,}`, `[1,]`, `01`, `1.`, `.5`, `-`, `1e`, `+1`, `"\x41"`, `"\a"`, "\"tab\there\"",
	`"\u12"`, `{"a" 1}`, `{a:1}`, `[1 2]`, `{"a":1} x`, `nul`, `tru`, `"unterminated`, ``, `   `,
	`[{"a":1}`, `{"a":[1,2}`,
}

// TestDepth holds the parser to encoding/json's limit on nesting.
func TestDepth(t *testing.T) {
	for _, depth := range []int{maxDepth, maxDepth + 1} {
		for _, doc := range []string{
			strings.Repeat("[", depth) + strings.Repeat("]", depth),
			strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth),
		} {
			var p Parser
			_, err := p.Parse(doc)
			if want := json.Valid([]byte(doc)); want != (err == nil) {
				t.Errorf("depth %d: encoding/json accepts it: %v, Parse: %v", depth, want, err)
			}
		}
	}
}

func check(t *testing.T, doc string) {
	t.Helper()
	wantValue, want, wantOK := byEncodingJSON(t, doc)
	gotValue, got, gotOK := byParser(doc)
	if wantOK != gotOK {
		t.Fatalf("%q: encoding/json accepts it: %v, Parse: %v", doc, wantOK, gotOK)
	}
	if want != got {
		t.Fatalf("%q: Write differs from encoding/json (-want +got):\n%s", doc, cmp.Diff(want, got))
	}
	if !reflect.DeepEqual(wantValue, gotValue) {
		t.Fatalf("%q: Value differs from encoding/json's decoding (-want +got):\n%s", doc, cmp.Diff(wantValue, gotValue))
	}
}

// TestMatchesEncodingJSON pins Parse, Value and Write to encoding/json:
// the same documents accepted, the same values decoded, the same bytes
// written.
func TestMatchesEncodingJSON(t *testing.T) {
	for _, doc := range samples {
		check(t, doc)
	}
}

// FuzzParse looks for a document on which the parser and encoding/json
// disagree. Run it with `go test ./internal/jsontree -fuzz FuzzParse`.
func FuzzParse(f *testing.F) {
	for _, doc := range samples {
		f.Add(doc)
	}
	f.Fuzz(check)
}

// TestParseFirst reads the first value and ignores the rest, as
// json.Decoder.Decode does; Parse refuses the rest.
func TestParseFirst(t *testing.T) {
	var p Parser
	n, err := p.ParseFirst(`{"Ref":"X"} trailing`)
	if err != nil || n.Kind != Object || n.Members[0].Key != "Ref" {
		t.Fatalf("ParseFirst = %+v, %v", n, err)
	}
	if _, err := p.Parse(`{"Ref":"X"} trailing`); err == nil {
		t.Fatal("Parse accepted data after the value")
	}
}

// TestParserReuse parses documents one after the other, and one inside a
// Strings hook, with the same kind of parser: the scratch stacks must not
// leak members from one object into another.
func TestParserReuse(t *testing.T) {
	var p Parser
	p.Strings = func(s string) (Node, bool) {
		if s != "inner" {
			return Node{}, false
		}
		var q Parser
		n, err := q.Parse(`{"x":[1,{"y":2}]}`)
		return n, err == nil
	}
	for range 3 {
		n, err := p.Parse(`{"a":{"b":1,"c":"inner"},"d":[1,[2,3],{"e":4}]}`)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		Write(&out, &n)
		want := "{\n  \"a\": {\n    \"b\": 1,\n    \"c\": {\n      \"x\": [\n        1,\n        {\n          \"y\": 2\n        }\n      ]\n    }\n  },\n  \"d\": [\n    1,\n    [\n      2,\n      3\n    ],\n    {\n      \"e\": 4\n    }\n  ]\n}"
		if diff := cmp.Diff(want, out.String()); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	}
}
