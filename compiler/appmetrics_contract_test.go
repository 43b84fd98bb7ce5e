package compiler

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/phasec/phasec/appmetrics"
)

// emfRecord is what the test reads back from one line the middleware
// wrote, checked against the Embedded Metric Format specification.
type emfRecord struct {
	namespace     string
	dimensionSets [][]string
	units         map[string]string // metric name -> unit
	members       map[string]any    // every top-level member but _aws
}

// parseEMF parses one record and checks the rules the EMF specification
// sets: a timestamp in milliseconds, one or more metric directives, every
// dimension a top-level string member and every metric a top-level number.
func parseEMF(t *testing.T, line []byte) emfRecord {
	t.Helper()
	var raw map[string]any
	if err := json.Unmarshal(line, &raw); err != nil {
		t.Fatalf("record is not JSON: %v\n%s", err, line)
	}
	aws, ok := raw["_aws"].(map[string]any)
	if !ok {
		t.Fatalf("record has no _aws metadata: %s", line)
	}
	if ts, ok := aws["Timestamp"].(float64); !ok || ts < 1e12 {
		t.Errorf("_aws.Timestamp %v is not epoch milliseconds", aws["Timestamp"])
	}
	directives, ok := aws["CloudWatchMetrics"].([]any)
	if !ok || len(directives) != 1 {
		t.Fatalf("record has %d metric directives, want 1: %s", len(directives), line)
	}
	d := directives[0].(map[string]any)
	rec := emfRecord{namespace: d["Namespace"].(string), units: map[string]string{}, members: map[string]any{}}
	for k, v := range raw {
		if k != "_aws" {
			rec.members[k] = v
		}
	}
	for _, set := range d["Dimensions"].([]any) {
		var names []string
		for _, n := range set.([]any) {
			name := n.(string)
			if _, ok := rec.members[name].(string); !ok {
				t.Errorf("dimension %s is not a top-level string member: %s", name, line)
			}
			names = append(names, name)
		}
		rec.dimensionSets = append(rec.dimensionSets, names)
	}
	for _, m := range d["Metrics"].([]any) {
		m := m.(map[string]any)
		name := m["Name"].(string)
		if _, ok := rec.members[name].(float64); !ok {
			t.Errorf("metric %s is not a top-level number: %s", name, line)
		}
		rec.units[name], _ = m["Unit"].(string)
	}
	return rec
}

// appEnvs reads, from every launch template of the stack, the variables
// user data writes to /etc/phasec/app.env: the configuration the
// application hands to appmetrics.ConfigFromEnv.
func appEnvs(t *testing.T, r monitoredStack) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for id, lt := range r.ofType("AWS::EC2::LaunchTemplate") {
		script := lt["LaunchTemplateData"].(map[string]any)["UserData"].(map[string]any)["Fn::Base64"].(map[string]any)["Fn::Sub"].(string)
		_, rest, ok := strings.Cut(script, "cat > /etc/phasec/app.env <<'EOF'\n")
		if !ok {
			t.Fatalf("%s %s: user data writes no app.env", r.stack.Name, id)
		}
		block, _, _ := strings.Cut(rest, "\nEOF\n")
		env := map[string]string{}
		for _, line := range strings.Split(block, "\n") {
			k, v, _ := strings.Cut(line, "=")
			env[k] = v
		}
		out[id] = env
	}
	if len(out) == 0 {
		t.Fatalf("%s: no launch template", r.stack.Name)
	}
	return out
}

// TestAppMetricsContract runs the appmetrics middleware configured exactly
// as a stack's user data configures the application, parses what it writes
// as EMF, and requires every alarm and graph of the stack on the
// middleware's metrics to name a metric, unit, dimension set and
// dimension values that the records carry. A renamed constant on either
// side fails here rather than leaving an alarm on a metric nobody sends.
func TestAppMetricsContract(t *testing.T) {
	shipped, err := LoadShipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range renderMonitored(t, shipped) {
		envs := appEnvs(t, r)
		for _, lt := range sortedKeys(envs) {
			checkAppMetricsContract(t, shipped, r, lt, envs[lt])
		}
	}
}

