package compiler

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// fullMonitoringSpec exercises every monitoring feature on top of the
// shipped specs' coverage: a database in every tier, declared metrics of
// both kinds and directions, every subscription protocol, and levels a
// tier switches off switched back on.
const fullMonitoringSpec = `package specs

services: shop: {
	region: "us-east-1"
	network: {
		vpcId: "vpc-0a1b2c3d4e5f60718"
		publicSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
		privateSubnetIds: ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"]
		ingressCidrs: ["203.0.113.0/24"]
	}
	app: {
		certificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
		metrics: {
			OrderLatency: {unit: "Milliseconds", statistic: "p99", warning: 800, critical: 1500}
			OrderFailureRate: {
				expression: "IF(orders > 0, 100 * FILL(failed, 0) / orders, 0)"
				inputs: {orders: metric: "Orders", failed: {metric: "OrderFailures", unit: "Count"}}
				warning: 2
				critical: 5
			}
			OrdersPlaced: {metric: "Orders", statistic: "Sum", alarmWhen: "below", info: 10, warning: 5, critical: 1, period: 300, evaluationPeriods: 3, datapointsToAlarm: 3, missingData: "breaching"}
		}
	}
	alerts: {
		critical: {email: ["oncall@example.com"], https: ["https://hooks.example.com/page"], sms: ["+12025550143"]}
		warning: email: ["team@example.com"]
		info: email: ["feed@example.com"]
	}
	environments: {
		production: {
			tier: "production"
			monitoring: {
				alarms: requestsAnomaly: info: 3
				database: {instanceId: "shop-production", maxConnections: 500}
			}
		}
		staging: {
			tier: "staging"
			monitoring: database: {instanceId: "shop-staging", maxConnections: 100}
		}
		dev: {
			tier: "dev"
			monitoring: {
				metrics: OrderLatency: critical: null
				database: {instanceId: "shop-dev", maxConnections: 50}
			}
		}
	}
}
`

// loadMonitoringSpec loads one spec file given as text.
func loadMonitoringSpec(t testing.TB, text string) *Spec {
	t.Helper()
	spec, err := LoadFS(fstest.MapFS{"shop.cue": {Data: []byte(text)}}, "specs")
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// monitoredStack is a compiled stack as the JSON CloudFormation receives.
type monitoredStack struct {
	stack *Stack
	doc   map[string]any
}

func (r monitoredStack) resources() map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, res := range r.doc["Resources"].(map[string]any) {
		out[id] = res.(map[string]any)
	}
	return out
}

func (r monitoredStack) ofType(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, res := range r.resources() {
		if res["Type"] == typ {
			out[id] = res["Properties"].(map[string]any)
		}
	}
	return out
}

// renderMonitored compiles and renders every service stack of spec.
func renderMonitored(t testing.TB, spec *Spec) []monitoredStack {
	t.Helper()
	var out []monitoredStack
	for _, s := range Compile(spec) {
		if s.Service == "" {
			continue // account baselines carry no service monitoring
		}
		body, err := Render(s.Template)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		var doc map[string]any
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		out = append(out, monitoredStack{stack: s, doc: doc})
	}
	return out
}

// monitoredStacks are the shipped stacks and those of fullMonitoringSpec.
func monitoredStacks(t testing.TB) []monitoredStack {
	shipped, err := LoadShipped()
	if err != nil {
		t.Fatal(err)
	}
	return append(renderMonitored(t, shipped), renderMonitored(t, loadMonitoringSpec(t, fullMonitoringSpec))...)
}

