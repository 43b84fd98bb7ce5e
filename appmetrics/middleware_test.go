package appmetrics

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testMux has one route per behaviour the middleware must classify.
func testMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "item %s", r.PathValue("id"))
	})
	mux.HandleFunc("GET /silent", func(http.ResponseWriter, *http.Request) {})
	mux.HandleFunc("GET /created", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusCreated) })
	mux.HandleFunc("GET /fail", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("GET /unavailable", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	mux.HandleFunc("GET /teapot", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	mux.HandleFunc("GET /late-error", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "ok")
		w.WriteHeader(http.StatusInternalServerError) // superfluous: the client got 200
	})
	mux.HandleFunc("GET /dir/", func(w http.ResponseWriter, _ *http.Request) {})
	mux.HandleFunc("/tunnel/{x}/", func(w http.ResponseWriter, _ *http.Request) {})
	return mux
}

func TestMiddlewareRouteAndStatus(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		target     string
		wantRoute  string
		wantStatus int
	}{
		{"wildcard route, not the raw path", "GET", "/items/42", "GET /items/{id}", 200},
		{"handler writes nothing", "GET", "/silent", "GET /silent", 200},
		{"explicit 201", "GET", "/created", "GET /created", 201},
		{"not found", "GET", "/no/such/page", RouteUnmatched, 404},
		{"method not allowed", "POST", "/items/42", RouteUnmatched, 405},
		{"server error", "GET", "/fail", "GET /fail", 500},
		{"503", "GET", "/unavailable", "GET /unavailable", 503},
		{"418", "GET", "/teapot", "GET /teapot", 418},
		{"status after body counts as sent", "GET", "/late-error", "GET /late-error", 200},
		{"trailing-slash redirect", "GET", "/dir", "GET /dir/", 307},
		{"path-cleaning redirect", "GET", "/dir/../dir/x", "GET /dir/", 307},
		// For CONNECT the mux reports the redirect target, a raw path, as
		// the pattern (checked below): it must not become a route.
		{"CONNECT redirect", "CONNECT", "/tunnel/abc", RouteUnmatched, 307},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := &lineSink{}
			m, err := New(testConfig(newStepClock(1500*time.Microsecond).Now), sink)
			if err != nil {
				t.Fatal(err)
			}
			w := httptest.NewRecorder()
			r := httptest.NewRequest(tt.method, tt.target, nil)
			m.Wrap(testMux()).ServeHTTP(w, r)
			muxPattern := r.Pattern // what the mux set on the request

			if w.Code != tt.wantStatus {
				t.Fatalf("test setup: mux answered %d, want %d", w.Code, tt.wantStatus)
			}
			if tt.method == "CONNECT" && !strings.HasPrefix(muxPattern, "/tunnel/abc") {
				t.Fatalf("test setup: CONNECT pattern is %q; the guard in routeOf may be obsolete", muxPattern)
			}
			recs := sink.records(t)
			if len(recs) != 1 {
				t.Fatalf("got %d records, want 1", len(recs))
			}
			rec := recs[0]
			class := statusClass(tt.wantStatus)
			want := map[string]any{
				DimRoute:       tt.wantRoute,
				DimStatusClass: class,
			}
			got := map[string]any{DimRoute: rec[DimRoute], DimStatusClass: rec[DimStatusClass]}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("dimensions (-want +got):\n%s", diff)
			}
			wantNums := map[string]float64{
				PropertyStatusCode: float64(tt.wantStatus),
				MetricRequestCount: 1,
				MetricLatency:      1.5,
				MetricServerErrors: b2f(class == StatusClass5xx),
				MetricClientErrors: b2f(class == StatusClass4xx),
			}
			gotNums := map[string]float64{}
			for k := range wantNums {
				gotNums[k] = num(t, rec, k)
			}
			if diff := cmp.Diff(wantNums, gotNums); diff != "" {
				t.Errorf("numbers (-want +got):\n%s", diff)
			}
		})
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func TestMiddlewarePanics(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name    string
		handler http.HandlerFunc
		value   any
	}{
		{"panic before writing", func(http.ResponseWriter, *http.Request) { panic(errBoom) }, errBoom},
		{"panic after 200 was sent", func(w http.ResponseWriter, _ *http.Request) {
			io.WriteString(w, "partial")
			panic("after write")
		}, "after write"},
		{"http.ErrAbortHandler", func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }, http.ErrAbortHandler},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := &lineSink{}
			m, err := New(testConfig(newStepClock(time.Millisecond).Now), sink)
			if err != nil {
				t.Fatal(err)
			}
			mux := http.NewServeMux()
			mux.Handle("GET /p", tt.handler)
			got := func() (v any) {
				defer func() { v = recover() }()
				m.Wrap(mux).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/p", nil))
				return nil
			}()
			if got != tt.value {
				t.Errorf("re-panicked with %#v, want the original %#v", got, tt.value)
			}
			recs := sink.records(t)
			if len(recs) != 1 {
				t.Fatalf("got %d records, want 1", len(recs))
			}
			rec := recs[0]
			if rec[DimRoute] != "GET /p" || rec[DimStatusClass] != StatusClass5xx {
				t.Errorf("route, class = %v, %v; want GET /p, 5xx", rec[DimRoute], rec[DimStatusClass])
			}
			if num(t, rec, MetricServerErrors) != 1 || num(t, rec, MetricClientErrors) != 0 || num(t, rec, PropertyStatusCode) != 500 {
				t.Errorf("ServerErrors, ClientErrors, StatusCode = %v, %v, %v; want 1, 0, 500",
					rec[MetricServerErrors], rec[MetricClientErrors], rec[PropertyStatusCode])
			}
		})
	}
}

