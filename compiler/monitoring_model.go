package compiler

// Monitoring is how an environment is watched: the thresholds of the alarm
// catalogue, the application metrics it alarms on, the monthly budget and
// the existing database, all with the tier's defaults applied
// (schema/monitoring.cue).
type Monitoring struct {
	// Alarms holds the settings of every catalogue kind, keyed as in the
	// schema (cpu, http5xxRate...).
	Alarms map[string]AlarmSettings `json:"alarms"`
	// Metrics are the declared application metrics, keyed by name.
	Metrics  map[string]AppMetric `json:"metrics"`
	Budget   Budget               `json:"budget"`
	Database *Database            `json:"database"`
}

// AlarmSettings are one alarm kind's threshold per severity (nil: no alarm
// of that severity) and how long a breach must last.
type AlarmSettings struct {
	Info              *float64 `json:"info"`
	Warning           *float64 `json:"warning"`
	Critical          *float64 `json:"critical"`
	Period            int      `json:"period"`
	EvaluationPeriods int      `json:"evaluationPeriods"`
	DatapointsToAlarm int      `json:"datapointsToAlarm"`
}

// level is the threshold of severity sev, or nil when it is switched off.
func (s AlarmSettings) level(sev Severity) *float64 {
	switch sev {
	case Critical:
		return s.Critical
	case Warning:
		return s.Warning
	default:
		return s.Info
	}
}

// AppMetric is a metric the application publishes under the Service and
// Environment dimensions, or a metric-math expression over several.
type AppMetric struct {
	AlarmSettings
	// Metric is the CloudWatch metric name; empty means the declaration's
	// key.
	Metric    string `json:"metric"`
	Unit      string `json:"unit"`
	Statistic string `json:"statistic"`
	// Expression, when set, computes the alarmed value from Inputs.
	Expression  string                 `json:"expression"`
	Inputs      map[string]MetricInput `json:"inputs"`
	AlarmWhen   string                 `json:"alarmWhen"`
	MissingData string                 `json:"missingData"`
	Description string                 `json:"description"`
}

// MetricInput is one metric an expression names by its id.
type MetricInput struct {
	Metric    string `json:"metric"`
	Unit      string `json:"unit"`
	Statistic string `json:"statistic"`
}

// Budget is the stack's monthly cost budget and the spend, in percent of
// it, at which each severity is told.
type Budget struct {
	MonthlyUSD               float64 `json:"monthlyUsd"`
	WarningAtPercent         float64 `json:"warningAtPercent"`
	CriticalAtPercent        float64 `json:"criticalAtPercent"`
	ForecastWarningAtPercent float64 `json:"forecastWarningAtPercent"`
}

// Database is an existing RDS DB instance that the stack watches.
type Database struct {
	InstanceID     string `json:"instanceId"`
	MaxConnections int    `json:"maxConnections"`
}
