package appmetrics

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"time"
)

// responseWriter observes the status a handler sends while passing
// everything through. Optional interfaces are kept working two ways: Unwrap
// lets http.ResponseController reach the server's writer (deadlines, full
// duplex), and the methods below serve code that still type-asserts
// http.Flusher, http.Hijacker or io.ReaderFrom.
type responseWriter struct {
	w      http.ResponseWriter
	now    func() time.Time
	status int // final status sent; 0 until the handler sends one

	hijacked   bool
	hijackedAt time.Time
}

var (
	_ http.Flusher  = (*responseWriter)(nil)
	_ http.Hijacker = (*responseWriter)(nil)
	_ io.ReaderFrom = (*responseWriter)(nil)
)

func (rw *responseWriter) Header() http.Header { return rw.w.Header() }

// WriteHeader records the first final status. Informational 1xx codes
// (103 Early Hints) may precede the final one and are not recorded; 101
// Switching Protocols is final.
func (rw *responseWriter) WriteHeader(code int) {
	informational := code >= 100 && code < 200 && code != http.StatusSwitchingProtocols
	if rw.status == 0 && !informational {
		rw.status = code
	}
	rw.w.WriteHeader(code)
}

// Write counts as 200 when no status was sent, as net/http does.
func (rw *responseWriter) Write(p []byte) (int, error) {
	rw.implicitOK()
	return rw.w.Write(p)
}

// ReadFrom keeps io.Copy on the fast path (sendfile) of the server's writer.
func (rw *responseWriter) ReadFrom(r io.Reader) (int64, error) {
	rw.implicitOK()
	if rf, ok := rw.w.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(writerOnly{rw.w}, r)
}

// Flush serves code that type-asserts http.Flusher; a writer that cannot
// flush makes it a no-op, as http.Flusher has no way to report that.
func (rw *responseWriter) Flush() {
	_ = rw.FlushError()
}

// FlushError is what http.ResponseController calls, so that a failed flush
// reaches the handler.
func (rw *responseWriter) FlushError() error {
	rw.implicitOK()
	return http.NewResponseController(rw.w).Flush()
}

// Hijack hands the connection over (WebSocket upgrades). From then on the
// request is no longer an HTTP exchange the middleware can time, so latency
// stops at the hijack and a request that sent no status counts as 101.
func (rw *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(rw.w).Hijack()
	if err == nil {
		rw.hijacked = true
		rw.hijackedAt = rw.now()
		if rw.status == 0 {
			rw.status = http.StatusSwitchingProtocols
		}
	}
	return conn, brw, err
}

// Unwrap is for http.ResponseController.
func (rw *responseWriter) Unwrap() http.ResponseWriter { return rw.w }

func (rw *responseWriter) implicitOK() {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
}

// writerOnly hides any ReadFrom method, so that io.Copy does not recurse.
type writerOnly struct{ io.Writer }