// A handler ending its goroutine (runtime.Goexit, as t.FailNow does) sent
// no complete response: it is a server error, and Goexit must go on.
func TestMiddlewareGoexit(t *testing.T) {
	sink := &lineSink{}
	m, err := New(testConfig(nil), sink)
	if err != nil {
		t.Fatal(err)
	}
	h := m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { runtime.Goexit() }))
	done := make(chan bool)
	go func() {
		defer close(done)
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		done <- true // not reached when Goexit proceeds
	}()
	if <-done {
		t.Fatal("ServeHTTP returned normally; Goexit was swallowed")
	}
	recs := sink.records(t)
	if len(recs) != 1 || recs[0][DimStatusClass] != StatusClass5xx {
		t.Fatalf("records = %v, want one 5xx", recs)
	}
}

func TestRecordContract(t *testing.T) {
	for _, logGroup := range []string{"/phasec/storefront-production/metrics", ""} {
		t.Run(fmt.Sprintf("log group %q", logGroup), func(t *testing.T) {
			sink := &lineSink{}
			cfg := testConfig(newStepClock(2 * time.Millisecond).Now)
			cfg.Namespace = "Team/Custom"
			cfg.LogGroup = logGroup
			m, err := New(cfg, sink)
			if err != nil {
				t.Fatal(err)
			}
			m.Wrap(testMux()).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/items/7", nil))
			rec := sink.records(t)[0]

			var keys []string
			for k := range rec {
				keys = append(keys, k)
			}
			wantKeys := []string{"_aws", DimService, DimEnvironment, DimRoute, DimStatusClass, PropertyStatusCode,
				MetricRequestCount, MetricLatency, MetricServerErrors, MetricClientErrors}
			sortStrings := cmp.Transformer("sort", func(in []string) []string {
				out := append([]string(nil), in...)
				slices.Sort(out)
				return out
			})
			if diff := cmp.Diff(wantKeys, keys, sortStrings); diff != "" {
				t.Errorf("top-level members (-want +got):\n%s", diff)
			}

			aws := rec["_aws"].(map[string]any)
			if got, _ := aws["LogGroupName"].(string); got != logGroup {
				t.Errorf("_aws.LogGroupName = %q, want %q", got, logGroup)
			}
			if ts := num(t, aws, "Timestamp"); ts != float64(epoch.Add(2*time.Millisecond).UnixMilli()) {
				t.Errorf("Timestamp = %v, want the end of the request in ms", ts)
			}
			directives := aws["CloudWatchMetrics"].([]any)
			if len(directives) != 1 {
				t.Fatalf("%d metric directives, want 1", len(directives))
			}
			d := directives[0].(map[string]any)
			type metric struct{ Name, Unit string }
			var gotMetrics []metric
			for _, m := range d["Metrics"].([]any) {
				mm := m.(map[string]any)
				gotMetrics = append(gotMetrics, metric{mm["Name"].(string), mm["Unit"].(string)})
			}
			var gotSets [][]string
			for _, s := range d["Dimensions"].([]any) {
				var set []string
				for _, name := range s.([]any) {
					set = append(set, name.(string))
				}
				gotSets = append(gotSets, set)
			}
			got := map[string]any{"Namespace": d["Namespace"], "Dimensions": gotSets, "Metrics": gotMetrics,
				DimService: rec[DimService], DimEnvironment: rec[DimEnvironment]}
			want := map[string]any{
				"Namespace":  "Team/Custom",
				"Dimensions": DimensionSets(),
				"Metrics": []metric{
					{MetricRequestCount, UnitCount}, {MetricLatency, UnitMilliseconds},
					{MetricServerErrors, UnitCount}, {MetricClientErrors, UnitCount},
				},
				DimService:     "storefront",
				DimEnvironment: "production",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("metric directive (-want +got):\n%s", diff)
			}
		})
	}
}

