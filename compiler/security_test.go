package compiler

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/phasec/phasec/rules"
)

// TestShippedStacksPassRules is the security lock: every shipped stack, the
// baselines included, has no finding of any vet rule (error or warning)
// that a suppression with a reason does not cover, and no invalid
// suppression.
func TestShippedStacksPassRules(t *testing.T) {
	spec, err := LoadShipped()
	if err != nil {
		t.Fatal(err)
	}
	assertPassRules(t, Compile(spec))
}

// TestEveryTierAndStrategyPassesRules: phasec's own suppressions must
// cover what each tier and each deployment strategy compiles to, not only
// the combinations the shipped specs happen to use (a blue-green staging
// stack has two launch templates, neither called LaunchTemplate).
func TestEveryTierAndStrategyPassesRules(t *testing.T) {
	for _, strategy := range []string{StrategyRolling, StrategyBlueGreen} {
		t.Run(strategy, func(t *testing.T) {
			spec, err := loadSpecs(t, map[string]string{
				"web.cue": testService,
				"envs.cue": `package specs

services: web: environments: {
	production: deployment: strategy: "` + strategy + `"
	staging: {tier: "staging", deployment: strategy: "` + strategy + `"}
	dev: {tier: "dev", deployment: strategy: "` + strategy + `"}
}
services: web: security: suppress: "PHS-EC2-007": {
	reason:    "a public test service that takes HTTPS from anywhere"
	resources: ["LoadBalancerSecurityGroup"]
}
services: web: security: suppress: "PHS-ASG-007": reason: "a test service on one instance type"
`,
			})
			if err != nil {
				t.Fatal(err)
			}
			assertPassRules(t, Compile(spec))
		})
	}
}

// assertPassRules fails for every unsuppressed finding, invalid
// suppression, or suppression that suppresses nothing in stacks.
func assertPassRules(t *testing.T, stacks []*Stack) {
	t.Helper()
	for _, s := range stacks {
		body, err := Render(s.Template)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := rules.Check(body)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rep.Findings {
			t.Errorf("%s: %s %s %s %s: %s", s.Name, f.Severity, f.Rule, f.Resource, f.Detail, f.Message)
		}
		for _, i := range rep.Invalid {
			t.Errorf("%s: invalid suppression of %s: %s", s.Name, i.Suppression.Rule, i.Problem)
		}
		for _, sup := range rep.Suppressions {
			if sup.Matched == 0 {
				t.Errorf("%s: suppression of %s (%s) suppresses nothing", s.Name, sup.Rule, sup.Source)
			}
		}
	}
}

// loadSpecs loads spec files given as name → content.
func loadSpecs(t *testing.T, files map[string]string) (*Spec, error) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return LoadFS(fsys, "specs")
}

const testService = `package specs

services: web: {
	region: "us-east-1"
	network: {
		vpcId: "vpc-0a1b2c3d4e5f60718"
		publicSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
		privateSubnetIds: ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"]
		availabilityZones: ["us-east-1a", "us-east-1b"]
	}
	app: certificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	alerts: {
		critical: email: ["oncall@example.com"]
		warning: email: []
		info: email: []
	}
	environments: production: tier: "production"
}
`

// TestSuppressionsRecorded follows spec suppressions into the template: a
// stack-wide one into the template's metadata, a resource-scoped one onto
// the resource, one naming a resource the stack lacks into the template's
// metadata with its resources (where vet reports it), each with the spec
// position it came from.
func TestSuppressionsRecorded(t *testing.T) {
	spec, err := loadSpecs(t, map[string]string{
		"web.cue": testService,
		"security.cue": `package specs

services: web: security: suppress: "PHS-S3-009": reason: "object events are not needed for these log buckets"
services: web: environments: production: security: suppress: {
	"PHS-EC2-007": {
		reason:    "public endpoint behind the web ACL, by design"
		resources: ["LoadBalancerSecurityGroup"]
	}
	"PHS-ELB-006": {
		reason:    "this names a resource the stack does not have"
		resources: ["Nope"]
	}
}
`,
	})
	if err != nil {
		t.Fatal(err)
	}
	stack := Compile(spec)[0]
	body, err := Render(stack.Template)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Metadata struct {
			Phasec struct {
				Suppressions []map[string]any `json:"suppressions"`
			} `json:"phasec"`
		}
		Resources map[string]struct {
			Metadata struct {
				Phasec struct {
					Suppressions []map[string]any `json:"suppressions"`
				} `json:"phasec"`
			}
		}
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	var stackWide []string
	for _, s := range doc.Metadata.Phasec.Suppressions {
		stackWide = append(stackWide, s["rule"].(string)+" "+s["source"].(string))
	}
	if diff := cmp.Diff([]string{
		`PHS-S3-009 services.web.security.suppress."PHS-S3-009"`,
		`PHS-ELB-006 services.web.environments.production.security.suppress."PHS-ELB-006"`,
	}, stackWide); diff != "" {
		t.Errorf("template-wide suppressions (-want +got):\n%s", diff)
	}
	onSG := doc.Resources["LoadBalancerSecurityGroup"].Metadata.Phasec.Suppressions
	if len(onSG) != 1 || onSG[0]["rule"] != "PHS-EC2-007" || onSG[0]["reason"] != "public endpoint behind the web ACL, by design" {
		t.Errorf("LoadBalancerSecurityGroup metadata: %v", onSG)
	}
	if got := doc.Resources["ServerAccessLogsBucket"].Metadata.Phasec.Suppressions; len(got) != 3 {
		t.Errorf("phasec's own suppressions on ServerAccessLogsBucket: %v", got)
	}

	positions := map[string]string{}
	for _, s := range stack.Suppressions {
		positions[s.Rule+" "+s.Source] = s.Pos
	}
	if p := positions[`PHS-EC2-007 services.web.environments.production.security.suppress."PHS-EC2-007"`]; p != "specs/security.cue:5:2" {
		t.Errorf("position of PHS-EC2-007: %q", p)
	}
	if p := positions["PHS-S3-002 phasec"]; p != "" {
		t.Errorf("phasec's own suppression has a position: %q", p)
	}

	rep, err := rules.Check(body)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Invalid) != 1 || rep.Invalid[0].Suppression.Rule != "PHS-ELB-006" {
		t.Errorf("invalid suppressions: %+v", rep.Invalid)
	}
}

