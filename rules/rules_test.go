package rules

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/phasec/phasec/schema"
)

// template wraps a Resources section (and optionally Parameters and
// Metadata) into a template document.
func template(t *testing.T, resources string, extra ...string) []byte {
	t.Helper()
	body := `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": ` + resources
	for _, e := range extra {
		body += ", " + e
	}
	body += "}"
	var probe any
	if err := json.Unmarshal([]byte(body), &probe); err != nil {
		t.Fatalf("test template is not JSON: %v\n%s", err, body)
	}
	return []byte(body)
}

// findingsOf runs the catalogue and returns the unsuppressed findings of one
// rule as "resource: message" lines.
func findingsOf(t *testing.T, rule string, doc []byte) []string {
	t.Helper()
	rep, err := Check(doc)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range rep.Findings {
		if f.Rule == rule {
			out = append(out, f.Resource+": "+f.Message)
		}
	}
	return out
}

// ruleCase is a template that breaks one rule and one that passes it.
type ruleCase struct {
	rule string
	// fail must produce at least one finding of rule, on failOn.
	fail   string
	failOn string
	// pass must produce none.
	pass string
	// params are Parameters shared by both templates.
	params string
}

// TestRules checks every rule of the catalogue against a template that
// breaks it and one that complies; every rule must have a case.
func TestRules(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range ruleCases {
		covered[c.rule] = true
		t.Run(c.rule, func(t *testing.T) {
			if _, ok := Lookup(c.rule); !ok {
				t.Fatalf("no rule %s in the catalogue", c.rule)
			}
			var extra []string
			if c.params != "" {
				extra = append(extra, `"Parameters": `+c.params)
			}
			got := findingsOf(t, c.rule, template(t, c.fail, extra...))
			if len(got) == 0 {
				t.Errorf("breaking template: no %s finding", c.rule)
			}
			for _, g := range got {
				if !strings.HasPrefix(g, c.failOn+": ") {
					t.Errorf("breaking template: finding on the wrong resource (want %s): %s", c.failOn, g)
				}
			}
			if got := findingsOf(t, c.rule, template(t, c.pass, extra...)); len(got) > 0 {
				t.Errorf("compliant template: unexpected findings:\n%s", strings.Join(got, "\n"))
			}
		})
	}
	for _, r := range Catalogue() {
		if !covered[r.ID] {
			t.Errorf("rule %s has no test case", r.ID)
		}
	}
}

// TestCatalogueMetadata requires every rule to explain itself.
func TestCatalogueMetadata(t *testing.T) {
	id := regexp.MustCompile(`^PHS-[A-Z0-9]+-[0-9]{3}$`)
	control := regexp.MustCompile(`^(AwsSolutions-[A-Z0-9]+|CT\.[A-Z0-9]+\.PR\.[0-9]+|CIS [0-9.]+ [0-9.-]+)$`)
	for _, r := range Catalogue() {
		if !id.MatchString(r.ID) {
			t.Errorf("%s: malformed ID", r.ID)
		}
		if r.Severity != Error && r.Severity != Warning {
			t.Errorf("%s: severity %q", r.ID, r.Severity)
		}
		if r.Title == "" || r.Rationale == "" || len(r.Types) == 0 {
			t.Errorf("%s: title, rationale and types are required", r.ID)
		}
		if strings.Contains(r.Rationale, "\n") || strings.Contains(r.Title, "\n") {
			t.Errorf("%s: title and rationale are one line each", r.ID)
		}
		for _, c := range r.Controls {
			if !control.MatchString(c) {
				t.Errorf("%s: control %q is not AwsSolutions-*, CT.*.PR.* or CIS <version> <id>", r.ID, c)
			}
		}
	}
}

