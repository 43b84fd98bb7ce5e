package appmetrics

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestEncoderExactRecord pins the bytes of one record, so that a change to
// the format is a reviewed diff here rather than a surprise in CloudWatch.
func TestEncoderExactRecord(t *testing.T) {
	enc := newEncoder(testConfig(nil))
	got := string(enc.append(nil, sample{
		end:     epoch,
		route:   "GET /items/{id}",
		status:  503,
		latency: 12345678 * time.Nanosecond,
	}))
	want := `{"_aws":{"Timestamp":1772366400000,"LogGroupName":"/phasec/storefront-production/metrics",` +
		`"CloudWatchMetrics":[{"Namespace":"Phasec/Application",` +
		`"Dimensions":[["Service","Environment"],["Service","Environment","Route"],["Service","Environment","StatusClass"]],` +
		`"Metrics":[{"Name":"RequestCount","Unit":"Count"},{"Name":"Latency","Unit":"Milliseconds"},` +
		`{"Name":"ServerErrors","Unit":"Count"},{"Name":"ClientErrors","Unit":"Count"}]}]},` +
		`"Service":"storefront","Environment":"production","Route":"GET /items/{id}",` +
		`"StatusClass":"5xx","StatusCode":503,"RequestCount":1,"Latency":12.345,"ServerErrors":1,"ClientErrors":0}` + "\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
	if _, err := checkEMF([]byte(got)); err != nil {
		t.Errorf("pinned record is not valid EMF: %v", err)
	}
}

func TestEncoderEscapesConfiguredValues(t *testing.T) {
	cfg := testConfig(nil)
	cfg.Service = `we"b\svc`
	cfg.Environment = "prod & <eu>"
	cfg.Namespace = "Team/A:B#1"
	rec, err := checkEMF(newEncoder(cfg).append(nil, sample{end: epoch, route: "/", status: 200}))
	if err != nil {
		t.Fatal(err)
	}
	got := []any{rec[DimService], rec[DimEnvironment],
		rec["_aws"].(map[string]any)["CloudWatchMetrics"].([]any)[0].(map[string]any)["Namespace"]}
	want := []any{cfg.Service, cfg.Environment, cfg.Namespace}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded values (-want +got):\n%s", diff)
	}
}

func TestAppendJSONString(t *testing.T) {
	tests := []struct {
		in   string
		want string // the decoded value
	}{
		{"GET /items/{id}", "GET /items/{id}"},
		{"", ""},
		{`quote " and backslash \`, `quote " and backslash \`},
		{"tab\tnewline\ncr\r", "tab\tnewline\ncr\r"},
		{"nul\x00 bell\x07 us\x1f", "nul\x00 bell\x07 us\x1f"},
		{"héllo wörld ✓ 𝄞", "héllo wörld ✓ 𝄞"},
		{"bad \xff utf8 \xc3", "bad \ufffd utf8 \ufffd"},
		{"<html>&amp;", "<html>&amp;"},
	}
	for _, tt := range tests {
		b := appendJSONString([]byte("prefix:"), tt.in)
		enc, ok := strings.CutPrefix(string(b), "prefix:")
		if !ok {
			t.Fatalf("appendJSONString(%q) lost the prefix: %q", tt.in, b)
		}
		if strings.ContainsAny(enc, "\n\r") {
			t.Errorf("appendJSONString(%q) = %s: a raw line break would split the record", tt.in, enc)
		}
		var got string
		if err := json.Unmarshal([]byte(enc), &got); err != nil {
			t.Errorf("appendJSONString(%q) = %s: not a JSON string: %v", tt.in, enc, err)
			continue
		}
		if got != tt.want {
			t.Errorf("appendJSONString(%q) decodes to %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAppendMilliseconds(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0"},
		{-time.Second, "0"},
		{999 * time.Nanosecond, "0"},
		{time.Microsecond, "0.001"},
		{1500 * time.Microsecond, "1.5"},
		{2 * time.Second, "2000"},
		{time.Hour, "3600000"},
	}
	for _, tt := range tests {
		if got := string(appendMilliseconds(nil, tt.d)); got != tt.want {
			t.Errorf("appendMilliseconds(%v) = %s, want %s", tt.d, got, tt.want)
		}
	}
}
