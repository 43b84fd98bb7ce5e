package compiler

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/autoscaling"
	"github.com/google/go-cmp/cmp"
)

// subVariable matches an Fn::Sub variable; "${!" is an escaped literal.
var subVariable = regexp.MustCompile(`\$\{([^!}][^}]*)\}`)

// resolveSub does what CloudFormation does to the dashboard body: every
// variable becomes a sample value (pseudo parameters, a Ref's name, an
// attribute), and "${!" becomes "${". It fails the test on a variable that
// names no resource of the template, which CloudFormation would reject.
func resolveSub(t *testing.T, r monitoredStack, tmpl string) string {
	t.Helper()
	resources := r.resources()
	out := subVariable.ReplaceAllStringFunc(tmpl, func(v string) string {
		name := v[2 : len(v)-1]
		switch name {
		case "AWS::Region":
			return "eu-west-1"
		case "AWS::AccountId":
			return "111122223333"
		}
		id, attr, _ := strings.Cut(name, ".")
		res, ok := resources[id]
		if !ok {
			t.Errorf("%s: dashboard names %s, which is no resource of the stack", r.stack.Name, v)
			return "missing"
		}
		switch {
		case attr == "":
			return r.stack.Name + "-" + id + "-1A2B3C"
		case attr == "Arn" && res["Type"] == "AWS::CloudWatch::Alarm":
			return "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:" + res["Properties"].(map[string]any)["AlarmName"].(string)
		case attr == "LoadBalancerFullName" && res["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer":
			return "app/" + r.stack.Name + "/50dc6c495c0c9188"
		case attr == "TargetGroupFullName" && res["Type"] == "AWS::ElasticLoadBalancingV2::TargetGroup":
			return "targetgroup/" + r.stack.Name + "-app/73e2d6bc24d8a067"
		}
		t.Errorf("%s: dashboard uses attribute %s of %s (%s), which phasec does not expect", r.stack.Name, attr, id, res["Type"])
		return "missing"
	})
	return strings.ReplaceAll(out, "${!", "${")
}

// dashboardOf returns the stack's dashboard body after substitution,
// parsed as CloudWatch parses it.
func dashboardOf(t *testing.T, r monitoredStack) (body map[string]any, tmpl string) {
	t.Helper()
	dash := r.ofType("AWS::CloudWatch::Dashboard")[idDashboard]
	if dash == nil {
		t.Fatalf("%s: no dashboard", r.stack.Name)
	}
	if dash["DashboardName"] != r.stack.Name {
		t.Errorf("%s: dashboard named %v", r.stack.Name, dash["DashboardName"])
	}
	tmpl, ok := dash["DashboardBody"].(map[string]any)["Fn::Sub"].(string)
	if !ok {
		t.Fatalf("%s: dashboard body is not an Fn::Sub string: %v", r.stack.Name, dash["DashboardBody"])
	}
	resolved := resolveSub(t, r, tmpl)
	if strings.ContainsAny(resolved, subOpen+subClose) {
		t.Fatalf("%s: a variable placeholder survived into the body", r.stack.Name)
	}
	if err := json.Unmarshal([]byte(resolved), &body); err != nil {
		t.Fatalf("%s: dashboard body is not JSON after substitution: %v\n%s", r.stack.Name, err, resolved)
	}
	return body, tmpl
}

// TestDashboardBody resolves every stack's dashboard as CloudFormation
// would and checks it against the structure CloudWatch's PutDashboard
// requires: widgets of a known type, inside the 24-column grid without
// overlapping, metric widgets with a region and well-formed metric rows
// whose expressions name only ids of their own widget, and alarm widgets
// with alarm ARNs.
func TestDashboardBody(t *testing.T) {
	for _, r := range monitoredStacks(t) {
		body, _ := dashboardOf(t, r)
		widgets, ok := body["widgets"].([]any)
		if !ok || len(widgets) == 0 {
			t.Fatalf("%s: no widgets", r.stack.Name)
		}
		type cell struct{ x, y int }
		taken := map[cell]int{}
		for i, w := range widgets {
			w := w.(map[string]any)
			where := fmt.Sprintf("%s widget %d (%v)", r.stack.Name, i, w["type"])
			var pos [4]int
			for j, k := range []string{"x", "y", "width", "height"} {
				f, ok := w[k].(float64)
				if !ok || f != float64(int(f)) || f < 0 {
					t.Errorf("%s: %s is %v, not a whole number", where, k, w[k])
				}
				pos[j] = int(f)
			}
			x, y, width, height := pos[0], pos[1], pos[2], pos[3]
			if width < 1 || height < 1 || x+width > 24 {
				t.Errorf("%s: x %d width %d height %d leaves the 24-column grid", where, x, width, height)
			}
			for cx := x; cx < x+width; cx++ {
				for cy := y; cy < y+height; cy++ {
					if other, ok := taken[cell{cx, cy}]; ok {
						t.Errorf("%s overlaps widget %d at (%d,%d)", where, other, cx, cy)
					}
					taken[cell{cx, cy}] = i
				}
			}
			props, ok := w["properties"].(map[string]any)
			if !ok {
				t.Errorf("%s: no properties", where)
				continue
			}
			switch w["type"] {
			case "text":
				if s, _ := props["markdown"].(string); s == "" {
					t.Errorf("%s: text widget without markdown", where)
				}
			case "alarm":
				alarms, _ := props["alarms"].([]any)
				if len(alarms) == 0 || len(alarms) > alarmsPerWidget {
					t.Errorf("%s: %d alarms", where, len(alarms))
				}
				for _, a := range alarms {
					if s, _ := a.(string); !strings.HasPrefix(s, "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:"+r.stack.Name+"-") {
						t.Errorf("%s: %v is not an alarm ARN of the stack", where, a)
					}
				}
			case "metric":
				checkMetricWidget(t, where, props)
			default:
				t.Errorf("%s: unknown widget type", where)
			}
		}
	}
}

// checkMetricWidget checks one metric widget's properties.
func checkMetricWidget(t *testing.T, where string, props map[string]any) {
	t.Helper()
	if props["region"] != "eu-west-1" {
		t.Errorf("%s: region %v", where, props["region"])
	}
	if s, _ := props["title"].(string); s == "" {
		t.Errorf("%s: no title", where)
	}
	if p, ok := props["period"].(float64); !ok || p < 1 || (p > 60 && int(p)%60 != 0) {
		t.Errorf("%s: period %v", where, props["period"])
	}
	rows, ok := props["metrics"].([]any)
	if !ok || len(rows) == 0 {
		t.Fatalf("%s: no metrics", where)
	}
	ids := map[string]bool{}
	var expressions []string
	for _, row := range rows {
		row, ok := row.([]any)
		if !ok || len(row) == 0 {
			t.Errorf("%s: metric row %v is not a list", where, row)
			continue
		}
		opts, hasOpts := row[len(row)-1].(map[string]any)
		if id, ok := opts["id"].(string); ok {
			if !regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`).MatchString(id) || ids[id] {
				t.Errorf("%s: id %q is invalid or used twice", where, id)
			}
			ids[id] = true
		}
		if expr, ok := opts["expression"].(string); ok {
			if len(row) != 1 {
				t.Errorf("%s: expression row %v has more than its options", where, row)
			}
			expressions = append(expressions, expr)
			continue
		}
		// namespace, metric name, then dimension name/value pairs.
		names := row
		if hasOpts {
			names = row[:len(row)-1]
		}
		if len(names) < 2 || len(names)%2 != 0 {
			t.Errorf("%s: metric row %v is not namespace, name and dimension pairs", where, row)
		}
		for _, n := range names {
			if s, ok := n.(string); !ok || s == "" {
				t.Errorf("%s: metric row %v has an empty or non-string part", where, row)
			}
		}
	}
	for _, expr := range expressions {
		for _, id := range expressionIDs(expr) {
			if !ids[id] {
				t.Errorf("%s: expression %q names %s, which is no metric of the widget", where, expr, id)
			}
		}
	}
}

// TestDashboardListsEveryAlarm requires the alarm-status widgets to list
// every alarm of the stack, whichever concern added it, in logical-ID
// order.
func TestDashboardListsEveryAlarm(t *testing.T) {
	for _, r := range monitoredStacks(t) {
		_, tmpl := dashboardOf(t, r)
		var all []string
		for id := range r.ofType("AWS::CloudWatch::Alarm") {
			all = append(all, "${"+id+".Arn}")
		}
		sort.Strings(all)
		var listed []string
		for _, m := range regexp.MustCompile(`"alarms":\[([^\]]*)\]`).FindAllStringSubmatch(tmpl, -1) {
			var arns []string
			if err := json.Unmarshal([]byte("["+m[1]+"]"), &arns); err != nil {
				t.Fatal(err)
			}
			listed = append(listed, arns...)
		}
		// The first widgets list all alarms; a scaling-policy widget may
		// repeat some of them after.
		if len(listed) < len(all) {
			t.Fatalf("%s: the dashboard lists %d of %d alarms", r.stack.Name, len(listed), len(all))
		}
		if diff := cmp.Diff(all, listed[:len(all)]); diff != "" {
			t.Errorf("%s: alarm widgets (-want +got):\n%s", r.stack.Name, diff)
		}
	}
}

// TestDashboardEscapesLiteralSubstitutions checks that the graphs' dynamic
// labels survive Fn::Sub: written as ${!LAST}, read by CloudWatch as
// ${LAST}.
func TestDashboardEscapesLiteralSubstitutions(t *testing.T) {
	r := monitoredStacks(t)[0]
	body, tmpl := dashboardOf(t, r)
	if !strings.Contains(tmpl, "(last ${!LAST})") {
		t.Errorf("the template does not escape the dynamic label ${LAST}")
	}
	raw, _ := json.Marshal(body)
	if !strings.Contains(string(raw), "(last ${LAST})") {
		t.Errorf("the resolved body lost the dynamic label ${LAST}")
	}
	if got := subTemplate(map[string]any{"a": "${X} " + subVar("Asg") + " ${!Y}"}); got != `{"a":"${!X} ${Asg} ${!!Y}"}` {
		t.Errorf("subTemplate = %s", got)
	}
}

// TestDashboardShowsScalingPolicyAlarms adds a step-scaling policy and its
// alarm, as the scaling concern does, and requires the Auto Scaling
// section to list that alarm, and the status widget to count it.
func TestDashboardShowsScalingPolicyAlarms(t *testing.T) {
	spec := loadMonitoringSpec(t, fullMonitoringSpec)
	svc, env := spec.Services[0], spec.Services[0].Environments[0]
	s := compileStack(svc, env)
	b := &stackBuilder{svc: svc, env: env, t: s.Template, stack: s}
	delete(b.t.Resources, idDashboard)
	b.add("TestStepPolicy", &autoscaling.ScalingPolicy{AutoScalingGroupName: cloudformation.Ref(idAsg), PolicyType: ptr("StepScaling")})
	b.addAlarm(alarm{
		id: "TestStepAlarm", what: "test-step", severity: Info, description: "test",
		namespace: nsEC2, metric: "CPUUtilization", stat: "Average", dims: fleetAsgDimension(b.fleets()[0]),
		period: 60, evaluationPeriods: 1, datapointsToAlarm: 1, comparison: above, threshold: 80, treatMissing: missing,
		extraActions: []string{cloudformation.Ref("TestStepPolicy")},
	})
	if !slices.Contains(scalingAlarmIDs(b), "TestStepAlarm") {
		t.Errorf("scaling alarms %v miss the one driving TestStepPolicy", scalingAlarmIDs(b))
	}
	if slices.Contains(scalingAlarmIDs(b), "CpuCriticalAlarm") {
		t.Errorf("scaling alarms %v include an alarm that only notifies", scalingAlarmIDs(b))
	}
	compileDashboard(b)
	rendered, err := Render(b.t)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`Scaling policy alarms \(\d+\)`).Match(rendered) || !strings.Contains(string(rendered), `${TestStepAlarm.Arn}`) {
		t.Errorf("the Auto Scaling section does not list the step-scaling alarm")
	}
}

// TestSubVariables holds subVariables to the regular expression it
// replaces, \ue000([^\ue001]*)\ue001 -> ${$1}, on awkward input.
func TestSubVariables(t *testing.T) {
	re := regexp.MustCompile(subOpen + `([^` + subClose + `]*)` + subClose)
	for _, s := range []string{
		"",
		"no placeholders ${!LAST}",
		subVar("AWS::Region") + "-" + subVar("Asg") + subVar(""),
		"a" + subOpen + "b" + subOpen + "c" + subClose + "d",
		"unclosed " + subOpen + "x",
		subClose + "stray close " + subVar("Lb.LoadBalancerFullName") + subClose,
		"é" + subVar("ü") + "\u2028",
	} {
		if want, got := re.ReplaceAllString(s, "$${$1}"), subVariables(s); got != want {
			t.Errorf("subVariables(%q) = %q, want %q", s, got, want)
		}
	}
}
