package appmetrics

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// sample is what the middleware measured about one request.
type sample struct {
	end     time.Time
	route   string
	status  int
	latency time.Duration
}

// encoder renders samples as EMF records. Everything but the timestamp,
// route, status and latency is the same in every record, so it is rendered
// once with encoding/json and each record only appends the parts that vary.
type encoder struct {
	head []byte // `{"_aws":{"Timestamp":`
	mid  []byte // rest of _aws, Service, Environment, up to `"Route":`
}

// metricDirective and metricDefinition are the EMF objects of the same
// names; field order is the output order.
type metricDirective struct {
	Namespace  string             `json:"Namespace"`
	Dimensions [][]string         `json:"Dimensions"`
	Metrics    []metricDefinition `json:"Metrics"`
}

type metricDefinition struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

// metricDefinitions lists every metric a record carries, in output order.
var metricDefinitions = []metricDefinition{
	{MetricRequestCount, UnitCount},
	{MetricLatency, UnitMilliseconds},
	{MetricServerErrors, UnitCount},
	{MetricClientErrors, UnitCount},
}

func newEncoder(cfg Config) *encoder {
	ns := cfg.Namespace
	if ns == "" {
		ns = DefaultNamespace
	}
	directives := []metricDirective{{Namespace: ns, Dimensions: DimensionSets(), Metrics: metricDefinitions}}

	var mid bytes.Buffer
	if cfg.LogGroup != "" {
		mid.WriteString(`,"LogGroupName":`)
		mid.Write(marshalCompact(cfg.LogGroup))
	}
	mid.WriteString(`,"CloudWatchMetrics":`)
	mid.Write(marshalCompact(directives))
	mid.WriteString(`},`)
	mid.Write(marshalCompact(DimService))
	mid.WriteByte(':')
	mid.Write(marshalCompact(cfg.Service))
	mid.WriteByte(',')
	mid.Write(marshalCompact(DimEnvironment))
	mid.WriteByte(':')
	mid.Write(marshalCompact(cfg.Environment))
	mid.WriteByte(',')
	mid.Write(marshalCompact(DimRoute))
	mid.WriteByte(':')
	return &encoder{head: []byte(`{"_aws":{"Timestamp":`), mid: mid.Bytes()}
}

// marshalCompact is json.Marshal without HTML escaping (so a namespace such
// as "A&B" reads as written) and without the encoder's trailing newline. It
// only sees strings and the directive structs, which always marshal.
func marshalCompact(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("appmetrics: marshal constant record part: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// Member names of the varying tail, written once here so that append does
// not rebuild them per record.
var (
	keyStatusClass  = []byte(`,"` + DimStatusClass + `":"`)
	keyStatusCode   = []byte(`","` + PropertyStatusCode + `":`)
	keyRequestCount = []byte(`,"` + MetricRequestCount + `":1,"` + MetricLatency + `":`)
	keyServerErrors = []byte(`,"` + MetricServerErrors + `":`)
	keyClientErrors = []byte(`,"` + MetricClientErrors + `":`)
)

// append appends one record for s to b, as a single line ending in '\n'
// (the agent's framing, and what keeps a log file one record per line).
func (e *encoder) append(b []byte, s sample) []byte {
	b = append(b, e.head...)
	b = strconv.AppendInt(b, s.end.UnixMilli(), 10)
	b = append(b, e.mid...)
	b = appendJSONString(b, s.route)
	class := statusClass(s.status)
	b = append(b, keyStatusClass...)
	b = append(b, class...)
	b = append(b, keyStatusCode...)
	b = strconv.AppendInt(b, int64(s.status), 10)
	b = append(b, keyRequestCount...)
	b = appendMilliseconds(b, s.latency)
	b = append(b, keyServerErrors...)
	b = appendFlag(b, class == StatusClass5xx)
	b = append(b, keyClientErrors...)
	b = appendFlag(b, class == StatusClass4xx)
	return append(b, '}', '\n')
}

// appendMilliseconds writes d in milliseconds with microsecond precision:
// finer than that is noise for a web request, and shorter numbers mean
// smaller log events. A negative duration (a clock stepped back) is 0.
func appendMilliseconds(b []byte, d time.Duration) []byte {
	if d < 0 {
		d = 0
	}
	return strconv.AppendFloat(b, float64(d.Microseconds())/1000, 'f', -1, 64)
}

func appendFlag(b []byte, set bool) []byte {
	if set {
		return append(b, '1')
	}
	return append(b, '0')
}