// TestAlarmActionsFollowSeverity checks that every alarm of every stack,
// whichever concern added it, tells the topic of the severity its name and
// description announce, for both its alarm and its OK actions, and that
// exactly the critical ones are rollback-trigger candidates.
func TestAlarmActionsFollowSeverity(t *testing.T) {
	for _, r := range monitoredStacks(t) {
		var critical []string
		for id, p := range r.ofType("AWS::CloudWatch::Alarm") {
			name := p["AlarmName"].(string)
			var sev Severity
			for _, s := range severities {
				if strings.HasPrefix(p["AlarmDescription"].(string), "["+strings.ToUpper(string(s))+"] ") {
					sev = s
				}
			}
			if sev == "" {
				t.Errorf("%s %s: description %q announces no severity", r.stack.Name, id, p["AlarmDescription"])
				continue
			}
			if !strings.HasPrefix(name, r.stack.Name+"-") {
				t.Errorf("%s %s: alarm name %q is not <stack>-<what>", r.stack.Name, id, name)
			}
			topic := map[string]any{"Ref": topicID(sev)}
			actions := p["AlarmActions"].([]any)
			if diff := cmp.Diff(topic, actions[0]); diff != "" {
				t.Errorf("%s %s: first alarm action is not the %s topic (-want +got):\n%s", r.stack.Name, id, sev, diff)
			}
			if diff := cmp.Diff([]any{topic}, p["OKActions"]); diff != "" {
				t.Errorf("%s %s: OK actions are not the %s topic (-want +got):\n%s", r.stack.Name, id, sev, diff)
			}
			for _, a := range actions[1:] {
				if ref, ok := a.(map[string]any)["Ref"].(string); ok && strings.HasSuffix(ref, "Topic") {
					t.Errorf("%s %s: also notifies %s", r.stack.Name, id, ref)
				}
			}
			if sev == Critical {
				critical = append(critical, name)
			}
		}
		if diff := cmp.Diff(sortedCopy(critical), sortedCopy(r.stack.CriticalAlarms)); diff != "" {
			t.Errorf("%s: CriticalAlarms is not the set of critical alarms (-want +got):\n%s", r.stack.Name, diff)
		}
	}
}

func sortedCopy(s []string) []string {
	m := map[string]bool{}
	for _, v := range s {
		m[v] = true
	}
	return sortedKeys(m)
}

// TestCatalogueMatchesTierDefaults requires every catalogue kind to have
// defaults in every tier, and every tier default to belong to a kind: a
// kind without defaults would fail to load, a default without a kind
// would silently alarm on nothing.
func TestCatalogueMatchesTierDefaults(t *testing.T) {
	var keys []string
	seen := map[string]bool{}
	for _, k := range alarmCatalogue() {
		if seen[k.key] {
			t.Errorf("catalogue lists %s twice", k.key)
		}
		seen[k.key] = true
		keys = append(keys, k.key)
	}
	spec := loadMonitoringSpec(t, fullMonitoringSpec)
	for _, env := range spec.Services[0].Environments {
		if diff := cmp.Diff(sortedCopy(keys), sortedKeys(env.Monitoring.Alarms)); diff != "" {
			t.Errorf("%s tier: alarm kinds differ from the catalogue (-catalogue +schema):\n%s", env.Tier, diff)
		}
	}
}

// TestEveryLevelBecomesAnAlarm compiles the full spec and checks that each
// level set in the environment yields exactly one alarm, and that levels
// switched off (null) yield none.
func TestEveryLevelBecomesAnAlarm(t *testing.T) {
	spec := loadMonitoringSpec(t, fullMonitoringSpec)
	for i, r := range renderMonitored(t, spec) {
		env := spec.Services[0].Environments[i]
		want := map[string]bool{}
		for _, k := range alarmCatalogue() {
			fleets := []fleet{{}}
			if k.perFleet {
				fleets = (&stackBuilder{env: env}).fleets()
			}
			for _, f := range fleets {
				for _, sev := range severities {
					if env.Monitoring.Alarms[k.key].level(sev) != nil {
						want[k.id+severityTitle(sev)+"Alarm"+f.idSuffix()] = true
					}
				}
			}
		}
		for name, m := range env.Monitoring.Metrics {
			for _, sev := range severities {
				if m.level(sev) != nil {
					want["Custom"+name+severityTitle(sev)+"Alarm"] = true
				}
			}
		}
		got := map[string]bool{}
		for id := range r.ofType("AWS::CloudWatch::Alarm") {
			got[id] = true
		}
		// Other concerns (scaling) add alarms of their own.
		for id := range want {
			if !got[id] {
				t.Errorf("%s: no %s", r.stack.Name, id)
			}
		}
		if env.Tier == "dev" && got["CustomOrderLatencyCriticalAlarm"] {
			t.Errorf("%s: OrderLatency's critical level is switched off in dev, but compiled", r.stack.Name)
		}
	}
}

