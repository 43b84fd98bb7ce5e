package appmetrics

// DefaultNamespace is the CloudWatch namespace the phasec compiler alarms on
// and graphs unless a spec says otherwise, and that the instance role may
// publish to.
const DefaultNamespace = "Phasec/Application"

// Dimension names. Every record carries all four as top-level string members
// and declares the dimension sets in DimensionSets.
const (
	// DimService is the service name of the spec (PHASEC_SERVICE).
	DimService = "Service"
	// DimEnvironment is the environment name of the spec (PHASEC_ENVIRONMENT).
	DimEnvironment = "Environment"
	// DimRoute is the matched http.ServeMux pattern, or RouteUnmatched; never
	// the raw URL path, which would create one metric per distinct URL.
	DimRoute = "Route"
	// DimStatusClass is one of the StatusClass constants.
	DimStatusClass = "StatusClass"
)

// DimensionSets are the dimension sets every record declares, in order:
// per service and environment (what alarms use), then per route and per
// status class (what dashboards use). Each set becomes its own CloudWatch
// metric, so adding one multiplies the custom-metric bill.
func DimensionSets() [][]string {
	return [][]string{
		{DimService, DimEnvironment},
		{DimService, DimEnvironment, DimRoute},
		{DimService, DimEnvironment, DimStatusClass},
	}
}

// Metric names, each a top-level numeric member of every record.
const (
	// MetricRequestCount is 1 per request (unit UnitCount); its Sum is the
	// request count.
	MetricRequestCount = "RequestCount"
	// MetricLatency is the time from the middleware receiving the request to
	// the handler returning (unit UnitMilliseconds).
	MetricLatency = "Latency"
	// MetricServerErrors is 1 when the response status is 5xx (or the
	// handler panicked), else 0 (unit UnitCount); its Average is the 5xx rate.
	MetricServerErrors = "ServerErrors"
	// MetricClientErrors is 1 when the response status is 4xx, else 0 (unit
	// UnitCount); its Average is the 4xx rate.
	MetricClientErrors = "ClientErrors"
)

// CloudWatch units used by the metrics above, spelled as EMF requires.
const (
	// UnitCount is the unit of the counting metrics.
	UnitCount = "Count"
	// UnitMilliseconds is the unit of MetricLatency.
	UnitMilliseconds = "Milliseconds"
)

// PropertyStatusCode is a top-level member holding the exact status code.
// It is not a metric (no dimension would be worth its cost); it is there so
// that CloudWatch Logs Insights can break a status class down when
// investigating.
const PropertyStatusCode = "StatusCode"

// Values of DimStatusClass.
const (
	// StatusClass2xx counts successful responses, including 101 Switching
	// Protocols, the only final 1xx status.
	StatusClass2xx = "2xx"
	// StatusClass3xx counts redirects.
	StatusClass3xx = "3xx"
	// StatusClass4xx counts client errors.
	StatusClass4xx = "4xx"
	// StatusClass5xx counts server errors and handler panics.
	StatusClass5xx = "5xx"
)

// RouteUnmatched is the DimRoute value of a request that matched no pattern
// (the mux's 404 and 405 responses).
const RouteUnmatched = "unmatched"

// Environment variables the compiler's user data writes to
// /etc/phasec/app.env, read by ConfigFromEnv.
const (
	// EnvService names the variable holding the service name.
	EnvService = "PHASEC_SERVICE"
	// EnvEnvironment names the variable holding the environment name.
	EnvEnvironment = "PHASEC_ENVIRONMENT"
	// EnvNamespace names the variable holding the CloudWatch namespace.
	EnvNamespace = "PHASEC_METRICS_NAMESPACE"
	// EnvLogGroup names the variable holding the log group the agent writes
	// the records to. The agent requires one, and the instance role may only
	// write to the stack's own log groups.
	EnvLogGroup = "PHASEC_EMF_LOG_GROUP"
)

// DefaultAgentAddress is where the CloudWatch agent listens for EMF records
// when configured with "logs": {"metrics_collected": {"emf": {}}}, as the
// compiler's user data does.
const DefaultAgentAddress = "127.0.0.1:25888"
