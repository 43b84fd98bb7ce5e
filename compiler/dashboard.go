package compiler

import (
	"fmt"
	"sort"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"

	"github.com/phasec/phasec/internal/jsontree"
)

const idDashboard = "Dashboard"

// The dashboard grid is 24 units wide.
const (
	gridWidth   = 24
	graphWidth  = 8
	graphHeight = 6
	// alarmsPerWidget is the most alarms one alarm-status widget shows.
	alarmsPerWidget = 100
)

// widget is one tile of a CloudWatch dashboard body.
type widget struct {
	Type       string         `json:"type"`
	X          int            `json:"x"`
	Y          int            `json:"y"`
	Width      int            `json:"width"`
	Height     int            `json:"height"`
	Properties map[string]any `json:"properties"`
}

// dashboardLayout places widgets left to right in rows of the grid, and
// starts every section on a row of its own under a heading.
type dashboardLayout struct {
	widgets    []widget
	x, y, rowH int
}

// newline moves below everything placed so far.
func (l *dashboardLayout) newline() {
	l.y += l.rowH
	l.x, l.rowH = 0, 0
}

// place puts w at the next free position, wrapping to a new row when it
// does not fit beside the previous widget.
func (l *dashboardLayout) place(w widget) {
	if l.x+w.Width > gridWidth {
		l.newline()
	}
	w.X, w.Y = l.x, l.y
	l.x += w.Width
	l.rowH = max(l.rowH, w.Height)
	l.widgets = append(l.widgets, w)
}

// section starts a new section under a markdown heading.
func (l *dashboardLayout) section(title string) {
	l.newline()
	l.place(textWidget("## "+title, gridWidth, 1))
	l.newline()
}

func textWidget(markdown string, width, height int) widget {
	return widget{Type: "text", Width: width, Height: height, Properties: map[string]any{"markdown": markdown}}
}

// Placeholders for Fn::Sub variables inside the body while it is a Go
// value: private-use characters that JSON leaves alone and no spec value
// can contain (names are ASCII), so a literal "${" and a variable never
// mix up.
const (
	subOpen  = "\ue000"
	subClose = "\ue001"
)

// subVar is the Fn::Sub variable ${name} inside a dashboard string:
// "AWS::Region", "Asg", "LoadBalancer.LoadBalancerFullName".
func subVar(name string) string { return subOpen + name + subClose }

// subTemplate renders the body as an Fn::Sub template: literal "${" (the
// graphs' dynamic labels such as ${LAST}) is escaped as "${!", which
// CloudFormation writes back as "${", and then the placeholders become
// variables.
func subTemplate(body any) string {
	raw, err := marshalNoEscape(body)
	if err != nil {
		panic(err) // maps of strings, numbers and lists always marshal
	}
	return subVariables(strings.ReplaceAll(strings.TrimSpace(string(raw)), "${", "${!"))
}

// subVariables turns every placeholder in s into the Fn::Sub variable
// ${name}. A placeholder runs from subOpen to the next subClose; an
// unclosed one is left as it is.
func subVariables(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for {
		open := strings.Index(s, subOpen)
		if open < 0 {
			break
		}
		end := strings.Index(s[open+len(subOpen):], subClose)
		if end < 0 {
			break
		}
		name := s[open+len(subOpen) : open+len(subOpen)+end]
		b.WriteString(s[:open])
		b.WriteString("${")
		b.WriteString(name)
		b.WriteString("}")
		s = s[open+len(subOpen)+end+len(subClose):]
	}
	b.WriteString(s)
	return b.String()
}

// compileDashboard adds the stack's CloudWatch dashboard: a status widget
// listing every alarm of the stack, then a section per layer. It must run
// after every concern has added its alarms, since it lists them all.
func compileDashboard(b *stackBuilder) {
	l := &dashboardLayout{}
	alarms := alarmIDs(b)
	l.place(textWidget(dashboardIntro(b, len(alarms)), gridWidth, 2))
	l.newline()
	for i := 0; i < len(alarms); i += alarmsPerWidget {
		chunk := alarms[i:min(i+alarmsPerWidget, len(alarms))]
		title := fmt.Sprintf("All alarms (%d)", len(alarms))
		if len(alarms) > alarmsPerWidget {
			title = fmt.Sprintf("All alarms (%d-%d of %d)", i+1, i+len(chunk), len(alarms))
		}
		l.place(alarmWidget(title, chunk, gridWidth, 6))
	}

	l.section("Load balancer")
	loadBalancerWidgets(b, l)
	l.section("Auto Scaling group")
	autoScalingWidgets(b, l)
	l.section("EC2 instances")
	ec2Widgets(b, l)
	l.section("Application")
	applicationWidgets(b, l)
	if b.env.Monitoring.Database != nil {
		l.section("Database " + b.env.Monitoring.Database.InstanceID)
		databaseWidgets(b, l)
	}
	l.section("Cost")
	costWidgets(b, l)

	b.add(idDashboard, &cloudwatch.Dashboard{
		DashboardName: ptr(b.env.Stack),
		DashboardBody: cloudformation.Sub(subTemplate(map[string]any{"widgets": l.widgets})),
	})
	b.t.Outputs["DashboardUrl"] = cloudformation.Output{
		Description: ptr("CloudWatch dashboard of the stack."),
		Value:       cloudformation.Sub("https://${AWS::Region}.console.aws.amazon.com/cloudwatch/home?region=${AWS::Region}#dashboards/dashboard/${" + idDashboard + "}"),
	}
}

