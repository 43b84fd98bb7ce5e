package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// decode reads JSON as the tool does, numbers as json.Number.
func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("test template is not JSON: %v\n%s", err, s)
	}
	return doc
}

// resolverTemplate has one of each thing the resolver reads: parameters of
// every kind, a mapping, conditions, and resources to refer to.
const resolverTemplate = `{
	"Parameters": {
		"Zones": {"Type": "List<AWS::EC2::AvailabilityZone::Name>", "Default": "us-east-1a, us-east-1b"},
		"Cert": {"Type": "String", "Default": "arn:aws:acm:us-east-1:111122223333:certificate/abc"},
		"Size": {"Type": "Number", "Default": 3},
		"Env": {"Type": "String", "Default": "prod"},
		"Image": {"Type": "String"},
		"Subnets": {"Type": "List<AWS::EC2::Subnet::Id>"}
	},
	"Mappings": {"Tier": {"prod": {"Days": 365}}},
	"Conditions": {
		"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
		"IsDev": {"Fn::Not": [{"Condition": "IsProd"}]},
		"ProdAndBig": {"Fn::And": [{"Condition": "IsProd"}, {"Fn::Equals": [{"Ref": "Size"}, "3"]}]},
		"DevOrBig": {"Fn::Or": [{"Condition": "IsDev"}, {"Condition": "ProdAndBig"}]},
		"Loop": {"Condition": "Loop"},
		"Bad": {"Fn::Contains": [["a"], "a"]},
		"TwoNots": {"Fn::Not": [{"Condition": "IsProd"}, {"Condition": "IsDev"}]}
	},
	"Resources": {
		"Logs": {"Type": "AWS::S3::Bucket", "Properties": {}},
		"Named": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Sub": "logs-${AWS::AccountId}"}}},
		"Key": {"Type": "AWS::KMS::Key", "Properties": {}},
		"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "alerts"}},
		"Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Name": "web"}},
		"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {}},
		"DevOnly": {"Type": "AWS::S3::Bucket", "Condition": "IsDev", "Properties": {}},
		"Widget": {"Type": "AWS::Some::Thing", "Properties": {}}
	}
}`

