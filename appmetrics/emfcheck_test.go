package appmetrics

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// The EMF specification's limits ("Specification: Embedded metric format",
// CloudWatch User Guide) and the agent's documented _aws members.
const (
	emfMaxDimensionsPerSet = 30
	emfMaxMetrics          = 100
	emfMaxValuesPerMetric  = 100
	emfMaxNameLen          = 255
)

// emfUnits is the unit list of the specification's JSON schema.
var emfUnits = map[string]bool{
	"Seconds": true, "Microseconds": true, "Milliseconds": true,
	"Bytes": true, "Kilobytes": true, "Megabytes": true, "Gigabytes": true, "Terabytes": true,
	"Bits": true, "Kilobits": true, "Megabits": true, "Gigabits": true, "Terabits": true,
	"Percent": true, "Count": true,
	"Bytes/Second": true, "Kilobytes/Second": true, "Megabytes/Second": true, "Gigabytes/Second": true, "Terabytes/Second": true,
	"Bits/Second": true, "Kilobits/Second": true, "Megabits/Second": true, "Gigabits/Second": true, "Terabits/Second": true,
	"Count/Second": true, "None": true,
}

// checkEMF validates one log event as an EMF document and returns its root
// object. It checks what CloudWatch checks before extracting metrics, so a
// record that passes here is one CloudWatch turns into metrics.
func checkEMF(line []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if root == nil {
		return nil, errors.New("not a JSON object: null")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object")
	}
	aws, ok := root["_aws"].(map[string]any)
	if !ok {
		return nil, errors.New("_aws: missing or not an object")
	}
	if err := onlyKeys("_aws", aws, "Timestamp", "CloudWatchMetrics", "LogGroupName", "LogStreamName"); err != nil {
		return nil, err
	}
	for _, k := range []string{"LogGroupName", "LogStreamName"} {
		if v, ok := aws[k]; ok {
			if s, ok := v.(string); !ok || s == "" {
				return nil, fmt.Errorf("_aws.%s: not a non-empty string", k)
			}
		}
	}
	ts, ok := aws["Timestamp"].(json.Number)
	if !ok {
		return nil, errors.New("_aws.Timestamp: missing or not a number")
	}
	if ms, err := ts.Int64(); err != nil || ms < 0 {
		return nil, fmt.Errorf("_aws.Timestamp: %s is not milliseconds since the epoch", ts)
	}
	directives, ok := aws["CloudWatchMetrics"].([]any)
	if !ok || len(directives) == 0 {
		return nil, errors.New("_aws.CloudWatchMetrics: missing, not an array or empty")
	}
	for i, d := range directives {
		if err := checkDirective(root, d); err != nil {
			return nil, fmt.Errorf("_aws.CloudWatchMetrics[%d].%w", i, err)
		}
	}
	return root, nil
}

func checkDirective(root map[string]any, v any) error {
	d, ok := v.(map[string]any)
	if !ok {
		return errors.New(": not an object")
	}
	if err := onlyKeys("", d, "Namespace", "Dimensions", "Metrics"); err != nil {
		return err
	}
	if err := checkName("Namespace", d["Namespace"]); err != nil {
		return err
	}
	sets, ok := d["Dimensions"].([]any)
	if !ok || len(sets) == 0 {
		return errors.New("Dimensions: missing, not an array or empty")
	}
	dims := map[string]bool{}
	for i, s := range sets {
		set, ok := s.([]any)
		if !ok {
			return fmt.Errorf("Dimensions[%d]: not an array", i)
		}
		if len(set) > emfMaxDimensionsPerSet {
			return fmt.Errorf("Dimensions[%d]: %d dimensions, more than %d", i, len(set), emfMaxDimensionsPerSet)
		}
		seen := map[string]bool{}
		for j, ref := range set {
			where := fmt.Sprintf("Dimensions[%d][%d]", i, j)
			if err := checkName(where, ref); err != nil {
				return err
			}
			name := ref.(string)
			if seen[name] {
				return fmt.Errorf("%s: %q twice in one set", where, name)
			}
			seen[name] = true
			dims[name] = true
			val, ok := root[name].(string)
			if !ok || strings.TrimSpace(val) == "" {
				return fmt.Errorf("%s: %q is not a top-level member with a non-blank string value", where, name)
			}
		}
	}
	metrics, ok := d["Metrics"].([]any)
	if !ok {
		return errors.New("Metrics: missing or not an array")
	}
	if len(metrics) > emfMaxMetrics {
		return fmt.Errorf("Metrics: %d definitions, more than %d", len(metrics), emfMaxMetrics)
	}
	for i, m := range metrics {
		if err := checkMetric(root, dims, m); err != nil {
			return fmt.Errorf("Metrics[%d].%w", i, err)
		}
	}
	return nil
}

func checkMetric(root map[string]any, dims map[string]bool, v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return errors.New(": not an object")
	}
	if err := onlyKeys("", m, "Name", "Unit", "StorageResolution"); err != nil {
		return err
	}
	if err := checkName("Name", m["Name"]); err != nil {
		return err
	}
	name := m["Name"].(string)
	if dims[name] {
		return fmt.Errorf("Name: %q is also a dimension", name)
	}
	if u, ok := m["Unit"]; ok {
		if s, ok := u.(string); !ok || !emfUnits[s] {
			return fmt.Errorf("Unit: %v is not a CloudWatch unit", u)
		}
	}
	if r, ok := m["StorageResolution"]; ok {
		if n, ok := r.(json.Number); !ok || (n.String() != "1" && n.String() != "60") {
			return fmt.Errorf("StorageResolution: %v is neither 1 nor 60", r)
		}
	}
	switch val := root[name].(type) {
	case json.Number:
		return nil
	case []any:
		if len(val) > emfMaxValuesPerMetric {
			return fmt.Errorf("Name: %q has %d values, more than %d", name, len(val), emfMaxValuesPerMetric)
		}
		for _, x := range val {
			if _, ok := x.(json.Number); !ok {
				return fmt.Errorf("Name: %q has a non-numeric value %v", name, x)
			}
		}
		return nil
	default:
		return fmt.Errorf("Name: %q is not a top-level member with a numeric value", name)
	}
}

