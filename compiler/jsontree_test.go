package compiler

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/google/go-cmp/cmp"
)

// canonicalByEncodingJSON is the renderer's reference: decode with
// encoding/json (numbers kept as written) and encode with two-space indent
// and no HTML escaping.
func canonicalByEncodingJSON(t *testing.T, doc string) (string, bool) {
	t.Helper()
	if !json.Valid([]byte(doc)) {
		return "", false
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(doc)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("encoding/json decodes what it called valid: %v", err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return out.String(), true
}

// canonicalByParser is the same through parseJSON and writeCanonical.
func canonicalByParser(doc string) (string, bool) {
	n, err := parseJSON(doc, false)
	if err != nil {
		return "", false
	}
	var out bytes.Buffer
	writeCanonical(&out, &n, 0)
	out.WriteByte('\n')
	return out.String(), true
}

// jsonSamples are awkward documents: HTML and control characters, escapes
// of every kind, surrogate pairs and lone surrogates, invalid UTF-8,
// duplicate keys, number forms, and a few that are not JSON at all.
var jsonSamples = []string{
	`{"b":["<tag> & \"quote\" \\ \n\t\r \u0001 \u2028 \u2029 é \ufffd",1.5,true,null],"a":{"z":[],"y":{},"x":-3}}`,
	`{"\u003cscript\u003e":"\u0026amp; \/ \b\f"}`,
	`["\ud83d\ude00", "\ud83d", "\ude00x", "\ud83d\u0041", "\uD83D\uDE00"]`,
	"[\"\xff\xfe raw invalid\", \"caf\xc3\xa9\", \"\xe2\x80\xa8\"]",
	`{"k":1,"k":2,"a":{"k":[1]},"a":{"k":[2]}}`,
	`[0, -0, 1e5, 1E+5, 1.25e-3, -12.5, 100000000000000000000000]`,
	" \t\r\n{ \"spaced\" : [ 1 , 2 ] } \n",
	`"just a string"`, `true`, `null`, `[]`, `{}`,
	// Not JSON: encoding/json and the parser must both refuse these.
	`{"a":1,}`, `[1,]`, `01`, `1.`, `.5`, `-`, `1e`, `+1`, `"\x41"`, `"\a"`, "\"tab\there\"",
	`"\u12"`, `{"a" 1}`, `{a:1}`, `[1 2]`, `{"a":1} x`, `nul`, `tru`, `"unterminated`, ``, `   `,
}

// TestParserMatchesEncodingJSON pins parseJSON and writeCanonical,
// together, to encoding/json: the same documents accepted, the same bytes
// written.
func TestParserMatchesEncodingJSON(t *testing.T) {
	for _, doc := range jsonSamples {
		want, wantOK := canonicalByEncodingJSON(t, doc)
		got, gotOK := canonicalByParser(doc)
		if wantOK != gotOK {
			t.Errorf("%q: encoding/json accepts it: %v, parseJSON: %v", doc, wantOK, gotOK)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q: differs from encoding/json (-want +got):\n%s", doc, diff)
		}
	}
}

// FuzzParseJSON looks for a document on which the parser and encoding/json
// disagree.
func FuzzParseJSON(f *testing.F) {
	for _, doc := range jsonSamples {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		want, wantOK := canonicalByEncodingJSON(t, doc)
		got, gotOK := canonicalByParser(doc)
		if wantOK != gotOK {
			t.Fatalf("%q: encoding/json accepts it: %v, parseJSON: %v", doc, wantOK, gotOK)
		}
		if want != got {
			t.Fatalf("%q: differs from encoding/json (-want +got):\n%s", doc, cmp.Diff(want, got))
		}
	})
}

// TestAsIntrinsicNode pins which strings the renderer turns back into
// intrinsic functions: goformation's encodings, nested ones included, and
// nothing else.
func TestAsIntrinsicNode(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, in string
		want     string // canonical JSON, or "" when s is no intrinsic
	}{
		{"Ref", cloudformation.Ref("Vpc"), `{"Ref":"Vpc"}`},
		{"GetAtt", cloudformation.GetAtt("Lb", "DNSName"), `{"Fn::GetAtt":["Lb","DNSName"]}`},
		{"nested", cloudformation.Join("", []string{"arn:", cloudformation.Ref("AWS::Region")}),
			`{"Fn::Join":["",["arn:",{"Ref":"AWS::Region"}]]}`},
		{"Sub with quotes and HTML", cloudformation.Sub(`{"a":"<b> & ${X}"}`), `{"Fn::Sub":"{\"a\":\"<b> & ${X}\"}"}`},
		{"trailing data is ignored, as by json.Decoder", b64(`{"Ref":"X"} trailing`), `{"Ref":"X"}`},
		{"leading space", b64(` {"Ref":"X"}`), ""}, // its base64 does not start "eyA" or "eyJ"
		{"not a function", b64(`{"a":1}`), ""},
		{"two keys", b64(`{"Ref":"X","Fn::Sub":"y"}`), ""},
		{"duplicate key counts once", b64(`{"Ref":"X","Ref":"Y"}`), `{"Ref":"Y"}`},
		{"not an object", b64(` ["Ref"]`), ""},
		{"invalid JSON", b64(`{"Ref":}`), ""},
		{"Go escape from %q", b64(`{"Ref":"\x41"}`), ""},
		{"not base64", "eyJhbm90aGVyIHN0cmluZw", ""},
		{"plain text", "hello world", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := asIntrinsicNode(tt.in)
			if !ok {
				if tt.want != "" {
					t.Fatalf("%q not decoded, want %s", tt.in, tt.want)
				}
				return
			}
			if tt.want == "" {
				t.Fatalf("%q decoded, want it left a string", tt.in)
			}
			want, ok := canonicalByEncodingJSON(t, tt.want)
			if !ok {
				t.Fatalf("bad want %s", tt.want)
			}
			var got bytes.Buffer
			writeCanonical(&got, &n, 0)
			got.WriteByte('\n')
			if diff := cmp.Diff(want, got.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