// TestCatalogueMatchesSchema keeps the rule IDs a spec may suppress (the
// CUE #RuleID) equal to the catalogue.
func TestCatalogueMatchesSchema(t *testing.T) {
	src, err := fs.ReadFile(schema.Files, "security.cue")
	if err != nil {
		t.Fatal(err)
	}
	_, list, ok := strings.Cut(string(src), "#RuleID:")
	if !ok {
		t.Fatal("schema/security.cue has no #RuleID")
	}
	inSchema := regexp.MustCompile(`"(PHS-[A-Z0-9]+-[0-9]{3})"`).FindAllStringSubmatch(list, -1)
	var schemaIDs, ids []string
	for _, m := range inSchema {
		schemaIDs = append(schemaIDs, m[1])
	}
	for _, r := range Catalogue() {
		ids = append(ids, r.ID)
	}
	sort.Strings(schemaIDs)
	if diff := cmp.Diff(ids, schemaIDs); diff != "" {
		t.Errorf("#RuleID in schema/security.cue differs from the catalogue (-catalogue +schema):\n%s", diff)
	}
}

// TestCatalogueOrder pins the report order to rule IDs.
func TestCatalogueOrder(t *testing.T) {
	cat := Catalogue()
	if !slices.IsSortedFunc(cat, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("catalogue is not in ID order")
	}
}

// openBucket breaks most S3 rules at once; the suppression tests use it.
const openBucket = `{"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}}}`

func TestSuppressions(t *testing.T) {
	tests := []struct {
		name           string
		doc            string
		extra          string
		wantS3001      int // unsuppressed PHS-S3-001 findings
		wantSuppressed int
		wantInvalid    []string
	}{
		{
			name: "none", doc: openBucket, wantS3001: 1,
		},
		{
			name:      "template-wide",
			doc:       openBucket,
			extra:     `"Metadata": {"phasec": {"suppressions": [{"rule": "PHS-S3-001", "reason": "a public bucket for the website assets", "source": "spec"}]}}`,
			wantS3001: 0, wantSuppressed: 1,
		},
		{
			name:      "template-wide limited to another resource",
			doc:       `{"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}}, "Other": {"Type": "AWS::S3::Bucket", "Properties": {}}}`,
			extra:     `"Metadata": {"phasec": {"suppressions": [{"rule": "PHS-S3-001", "reason": "a public bucket for the website assets", "resources": ["Other"]}]}}`,
			wantS3001: 1, wantSuppressed: 1,
		},
		{
			name:      "on the resource",
			doc:       `{"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}, "Metadata": {"phasec": {"suppressions": [{"rule": "PHS-S3-001", "reason": "a public bucket for the website assets"}]}}}}`,
			wantS3001: 0, wantSuppressed: 1,
		},
		{
			name:      "cdk-nag metadata",
			doc:       `{"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}, "Metadata": {"cdk_nag": {"rules_to_suppress": [{"id": "AwsSolutions-S2", "reason": "a public bucket for the website assets"}]}}}}`,
			wantS3001: 0, wantSuppressed: 1,
		},
		{
			name:      "cdk-nag metadata of the template",
			doc:       openBucket,
			extra:     `"Metadata": {"cdk_nag": {"rules_to_suppress": [{"id": "AwsSolutions-S2", "reason": "a public bucket for the website assets"}]}}`,
			wantS3001: 0, wantSuppressed: 1,
		},
		{
			name:        "no reason",
			doc:         `{"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}, "Metadata": {"phasec": {"suppressions": [{"rule": "PHS-S3-001"}]}}}}`,
			wantS3001:   1,
			wantInvalid: []string{"PHS-S3-001: the reason must say why the rule does not apply, in at least 20 characters"},
		},
		{
			name:        "unknown rule",
			doc:         openBucket,
			extra:       `"Metadata": {"phasec": {"suppressions": [{"rule": "PHS-S3-999", "reason": "a public bucket for the website assets"}]}}`,
			wantS3001:   1,
			wantInvalid: []string{`PHS-S3-999: no rule has the ID "PHS-S3-999"`},
		},
		{
			name:        "unknown resource",
			doc:         openBucket,
			extra:       `"Metadata": {"phasec": {"suppressions": [{"rule": "PHS-S3-001", "reason": "a public bucket for the website assets", "resources": ["Nope"]}]}}`,
			wantS3001:   1,
			wantInvalid: []string{"PHS-S3-001: the template has no resource Nope"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var extra []string
			if tt.extra != "" {
				extra = append(extra, tt.extra)
			}
			rep, err := Check(template(t, tt.doc, extra...))
			if err != nil {
				t.Fatal(err)
			}
			n, s := 0, 0
			for _, f := range rep.Findings {
				if f.Rule == "PHS-S3-001" {
					n++
				}
			}
			for _, f := range rep.Suppressed {
				if f.Rule == "PHS-S3-001" {
					s++
					if f.Reason == "" {
						t.Errorf("suppressed finding without its reason: %+v", f)
					}
				}
			}
			if n != tt.wantS3001 || s != tt.wantSuppressed {
				t.Errorf("PHS-S3-001: %d unsuppressed, %d suppressed; want %d, %d", n, s, tt.wantS3001, tt.wantSuppressed)
			}
			var invalid []string
			for _, i := range rep.Invalid {
				invalid = append(invalid, i.Suppression.Rule+": "+i.Problem)
			}
			if diff := cmp.Diff(tt.wantInvalid, invalid); diff != "" {
				t.Errorf("invalid suppressions (-want +got):\n%s", diff)
			}
			if (len(tt.wantInvalid) > 0 || tt.wantS3001 > 0) && !rep.Blocking() {
				t.Error("Blocking() = false with an invalid suppression or an unsuppressed error")
			}
		})
	}
}