// TestAlarmShapes pins what each kind of alarm measures on one stack: the
// units convert (ms to seconds, GiB to bytes, percent of connections), the
// anomaly alarm compares with its band, and a below-alarm fires below.
func TestAlarmShapes(t *testing.T) {
	r := renderMonitored(t, loadMonitoringSpec(t, fullMonitoringSpec))[1] // production
	alarms := r.ofType("AWS::CloudWatch::Alarm")
	check := func(id, field string, want any) {
		t.Helper()
		p, ok := alarms[id]
		if !ok {
			t.Fatalf("no alarm %s", id)
		}
		if diff := cmp.Diff(want, p[field]); diff != "" {
			t.Errorf("%s.%s (-want +got):\n%s", id, field, diff)
		}
	}
	check("LatencyP99CriticalAlarm", "Threshold", 2.0)
	check("LatencyP99CriticalAlarm", "ExtendedStatistic", "p99")
	check("LatencyP99CriticalAlarm", "EvaluateLowSampleCountPercentile", "ignore")
	check("DbFreeStorageCriticalAlarm", "Threshold", float64(5*gib))
	check("DbFreeStorageCriticalAlarm", "ComparisonOperator", "LessThanThreshold")
	check("DbConnectionsWarningAlarm", "Threshold", 400.0)
	check("DbReadLatencyWarningAlarm", "Threshold", 0.02)
	check("HealthCheckCriticalAlarm", "TreatMissingData", "breaching")
	check("RequestsLowWarningAlarm", "TreatMissingData", "breaching")
	check("RequestsAnomalyInfoAlarm", "ThresholdMetricId", "band")
	check("RequestsAnomalyInfoAlarm", "ComparisonOperator", "LessThanLowerOrGreaterThanUpperThreshold")
	check("RequestsAnomalyInfoAlarm", "Threshold", nil)
	check("CustomOrdersPlacedCriticalAlarm", "ComparisonOperator", "LessThanThreshold")
	check("CustomOrdersPlacedCriticalAlarm", "Statistic", "Sum")
	check("CustomOrdersPlacedCriticalAlarm", "MetricName", "Orders")
	check("CustomOrdersPlacedCriticalAlarm", "AlarmName", "shop-production-custom-orders-placed-critical")
	check("CustomOrderLatencyWarningAlarm", "Unit", "Milliseconds")
	check("CustomOrderLatencyWarningAlarm", "Dimensions", []any{
		map[string]any{"Name": "Service", "Value": "shop"},
		map[string]any{"Name": "Environment", "Value": "production"},
	})

	// The anomaly alarm returns both the metric and its band, as
	// CloudWatch requires of an alarm on ANOMALY_DETECTION_BAND.
	var returning []string
	for _, q := range alarms["RequestsAnomalyInfoAlarm"]["Metrics"].([]any) {
		if q.(map[string]any)["ReturnData"] == true {
			returning = append(returning, q.(map[string]any)["Id"].(string))
		}
	}
	if diff := cmp.Diff([]string{"requests", "band"}, returning); diff != "" {
		t.Errorf("anomaly alarm's returned queries (-want +got):\n%s", diff)
	}

	// The expression alarm queries its inputs, with their units, and
	// returns only the expression.
	var ids []string
	for _, q := range alarms["CustomOrderFailureRateCriticalAlarm"]["Metrics"].([]any) {
		m := q.(map[string]any)
		ids = append(ids, m["Id"].(string))
		if m["Id"] == "failed" && m["MetricStat"].(map[string]any)["Unit"] != "Count" {
			t.Errorf("input failed lost its unit: %v", m)
		}
		if (m["ReturnData"] == true) != (m["Id"] == expressionID) {
			t.Errorf("query %s: ReturnData %v", m["Id"], m["ReturnData"])
		}
	}
	if diff := cmp.Diff([]string{"failed", "orders", expressionID}, ids); diff != "" {
		t.Errorf("expression alarm's queries (-want +got):\n%s", diff)
	}
}

// TestAlarmExpressionsNameOnlyTheirQueries runs the compile-time check for
// declared expressions over every expression phasec writes itself, in
// alarms and on the dashboard: a typo in the catalogue must fail here, not
// in CloudFormation.
func TestAlarmExpressionsNameOnlyTheirQueries(t *testing.T) {
	for _, r := range monitoredStacks(t) {
		for id, p := range r.ofType("AWS::CloudWatch::Alarm") {
			queries, _ := p["Metrics"].([]any)
			known := map[string]bool{}
			for _, q := range queries {
				known[q.(map[string]any)["Id"].(string)] = true
			}
			for _, q := range queries {
				expr, _ := q.(map[string]any)["Expression"].(string)
				for _, name := range expressionIDs(expr) {
					if !known[name] {
						t.Errorf("%s %s: expression %q names unknown id %s", r.stack.Name, id, expr, name)
					}
				}
			}
		}
	}
}

