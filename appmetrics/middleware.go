package appmetrics

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Middleware records one EMF record per request. It is safe for concurrent
// use; one Middleware serves the whole process.
//
// One record per request is the simplest correct scheme and keeps every
// request visible to CloudWatch Logs Insights, at the price of one log event
// of about 560 bytes per request: a steady 100 requests a second is about
// 145 GB a month of CloudWatch Logs ingestion per instance (some $70 at
// $0.50/GB). Aggregating per route and interval into EMF value arrays would
// cut that by orders of magnitude; it is not done here. The custom-metric
// bill is the same either way: 4 metrics times (1 + routes + status classes)
// dimension combinations per service and environment.
type Middleware struct {
	enc *encoder
	now func() time.Time

	mu  sync.Mutex // serialises writes, so records never interleave
	out io.Writer

	writeErrors atomic.Uint64
	bufs        sync.Pool // *[]byte, one record's worth
}

// maxPooledRecord bounds the buffers kept for reuse, so that one request
// with a huge route pattern does not pin memory for the process lifetime.
const maxPooledRecord = 4 << 10

// New returns a Middleware that writes records to out, one Write call per
// record, each a single line of JSON. out need not be safe for concurrent
// use. A slow out slows every request, since records are written before the
// handler returns; AgentWriter never blocks, which is why production uses it.
func New(cfg Config, out io.Writer) (*Middleware, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("appmetrics: %w", err)
	}
	if out == nil {
		return nil, fmt.Errorf("appmetrics: no writer for the records")
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	m := &Middleware{enc: newEncoder(cfg), now: now, out: out}
	m.bufs.New = func() any { b := make([]byte, 0, 1024); return &b }
	return m, nil
}

// Wrap returns next with every request recorded. next is normally the
// http.ServeMux, whose matched pattern becomes the route.
func (m *Middleware) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.serve(next, w, r)
	})
}

// WriteErrors is how many records the writer refused. Requests never fail
// because of metrics, so this counter is the only trace of such failures.
func (m *Middleware) WriteErrors() uint64 { return m.writeErrors.Load() }

func (m *Middleware) serve(next http.Handler, w http.ResponseWriter, r *http.Request) {
	start := m.now()
	rw := &responseWriter{w: w, now: m.now}
	returned := false
	defer func() {
		if returned {
			return
		}
		// A panic, or runtime.Goexit (recover returns nil then). Either
		// way the client got no complete response: a server error.
		v := recover()
		rw.status = http.StatusInternalServerError
		m.record(r, rw, start)
		if v != nil {
			panic(v)
		}
	}()
	next.ServeHTTP(rw, r)
	returned = true
	m.record(r, rw, start)
}

func (m *Middleware) record(r *http.Request, rw *responseWriter, start time.Time) {
	end := m.now()
	status := rw.status
	if status == 0 {
		status = http.StatusOK // the server sends 200 for a handler that wrote nothing
	}
	until := end
	if rw.hijacked {
		until = rw.hijackedAt
	}
	s := sample{end: end, route: routeOf(r, status), status: status, latency: until.Sub(start)}

	bp := m.bufs.Get().(*[]byte)
	b := m.enc.append((*bp)[:0], s)
	m.mu.Lock()
	_, err := m.out.Write(b)
	m.mu.Unlock()
	if err != nil {
		m.writeErrors.Add(1)
	}
	if cap(b) <= maxPooledRecord {
		*bp = b
		m.bufs.Put(bp)
	}
}

// routeOf is the request's DimRoute value: the pattern the mux matched.
func routeOf(r *http.Request, status int) string {
	if r.Pattern == "" {
		return RouteUnmatched
	}
	// For CONNECT, the mux's trailing-slash redirect puts the redirect
	// target, a raw path, where the pattern belongs.
	if r.Method == http.MethodConnect && statusClass(status) == StatusClass3xx {
		return RouteUnmatched
	}
	return r.Pattern
}
