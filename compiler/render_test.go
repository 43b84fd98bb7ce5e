package compiler

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/google/go-cmp/cmp"

	"github.com/phasec/phasec/internal/jsontree"
)

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
			var p jsontree.Parser
			wantNode, err := p.Parse(tt.want)
			if err != nil {
				t.Fatalf("bad want %s: %v", tt.want, err)
			}
			var want, got bytes.Buffer
			jsontree.Write(&want, &wantNode)
			jsontree.Write(&got, &n)
			if diff := cmp.Diff(want.String(), got.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