func TestExpressionIDs(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want []string
	}{
		{"100 * errors / requests", []string{"errors", "requests"}},
		{"IF(requests > 0, 100 * FILL(target, 0) / requests, 0)", []string{"requests", "target"}},
		{"ANOMALY_DETECTION_BAND(m1, 2.5)", []string{"m1"}},
		{"bytes / 1e9 + x_2 * 2.5E-3", []string{"bytes", "x_2"}},
		{`SEARCH('{Phasec/Application,Service} MetricName="Latency" lower="x"', 'p99', 60)`, nil},
		{"METRICS() * PERIOD(m1)", []string{"m1"}},
		{"a AND NOT b OR c", []string{"a", "b", "c"}},
	} {
		if diff := cmp.Diff(tc.want, expressionIDs(tc.expr)); diff != "" {
			t.Errorf("expressionIDs(%q) (-want +got):\n%s", tc.expr, diff)
		}
	}
}

func TestWindow(t *testing.T) {
	for _, tc := range []struct {
		s    AlarmSettings
		want string
	}{
		{AlarmSettings{Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 5}, "for 5 consecutive minutes"},
		{AlarmSettings{Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3}, "in 3 of the last 5 minutes"},
		{AlarmSettings{Period: 300, EvaluationPeriods: 2, DatapointsToAlarm: 2}, "for 2 consecutive periods of 5 minutes"},
		{AlarmSettings{Period: 300, EvaluationPeriods: 3, DatapointsToAlarm: 1}, "in 1 of the last 3 periods of 5 minutes"},
		{AlarmSettings{Period: 3600, EvaluationPeriods: 1, DatapointsToAlarm: 1}, "over 1 hour"},
		{AlarmSettings{Period: 30, EvaluationPeriods: 1, DatapointsToAlarm: 1}, "over 30 seconds"},
	} {
		if got := window(tc.s); got != tc.want {
			t.Errorf("window(%+v) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

// TestBudget checks the budget of each stack: its tier's amount, the
// stack's cost allocation tag, and notifications by severity.
func TestBudget(t *testing.T) {
	want := map[string]float64{
		"ledger-production": 1000, "ledger-staging": 150,
		"storefront-production": 500, "storefront-staging": 150, "storefront-dev": 50,
	}
	shipped, err := LoadShipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range renderMonitored(t, shipped) {
		p := r.ofType("AWS::Budgets::Budget")[idBudget]
		budget := p["Budget"].(map[string]any)
		if got := budget["BudgetLimit"].(map[string]any)["Amount"]; got != want[r.stack.Name] {
			t.Errorf("%s: budget %v USD, want %v", r.stack.Name, got, want[r.stack.Name])
		}
		if diff := cmp.Diff(map[string]any{"TagKeyValue": []any{"aws:cloudformation:stack-name$" + r.stack.Name}}, budget["CostFilters"]); diff != "" {
			t.Errorf("%s: cost filter (-want +got):\n%s", r.stack.Name, diff)
		}
		type note struct {
			Kind  string
			Share float64
			Topic string
		}
		var got []note
		for _, n := range p["NotificationsWithSubscribers"].([]any) {
			nn := n.(map[string]any)
			notification := nn["Notification"].(map[string]any)
			subs := nn["Subscribers"].([]any)
			if len(subs) != 1 {
				t.Fatalf("%s: %d subscribers", r.stack.Name, len(subs))
			}
			sub := subs[0].(map[string]any)
			got = append(got, note{notification["NotificationType"].(string), notification["Threshold"].(float64), sub["Address"].(map[string]any)["Ref"].(string)})
		}
		wantNotes := []note{{"ACTUAL", 80, "WarningTopic"}, {"ACTUAL", 100, "CriticalTopic"}, {"FORECASTED", 100, "WarningTopic"}}
		if diff := cmp.Diff(wantNotes, got); diff != "" {
			t.Errorf("%s: notifications (-want +got):\n%s", r.stack.Name, diff)
		}
	}
}

// TestAlertKeyAdmitsEveryPublisher checks the alert key's policy and the
// topic policy against every service phasec makes publish to the topics:
// CloudWatch alarms, AWS Budgets and EventBridge by service principal, and
// Auto Scaling through its service-linked role, matched by condition so
// that a fresh account without the role can still create the key.
func TestAlertKeyAdmitsEveryPublisher(t *testing.T) {
	r := renderMonitored(t, loadMonitoringSpec(t, fullMonitoringSpec))[0]
	key := r.ofType("AWS::KMS::Key")[idAlertsKey]
	statements := map[string]map[string]any{}
	for _, st := range key["KeyPolicy"].(map[string]any)["Statement"].([]any) {
		m := st.(map[string]any)
		if sid, ok := m["Sid"].(string); ok {
			statements[sid] = m
		}
	}
	publish := []any{"kms:Decrypt", "kms:GenerateDataKey*"}
	services := statements["ServicesPublishEncrypted"]
	if diff := cmp.Diff(publish, services["Action"]); diff != "" {
		t.Errorf("services' key actions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"Service": []any{"budgets.amazonaws.com", "cloudwatch.amazonaws.com", "events.amazonaws.com"}}, services["Principal"]); diff != "" {
		t.Errorf("services' key principals (-want +got):\n%s", diff)
	}
	asg := statements["AutoScalingNotifies"]
	if diff := cmp.Diff(publish, asg["Action"]); diff != "" {
		t.Errorf("Auto Scaling's key actions (-want +got):\n%s", diff)
	}
	if asg["Principal"].(map[string]any)["AWS"] != "*" {
		t.Errorf("Auto Scaling's role is named as Principal, which fails in accounts that never had a group: %v", asg["Principal"])
	}
	cond := asg["Condition"].(map[string]any)
	role := cond["ArnEquals"].(map[string]any)["aws:PrincipalArn"].(map[string]any)["Fn::Sub"]
	if role != "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" {
		t.Errorf("Auto Scaling statement matches %v", role)
	}
	eq := cond["StringEquals"].(map[string]any)
	if eq["kms:CallerAccount"] == nil || eq["kms:ViaService"] == nil {
		t.Errorf("Auto Scaling statement is not limited to this account through SNS: %v", eq)
	}

	var published bool
	for _, p := range r.ofType("AWS::SNS::TopicPolicy") {
		for _, st := range p["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			m := st.(map[string]any)
			if m["Sid"] == "ServicesPublish" && m["Effect"] == "Allow" && m["Action"] == "sns:Publish" {
				published = cmp.Equal(services["Principal"], m["Principal"])
			}
		}
	}
	if !published {
		t.Error("the topic policy does not let the same services publish")
	}
}

// TestSubscriptionsPerTier checks that every endpoint of every tier is
// subscribed to its tier's topic with its protocol, SMS included.
func TestSubscriptionsPerTier(t *testing.T) {
	r := renderMonitored(t, loadMonitoringSpec(t, fullMonitoringSpec))[0]
	got := map[string]string{}
	for id, p := range r.ofType("AWS::SNS::Subscription") {
		got[id] = p["TopicArn"].(map[string]any)["Ref"].(string) + " " + p["Protocol"].(string) + " " + p["Endpoint"].(string)
	}
	want := map[string]string{
		"CriticalTopicEmail1": "CriticalTopic email oncall@example.com",
		"CriticalTopicHttps1": "CriticalTopic https https://hooks.example.com/page",
		"CriticalTopicSms1":   "CriticalTopic sms +12025550143",
		"WarningTopicEmail1":  "WarningTopic email team@example.com",
		"InfoTopicEmail1":     "InfoTopic email feed@example.com",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("subscriptions (-want +got):\n%s", diff)
	}
}

func TestUnreachableWebhook(t *testing.T) {
	for url, reachable := range map[string]bool{
		"https://hooks.example.com/x":  true,
		"https://203.0.113.10/x":       true,
		"https://localhost:8443/x":     false,
		"https://api.localhost/x":      false,
		"https://127.0.0.1/x":          false,
		"https://10.0.0.5/x":           false,
		"https://172.16.1.1:443/x":     false,
		"https://192.168.1.1/x":        false,
		"https://169.254.169.254/x":    false,
		"https://0.0.0.0/x":            false,
		"https://LOCALHOST/x":          false,
		"https://hooks.example.com:8/": true,
	} {
		if got := unreachableWebhook(url) == ""; got != reachable {
			t.Errorf("unreachableWebhook(%q) = %q; reachable should be %v", url, unreachableWebhook(url), reachable)
		}
	}
}
