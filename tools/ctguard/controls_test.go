package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestControlNames(t *testing.T) {
	c := control{Text: `let S3_BUCKET_TYPE = "AWS::S3::Bucket"
let LC = 'AWS::AutoScaling::LaunchConfiguration'
#   AWS::EC2::LaunchTemplate
let p = Resources.*[ Type == "AWS::S3::BucketPolicy" ]`}
	for typ, want := range map[string]bool{
		"AWS::S3::Bucket":                       true,
		"AWS::S3::BucketPolicy":                 true,
		"AWS::AutoScaling::LaunchConfiguration": true, // single quotes
		"AWS::EC2::LaunchTemplate":              true, // a comment names it too
		"AWS::S3::Buck":                         false,
		"AWS::EC2::Launch":                      false,
		"AWS::SNS::Topic":                       false,
	} {
		if got := c.names(typ); got != want {
			t.Errorf("names(%s) = %v, want %v", typ, got, want)
		}
	}
	// Only AWS::S3::BucketPolicy: the bucket type is a prefix, not a name.
	policy := control{Text: `let T = "AWS::S3::BucketPolicy"`}
	if policy.names("AWS::S3::Bucket") {
		t.Error("AWS::S3::BucketPolicy names AWS::S3::Bucket")
	}
}

func TestLessControlID(t *testing.T) {
	ids := []string{"CT.S3.PR.10", "CT.EC2.PR.2", "CT.S3.PR.2", "CT.AUTOSCALING.PR.11", "CT.S3.PR.1", "CT.AUTOSCALING.PR.2"}
	slices.SortFunc(ids, func(a, b string) int {
		if lessControlID(a, b) {
			return -1
		}
		if lessControlID(b, a) {
			return 1
		}
		return 0
	})
	want := []string{"CT.AUTOSCALING.PR.2", "CT.AUTOSCALING.PR.11", "CT.EC2.PR.2", "CT.S3.PR.1", "CT.S3.PR.2", "CT.S3.PR.10"}
	if !slices.Equal(ids, want) {
		t.Errorf("sorted %v, want %v", ids, want)
	}
}

// writePackage lays out a fake package with the given rule files (path
// under cfn-guard → text) and a metadata file for each, whose Id is made
// from the file name unless ids says otherwise.
func writePackage(t *testing.T, files map[string]string, ids map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, text := range files {
		path := filepath.Join(dir, guardRulesDir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		id, ok := ids[rel]
		if !ok {
			name := strings.TrimSuffix(filepath.Base(rel), ".guard")[len("ct-"):]
			id = "CT." + strings.Replace(strings.ToUpper(name), "-PR-", ".PR.", 1)
		}
		if id == "" {
			continue
		}
		meta := filepath.Join(dir, metadataDir, strings.TrimSuffix(rel, ".guard")+".metadata.json")
		if err := os.MkdirAll(filepath.Dir(meta), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(meta, []byte(`{"Id": "`+id+`"}`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadControls(t *testing.T) {
	rule := func(name string) string {
		return "rule " + name + " when is_cfn_template(%D) {}\nrule " + name + " when is_cfn_hook(%D, %T) {}\nrule check(x) {}\n"
	}
	dir := writePackage(t, map[string]string{
		"s3/ct-s3-pr-10.guard":           rule("s3_kms"),
		"s3/ct-s3-pr-2.guard":            rule("s3_logging"),
		"waf/ct-waf-regional-pr-1.guard": rule("waf_regional"),
	}, map[string]string{"waf/ct-waf-regional-pr-1.guard": "CT.WAF-REGIONAL.PR.1"})
	got, err := loadControls(dir)
	if err != nil {
		t.Fatal(err)
	}
	var summary []string
	for _, c := range got {
		summary = append(summary, c.ID+" "+c.File+" "+c.Rule)
	}
	want := []string{
		"CT.S3.PR.2 s3/ct-s3-pr-2.guard s3_logging",
		"CT.S3.PR.10 s3/ct-s3-pr-10.guard s3_kms",
		"CT.WAF-REGIONAL.PR.1 waf/ct-waf-regional-pr-1.guard waf_regional",
	}
	if !slices.Equal(summary, want) {
		t.Errorf("controls\n%s\nwant\n%s", strings.Join(summary, "\n"), strings.Join(want, "\n"))
	}
}

func TestLoadControlsRejects(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		ids   map[string]string
		want  string
	}{
		{"no rule files", map[string]string{"s3/README": "x"}, nil, "no Guard rule files"},
		{"two files, one rule name", map[string]string{
			"s3/ct-s3-pr-1.guard": "rule same when a exists {}", "s3/ct-s3-pr-2.guard": "rule same when a exists {}",
		}, nil, "both name their rule same"},
		{"two primary rules in one file", map[string]string{
			"s3/ct-s3-pr-1.guard": "rule one when a exists {}\nrule two when b exists {}",
		}, nil, "want one primary rule name, found 2"},
		{"no primary rule", map[string]string{"s3/ct-s3-pr-1.guard": "rule helper(x) {}"}, nil, "found 0"},
		{"no metadata", map[string]string{"s3/ct-s3-pr-1.guard": "rule one when a exists {}"},
			map[string]string{"s3/ct-s3-pr-1.guard": ""}, "no such file"},
		{"metadata of something else", map[string]string{"s3/ct-s3-pr-1.guard": "rule one when a exists {}"},
			map[string]string{"s3/ct-s3-pr-1.guard": "AWS-GR_S3"}, "is not a Control Tower control ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadControls(writePackage(t, tt.files, tt.ids))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}
