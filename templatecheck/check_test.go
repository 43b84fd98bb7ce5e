package templatecheck

import (
	"os"
	"strings"
	"testing"
)

// checkCase is one template and the problems it must produce. Each entry of want must be a
// substring of some problem (as printed by Problem.String), and every problem must match some
// entry, so a case fails both on a missed problem and on a spurious one. want == nil means the
// template must be clean.
type checkCase struct {
	name     string
	template string
	want     []string
}

// tpl wraps resources (the inside of the Resources object) and extra top-level sections into a
// template.
func tpl(resources string, sections ...string) string {
	var b strings.Builder
	b.WriteString(`{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {`)
	b.WriteString(resources)
	b.WriteString("}")
	for _, s := range sections {
		b.WriteString(", ")
		b.WriteString(s)
	}
	b.WriteString("}")
	return b.String()
}

func runCases(t *testing.T, cases []checkCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			problems, err := Check([]byte(tc.template))
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			for _, w := range tc.want {
				found := false
				for _, g := range got {
					if strings.Contains(g, w) {
						found = true
						break
					}
				}
				if !found {
					t.Errorf("missing problem containing %q\ngot:\n  %s", w, strings.Join(got, "\n  "))
				}
			}
			for _, g := range got {
				matched := false
				for _, w := range tc.want {
					if strings.Contains(g, w) {
						matched = true
						break
					}
				}
				if !matched {
					t.Errorf("unexpected problem: %s", g)
				}
			}
		})
	}
}

// Snippets of valid resources used by many cases.
const (
	topic    = `"Topic": {"Type": "AWS::SNS::Topic"}`
	vpcParam = `"Parameters": {"VpcId": {"Type": "AWS::EC2::VPC::Id"}, "Subnets": {"Type": "List<AWS::EC2::Subnet::Id>"}}`
)

func TestRealisticTemplateIsClean(t *testing.T) {
	b, err := os.ReadFile("testdata/realistic.json")
	if err != nil {
		t.Fatal(err)
	}
	problems, err := Check(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("unexpected problem: %s", p)
	}
}

func TestCheckRejectsInvalidJSON(t *testing.T) {
	for _, in := range []string{``, `{`, `{"Resources": }`, `{} {}`} {
		if _, err := Check([]byte(in)); err == nil {
			t.Errorf("Check(%q): want an error for invalid JSON", in)
		}
	}
	if _, err := Check([]byte(tpl(topic))); err != nil {
		t.Errorf("Check(valid): %v", err)
	}
}

func TestProblemString(t *testing.T) {
	p := Problem{Path: "Resources.Asg.Properties.MinSize", Check: "value", Message: "MinSize 3 is greater than MaxSize 2"}
	if got, want := p.String(), "Resources.Asg.Properties.MinSize: value: MinSize 3 is greater than MaxSize 2"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := (Problem{Check: "limit", Message: "too big"}).String(); got != "(template): limit: too big" {
		t.Errorf("String() of a template-level problem = %q", got)
	}
}

func TestProblemsAreSortedAndDeduplicated(t *testing.T) {
	problems, err := Check([]byte(tpl(
		`"B": {"Type": "AWS::SNS::Topic", "Properties": {"Zeta": 1, "Alpha": 1}}, "A": {"Type": "AWS::Nope::Nope"}`)))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Resources.A.Type",
		"Resources.B.Properties.Alpha",
		"Resources.B.Properties.Zeta",
	}
	if len(problems) != len(want) {
		t.Fatalf("got %d problems, want %d: %v", len(problems), len(want), problems)
	}
	for i, p := range problems {
		if p.Path != want[i] {
			t.Errorf("problem %d at %s, want %s", i, p.Path, want[i])
		}
	}
	clean, err := Check([]byte(tpl(topic)))
	if err != nil || clean != nil {
		t.Errorf("clean template: got %v, %v; want nil, nil", clean, err)
	}
}