// TestSuppressionAppliesTo suppresses one IAM wildcard and not another.
func TestSuppressionAppliesTo(t *testing.T) {
	doc := template(t, `{"Role": {"Type": "AWS::IAM::Role", "Properties": {
		"AssumeRolePolicyDocument": {},
		"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
			{"Effect": "Allow", "Action": "ec2:DescribeTags", "Resource": "*"},
			{"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/k"}
		]}}]},
		"Metadata": {"phasec": {"suppressions": [{"rule": "PHS-IAM-002", "reason": "DescribeTags has no resource-level permissions", "appliesTo": ["Resource::*"]}]}}}}`)
	rep, err := Check(doc)
	if err != nil {
		t.Fatal(err)
	}
	var open, closed []string
	for _, f := range rep.Findings {
		if f.Rule == "PHS-IAM-002" {
			open = append(open, f.Detail)
		}
	}
	for _, f := range rep.Suppressed {
		closed = append(closed, f.Detail)
	}
	if diff := cmp.Diff([]string{"Action::s3:Get*"}, open); diff != "" {
		t.Errorf("unsuppressed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Resource::*"}, closed); diff != "" {
		t.Errorf("suppressed (-want +got):\n%s", diff)
	}
	if rep.Suppressions[0].Matched != 1 {
		t.Errorf("Matched = %d, want 1", rep.Suppressions[0].Matched)
	}
}

// TestCdkNagAppliesTo: a cdk_nag suppression's applies_to, written the way
// cdk-nag flattens Fn::Sub, matches phasec's detail of the same finding and
// no other, and each cdk_nag entry is a suppression of its own.
func TestCdkNagAppliesTo(t *testing.T) {
	const wildcard = "Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:trail:log-stream:*"
	doc := template(t, `{"Role": {"Type": "AWS::IAM::Role", "Properties": {
		"AssumeRolePolicyDocument": {},
		"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
			{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:trail:log-stream:*"}},
			{"Effect": "Allow", "Action": "ec2:DescribeTags", "Resource": "*"},
			{"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/k"}
		]}}]},
		"Metadata": {"cdk_nag": {"rules_to_suppress": [
			{"id": "AwsSolutions-IAM5", "reason": "log streams are named by CloudTrail at run time", "applies_to": ["`+wildcard+`"]},
			{"id": "AwsSolutions-IAM5", "reason": "DescribeTags has no resource-level permissions", "applies_to": ["Resource::*"]}
		]}}}}`)
	rep, err := Check(doc)
	if err != nil {
		t.Fatal(err)
	}
	var open []string
	for _, f := range rep.Findings {
		open = append(open, f.Rule+" "+f.Detail)
	}
	if diff := cmp.Diff([]string{"PHS-IAM-002 Action::s3:Get*"}, open); diff != "" {
		t.Errorf("unsuppressed (-want +got):\n%s", diff)
	}
	var got []string
	for _, s := range rep.Suppressions {
		got = append(got, fmt.Sprintf("%s %s %v matched %d", s.Source, s.Rule, s.AppliesTo, s.Matched))
	}
	want := []string{
		"cdk_nag AwsSolutions-IAM5 PHS-IAM-002 [" + wildcard + "] matched 1",
		"cdk_nag AwsSolutions-IAM5 PHS-IAM-002 [Resource::*] matched 1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suppressions (-want +got):\n%s", diff)
	}
}

