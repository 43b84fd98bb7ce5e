package appmetrics

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// chanSink hands each record to the test as it is written, since over a
// real connection the client may see the response before the record exists.
type chanSink chan []byte

func (c chanSink) Write(p []byte) (int, error) {
	c <- bytes.Clone(p)
	return len(p), nil
}

func (c chanSink) next(t *testing.T) map[string]any {
	t.Helper()
	select {
	case line := <-c:
		rec, err := checkEMF(line)
		if err != nil {
			t.Fatalf("invalid EMF record: %v\n%s", err, line)
		}
		return rec
	case <-time.After(5 * time.Second):
		t.Fatal("no record within 5s")
		return nil
	}
}

// get fetches path from srv and returns the status and body.
func get(t *testing.T, srv *httptest.Server, path string) (int, string) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// TestResponseWriterCapabilities runs real connections through the
// middleware: what handlers do with the optional interfaces of the server's
// writer must still work behind it.
func TestResponseWriterCapabilities(t *testing.T) {
	const step = time.Millisecond
	tests := []struct {
		name    string
		handler func(t *testing.T, clock *stepClock) http.HandlerFunc
		client  func(t *testing.T, srv *httptest.Server)
		status  int
		latency time.Duration
	}{
		{
			name: "http.Flusher streams",
			handler: func(t *testing.T, _ *stepClock) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					f, ok := w.(http.Flusher)
					if !ok {
						t.Error("writer is not an http.Flusher")
						return
					}
					io.WriteString(w, "first|")
					f.Flush()
					// The client must read "first|" before the handler
					// returns, or Flush did nothing.
					select {
					case <-r.Context().Done():
					case <-time.After(5 * time.Second):
					}
				}
			},
			client: func(t *testing.T, srv *httptest.Server) {
				ctx, cancel := contextWithTimeout(5 * time.Second)
				defer cancel()
				req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/", nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				buf := make([]byte, len("first|"))
				if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first|" {
					t.Errorf("streamed body = %q, %v; want \"first|\" before the handler returned", buf, err)
				}
				cancel() // lets the handler return
				resp.Body.Close()
			},
			status: 200, latency: step,
		},
		{
			name: "http.ResponseController reaches the server's writer",
			handler: func(t *testing.T, _ *stepClock) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					rc := http.NewResponseController(w)
					for name, err := range map[string]error{
						"SetReadDeadline":  rc.SetReadDeadline(time.Now().Add(5 * time.Second)),
						"SetWriteDeadline": rc.SetWriteDeadline(time.Now().Add(5 * time.Second)),
						"EnableFullDuplex": rc.EnableFullDuplex(),
						"Flush":            rc.Flush(),
					} {
						if err != nil {
							t.Errorf("ResponseController.%s: %v", name, err)
						}
					}
					io.WriteString(w, "ok")
				}
			},
			client: func(t *testing.T, srv *httptest.Server) {
				if code, body := get(t, srv, "/"); code != 200 || body != "ok" {
					t.Errorf("response = %d %q, want 200 \"ok\"", code, body)
				}
			},
			status: 200, latency: step,
		},
		{
			name: "io.Copy goes through io.ReaderFrom",
			handler: func(t *testing.T, _ *stepClock) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if _, ok := w.(io.ReaderFrom); !ok {
						t.Error("writer is not an io.ReaderFrom")
					}
					if _, err := io.Copy(w, strings.NewReader("copied")); err != nil {
						t.Error(err)
					}
				}
			},
			client: func(t *testing.T, srv *httptest.Server) {
				if code, body := get(t, srv, "/"); code != 200 || body != "copied" {
					t.Errorf("response = %d %q, want 200 \"copied\"", code, body)
				}
			},
			status: 200, latency: step,
		},
		{
			name: "1xx informational then final status",
			handler: func(t *testing.T, _ *stepClock) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Link", "</app.css>; rel=preload")
					w.WriteHeader(http.StatusEarlyHints)
					w.WriteHeader(http.StatusNoContent)
				}
			},
			client: func(t *testing.T, srv *httptest.Server) {
				if code, _ := get(t, srv, "/"); code != 204 {
					t.Errorf("status = %d, want 204", code)
				}
			},
			status: 204, latency: step,
		},
		{
			name: "hijack: latency stops at the hijack, no status is 101",
			handler: func(t *testing.T, clock *stepClock) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					conn, brw, err := http.NewResponseController(w).Hijack()
					if err != nil {
						t.Error(err)
						return
					}
					defer conn.Close()
					clock.Now() // time passes on the hijacked connection
					clock.Now()
					brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n")
					brw.Flush()
				}
			},
			client: func(t *testing.T, srv *httptest.Server) {
				conn, err := net.DialTimeout("tcp", srv.Listener.Addr().String(), 5*time.Second)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(5 * time.Second))
				fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: test\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n")
				line, err := bufio.NewReader(conn).ReadString('\n')
				if err != nil || !strings.HasPrefix(line, "HTTP/1.1 101") {
					t.Errorf("status line = %q, %v; want HTTP/1.1 101", line, err)
				}
			},
			status: 101, latency: step,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newStepClock(step)
			sink := make(chanSink, 4)
			m, err := New(testConfig(clock.Now), sink)
			if err != nil {
				t.Fatal(err)
			}
			mux := http.NewServeMux()
			mux.Handle("/", tt.handler(t, clock))
			srv := httptest.NewServer(m.Wrap(mux))
			defer srv.Close()

			tt.client(t, srv)
			rec := sink.next(t)
			if got := num(t, rec, PropertyStatusCode); got != float64(tt.status) {
				t.Errorf("StatusCode = %v, want %d", got, tt.status)
			}
			if got := rec[DimStatusClass]; got != statusClass(tt.status) {
				t.Errorf("StatusClass = %v, want %s", got, statusClass(tt.status))
			}
			wantMs := float64(tt.latency.Microseconds()) / 1000
			if got := num(t, rec, MetricLatency); got != wantMs {
				t.Errorf("Latency = %v ms, want %v", got, wantMs)
			}
		})
	}
}