// checkAppMetricsContract runs the middleware as the launch template lt
// configures it and checks every reader of its metrics in the stack.
func checkAppMetricsContract(t *testing.T, shipped *Spec, r monitoredStack, lt string, env map[string]string) {
	t.Helper()
	cfg, err := appmetrics.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("%s %s: user data does not configure appmetrics: %v", r.stack.Name, lt, err)
	}
	cfg.Now = func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	var out bytes.Buffer
	m, err := appmetrics.New(cfg, &out)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, _ *http.Request) {})
	mux.HandleFunc("GET /fail", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) })
	for _, path := range []string{"/items/7", "/fail", "/missing"} {
		m.Wrap(mux).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
	if len(lines) != 3 {
		t.Fatalf("%s %s: %d records for 3 requests", r.stack.Name, lt, len(lines))
	}
	rec := parseEMF(t, lines[1])
	if rec.members[appmetrics.MetricServerErrors] != 1.0 || rec.members[appmetrics.DimStatusClass] != appmetrics.StatusClass5xx {
		t.Errorf("%s: a 500 is recorded as %v", r.stack.Name, rec.members)
	}
	if rec.namespace != appMetricsNamespace {
		t.Errorf("%s: records go to %s, alarms read %s", r.stack.Name, rec.namespace, appMetricsNamespace)
	}

	// The metrics the compiler reads, in alarms and graphs.
	uses := appMetricUses(t, shipped, r)
	if len(uses) == 0 {
		t.Fatalf("%s: nothing reads the application's metrics", r.stack.Name)
	}
	for _, u := range uses {
		if _, ok := rec.units[u.metric]; !ok {
			t.Errorf("%s: %s reads metric %s, which the middleware does not write (it writes %v)", r.stack.Name, u.where, u.metric, sortedKeys(rec.units))
		}
		if !slices.ContainsFunc(rec.dimensionSets, func(set []string) bool { return slices.Equal(set, u.dims) }) {
			t.Errorf("%s: %s reads dimension set %v, which the records do not declare (%v)", r.stack.Name, u.where, u.dims, rec.dimensionSets)
		}
		for i, name := range u.dims {
			if u.values[i] != "" && rec.members[name] != u.values[i] {
				t.Errorf("%s: %s selects %s=%s, the records carry %v", r.stack.Name, u.where, name, u.values[i], rec.members[name])
			}
		}
	}
	if diff := cmp.Diff(appmetrics.UnitMilliseconds, rec.units[appmetrics.MetricLatency]); diff != "" {
		t.Errorf("latency unit, which the ms thresholds assume (-want +got):\n%s", diff)
	}
}

// appMetricUse is one place that reads an appmetrics metric: its name,
// dimension names and the values it selects ("" for any, as in SEARCH).
type appMetricUse struct {
	where  string
	metric string
	dims   []string
	values []string
}

// appMetricUses collects the alarms and dashboard graphs of a stack that
// read the middleware's metrics. Declared metrics (Custom alarms) share the
// namespace but come from the application's own code.
func appMetricUses(t *testing.T, spec *Spec, r monitoredStack) []appMetricUse {
	t.Helper()
	custom := map[string]bool{}
	for _, m := range declaredMetricNames(spec, r.stack.Name) {
		custom[m] = true
	}
	var uses []appMetricUse
	add := func(where, ns, metric string, dims []any) {
		if ns != appMetricsNamespace || custom[metric] {
			return
		}
		u := appMetricUse{where: where, metric: metric}
		for _, d := range dims {
			d := d.(map[string]any)
			u.dims = append(u.dims, d["Name"].(string))
			u.values = append(u.values, d["Value"].(string))
		}
		uses = append(uses, u)
	}
	for id, p := range r.ofType("AWS::CloudWatch::Alarm") {
		if ns, ok := p["Namespace"].(string); ok {
			add(id, ns, p["MetricName"].(string), p["Dimensions"].([]any))
		}
		queries, _ := p["Metrics"].([]any)
		for _, q := range queries {
			if ms, ok := q.(map[string]any)["MetricStat"].(map[string]any); ok {
				metric := ms["Metric"].(map[string]any)
				add(id, metric["Namespace"].(string), metric["MetricName"].(string), metric["Dimensions"].([]any))
			}
		}
	}
	body, _ := dashboardOf(t, r)
	for _, w := range body["widgets"].([]any) {
		props := w.(map[string]any)["properties"].(map[string]any)
		rows, _ := props["metrics"].([]any)
		for _, row := range rows {
			row := row.([]any)
			opts, _ := row[0].(map[string]any)
			if expr, ok := opts["expression"].(string); ok {
				// SEARCH('{Namespace,Dim,Dim,...} MetricName="X" Dim="v"...')
				if i := strings.Index(expr, "SEARCH('{"); i >= 0 {
					schema, rest, _ := strings.Cut(expr[i+len("SEARCH('{"):], "}")
					parts := strings.Split(schema, ",")
					_, metric, _ := strings.Cut(rest, `MetricName="`)
					metric, _, _ = strings.Cut(metric, `"`)
					u := appMetricUse{where: "dashboard " + props["title"].(string), metric: metric, dims: parts[1:], values: make([]string, len(parts)-1)}
					if parts[0] == appMetricsNamespace {
						uses = append(uses, u)
					}
				}
				continue
			}
			ns, _ := row[0].(string)
			name, _ := row[1].(string)
			var dims []any
			for i := 2; i+1 < len(row); i += 2 {
				n, _ := row[i].(string)
				v, _ := row[i+1].(string)
				dims = append(dims, map[string]any{"Name": n, "Value": v})
			}
			add("dashboard "+props["title"].(string), ns, name, dims)
		}
	}
	return uses
}

// declaredMetricNames are the CloudWatch names of the metrics an
// environment declares itself, inputs of expressions included.
func declaredMetricNames(spec *Spec, stack string) []string {
	var names []string
	for _, svc := range spec.Services {
		for _, env := range svc.Environments {
			if env.Stack != stack {
				continue
			}
			for name, m := range env.Monitoring.Metrics {
				names = append(names, customMetricName(name, m))
				for _, in := range m.Inputs {
					names = append(names, in.Metric)
				}
			}
		}
	}
	return names
}