func TestSchema(t *testing.T) {
	runCases(t, []checkCase{
		{"known type passes", tpl(topic), nil},
		{"unknown type", tpl(`"X": {"Type": "AWS::SNS::Topik"}`),
			[]string{`Resources.X.Type: schema: unknown resource type "AWS::SNS::Topik"`}},
		{"missing type", tpl(`"X": {"Properties": {}}`), []string{"Resources.X: schema: missing Type"}},
		{"unknown resource attribute", tpl(`"X": {"Type": "AWS::SNS::Topic", "Propertys": {}}`),
			[]string{`Resources.X.Propertys: schema: unknown resource attribute "Propertys"`}},
		{"unknown property", tpl(`"X": {"Type": "AWS::SNS::Topic", "Properties": {"TopicNam": "a"}}`),
			[]string{`Resources.X.Properties.TopicNam: schema: unknown property "TopicNam"`}},
		{"unknown nested property", tpl(`"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Status": "Enabled", "Mode": "x"}}}`),
			[]string{`Resources.Bucket.Properties.VersioningConfiguration.Mode: schema: unknown property "Mode" for an object (AWS::S3::Bucket.VersioningConfiguration)`}},
		{"missing required property", tpl(`"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String"}}`),
			[]string{"Resources.P.Properties: schema: missing required property Value"}},
		{"missing required nested property", tpl(`"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {}}}`),
			[]string{"Resources.Bucket.Properties.VersioningConfiguration: schema: missing required property Status"}},
		{"missing Properties with required properties", tpl(`"P": {"Type": "AWS::SSM::Parameter"}`),
			[]string{"missing required property Type", "missing required property Value"}},
		{"string where number expected", tpl(`"G": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": "a week"}}`),
			[]string{`Resources.G.Properties.RetentionInDays: schema: expected a number, got string "a week"`, `Resources.G.Properties.RetentionInDays: value: "a week" is not one of`}},
		{"numeric string accepted for number", tpl(`"G": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": "30"}}`), nil},
		{"number and boolean accepted for string", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": 42, "TopicName": true}}`), nil},
		{"boolean string accepted for boolean", tpl(`"K": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": "true"}}`), nil},
		{"number where boolean expected", tpl(`"K": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": 1}}`),
			[]string{"Resources.K.Properties.EnableKeyRotation: schema: expected a boolean, got number 1"}},
		{"object where string expected", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"a": 1}}}`),
			[]string{"Resources.T.Properties.DisplayName: schema: expected a string, got an object"}},
		{"scalar where array expected", tpl(`"I": {"Type": "AWS::IAM::InstanceProfile", "Properties": {"Roles": "r"}}`),
			[]string{`Resources.I.Properties.Roles: schema: expected an array, got string "r"`}},
		{"array item type", tpl(`"I": {"Type": "AWS::IAM::InstanceProfile", "Properties": {"Roles": [{"a": 1}]}}`),
			[]string{"Resources.I.Properties.Roles[0]: schema: expected a string, got an object"}},
		{"array of objects through $ref", tpl(`"B": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [{"Key": "k"}]}}`),
			[]string{"Resources.B.Properties.Tags[0]: schema: missing required property Value"}},
		{"open JSON object accepts anything", tpl(`"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Anything": {"Goes": [1, true]}}]}}}`), nil},
		{"open JSON object accepts a JSON string", tpl(`"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": "{\"Version\": \"2012-10-17\"}"}}`), nil},
		{"open JSON object rejects a number", tpl(`"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": 7}}`),
			[]string{"Resources.R.Properties.AssumeRolePolicyDocument: schema: expected a JSON object, got number 7"}},
		{"map values checked", tpl(`"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "v", "Tags": {"team": ["a"]}}}`),
			[]string{"Resources.P.Properties.Tags.team: schema: expected a string, got an array"}},
		{"intrinsic accepted for scalar", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": "${AWS::StackName}"}}}`), nil},
		{"list intrinsic where scalar expected", tpl(`"G": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d", "VpcId": {"Ref": "Subnets"}}}`, vpcParam),
			[]string{"Resources.G.Properties.VpcId: schema: expected a string, but Ref yields a list"}},
		{"scalar intrinsic where list expected", tpl(`"G": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d", "SecurityGroupIngress": {"Ref": "VpcId"}}}`, vpcParam),
			[]string{"Resources.G.Properties.SecurityGroupIngress: schema: expected an array, but Ref yields a single value"}},
		{"list attribute where scalar expected", tpl(`"LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Subnets": ["s1", "s2"]}}, "T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["LB", "SecurityGroups"]}, "TopicName": {"Fn::Select": [0, {"Fn::GetAtt": ["LB", "SecurityGroups"]}]}}}`),
			[]string{"Resources.T.Properties.DisplayName: schema: expected a string, but Fn::GetAtt yields a list"}},
		{"list intrinsic where list expected", tpl(`"L": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Subnets": {"Ref": "Subnets"}}}`, vpcParam), nil},
		{"intrinsic where typed object expected", tpl(`"B": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Fn::Sub": "x"}}}`),
			[]string{"Resources.B.Properties.VersioningConfiguration: schema: expected an object (AWS::S3::Bucket.VersioningConfiguration), but Fn::Sub yields a single value"}},
		{"Fn::If branches checked against the schema", tpl(`"B": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Fn::If": ["C", {"Status": "Enabled"}, {"Stat": "x"}]}}}`, `"Conditions": {"C": {"Fn::Equals": ["a", "b"]}}`),
			[]string{"Resources.B.Properties.VersioningConfiguration.Fn::If[2].Stat: schema: unknown property", "Resources.B.Properties.VersioningConfiguration.Fn::If[2]: schema: missing required property Status"}},
		{"null values", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": null, "Tags": [null]}}`, `"Outputs": {"O": {"Value": null}}`),
			[]string{"Resources.T.Properties.DisplayName: schema: null values are not allowed in templates", "Resources.T.Properties.Tags[0]: schema: null values are not allowed in templates",
				"Outputs.O.Value: schema: null values are not allowed in templates", "Outputs.O.Value: schema: an output Value must be a string, got null"}},
		{"AWS::NoValue accepted anywhere", tpl(`"B": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Ref": "AWS::NoValue"}, "Tags": {"Ref": "AWS::NoValue"}}}`), nil},
		{"custom resource needs ServiceToken", tpl(`"C": {"Type": "Custom::Thing", "Properties": {"Anything": 1}}`),
			[]string{"Resources.C.Properties: schema: missing required property ServiceToken"}},
		{"custom resource with ServiceToken passes", tpl(`"C": {"Type": "Custom::Thing", "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:111122223333:function:f", "Anything": {"x": [1]}}}`), nil},
		{"bad custom type name", tpl(`"C": {"Type": "Custom::Bad Name", "Properties": {"ServiceToken": "t"}}`),
			[]string{"Resources.C.Type: schema: custom resource type"}},
	})
}