func TestResolve(t *testing.T) {
	tests := []struct {
		name string
		in   string // a property value, as JSON
		want any    // the value the hook sees
	}{
		{"literal", `"plain"`, "plain"},
		{"number stays a number", `30`, json.Number("30")},
		{"list parameter default, split and trimmed", `{"Ref": "Zones"}`, []any{"us-east-1a", "us-east-1b"}},
		{"string parameter default", `{"Ref": "Cert"}`, "arn:aws:acm:us-east-1:111122223333:certificate/abc"},
		{"number parameter default as written", `{"Ref": "Size"}`, json.Number("3")},
		{"parameter without default", `{"Ref": "Image"}`, "param-Image"},
		{"list parameter without default", `{"Ref": "Subnets"}`, []any{"param-Subnets"}},
		{"pseudo parameters", `{"Fn::Join": [":", [{"Ref": "AWS::Partition"}, {"Ref": "AWS::Region"}, {"Ref": "AWS::AccountId"}, {"Ref": "AWS::StackName"}]]}`, "aws:us-east-1:111122223333:web-prod"},
		{"NoValue drops the property", `{"A": 1, "B": {"Ref": "AWS::NoValue"}}`, map[string]any{"A": json.Number("1")}},
		{"NoValue drops the list element", `[1, {"Ref": "AWS::NoValue"}, 2]`, []any{json.Number("1"), json.Number("2")}},
		{"Ref to a bucket is its generated, lower-case name", `{"Ref": "Logs"}`, "web-prod-logs-" + hexFrom("web-prod/Logs", 12)},
		{"Ref to a named bucket is its name", `{"Ref": "Named"}`, "logs-111122223333"},
		{"GetAtt Arn of a bucket", `{"Fn::GetAtt": ["Named", "Arn"]}`, "arn:aws:s3:::logs-111122223333"},
		{"GetAtt in its string form", `{"Fn::GetAtt": "Named.Arn"}`, "arn:aws:s3:::logs-111122223333"},
		{"GetAtt Arn of a key", `{"Fn::GetAtt": ["Key", "Arn"]}`, "arn:aws:kms:us-east-1:111122223333:key/" + uuidFrom("web-prod/Key")},
		{"Ref to a topic is its ARN", `{"Ref": "Topic"}`, "arn:aws:sns:us-east-1:111122223333:alerts"},
		{"Ref to a security group is its ID", `{"Ref": "Sg"}`, "sg-" + hexFrom("web-prod/Sg", 17)},
		{"GetAtt LoadBalancerFullName", `{"Fn::GetAtt": ["Lb", "LoadBalancerFullName"]}`, "app/web/" + hexFrom("web-prod/Lb", 16)},
		{"Sub with pseudo parameters, resources and attributes", `{"Fn::Sub": "${AWS::Region}/${Topic}/${Named.Arn}"}`, "us-east-1/arn:aws:sns:us-east-1:111122223333:alerts/arn:aws:s3:::logs-111122223333"},
		{"Sub with its own variables, which win", `{"Fn::Sub": ["${Env}-${X}", {"X": {"Ref": "Size"}, "Env": "mine"}]}`, "mine-3"},
		{"Sub leaves ${!Literal} as ${Literal}", `{"Fn::Sub": "${!Literal}-${Env}"}`, "${Literal}-prod"},
		{"Join of a list parameter", `{"Fn::Join": [",", {"Ref": "Zones"}]}`, "us-east-1a,us-east-1b"},
		{"Select from a list parameter", `{"Fn::Select": ["1", {"Ref": "Zones"}]}`, "us-east-1b"},
		{"Select from GetAZs", `{"Fn::Select": [0, {"Fn::GetAZs": ""}]}`, "us-east-1a"},
		{"Split", `{"Fn::Split": ["/", "a/b"]}`, []any{"a", "b"}},
		{"If on a true condition", `{"Fn::If": ["IsProd", "yes", "no"]}`, "yes"},
		{"If on a false condition", `{"Fn::If": ["IsDev", "yes", "no"]}`, "no"},
		{"If on And of a condition and Equals of a number", `{"Fn::If": ["ProdAndBig", "yes", "no"]}`, "yes"},
		{"If on Or", `{"Fn::If": ["DevOrBig", "yes", "no"]}`, "yes"},
		{"If to NoValue drops the property", `{"A": {"Fn::If": ["IsDev", 1, {"Ref": "AWS::NoValue"}]}}`, map[string]any{}},
		{"Base64", `{"Fn::Base64": {"Fn::Sub": "#!/bin/sh\necho ${Env}"}}`, "IyEvYmluL3NoCmVjaG8gcHJvZA=="},
		{"FindInMap", `{"Fn::FindInMap": ["Tier", {"Ref": "Env"}, "Days"]}`, json.Number("365")},
		{"nested objects and lists", `{"A": [{"B": {"Ref": "Env"}}]}`, map[string]any{"A": []any{map[string]any{"B": "prod"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := newStack("web-prod", decode(t, resolverTemplate))
			if err != nil {
				t.Fatal(err)
			}
			in := decode(t, `{"v": `+tt.in+`}`)
			got, err := s.resolve(in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.(map[string]any)["v"]); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ImportValue is known only at deploy time", `{"Fn::ImportValue": "shared-vpc"}`, "cannot resolve Fn::ImportValue"},
		{"Cidr too", `{"Fn::Cidr": ["10.0.0.0/16", 4, 8]}`, "cannot resolve Fn::Cidr"},
		{"Ref to nothing", `{"Ref": "Nope"}`, "Ref to Nope, which is neither a parameter nor a resource"},
		{"GetAtt of nothing", `{"Fn::GetAtt": ["Nope", "Arn"]}`, "Fn::GetAtt of Nope, which is not a resource"},
		{"Select out of range", `{"Fn::Select": [5, {"Ref": "Zones"}]}`, "Fn::Select index 5 is outside a list of 2"},
		{"Join of a string", `{"Fn::Join": [",", "a"]}`, "Fn::Join needs a list"},
		{"a condition that refers to itself", `{"Fn::If": ["Loop", 1, 2]}`, "condition Loop refers to itself"},
		{"an unknown condition", `{"Fn::If": ["Nope", 1, 2]}`, "no condition Nope"},
		{"a function conditions cannot use", `{"Fn::If": ["Bad", 1, 2]}`, "Fn::Contains is not a condition function"},
		{"Not of two conditions", `{"Fn::If": ["TwoNots", 1, 2]}`, "Fn::Not takes one condition, not 2"},
		{"Sub of an unknown name", `{"Fn::Sub": "${Nope}"}`, "Fn::Sub ${Nope}: no variable, parameter or resource of that name"},
		{"Sub of a list", `{"Fn::Sub": "${Zones}"}`, "is not a string or number"},
		{"FindInMap of a missing key", `{"Fn::FindInMap": ["Tier", "dev", "Days"]}`, `no "dev" in the template's Mappings`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := newStack("web-prod", decode(t, resolverTemplate))
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.resolve(decode(t, `{"v": `+tt.in+`}`))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestHookResources: one document per resource the stack creates, in
// logical-ID order, in the shape the Control Tower rules test for; a
// resource whose condition is false is left out; an unknown attribute is a
// placeholder the output owns up to.
func TestHookResources(t *testing.T) {
	s, err := newStack("web-prod", decode(t, resolverTemplate))
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.hookResources()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range res {
		ids = append(ids, r.ID)
	}
	if diff := cmp.Diff([]string{"Key", "Lb", "Logs", "Named", "Sg", "Topic", "Widget"}, ids); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
	named := res[3]
	want := map[string]any{"AWS::S3::Bucket": map[string]any{"resourceProperties": map[string]any{"BucketName": "logs-111122223333"}}}
	if diff := cmp.Diff(want, named.Doc); diff != "" {
		t.Errorf("hook document of Named (-want +got):\n%s", diff)
	}

	if _, err := s.getAtt("Widget", "Endpoint"); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(s.assumptions(), "\n")
	for _, want := range []string{
		`Fn::GetAtt Widget.Endpoint (AWS::Some::Thing) has no known form`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("assumptions %q do not mention %q", got, want)
		}
	}
}

// TestDeterministic: the same template resolves to the same documents on
// every run, generated names included.
func TestDeterministic(t *testing.T) {
	var first []byte
	for i := 0; i < 3; i++ {
		s, err := newStack("web-prod", decode(t, resolverTemplate))
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.hookResources()
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = got
		} else if !bytes.Equal(first, got) {
			t.Fatalf("run %d differs:\n%s\n%s", i, first, got)
		}
	}
}

func TestNewStackRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"a transform":          `{"Transform": "AWS::Serverless-2016-10-31", "Resources": {}}`,
		"no resources":         `{}`,
		"a resource sans type": `{"Resources": {"A": {"Properties": {}}}}`,
	} {
		if _, err := newStack("s", decode(t, doc)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestStackName(t *testing.T) {
	for file, want := range map[string]string{
		"golden/ledger/production.json": "ledger-production",
		"golden/baseline/shop.json":     "baseline-shop",
		"web.json":                      "web",
		"/web.json":                     "web",
	} {
		if got := stackName(file); got != want {
			t.Errorf("stackName(%q) = %q, want %q", file, got, want)
		}
	}
}
