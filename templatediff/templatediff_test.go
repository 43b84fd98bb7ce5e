package templatediff

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDiff(t *testing.T) {
	old := `{
  "Description": "v1",
  "Parameters": {"ImageId": {"Type": "String", "Default": "ami-1"}},
  "Resources": {
    "Asg": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MaxSize": "10", "MinSize": "2", "Tags": [{"Key": "a", "Value": "1"}]}},
    "Gone": {"Type": "AWS::SNS::Topic", "Properties": {}},
    "Same": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "x"}}
  }
}`
	new := `{
  "Description": "v2",
  "Parameters": {"ImageId": {"Type": "String", "Default": "ami-2"}},
  "Resources": {
    "Asg": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MaxSize": "12", "MinSize": "2", "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}},
    "New": {"Type": "AWS::SQS::Queue", "Properties": {}},
    "Same": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "x"}}
  }
}`
	got, err := Diff([]byte(old), []byte(new))
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{Section: "Description", Action: Modify, Paths: []PathChange{{Path: "Description", Old: "v1", New: "v2"}}},
		{Section: "Parameters", ID: "ImageId", Action: Modify, Paths: []PathChange{{Path: "Default", Old: "ami-1", New: "ami-2"}}},
		{Section: "Resources", ID: "Asg", Action: Modify, Type: "AWS::AutoScaling::AutoScalingGroup", Paths: []PathChange{
			{Path: "Properties.MaxSize", Old: "10", New: "12"},
			{Path: "Properties.Tags",
				Old: []any{map[string]any{"Key": "a", "Value": "1"}},
				New: []any{map[string]any{"Key": "a", "Value": "1"}, map[string]any{"Key": "b", "Value": "2"}}},
		}},
		{Section: "Resources", ID: "Gone", Action: Remove, Type: "AWS::SNS::Topic"},
		{Section: "Resources", ID: "New", Action: Add, Type: "AWS::SQS::Queue"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
}

func TestDiffIdentical(t *testing.T) {
	tmpl := []byte(`{"Resources": {"A": {"Type": "AWS::SNS::Topic"}}}`)
	got, err := Diff(tmpl, tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("identical templates gave changes: %+v", got)
	}
}

func TestDiffRejectsInvalidJSON(t *testing.T) {
	if _, err := Diff([]byte(`{`), []byte(`{}`)); err == nil {
		t.Error("want an error for an unparsable old template")
	}
}
