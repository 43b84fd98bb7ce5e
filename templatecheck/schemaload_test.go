package templatecheck

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"

	gfschema "github.com/awslabs/goformation/v7/schema"
)

// TestSchemaIndexMatchesFullParse proves the structural scanner finds exactly the definitions,
// byte for byte, that a full JSON parse finds.
func TestSchemaIndexMatchesFullParse(t *testing.T) {
	idx, err := indexDefinitions(gfschema.CloudformationSchema)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Definitions map[string]json.RawMessage `json:"definitions"`
	}
	if err := json.Unmarshal([]byte(gfschema.CloudformationSchema), &doc); err != nil {
		t.Fatal(err)
	}
	if len(idx) != len(doc.Definitions) {
		t.Fatalf("index has %d definitions, full parse %d", len(idx), len(doc.Definitions))
	}
	for name, raw := range doc.Definitions {
		sp, ok := idx[name]
		if !ok {
			t.Errorf("index lacks %q", name)
			continue
		}
		if got := gfschema.CloudformationSchema[sp.start:sp.end]; !bytes.Equal([]byte(got), raw) {
			t.Errorf("%q: span differs from the parsed value", name)
		}
	}
}

func TestIndexDefinitionsRejectsMalformedInput(t *testing.T) {
	for _, in := range []string{``, `[]`, `{"definitions": {"A": {"x": "unterminated}}}`, `{"definitions": {}}`, `{"definitions": {"A": {]`} {
		if _, err := indexDefinitions(in); err == nil {
			t.Errorf("indexDefinitions(%q): want an error", in)
		}
	}
	idx, err := indexDefinitions(`{"$id": "x", "definitions": {"A\u0042": {"s": "a\"}b"}, "C": [1, {"d": null}]}, "z": true}`)
	if err != nil {
		t.Fatal(err)
	}
	if len(idx) != 2 || idx["AB"].end == 0 || idx["C"].end == 0 {
		t.Errorf("index = %v, want AB and C", idx)
	}
}

// TestEveryResourceTypeCompiles compiles every resource type of the schema, so that a
// goformation upgrade with a construct the compiler does not know fails here rather than in
// `phasec vet`. It uses its own schemaSet: the process-wide one stays lazy.
func TestEveryResourceTypeCompiles(t *testing.T) {
	idx, err := indexDefinitions(gfschema.CloudformationSchema)
	if err != nil {
		t.Fatal(err)
	}
	s := &schemaSet{src: gfschema.CloudformationSchema, index: idx, compiled: map[string]*shape{}, failed: map[string]error{}}
	n := 0
	for name := range idx {
		if !strings.Contains(name, "::") || strings.Contains(name, ".") {
			continue
		}
		sh, err := s.resourceShape(name)
		if err != nil || sh == nil {
			t.Errorf("%s: %v", name, err)
		}
		n++
	}
	if n < 1000 {
		t.Errorf("compiled only %d resource types", n)
	}
}

// TestAttributeTableTypesExist keeps the GetAtt table honest against the schema.
func TestAttributeTableTypesExist(t *testing.T) {
	s, err := loadSchema()
	if err != nil {
		t.Fatal(err)
	}
	required := []string{
		"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress", "AWS::EC2::LaunchTemplate",
		"AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::ElasticLoadBalancingV2::Listener",
		"AWS::ElasticLoadBalancingV2::ListenerRule", "AWS::AutoScaling::AutoScalingGroup", "AWS::AutoScaling::ScalingPolicy",
		"AWS::AutoScaling::ScheduledAction", "AWS::AutoScaling::LifecycleHook", "AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm",
		"AWS::CloudWatch::Dashboard", "AWS::CloudWatch::AnomalyDetector", "AWS::SNS::Topic", "AWS::SNS::Subscription", "AWS::SNS::TopicPolicy",
		"AWS::KMS::Key", "AWS::KMS::Alias", "AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::IAM::Role", "AWS::IAM::InstanceProfile",
		"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::Logs::LogGroup", "AWS::Logs::MetricFilter", "AWS::Budgets::Budget",
		"AWS::Events::Rule", "AWS::WAFv2::WebACL", "AWS::WAFv2::WebACLAssociation", "AWS::WAFv2::IPSet", "AWS::CloudTrail::Trail",
		"AWS::GuardDuty::Detector", "AWS::Config::ConfigRule", "AWS::Config::ConfigurationRecorder", "AWS::Config::DeliveryChannel",
		"AWS::SSM::Parameter",
	}
	for _, typ := range required {
		if _, ok := attributeTable[typ]; !ok {
			t.Errorf("attribute table lacks %s", typ)
		}
	}
	for typ := range attributeTable {
		if sh, _ := s.resourceShape(typ); sh == nil {
			t.Errorf("attribute table has %s, which the schema does not know", typ)
		}
	}
}

// TestCheckIsSafeForConcurrentUse runs Check from many goroutines, as `phasec vet` does over many
// stacks; run with -race.
func TestCheckIsSafeForConcurrentUse(t *testing.T) {
	b, err := os.ReadFile("testdata/realistic.json")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			problems, err := Check(b)
			if err != nil || problems != nil {
				t.Errorf("Check: %v, %v", problems, err)
			}
		}()
	}
	wg.Wait()
}
