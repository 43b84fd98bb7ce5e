package appmetrics

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// benchWriter is a reusable http.ResponseWriter, so that the benchmark
// measures the middleware rather than httptest.ResponseRecorder.
type benchWriter struct{ h http.Header }

func (w *benchWriter) Header() http.Header         { return w.h }
func (w *benchWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *benchWriter) WriteHeader(int)             {}

// BenchmarkMiddleware compares a ServeMux with and without the middleware;
// the difference is the per-request cost of recording.
func BenchmarkMiddleware(b *testing.B) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.PathValue("id"))
	})
	newRecorded := func(b *testing.B, out io.Writer) http.Handler {
		m, err := New(testConfig(nil), out)
		if err != nil {
			b.Fatal(err)
		}
		return m.Wrap(mux)
	}
	serial := func(h http.Handler) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			w := &benchWriter{h: http.Header{}}
			r := httptest.NewRequest("GET", "/items/42", nil)
			for b.Loop() {
				h.ServeHTTP(w, r)
			}
		}
	}
	parallel := func(h http.Handler) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				w := &benchWriter{h: http.Header{}}
				r := httptest.NewRequest("GET", "/items/42", nil)
				for pb.Next() {
					h.ServeHTTP(w, r)
				}
			})
		}
	}

	b.Run("bare-mux", serial(mux))
	b.Run("recorded-discard", serial(newRecorded(b, io.Discard)))
	b.Run("recorded-discard-parallel", parallel(newRecorded(b, io.Discard)))

	// Through AgentWriter to a local listener that reads and discards, as
	// on an instance: Write only queues, so this is the request-path cost.
	agent := startBenchAgent(b)
	aw, err := DialAgent(context.Background(), agent)
	if err != nil {
		b.Fatal(err)
	}
	defer aw.Close()
	b.Run("recorded-agent-parallel", parallel(newRecorded(b, aw)))
	if s := aw.Stats(); s.Dropped > 0 {
		b.Logf("agent writer dropped %d of %d records (queue full)", s.Dropped, s.Sent+s.Dropped)
	}
}

// startBenchAgent listens on loopback and discards whatever it receives.
func startBenchAgent(b *testing.B) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				io.Copy(io.Discard, conn)
			}()
		}
	}()
	return ln.Addr().String()
}
