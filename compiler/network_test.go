package compiler

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestAvailabilityZones: zones named in the spec become a parameter whose
// default they are, and every Auto Scaling group names them, which is what
// CT.AUTOSCALING.PR.1 reads; without them, neither appears.
func TestAvailabilityZones(t *testing.T) {
	for _, strategy := range []string{StrategyRolling, StrategyBlueGreen} {
		t.Run(strategy, func(t *testing.T) {
			spec, err := loadSpecs(t, map[string]string{
				"web.cue": testService,
				"env.cue": `package specs
services: web: environments: production: deployment: strategy: "` + strategy + `"
`,
			})
			if err != nil {
				t.Fatal(err)
			}
			st := Compile(spec)[0]
			p, ok := st.Template.Parameters[paramAvailabilityZones]
			if !ok || p.Type != "List<AWS::EC2::AvailabilityZone::Name>" || p.Default != "us-east-1a,us-east-1b" {
				t.Errorf("parameter %s = %+v, want the spec's zones as a zone list", paramAvailabilityZones, p)
			}
			if got := st.Parameters[paramAvailabilityZones]; got != "us-east-1a,us-east-1b" {
				t.Errorf("plan passes %s = %q", paramAvailabilityZones, got)
			}
			groups := 0
			for id, r := range renderedResources(t, st) {
				if r.Type != "AWS::AutoScaling::AutoScalingGroup" {
					continue
				}
				groups++
				if got := string(r.Properties["AvailabilityZones"]); got != `{"Ref":"AvailabilityZones"}` {
					t.Errorf("%s: AvailabilityZones = %s, want a Ref to the parameter", id, got)
				}
			}
			if groups == 0 {
				t.Fatal("no Auto Scaling group compiled")
			}
		})
	}

	spec, err := loadSpecs(t, map[string]string{
		"web.cue": strings.Replace(testService, `availabilityZones: ["us-east-1a", "us-east-1b"]`, "", 1),
	})
	if err != nil {
		t.Fatal(err)
	}
	st := Compile(spec)[0]
	if _, ok := st.Template.Parameters[paramAvailabilityZones]; ok {
		t.Error("a spec without zones got an AvailabilityZones parameter")
	}
	for id, r := range renderedResources(t, st) {
		if _, ok := r.Properties["AvailabilityZones"]; ok {
			t.Errorf("%s: AvailabilityZones without zones in the spec", id)
		}
	}
}

// TestAvailabilityZonesChecked: zones lie in the environment's region, and
// each has a private subnet; both are errors at the spec's line.
func TestAvailabilityZonesChecked(t *testing.T) {
	for _, tc := range []struct{ name, zones, want string }{
		{"another region", `["us-east-1a", "eu-west-1b"]`, `Availability Zone eu-west-1b is not in the environment's region us-east-1`},
		{"more zones than subnets", `["us-east-1a", "us-east-1b", "us-east-1c"]`, `privateSubnetIds`},
		{"not a zone", `["us-east-1"]`, `out of bound`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadSpecs(t, map[string]string{
				"web.cue": strings.Replace(testService, `["us-east-1a", "us-east-1b"]`, tc.zones, 1),
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "web.cue:") {
				t.Fatalf("err = %v, want %q at a position in web.cue", err, tc.want)
			}
		})
	}
}

// renderedResource is a resource of a rendered template, its properties
// kept as compact JSON.
type renderedResource struct {
	Type       string
	Properties map[string]json.RawMessage
}

// renderedResources renders a stack and decodes its resources.
func renderedResources(t *testing.T, st *Stack) map[string]renderedResource {
	t.Helper()
	body, err := Render(st.Template)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Resources map[string]renderedResource }
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range doc.Resources {
		for k, v := range r.Properties {
			var buf bytes.Buffer
			if err := json.Compact(&buf, v); err != nil {
				t.Fatal(err)
			}
			r.Properties[k] = buf.Bytes()
		}
	}
	return doc.Resources
}