// TestWarningsDoNotBlock: only errors and invalid suppressions stop a build.
func TestWarningsDoNotBlock(t *testing.T) {
	rep, err := Check(template(t, `{"G": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 30,
		"KmsKeyId": {"Fn::GetAtt": ["K", "Arn"]}}}, "K": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": true,
		"KeyPolicy": {"Statement": [`+grantGuard+`]}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Rule != "PHS-LOGS-001" || rep.Findings[0].Severity != Warning {
		t.Fatalf("findings: %+v", rep.Findings)
	}
	if rep.Blocking() {
		t.Error("a warning blocks the build")
	}
}

func TestCheckRejectsNonJSON(t *testing.T) {
	if _, err := Check([]byte("[1,2]")); err == nil {
		t.Error("a JSON array was accepted as a template")
	}
}

// TestFlatten pins how expressions read in details and messages.
func TestFlatten(t *testing.T) {
	for in, want := range map[string]string{
		`"*"`:                               "*",
		`{"Ref": "AWS::Region"}`:            "<AWS::Region>",
		`{"Fn::GetAtt": ["Bucket", "Arn"]}`: "<Bucket.Arn>",
		`{"Fn::Sub": "arn:${AWS::Partition}:s3:::x"}`:              "arn:<AWS::Partition>:s3:::x",
		`{"Fn::Sub": ["${B.Arn}/${!Literal}/*", {}]}`:              "<B.Arn>/${Literal}/*",
		`{"Fn::Sub": "unterminated ${AWS::Region"}`:                "unterminated ${AWS::Region",
		`{"Fn::Join": ["", [{"Fn::GetAtt": ["B", "Arn"]}, "/*"]]}`: "<B.Arn>/*",
	} {
		var v any
		if err := json.Unmarshal([]byte(in), &v); err != nil {
			t.Fatal(err)
		}
		if got := flatten(v); got != want {
			t.Errorf("flatten(%s) = %q, want %q", in, got, want)
		}
	}
}

func Example() {
	rep, _ := Check([]byte(`{"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {}}}}}`))
	for _, f := range rep.Findings {
		fmt.Println(f.Rule, f.Severity, f.Resource, f.Message)
	}
	// Output:
	// PHS-KMS-001 error Key EnableKeyRotation is not true
	// PHS-KMS-002 warning Key KeyPolicy has no statement denying kms:CreateGrant unless kms:GrantIsForAWSResource and aws:PrincipalIsAWSService
}

// TestTLSPolicyArnForms: the Deny on aws:SecureTransport counts whichever
// way the policy writes the bucket's ARN, the Fn::Sub forms included, whose
// ${X} flatten writes as <X>.
func TestTLSPolicyArnForms(t *testing.T) {
	for name, resources := range map[string]string{
		"GetAtt and Join": `[{"Fn::GetAtt": ["B", "Arn"]}, {"Fn::Join": ["", [{"Fn::GetAtt": ["B", "Arn"]}, "/*"]]}]`,
		"Sub of the ARN":  `[{"Fn::Sub": "${B.Arn}"}, {"Fn::Sub": "${B.Arn}/*"}]`,
		"Sub of the name": `[{"Fn::Sub": "arn:${AWS::Partition}:s3:::${B}"}, {"Fn::Sub": "arn:${AWS::Partition}:s3:::${B}/*"}]`,
		"Join of the name": `[{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Ref": "B"}]]},
			{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Ref": "B"}, "/*"]]}]`,
	} {
		t.Run(name, func(t *testing.T) {
			doc := template(t, `{"B": {"Type": "AWS::S3::Bucket", "Properties": {}}, "Policy": {"Type": "AWS::S3::BucketPolicy",
				"Properties": {"Bucket": {"Ref": "B"}, "PolicyDocument": {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
				"Resource": `+resources+`, "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}}}`)
			if got := findingsOf(t, "PHS-S3-005", doc); len(got) > 0 {
				t.Errorf("findings: %q", got)
			}
		})
	}
}