// dashboardIntro is the dashboard's heading: what it shows and where its
// alerts go.
func dashboardIntro(b *stackBuilder, alarms int) string {
	return fmt.Sprintf("# %s\n%s of **%s**, %s tier: %d alarms, each notifying the critical, warning or info topic of its severity. "+
		"Thresholds are the lines on the graphs; README.md explains each alarm.",
		b.env.Stack, b.env.Name, b.svc.Name, b.env.Tier, alarms)
}

// alarmIDs lists every alarm of the stack, whichever concern added it, by
// logical ID.
func alarmIDs(b *stackBuilder) []string {
	var ids []string
	for id, r := range b.t.Resources {
		if r.AWSCloudFormationType() == "AWS::CloudWatch::Alarm" {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// scalingAlarmIDs lists the alarms that drive a scaling policy of the
// stack, recognised by an alarm action that refers to one.
func scalingAlarmIDs(b *stackBuilder) []string {
	var ids []string
	for _, id := range alarmIDs(b) {
		a, ok := b.t.Resources[id].(*cloudwatch.Alarm)
		if !ok {
			continue
		}
		for _, action := range a.AlarmActions {
			if target, ok := b.t.Resources[refTarget(action)]; ok && target.AWSCloudFormationType() == "AWS::AutoScaling::ScalingPolicy" {
				ids = append(ids, id)
				break
			}
		}
	}
	return ids
}

// refTarget is the logical ID a goformation-encoded Ref names, or "" for
// any other value.
func refTarget(s string) string {
	fn, ok := asIntrinsicNode(s)
	if !ok {
		return ""
	}
	if ref, ok := fn.Member("Ref"); ok && ref.Kind == jsontree.String {
		return ref.Text
	}
	return ""
}

// alarmWidget shows the state of the given alarms, those in ALARM first.
func alarmWidget(title string, ids []string, width, height int) widget {
	arns := make([]any, len(ids))
	for i, id := range ids {
		arns[i] = subVar(id + ".Arn")
	}
	return widget{Type: "alarm", Width: width, Height: height, Properties: map[string]any{
		"title":  title,
		"alarms": arns,
		"sortBy": "stateUpdatedTimestamp",
	}}
}

// graph is a time-series widget under construction.
type graph struct {
	title   string
	metrics [][]any
	stat    string
	period  int
	// unit labels the left axis, which starts at zero.
	unit        string
	annotations []any
}

func (g graph) widget() widget {
	props := map[string]any{
		"title":   g.title,
		"view":    "timeSeries",
		"stacked": false,
		"region":  subVar("AWS::Region"),
		"metrics": g.metrics,
		"stat":    g.stat,
		"period":  g.period,
		"yAxis":   map[string]any{"left": map[string]any{"min": 0, "label": g.unit, "showUnits": false}},
	}
	if len(g.annotations) > 0 {
		props["annotations"] = map[string]any{"horizontal": g.annotations}
	}
	return widget{Type: "metric", Width: graphWidth, Height: graphHeight, Properties: props}
}

// metricRow is one metric of a graph: namespace, name, dimension
// name/value pairs and the rendering options.
func metricRow(namespace, name string, dims []string, opts map[string]any) []any {
	row := []any{namespace, name}
	for _, d := range dims {
		row = append(row, d)
	}
	if len(opts) > 0 {
		row = append(row, opts)
	}
	return row
}

// expressionRow is a metric-math line of a graph.
func expressionRow(id, expression, label string) []any {
	return []any{map[string]any{"id": id, "expression": expression, "label": label}}
}

// Dimension pairs of the graphs, as Fn::Sub variables.
func asgDims(f fleet) []string { return []string{"AutoScalingGroupName", subVar(f.asgID)} }
func lbDims() []string {
	return []string{"LoadBalancer", subVar(idLoadBalancer + ".LoadBalancerFullName")}
}
func tgDims(f fleet) []string {
	return []string{"TargetGroup", subVar(f.targetGroupID + ".TargetGroupFullName"), "LoadBalancer", subVar(idLoadBalancer + ".LoadBalancerFullName")}
}

// fleetLabel names a line of a fleet in a legend: "average" in a rolling
// stack, "blue average" in a blue-green one.
func fleetLabel(f fleet, what string) string {
	if f.colour == "" {
		return what
	}
	return f.colour + " " + what
}
func appDims(b *stackBuilder) []string {
	return []string{"Service", b.svc.Name, "Environment", b.env.Name}
}

// severityColors tell the threshold lines apart.
var severityColors = map[Severity]string{Critical: "#d62728", Warning: "#ff7f0e", Info: "#1f77b4"}

// thresholdLines are the horizontal lines of an alarm kind's set levels,
// in the graph's unit: the threshold multiplied by scale.
func thresholdLines(s AlarmSettings, scale float64) []any {
	var lines []any
	for _, sev := range severities {
		if th := s.level(sev); th != nil {
			lines = append(lines, map[string]any{"label": string(sev), "value": *th * scale, "color": severityColors[sev]})
		}
	}
	return lines
}

// alarmLines are the threshold lines of the catalogue kind key.
func alarmLines(b *stackBuilder, key string, scale float64) []any {
	return thresholdLines(b.env.Monitoring.Alarms[key], scale)
}