func checkName(where string, v any) error {
	s, ok := v.(string)
	if !ok || s == "" || len(s) > emfMaxNameLen {
		return fmt.Errorf("%s: %v is not a string of 1 to %d bytes", where, v, emfMaxNameLen)
	}
	return nil
}

// onlyKeys enforces the specification's "objects MUST NOT contain any
// additional members".
func onlyKeys(where string, obj map[string]any, allowed ...string) error {
	for k := range obj {
		ok := false
		for _, a := range allowed {
			ok = ok || k == a
		}
		if !ok {
			return fmt.Errorf("%s: unexpected member %q", where, k)
		}
	}
	return nil
}

// validEMF is the specification's own example, extended with the agent's
// LogGroupName; every case of TestCheckEMF breaks it in one place.
const validEMF = `{"_aws":{"Timestamp":1574109732004,"LogGroupName":"g","CloudWatchMetrics":[{"Namespace":"lambda-function-metrics","Dimensions":[["functionVersion"]],"Metrics":[{"Name":"time","Unit":"Milliseconds"}]}]},"functionVersion":"$LATEST","time":100,"requestId":"989ffbf8"}`

func TestCheckEMF(t *testing.T) {
	tests := []struct {
		name    string
		old     string // replaced in validEMF by new
		new     string
		wantErr string // empty: valid
	}{
		{name: "spec example", wantErr: ""},
		{name: "value array", old: `"time":100`, new: `"time":[1,2.5]`},
		{name: "trailing data", old: `"989ffbf8"}`, new: `"989ffbf8"} x`, wantErr: "data after"},
		{name: "no _aws", old: `"_aws"`, new: `"aws"`, wantErr: "_aws: missing"},
		{name: "extra _aws member", old: `"LogGroupName"`, new: `"Group"`, wantErr: `unexpected member "Group"`},
		{name: "timestamp string", old: `1574109732004`, new: `"1574109732004"`, wantErr: "Timestamp: missing or not a number"},
		{name: "timestamp seconds float", old: `1574109732004`, new: `1574109732.004`, wantErr: "not milliseconds"},
		{name: "no directives", old: `[{"Namespace":"lambda-function-metrics","Dimensions":[["functionVersion"]],"Metrics":[{"Name":"time","Unit":"Milliseconds"}]}]`, new: `[]`, wantErr: "CloudWatchMetrics: missing"},
		{name: "empty namespace", old: `"lambda-function-metrics"`, new: `""`, wantErr: "Namespace"},
		{name: "dimension not at root", old: `"functionVersion":"$LATEST",`, new: ``, wantErr: `"functionVersion" is not a top-level member`},
		{name: "dimension not a string", old: `"functionVersion":"$LATEST"`, new: `"functionVersion":1`, wantErr: "non-blank string"},
		{name: "dimension blank", old: `"functionVersion":"$LATEST"`, new: `"functionVersion":" "`, wantErr: "non-blank string"},
		{name: "dimension twice", old: `[["functionVersion"]]`, new: `[["functionVersion","functionVersion"]]`, wantErr: "twice"},
		{name: "too many dimensions", old: `[["functionVersion"]]`, new: `[[` + strings.Repeat(`"functionVersion",`, 30) + `"functionVersion"]]`, wantErr: "more than 30"},
		{name: "no dimension sets", old: `[["functionVersion"]]`, new: `[]`, wantErr: "Dimensions: missing"},
		{name: "metric not at root", old: `"time":100,`, new: ``, wantErr: "numeric value"},
		{name: "metric a string", old: `"time":100`, new: `"time":"100"`, wantErr: "numeric value"},
		{name: "metric too many values", old: `"time":100`, new: `"time":[` + strings.Repeat("1,", 100) + `1]`, wantErr: "more than 100"},
		{name: "bad unit", old: `"Milliseconds"`, new: `"ms"`, wantErr: "not a CloudWatch unit"},
		{name: "extra metric member", old: `"Unit":`, new: `"Units":`, wantErr: `unexpected member "Units"`},
		{name: "bad storage resolution", old: `"Unit":"Milliseconds"`, new: `"Unit":"Milliseconds","StorageResolution":5`, wantErr: "StorageResolution"},
		{name: "too many metrics", old: `[{"Name":"time","Unit":"Milliseconds"}]`, new: `[` + strings.Repeat(`{"Name":"time"},`, 100) + `{"Name":"time"}]`, wantErr: "more than 100"},
		{name: "metric is a dimension", old: `{"Name":"time"`, new: `{"Name":"functionVersion"`, wantErr: "also a dimension"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := validEMF
			if tt.old != "" {
				if !strings.Contains(doc, tt.old) {
					t.Fatalf("test case does not apply: %q not in the valid document", tt.old)
				}
				doc = strings.Replace(doc, tt.old, tt.new, 1)
			}
			_, err := checkEMF([]byte(doc))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("checkEMF(%s) = %v, want valid", doc, err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("checkEMF(%s) accepted it, want error containing %q", doc, tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("checkEMF(%s) = %v, want error containing %q", doc, err, tt.wantErr)
			}
		})
	}
}