// TestBaselineStacks checks what deploy and the golden lock rely on.
func TestBaselineStacks(t *testing.T) {
	spec, err := LoadShipped()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range Compile(spec) {
		if s.Baseline == "" {
			continue
		}
		names = append(names, s.Name+" "+s.Account+" "+s.Region+" "+GoldenPath("golden", s))
		if s.Service != "" || s.Environment != "" || s.Tier != "" {
			t.Errorf("%s: a baseline has no service, environment or tier", s.Name)
		}
		if len(s.CriticalAlarms) != 0 {
			t.Errorf("%s: security alarms must not become rollback triggers: %v", s.Name, s.CriticalAlarms)
		}
		alarms, filters := 0, 0
		for _, r := range s.Template.Resources {
			switch r.AWSCloudFormationType() {
			case "AWS::CloudWatch::Alarm":
				alarms++
			case "AWS::Logs::MetricFilter":
				filters++
			}
		}
		if alarms != len(cisMonitors) || filters != len(cisMonitors) {
			t.Errorf("%s: %d alarms and %d metric filters, want %d of each", s.Name, alarms, filters, len(cisMonitors))
		}
	}
	want := []string{
		"baseline-finance 444455556666 eu-west-1 golden/baseline/finance.json",
		"baseline-shop 111122223333 us-east-1 golden/baseline/shop.json",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("baseline stacks (-want +got):\n%s", diff)
	}
}

// TestBaselineOptions leaves out what an account already has.
func TestBaselineOptions(t *testing.T) {
	spec, err := loadSpecs(t, map[string]string{
		"web.cue": testService,
		"baseline.cue": `package specs

baselines: main: {
	accountId: "111122223333"
	region:    "us-east-1"
	alerts: {critical: email: ["a@example.com"], warning: email: [], info: email: []}
	guardDuty: createDetector: false
	config: {createRecorder: false, createServiceLinkedRole: false}
}
`,
	})
	if err != nil {
		t.Fatal(err)
	}
	stacks := Compile(spec)
	res := stacks[len(stacks)-1].Template.Resources
	for _, id := range []string{idGuardDutyDetector, idConfigRecorder, idConfigDelivery, idConfigServiceRole} {
		if _, ok := res[id]; ok {
			t.Errorf("%s is created although the spec says the account has one", id)
		}
	}
	for _, id := range []string{"GuardDutyHighFindingsRule", "RootMfaConfigRule", idConfigComplianceRule} {
		if _, ok := res[id]; !ok {
			t.Errorf("%s is missing: routing and rules deploy either way", id)
		}
	}
}

// TestValidateBaselines rejects two baselines of one account and region,
// and a baseline whose stack a service environment already uses.
func TestValidateBaselines(t *testing.T) {
	_, err := loadSpecs(t, map[string]string{
		"web.cue": strings.Replace(testService, "services: web:", "services: baseline:", 1),
		"baseline.cue": `package specs

baselines: production: {
	accountId: "111122223333"
	region:    "us-east-1"
	alerts: {critical: email: [], warning: email: [], info: email: []}
}
baselines: second: {
	accountId: "111122223333"
	region:    "us-east-1"
	alerts: {critical: email: [], warning: email: [], info: email: []}
}
`,
	})
	if err == nil {
		t.Fatal("conflicting baselines were accepted")
	}
	want := `specs/baseline.cue:3:12: baselines.production: the baseline's stack name baseline-production is also the stack of services.baseline.environments.production
    hint: rename the baseline or the service; stack names must be unique
specs/baseline.cue:9:2: baselines.second.accountId: account 111122223333 in us-east-1 already has the baseline production
    hint: declare one baseline per account and region`
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}
