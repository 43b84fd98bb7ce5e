package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phasec/phasec/appmetrics"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRoutes(t *testing.T) {
	tests := []struct {
		target     string
		random     float64
		wantStatus int
		wantRoute  string
		wantClass  string
	}{
		{"/health", 0.5, 200, "GET /health", appmetrics.StatusClass2xx},
		{"/items/42", 0.5, 200, "GET /items/{id}", appmetrics.StatusClass2xx},
		{"/work", 0.0, 200, "GET /work", appmetrics.StatusClass2xx},
		{"/work?fail_rate=0.3", 0.29, 500, "GET /work", appmetrics.StatusClass5xx},
		{"/work?fail_rate=0.3", 0.3, 200, "GET /work", appmetrics.StatusClass2xx},
		{"/work?fail_rate=1", 0.99, 500, "GET /work", appmetrics.StatusClass5xx},
		{"/work?fail_rate=lots", 0.5, 400, "GET /work", appmetrics.StatusClass4xx},
		{"/work?fail_rate=NaN", 0.5, 400, "GET /work", appmetrics.StatusClass4xx},
		{"/work?delay_ms=-1", 0.5, 400, "GET /work", appmetrics.StatusClass4xx},
		{"/work?delay_ms=1", 0.5, 200, "GET /work", appmetrics.StatusClass2xx},
		{"/nope", 0.5, 404, appmetrics.RouteUnmatched, appmetrics.StatusClass4xx},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			var out bytes.Buffer
			m, err := appmetrics.New(appmetrics.Config{Service: "example", Environment: "test"}, &out)
			if err != nil {
				t.Fatal(err)
			}
			w := httptest.NewRecorder()
			m.Wrap(newMux(func() float64 { return tt.random })).ServeHTTP(w, httptest.NewRequest("GET", tt.target, nil))
			if w.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			var rec map[string]any
			if err := json.Unmarshal(out.Bytes(), &rec); err != nil {
				t.Fatalf("record: %v\n%s", err, out.Bytes())
			}
			if rec[appmetrics.DimRoute] != tt.wantRoute || rec[appmetrics.DimStatusClass] != tt.wantClass {
				t.Errorf("route, class = %v, %v; want %s, %s", rec[appmetrics.DimRoute], rec[appmetrics.DimStatusClass], tt.wantRoute, tt.wantClass)
			}
		})
	}
}

func TestRunRejects(t *testing.T) {
	env := map[string]string{appmetrics.EnvService: "example", appmetrics.EnvEnvironment: "test"}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"unknown emf", []string{"-emf", "file"}, env, `-emf "file"`},
		{"no service", nil, map[string]string{appmetrics.EnvEnvironment: "test"}, appmetrics.EnvService},
		{"bad flag", []string{"-bogus"}, env, "flag provided but not defined"},
		{"stray argument", []string{"serve"}, env, "unexpected arguments"},
		{"bad agent address", []string{"-emf", "agent", "-agent-addr", "nowhere"}, env, "agent address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr syncBuffer
			code := run(context.Background(), tt.args, func(k string) string { return tt.env[k] }, &stdout, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("run = %d, stderr %q; want 2 and %q", code, stderr.String(), tt.wantErr)
			}
		})
	}
}

// freeAddr returns a loopback address with nothing listening on it.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startAgent listens like the CloudWatch agent and collects what arrives.
func startAgent(t *testing.T) (string, *syncBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var got syncBuffer
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer conn.Close()
				io.Copy(&got, conn)
			})
		}
	})
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return ln.Addr().String(), &got
}

// TestRunServesUntilCancelled runs the whole program on a free loopback
// port: a request is served and recorded, and cancelling shuts it down.
func TestRunServesUntilCancelled(t *testing.T) {
	agentAddr, agentGot := startAgent(t)
	tests := []struct {
		emf        string
		agentAddr  string
		wantStdout string
		wantStderr string
		wantAgent  string
	}{
		{emf: "stdout", agentAddr: agentAddr, wantStdout: `"Route":"GET /health"`},
		{emf: "agent", agentAddr: agentAddr, wantStderr: "1 records sent, 0 dropped, 1 connections", wantAgent: `"Route":"GET /health"`},
		{emf: "agent", agentAddr: freeAddr(t), wantStderr: "0 records sent, 1 dropped, 0 connections"},
	}
	for _, tt := range tests {
		t.Run(tt.emf+" "+tt.wantStderr, func(t *testing.T) {
			addr := freeAddr(t)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var stdout, stderr syncBuffer
			env := map[string]string{appmetrics.EnvService: "example", appmetrics.EnvEnvironment: "test"}
			args := []string{"-addr", addr, "-emf", tt.emf, "-agent-addr", tt.agentAddr}
			done := make(chan int, 1)
			go func() { done <- run(ctx, args, func(k string) string { return env[k] }, &stdout, &stderr) }()

			client := &http.Client{Timeout: 2 * time.Second}
			var resp *http.Response
			var err error
			deadline := time.Now().Add(5 * time.Second)
			for {
				resp, err = client.Get("http://" + addr + "/health")
				if err == nil || time.Now().After(deadline) {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			if err != nil {
				t.Fatalf("server never answered: %v; stderr:\n%s", err, stderr.String())
			}
			resp.Body.Close()
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("run = %d, want 0; stderr:\n%s", code, stderr.String())
				}
			case <-time.After(15 * time.Second):
				t.Fatal("run did not return after cancel")
			}
			for _, c := range []struct{ name, got, want string }{
				{"stdout", stdout.String(), tt.wantStdout},
				{"stderr", stderr.String(), tt.wantStderr},
			} {
				if !strings.Contains(c.got, c.want) {
					t.Errorf("%s does not contain %q:\n%s", c.name, c.want, c.got)
				}
			}
			if tt.wantAgent != "" {
				deadline := time.Now().Add(5 * time.Second)
				for !strings.Contains(agentGot.String(), tt.wantAgent) {
					if time.Now().After(deadline) {
						t.Fatalf("agent never received %q; got:\n%s", tt.wantAgent, agentGot.String())
					}
					time.Sleep(10 * time.Millisecond)
				}
			}
		})
	}
}
