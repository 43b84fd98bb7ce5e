package appmetrics_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/phasec/phasec/appmetrics"
)

// The middleware wraps the ServeMux; each request becomes one EMF record
// naming the pattern that matched. On an instance the writer is the agent
// (DialAgent) and the configuration comes from ConfigFromEnv(os.Getenv).
func ExampleMiddleware() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "order %s\n", r.PathValue("id"))
	})

	fixed := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	m, err := appmetrics.New(appmetrics.Config{
		Service:     "storefront",
		Environment: "production",
		LogGroup:    "/phasec/storefront-production/metrics",
		Now:         func() time.Time { return fixed },
	}, os.Stdout)
	if err != nil {
		panic(err)
	}
	m.Wrap(mux).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/orders/1234", nil))
	// Output:
	// {"_aws":{"Timestamp":1772366400000,"LogGroupName":"/phasec/storefront-production/metrics","CloudWatchMetrics":[{"Namespace":"Phasec/Application","Dimensions":[["Service","Environment"],["Service","Environment","Route"],["Service","Environment","StatusClass"]],"Metrics":[{"Name":"RequestCount","Unit":"Count"},{"Name":"Latency","Unit":"Milliseconds"},{"Name":"ServerErrors","Unit":"Count"},{"Name":"ClientErrors","Unit":"Count"}]}]},"Service":"storefront","Environment":"production","Route":"GET /orders/{id}","StatusClass":"2xx","StatusCode":200,"RequestCount":1,"Latency":0,"ServerErrors":0,"ClientErrors":0}
}