func TestResourceAttributes(t *testing.T) {
	asg := func(attrs string) string {
		return tpl(`"Asg": {"Type": "AWS::AutoScaling::AutoScalingGroup", ` + attrs + ` "Properties": {"MinSize": "1", "MaxSize": "3", "LaunchConfigurationName": "lc"}}`)
	}
	runCases(t, []checkCase{
		{"valid attributes", asg(`"DeletionPolicy": "RetainExceptOnCreate", "UpdateReplacePolicy": "Retain", "Metadata": {"a": 1},
			"CreationPolicy": {"ResourceSignal": {"Count": 1, "Timeout": "PT12H"}},
			"UpdatePolicy": {"AutoScalingRollingUpdate": {"MinInstancesInService": 1, "PauseTime": "PT1H", "SuspendProcesses": ["HealthCheck"]}},`), nil},
		{"DeletionPolicy enum", asg(`"DeletionPolicy": "Keep",`),
			[]string{`Resources.Asg.DeletionPolicy: schema: DeletionPolicy "Keep" is not one of Delete, Retain, RetainExceptOnCreate, Snapshot`}},
		{"UpdateReplacePolicy has no RetainExceptOnCreate", asg(`"UpdateReplacePolicy": "RetainExceptOnCreate",`),
			[]string{`Resources.Asg.UpdateReplacePolicy: schema: UpdateReplacePolicy "RetainExceptOnCreate" is not one of Delete, Retain, Snapshot`}},
		{"Snapshot only for snapshot types", asg(`"DeletionPolicy": "Snapshot",`),
			[]string{"Resources.Asg.DeletionPolicy: schema: DeletionPolicy Snapshot is not supported by AWS::AutoScaling::AutoScalingGroup"}},
		{"Snapshot on a volume passes", tpl(`"V": {"Type": "AWS::EC2::Volume", "DeletionPolicy": "Snapshot", "Properties": {"AvailabilityZone": "us-east-1a", "Size": 10}}`), nil},
		{"Metadata must be an object", asg(`"Metadata": "x",`),
			[]string{`Resources.Asg.Metadata: schema: Metadata must be an object, got string "x"`}},
		{"CreationPolicy on an unsupported type", tpl(`"T": {"Type": "AWS::SNS::Topic", "CreationPolicy": {"ResourceSignal": {"Count": 1}}}`),
			[]string{"Resources.T.CreationPolicy: schema: CreationPolicy is not supported on AWS::SNS::Topic"}},
		{"UpdatePolicy unknown key", asg(`"UpdatePolicy": {"AutoScalingRollingUpdates": {}},`),
			[]string{`Resources.Asg.UpdatePolicy.AutoScalingRollingUpdates: schema: unknown property "AutoScalingRollingUpdates"`}},
		{"UpdatePolicy value type", asg(`"UpdatePolicy": {"AutoScalingRollingUpdate": {"WaitOnResourceSignals": "yes"}},`),
			[]string{`Resources.Asg.UpdatePolicy.AutoScalingRollingUpdate.WaitOnResourceSignals: schema: expected a boolean, got string "yes"`}},
		{"PauseTime over one hour", asg(`"UpdatePolicy": {"AutoScalingRollingUpdate": {"PauseTime": "PT2H"}},`),
			[]string{"Resources.Asg.UpdatePolicy.AutoScalingRollingUpdate.PauseTime: value: PauseTime PT2H is longer than the maximum PT1H"}},
		{"PauseTime format", asg(`"UpdatePolicy": {"AutoScalingRollingUpdate": {"PauseTime": "10 minutes"}},`),
			[]string{"Resources.Asg.UpdatePolicy.AutoScalingRollingUpdate.PauseTime: value: PauseTime \"10 minutes\": must be an ISO 8601 duration"}},
		{"signal timeout over 12 hours", asg(`"CreationPolicy": {"ResourceSignal": {"Timeout": "PT13H"}},`),
			[]string{"Resources.Asg.CreationPolicy.ResourceSignal.Timeout: value: Timeout PT13H is longer than the maximum PT12H"}},
		{"MinInstancesInService not below MaxSize", asg(`"UpdatePolicy": {"AutoScalingRollingUpdate": {"MinInstancesInService": 3}},`),
			[]string{"Resources.Asg.UpdatePolicy.AutoScalingRollingUpdate.MinInstancesInService: value: MinInstancesInService 3 must be less than the group's MaxSize 3"}},
		{"Condition names a defined condition", tpl(`"T": {"Type": "AWS::SNS::Topic", "Condition": "IsProd"}`),
			[]string{`Resources.T.Condition: reference: condition "IsProd" is not defined in Conditions`}},
		{"Condition defined passes", tpl(`"T": {"Type": "AWS::SNS::Topic", "Condition": "IsProd"}`, `"Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}}`), nil},
	})
}