// TestContractNames pins the names shared with the compiler: renaming one
// here silently breaks every alarm and dashboard built on it.
func TestContractNames(t *testing.T) {
	got := map[string]any{
		"DefaultNamespace":    DefaultNamespace,
		"DimService":          DimService,
		"DimEnvironment":      DimEnvironment,
		"DimRoute":            DimRoute,
		"DimStatusClass":      DimStatusClass,
		"DimensionSets":       DimensionSets(),
		"MetricRequestCount":  MetricRequestCount,
		"MetricLatency":       MetricLatency,
		"MetricServerErrors":  MetricServerErrors,
		"MetricClientErrors":  MetricClientErrors,
		"StatusClasses":       []string{StatusClass2xx, StatusClass3xx, StatusClass4xx, StatusClass5xx},
		"RouteUnmatched":      RouteUnmatched,
		"EnvService":          EnvService,
		"EnvEnvironment":      EnvEnvironment,
		"EnvNamespace":        EnvNamespace,
		"EnvLogGroup":         EnvLogGroup,
		"DefaultAgentAddress": DefaultAgentAddress,
	}
	want := map[string]any{
		"DefaultNamespace": "Phasec/Application",
		"DimService":       "Service",
		"DimEnvironment":   "Environment",
		"DimRoute":         "Route",
		"DimStatusClass":   "StatusClass",
		"DimensionSets": [][]string{
			{"Service", "Environment"},
			{"Service", "Environment", "Route"},
			{"Service", "Environment", "StatusClass"},
		},
		"MetricRequestCount":  "RequestCount",
		"MetricLatency":       "Latency",
		"MetricServerErrors":  "ServerErrors",
		"MetricClientErrors":  "ClientErrors",
		"StatusClasses":       []string{"2xx", "3xx", "4xx", "5xx"},
		"RouteUnmatched":      "unmatched",
		"EnvService":          "PHASEC_SERVICE",
		"EnvEnvironment":      "PHASEC_ENVIRONMENT",
		"EnvNamespace":        "PHASEC_METRICS_NAMESPACE",
		"EnvLogGroup":         "PHASEC_EMF_LOG_GROUP",
		"DefaultAgentAddress": "127.0.0.1:25888",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("contract (-want +got):\n%s", diff)
	}
	// DimensionSets hands out copies: a caller cannot change the contract.
	DimensionSets()[0][0] = "Mutated"
	if DimensionSets()[0][0] != DimService {
		t.Error("DimensionSets returned shared state")
	}
}

// chunkyWriter writes each record a few bytes at a time, yielding between
// chunks, so that any two unserialised writers interleave their lines.
type chunkyWriter struct {
	lineSink // its lock is taken per chunk, not per record
}

func (c *chunkyWriter) Write(p []byte) (int, error) {
	c.lineSink.mu.Lock()
	c.lineSink.writes++
	c.lineSink.mu.Unlock()
	for i := 0; i < len(p); i += 16 {
		end := min(i+16, len(p))
		c.lineSink.mu.Lock()
		c.lineSink.buf.Write(p[i:end])
		c.lineSink.mu.Unlock()
		runtime.Gosched()
	}
	return len(p), nil
}

func TestMiddlewareConcurrentWholeLines(t *testing.T) {
	const workers, perWorker = 16, 40
	sink := &chunkyWriter{}
	m, err := New(testConfig(newStepClock(time.Millisecond).Now), sink)
	if err != nil {
		t.Fatal(err)
	}
	h := m.Wrap(testMux())
	targets := []string{"/items/1", "/fail", "/nowhere"}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				target := targets[(w+i)%len(targets)]
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", target, nil))
			}
		})
	}
	wg.Wait()

	recs := sink.lineSink.records(t) // fails on any torn or merged line
	counts := map[string]int{}
	for _, rec := range recs {
		counts[rec[DimRoute].(string)+" "+rec[DimStatusClass].(string)]++
	}
	want := map[string]int{}
	for w := range workers {
		for i := range perWorker {
			switch targets[(w+i)%len(targets)] {
			case "/items/1":
				want["GET /items/{id} 2xx"]++
			case "/fail":
				want["GET /fail 5xx"]++
			default:
				want[RouteUnmatched+" 4xx"]++
			}
		}
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("records per route and class (-want +got):\n%s", diff)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestMiddlewareWriteErrorsDoNotFailRequests(t *testing.T) {
	m, err := New(testConfig(nil), failingWriter{})
	if err != nil {
		t.Fatal(err)
	}
	h := m.Wrap(testMux())
	for range 3 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/items/1", nil))
		if w.Code != 200 || w.Body.String() != "item 1" {
			t.Fatalf("response = %d %q, want 200 \"item 1\"", w.Code, w.Body.String())
		}
	}
	if got := m.WriteErrors(); got != 3 {
		t.Errorf("WriteErrors() = %d, want 3", got)
	}
}

func TestStatusClass(t *testing.T) {
	tests := []struct {
		code int
		want string
	}{
		{101, StatusClass2xx}, {200, StatusClass2xx}, {204, StatusClass2xx}, {299, StatusClass2xx},
		{300, StatusClass3xx}, {304, StatusClass3xx}, {399, StatusClass3xx},
		{400, StatusClass4xx}, {404, StatusClass4xx}, {499, StatusClass4xx},
		{500, StatusClass5xx}, {599, StatusClass5xx}, {600, StatusClass5xx}, {999, StatusClass5xx},
	}
	for _, tt := range tests {
		if got := statusClass(tt.code); got != tt.want {
			t.Errorf("statusClass(%d) = %q, want %q", tt.code, got, tt.want)
		}
	}
}