func TestReferences(t *testing.T) {
	runCases(t, []checkCase{
		{"Ref to parameter, resource and pseudo parameter", tpl(topic+`, "S": {"Type": "AWS::SNS::Subscription", "Properties": {"TopicArn": {"Ref": "Topic"}, "Protocol": "email", "Endpoint": {"Fn::Sub": "${Email}@${AWS::URLSuffix}"}}}`, `"Parameters": {"Email": {"Type": "String"}}`), nil},
		{"Ref to nothing", tpl(`"S": {"Type": "AWS::SNS::Subscription", "Properties": {"TopicArn": {"Ref": "Topc"}, "Protocol": "email"}}`),
			[]string{`Resources.S.Properties.TopicArn.Ref: reference: Ref to "Topc", which is neither a parameter, a resource nor a pseudo parameter`}},
		{"Ref to unknown pseudo parameter", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "AWS::Regoin"}}}`),
			[]string{`Resources.T.Properties.DisplayName.Ref: reference: Ref to unknown pseudo parameter "AWS::Regoin"`}},
		{"Ref must be a string", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": ["a"]}}}`),
			[]string{"Resources.T.Properties.DisplayName.Ref: reference: Ref takes the name of a parameter or resource, got an array"}},
		{"GetAtt with a real attribute", tpl(`"L": {"Type": "AWS::Logs::LogGroup"}, "T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": "L.Arn"}}}`), nil},
		{"GetAtt on a missing resource", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["Nope", "Arn"]}}}`),
			[]string{`Resources.T.Properties.DisplayName.Fn::GetAtt: reference: Fn::GetAtt on "Nope", which is not a resource in this template`}},
		{"GetAtt with a wrong attribute", tpl(`"L": {"Type": "AWS::Logs::LogGroup"}, "T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["L", "Name"]}}}`),
			[]string{`Resources.T.Properties.DisplayName.Fn::GetAtt: reference: AWS::Logs::LogGroup "L" has no attribute "Name" (has: Arn)`}},
		{"GetAtt on a type without attributes", tpl(`"D": {"Type": "AWS::CloudWatch::Dashboard", "Properties": {"DashboardBody": "{}"}}, "T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["D", "Arn"]}}}`),
			[]string{`reference: AWS::CloudWatch::Dashboard "D" has no attributes for Fn::GetAtt`}},
		{"GetAtt on a type missing from the table", tpl(`"Q": {"Type": "AWS::SQS::Queue"}, "T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["Q", "Arn"]}}}`),
			[]string{"reference: no attribute table for AWS::SQS::Queue: add it"}},
		{"GetAtt on a custom resource takes any attribute", tpl(`"C": {"Type": "Custom::X", "Properties": {"ServiceToken": "t"}}, "T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["C", "Anything"]}}}`), nil},
		{"GetAtt malformed", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["T"]}}}`),
			[]string{"reference: Fn::GetAtt takes [resource, attribute], got 1 elements"}},
		{"Sub variables resolve", tpl(`"L": {"Type": "AWS::Logs::LogGroup"}, "T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": ["${L.Arn} ${L} ${P} ${AWS::Region} ${!Literal} ${Local}", {"Local": {"Ref": "P"}}]}}}`, `"Parameters": {"P": {"Type": "String"}}`), nil},
		{"Sub unknown variable", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": "${Nope}-x"}}}`),
			[]string{`Resources.T.Properties.DisplayName.Fn::Sub: reference: Fn::Sub ${Nope} to "Nope", which is neither a parameter, a resource nor a pseudo parameter`}},
		{"Sub unknown attribute", tpl(`"L": {"Type": "AWS::Logs::LogGroup"}, "T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": "${L.Name}"}}}`),
			[]string{`reference: AWS::Logs::LogGroup "L" has no attribute "Name"`}},
		{"Sub attribute of a missing resource", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": "${Gone.Arn}"}}}`),
			[]string{`reference: Fn::Sub ${Gone.Arn}: "Gone" is not a resource in this template`}},
		{"Join needs a list", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Join": [",", {"Ref": "P"}]}}}`, `"Parameters": {"P": {"Type": "String"}}`),
			[]string{"Resources.T.Properties.DisplayName.Fn::Join[1]: reference: Fn::Join needs a list here, but Ref yields a single value"}},
		{"Join over a list parameter passes", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Join": [",", {"Ref": "P"}]}}}`, `"Parameters": {"P": {"Type": "CommaDelimitedList"}}`), nil},
		{"Select index out of range", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Select": [2, ["a", "b"]]}}}`),
			[]string{"Resources.T.Properties.DisplayName.Fn::Select[0]: reference: Fn::Select index 2 is out of range for a list of 2"}},
		{"Select, Split, GetAZs, Base64, Cidr pass", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Join": ["-", [{"Fn::Select": [0, {"Fn::GetAZs": ""}]}, {"Fn::Select": ["1", {"Fn::Split": [",", "a,b"]}]}, {"Fn::Base64": "x"}, {"Fn::Select": [0, {"Fn::Cidr": ["10.0.0.0/16", 2, 8]}]}]]}}}`), nil},
		{"Split of a list", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Join": ["", {"Fn::Split": [",", {"Ref": "L"}]}]}}}`, `"Parameters": {"L": {"Type": "CommaDelimitedList"}}`),
			[]string{"Fn::Split[1]: reference: Fn::Split needs a string here, but Ref yields a list"}},
		{"malformed intrinsic arguments", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Join": ["-", [{"Fn::GetAZs": 5}, {"Fn::Select": [0, {"Fn::Cidr": ["10.0.0.0/16", 2]}]}, {"Fn::Sub": ["${A}", "not a map"]}, {"Fn::Select": ["first", ["a"]]}, {"Fn::Join": ["-"]}]]}}}`, `"Parameters": {"A": {"Type": "String"}}`),
			[]string{`Fn::Join[1][0].Fn::GetAZs: reference: Fn::GetAZs takes a region name (or ""), got number 5`,
				"Fn::Join[1][1].Fn::Select[1].Fn::Cidr: reference: Fn::Cidr takes [ipBlock, count, cidrBits]",
				`Fn::Join[1][2].Fn::Sub[1]: reference: Fn::Sub variables must be an object, got string "not a map"`,
				`Fn::Join[1][3].Fn::Select[0]: reference: Fn::Select index must be a number, got string "first"`,
				"Fn::Join[1][4].Fn::Join: reference: Fn::Join takes [delimiter, [values...]]"}},
		{"unknown intrinsic function", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Concat": ["a", "b"]}}}`),
			[]string{"Resources.T.Properties.DisplayName.Fn::Concat: reference: unknown intrinsic function Fn::Concat"}},
		{"condition function outside Conditions", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Equals": ["a", "b"]}}}`),
			[]string{"Resources.T.Properties.DisplayName.Fn::Equals: reference: Fn::Equals is only allowed in the Conditions section"}},
		{"If with an undefined condition", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::If": ["Nope", "a", "b"]}}}`),
			[]string{`Resources.T.Properties.DisplayName.Fn::If[0]: reference: condition "Nope" is not defined in Conditions`}},
		{"FindInMap resolves", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::FindInMap": ["Env", {"Ref": "AWS::Region"}, "Name"]}}}`, `"Mappings": {"Env": {"us-east-1": {"Name": "x"}}}`), nil},
		{"FindInMap unknown map and key", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::FindInMap": ["Env", "eu-west-1", "Name"]}}}, "U": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::FindInMap": ["Envs", "a", "b"]}}}`, `"Mappings": {"Env": {"us-east-1": {"Name": "x"}}}`),
			[]string{`Resources.T.Properties.DisplayName.Fn::FindInMap[1]: reference: Fn::FindInMap: mapping "Env" has no key "eu-west-1"`, `Resources.U.Properties.DisplayName.Fn::FindInMap[0]: reference: Fn::FindInMap: no mapping "Envs" in Mappings`}},
		{"Length needs LanguageExtensions", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Length": ["a"]}}}`),
			[]string{`Resources.T.Properties.DisplayName.Fn::Length: reference: Fn::Length needs "Transform": "AWS::LanguageExtensions"`}},
		{"Length and ToJsonString with LanguageExtensions", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::ToJsonString": {"n": {"Fn::Length": ["a"]}}}}}`, `"Transform": "AWS::LanguageExtensions"`), nil},
		{"ImportValue cannot use resources", tpl(topic + `, "T2": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::ImportValue": {"Fn::Sub": "${Topic}-x"}}}}`),
			[]string{`reference: Fn::Sub ${Topic} "Topic" names a resource: Fn::ImportValue cannot depend on a resource`}},
		{"DependsOn unknown and self", tpl(`"T": {"Type": "AWS::SNS::Topic", "DependsOn": ["T", "Ghost"]}`),
			[]string{`Resources.T.DependsOn[0]: reference: resource "T" depends on itself`, `Resources.T.DependsOn[1]: reference: DependsOn "Ghost", which is not a resource in this template`}},
		{"DependsOn string form passes", tpl(topic + `, "U": {"Type": "AWS::SNS::Topic", "DependsOn": "Topic"}`), nil},
		{"cycle through Ref, GetAtt and DependsOn", tpl(`"A": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "B"}}}, "B": {"Type": "AWS::Logs::LogGroup", "DependsOn": "C"}, "C": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": "${A.TopicName}"}}}`),
			[]string{"Resources.A: reference: circular dependency: A -> B -> C -> A"}},
		{"self reference", tpl(`"A": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["A", "TopicName"]}}}`),
			[]string{"Resources.A: reference: circular dependency: A refers to itself"}},
		{"a macro transform relaxes type and reference checks", tpl(`"Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Runtime": "go1.x"}}, "T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "FnRole"}}}`, `"Transform": "AWS::Serverless-2016-10-31"`), nil},
		{"LanguageExtensions does not relax reference checks", tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "FnRole"}}}`, `"Transform": ["AWS::LanguageExtensions"]`),
			[]string{`Ref to "FnRole", which is neither a parameter, a resource nor a pseudo parameter`}},
		{"diamond is not a cycle", tpl(`"A": {"Type": "AWS::SNS::Topic", "DependsOn": ["B", "C"]}, "B": {"Type": "AWS::SNS::Topic", "DependsOn": "D"}, "C": {"Type": "AWS::SNS::Topic", "DependsOn": "D"}, "D": {"Type": "AWS::SNS::Topic"}`), nil},
	})
}

func TestConditions(t *testing.T) {
	runCases(t, []checkCase{
		{"valid conditions", tpl(topic, `"Parameters": {"Env": {"Type": "String"}}`,
			`"Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "production"]}, "IsUsEast": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}, "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Condition": "IsUsEast"}]}, "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]}}`), nil},
		{"condition refers to a resource", tpl(topic, `"Conditions": {"C": {"Fn::Equals": [{"Ref": "Topic"}, "x"]}}`),
			[]string{`Conditions.C.Fn::Equals[0].Ref: reference: Ref "Topic" names a resource: conditions are evaluated before resources exist`}},
		{"condition arity", tpl(topic, `"Conditions": {"A": {"Fn::Equals": ["x"]}, "B": {"Fn::And": [{"Condition": "A"}]}}`),
			[]string{"Conditions.A.Fn::Equals: schema: Fn::Equals takes a list of exactly two values", "Conditions.B.Fn::And: schema: Fn::And takes a list of 2 to 10 conditions"}},
		{"undefined and circular conditions", tpl(topic, `"Conditions": {"A": {"Fn::Not": [{"Condition": "B"}]}, "B": {"Fn::Not": [{"Condition": "A"}]}, "C": {"Fn::Not": [{"Condition": "Z"}]}}`),
			[]string{"Conditions.A: reference: circular condition: A -> B -> A", `Conditions.C.Fn::Not[0].Condition: reference: condition "Z" is not defined in Conditions`}},
		{"not a condition function", tpl(topic, `"Conditions": {"A": {"Fn::If": ["B", true, false]}, "B": true}`),
			[]string{"Conditions.A: schema: a condition must be one of Fn::And, Fn::Or, Fn::Not, Fn::Equals, got Fn::If", "Conditions.B: schema: a condition must be one of"}},
	})
}

func TestOutputs(t *testing.T) {
	runCases(t, []checkCase{
		{"valid outputs", tpl(topic, `"Parameters": {"L": {"Type": "CommaDelimitedList"}}`,
			`"Outputs": {"Arn": {"Value": {"Ref": "Topic"}, "Description": "d", "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-arn"}}}, "Name": {"Value": {"Fn::GetAtt": ["Topic", "TopicName"]}}, "Joined": {"Value": {"Fn::Join": [",", {"Ref": "L"}]}}}`), nil},
		{"output reference to nothing", tpl(topic, `"Outputs": {"Arn": {"Value": {"Ref": "Topik"}}}`),
			[]string{`Outputs.Arn.Value.Ref: reference: Ref to "Topik"`}},
		{"output Sub to a missing attribute", tpl(topic, `"Outputs": {"Url": {"Value": {"Fn::Sub": "https://${Topic.DNSName}"}}}`),
			[]string{`Outputs.Url.Value.Fn::Sub: reference: AWS::SNS::Topic "Topic" has no attribute "DNSName"`}},
		{"output value must be a string", tpl(topic, `"Parameters": {"L": {"Type": "CommaDelimitedList"}}`, `"Outputs": {"A": {"Value": {"Ref": "L"}}, "B": {"Value": ["x"]}, "C": {"Description": "no value"}}`),
			[]string{"Outputs.A.Value: schema: an output Value must be a string, but Ref yields a list", "Outputs.B.Value: schema: an output Value must be a string, got an array", "Outputs.C: schema: missing required Value"}},
		{"duplicate export and unknown attribute", tpl(topic, `"Outputs": {"A": {"Value": "x", "Export": {"Name": "n"}}, "B": {"Value": "y", "Export": {"Name": "n"}, "Exported": true}}`),
			[]string{`Outputs.B.Export.Name: reference: export name "n" is also exported by output A`, `Outputs.B.Exported: schema: unknown output attribute "Exported"`}},
	})
}

func TestLimits(t *testing.T) {
	many := func(n int, format string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = strings.ReplaceAll(format, "#", itoa(i))
		}
		return strings.Join(parts, ",")
	}
	runCases(t, []checkCase{
		{"500 resources pass", tpl(many(500, `"T#": {"Type": "AWS::SNS::Topic"}`)), nil},
		{"501 resources", tpl(many(501, `"T#": {"Type": "AWS::SNS::Topic"}`)),
			[]string{"Resources: limit: 501 resources; CloudFormation allows at most 500"}},
		{"201 parameters", tpl(topic, `"Parameters": {`+many(201, `"P#": {"Type": "String"}`)+`}`),
			[]string{"Parameters: limit: 201 parameters; CloudFormation allows at most 200"}},
		{"200 parameters pass", tpl(topic, `"Parameters": {`+many(200, `"P#": {"Type": "String"}`)+`}`), nil},
		{"201 outputs", tpl(topic, `"Outputs": {`+many(201, `"O#": {"Value": "x"}`)+`}`),
			[]string{"Outputs: limit: 201 outputs; CloudFormation allows at most 200"}},
		{"201 mappings", tpl(topic, `"Mappings": {`+many(201, `"M#": {"k": {"v": "x"}}`)+`}`),
			[]string{"Mappings: limit: 201 mappings; CloudFormation allows at most 200"}},
		{"mapping attributes", tpl(topic, `"Mappings": {"M": {"k": {`+many(201, `"a#": "x"`)+`}}}`),
			[]string{"Mappings.M.k: limit: mapping key has 201 attributes; CloudFormation allows at most 200"}},
		{"mapping value shape", tpl(topic, `"Mappings": {"M": {"k": {"a": {"Ref": "AWS::Region"}, "b": ["x", {"y": 1}]}}}`),
			[]string{"Mappings.M.k.a: schema: mapping values must be literal strings or lists, not Ref", "Mappings.M.k.b[1]: schema: mapping list items must be strings"}},
		{"description too long", tpl(topic, `"Description": "`+strings.Repeat("x", 1025)+`"`),
			[]string{"Description: limit: Description is 1025 bytes; the maximum is 1024"}},
		{"description of 1024 bytes passes", tpl(topic, `"Description": "`+strings.Repeat("x", 1024)+`"`), nil},
		{"logical ID characters and length", tpl(`"my-topic": {"Type": "AWS::SNS::Topic"}, "` + strings.Repeat("T", 256) + `": {"Type": "AWS::SNS::Topic"}`),
			[]string{`Resources.my-topic: limit: name "my-topic" in Resources must be alphanumeric`, "limit: name in Resources is 256 characters; the maximum is 255"}},
		{"parameter and output names", tpl(topic, `"Parameters": {"vpc_id": {"Type": "String"}}`, `"Outputs": {"dns.name": {"Value": "x"}}`),
			[]string{`Parameters.vpc_id: limit: name "vpc_id" in Parameters must be alphanumeric`, `Outputs.dns.name: limit: name "dns.name" in Outputs must be alphanumeric`}},
		{"template body size", tpl(topic, `"Metadata": {"Padding": "`+strings.Repeat("x", maxTemplateBytes)+`"}`),
			[]string{"(template): limit: template is 1000"}},
		{"unknown section and bad version", `{"AWSTemplateFormatVersion": "2012-01-01", "Resource": {}, "Resources": {` + topic + `}}`,
			[]string{`Resource: schema: unknown template section "Resource"`, `AWSTemplateFormatVersion: schema: AWSTemplateFormatVersion must be "2010-09-09"`}},
		{"no resources", `{"Resources": {}}`, []string{"Resources: schema: a template needs at least one resource"}},
		{"not an object", `[1]`, []string{"(template): schema: template must be a JSON object"}},
	})
}

func TestParameters(t *testing.T) {
	p := func(defs string) string { return tpl(topic, `"Parameters": {`+defs+`}`) }
	runCases(t, []checkCase{
		{"valid parameter types", p(`"A": {"Type": "AWS::EC2::VPC::Id"}, "B": {"Type": "List<AWS::EC2::Subnet::Id>"}, "C": {"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"}, "D": {"Type": "AWS::SSM::Parameter::Value<List<String>>"}, "E": {"Type": "Number", "MinValue": 1, "MaxValue": "10", "Default": 5}, "F": {"Type": "CommaDelimitedList", "AllowedValues": ["a", "b"], "Default": "a,b"}`), nil},
		{"unknown type", p(`"A": {"Type": "List<String>"}, "B": {"Type": "AWS::EC2::Vpc::Id"}, "C": {}`),
			[]string{`Parameters.A.Type: schema: unknown parameter type "List<String>"`, `Parameters.B.Type: schema: unknown parameter type "AWS::EC2::Vpc::Id"`, "Parameters.C: schema: parameter needs a Type"}},
		{"property not valid for the type", p(`"A": {"Type": "Number", "MaxLength": 3}, "B": {"Type": "String", "MinValue": 1}, "C": {"Type": "String", "Defualt": "x"}`),
			[]string{"Parameters.A.MaxLength: schema: MaxLength is not valid for a parameter of type Number", "Parameters.B.MinValue: schema: MinValue is not valid for a parameter of type String", "Parameters.C.Defualt: schema: Defualt is not valid"}},
		{"Default violates AllowedPattern", p(`"A": {"Type": "String", "AllowedPattern": "^ami-[0-9a-f]{8,17}$", "Default": "ami-XYZ"}, "B": {"Type": "String", "AllowedPattern": "[a-z]+", "Default": "abc1"}`),
			[]string{`Parameters.A.Default: value: Default "ami-XYZ" does not match AllowedPattern`, `Parameters.B.Default: value: Default "abc1" does not match AllowedPattern`}},
		{"Default violates AllowedValues", p(`"A": {"Type": "String", "AllowedValues": ["dev", "prod"], "Default": "staging"}, "B": {"Type": "CommaDelimitedList", "AllowedValues": ["a", "b"], "Default": "a,c"}`),
			[]string{`Parameters.A.Default: value: Default "staging" is not one of AllowedValues dev, prod`, `Parameters.B.Default: value: Default "c" is not one of AllowedValues a, b`}},
		{"Default violates lengths", p(`"A": {"Type": "String", "MinLength": 3, "MaxLength": "5", "Default": "ab"}, "B": {"Type": "String", "MaxLength": 2, "Default": "abc"}`),
			[]string{`Parameters.A.Default: value: Default "ab" is shorter than MinLength 3`, `Parameters.B.Default: value: Default "abc" is longer than MaxLength 2`}},
		{"Default violates values", p(`"A": {"Type": "Number", "MinValue": 1, "MaxValue": 10, "Default": 0}, "B": {"Type": "Number", "MaxValue": 10, "Default": "11"}, "C": {"Type": "Number", "Default": "ten"}, "D": {"Type": "List<Number>", "Default": "1,x"}`),
			[]string{"Parameters.A.Default: value: Default 0 is below MinValue 1", "Parameters.B.Default: value: Default 11 is above MaxValue 10", `Parameters.C.Default: value: Default "ten" is not a number`, `Parameters.D.Default: value: Default "x" is not a number`}},
		{"inconsistent bounds", p(`"A": {"Type": "String", "MinLength": 5, "MaxLength": 2}, "B": {"Type": "Number", "MinValue": 5, "MaxValue": 2}`),
			[]string{"Parameters.A.MinLength: value: MinLength 5 is greater than MaxLength 2", "Parameters.B.MinValue: value: MinValue 5 is greater than MaxValue 2"}},
		{"Default too large", p(`"A": {"Type": "String", "Default": "` + strings.Repeat("x", 4097) + `"}`),
			[]string{"Parameters.A.Default: limit: Default is 4097 bytes; a parameter value is at most 4096"}},
	})
}

func TestTags(t *testing.T) {
	tags := func(list string) string {
		return tpl(`"T": {"Type": "AWS::SNS::Topic", "Properties": {"Tags": [` + list + `]}}`)
	}
	fifty := make([]string, 51)
	for i := range fifty {
		fifty[i] = `{"Key": "k` + itoa(i) + `", "Value": "v"}`
	}
	runCases(t, []checkCase{
		{"valid tags", tags(`{"Key": "phasec:service", "Value": "web"}, {"Key": "Name", "Value": ""}`), nil},
		{"50 tags pass", tags(strings.Join(fifty[:50], ",")), nil},
		{"51 tags", tags(strings.Join(fifty, ",")), []string{"Resources.T.Properties.Tags: value: 51 tags; at most 50 per resource"}},
		{"reserved prefix, long key and value, duplicate", tags(`{"Key": "AWS:cloudformation", "Value": "x"}, {"Key": "` + strings.Repeat("k", 129) + `", "Value": "` + strings.Repeat("v", 257) + `"}, {"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}`),
			[]string{`Resources.T.Properties.Tags[0].Key: value: tag key "AWS:cloudformation" uses the reserved aws: prefix`,
				"Resources.T.Properties.Tags[1].Key: value: tag key", "is 129 characters; the maximum is 128",
				"Resources.T.Properties.Tags[1].Value: value: tag value", "is 257 characters; the maximum is 256",
				`Resources.T.Properties.Tags[3].Key: value: tag key "a" appears twice`}},
		{"map tags", tpl(`"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "v", "Tags": {"aws:x": "y"}}}`),
			[]string{`Resources.P.Properties.Tags.aws:x: value: tag key "aws:x" uses the reserved aws: prefix`}},
		{"launch template tag specifications", tpl(`"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "aws:x", "Value": "y"}]}]}}}`),
			[]string{"Resources.LT.Properties.LaunchTemplateData.TagSpecifications[0].Tags[0].Key: value: tag key \"aws:x\" uses the reserved aws: prefix"}},
	})
}

// itoa avoids strconv in table literals.
func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
