package appmetrics

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAgent is a CloudWatch agent's EMF listener on loopback: it accepts
// connections and reports every line received, with the index of the
// connection it came on. It stops itself when the test ends.
type fakeAgent struct {
	ln    net.Listener
	lines chan agentLine
	read  bool // false: accept but never read, like a stuck agent

	mu    sync.Mutex
	conns []net.Conn
	wg    sync.WaitGroup
}

type agentLine struct {
	conn int
	text string
}

func startAgent(t *testing.T, addr string, read bool) *fakeAgent {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	a := &fakeAgent{ln: ln, lines: make(chan agentLine, 10000), read: read}
	a.wg.Go(a.accept)
	t.Cleanup(a.stop)
	return a
}

func (a *fakeAgent) addr() string { return a.ln.Addr().String() }

func (a *fakeAgent) accept() {
	for {
		conn, err := a.ln.Accept()
		if err != nil {
			return
		}
		a.mu.Lock()
		idx := len(a.conns)
		a.conns = append(a.conns, conn)
		a.mu.Unlock()
		if !a.read {
			continue
		}
		a.wg.Go(func() {
			sc := bufio.NewScanner(conn)
			sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
			for sc.Scan() {
				select {
				case a.lines <- agentLine{idx, sc.Text()}:
				default: // the test stopped listening
				}
			}
		})
	}
}

// dropConnections closes the agent's side of every connection, as an agent
// restart does.
func (a *fakeAgent) dropConnections() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range a.conns {
		c.Close()
	}
}

func (a *fakeAgent) stop() {
	a.ln.Close()
	a.dropConnections()
	a.wg.Wait()
}

// next returns the next line received, failing the test after 5s.
func (a *fakeAgent) next(t *testing.T) agentLine {
	t.Helper()
	select {
	case l := <-a.lines:
		return l
	case <-time.After(5 * time.Second):
		t.Fatal("agent received nothing within 5s")
		return agentLine{}
	}
}

// dialTestAgent is DialAgent with short waits, closed when the test ends.
func dialTestAgent(t *testing.T, addr string, opts ...AgentOption) *AgentWriter {
	t.Helper()
	opts = append([]AgentOption{
		WithBackoff(10*time.Millisecond, 40*time.Millisecond),
		WithTimeouts(time.Second, 2*time.Second, time.Second),
	}, opts...)
	w, err := DialAgent(context.Background(), addr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// eventually polls cond for up to 5s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 5s: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// freeAddr returns a loopback address with nothing listening on it.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestAgentWriterDeliversWholeLinesInOrder(t *testing.T) {
	agent := startAgent(t, "127.0.0.1:0", true)
	w := dialTestAgent(t, agent.addr())
	const n = 200
	for i := range n {
		rec := fmt.Sprintf(`{"i":%d}`, i)
		if i%2 == 0 {
			rec += "\n" // Write adds the newline only when missing
		}
		if _, err := w.Write([]byte(rec)); err != nil {
			t.Fatalf("Write %d: %v", i, err)
		}
	}
	if err := w.Close(); err != nil { // Close sends what is queued
		t.Fatal(err)
	}
	for i := range n {
		l := agent.next(t)
		if want := fmt.Sprintf(`{"i":%d}`, i); l.text != want || l.conn != 0 {
			t.Fatalf("line %d = %q on connection %d, want %q on 0", i, l.text, l.conn, want)
		}
	}
	if got, want := w.Stats(), (AgentStats{Sent: n, Dropped: 0, Connects: 1}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
	if _, err := w.Write([]byte("late\n")); !errors.Is(err, ErrAgentClosed) {
		t.Errorf("Write after Close = %v, want ErrAgentClosed", err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

// The agent may start after the application, stop, or restart: records are
// dropped and counted meanwhile, Write never waits, and delivery resumes.
func TestAgentWriterAgentDownThenUp(t *testing.T) {
	addr := freeAddr(t)
	w := dialTestAgent(t, addr)
	const down = 50
	for i := range down {
		start := time.Now()
		w.Write([]byte("while down\n"))
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Fatalf("Write %d took %v with the agent down; it must not block", i, d)
		}
	}
	eventually(t, "records dropped while the agent is down", func() bool { return w.Stats().Dropped == down })
	if s := w.Stats(); s.Sent != 0 || s.Connects != 0 {
		t.Fatalf("Stats() = %+v with no agent, want nothing sent or connected", s)
	}

	agent := startAgent(t, addr, true)
	written := down
	got := make(chan agentLine, 1)
	go func() { got <- agent.next(t) }()
	// Keep writing until one arrives: until the backoff expires, records
	// are still dropped.
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	var line agentLine
wait:
	for {
		select {
		case line = <-got:
			break wait
		case <-tick.C:
			w.Write([]byte("after restart\n"))
			written++
		}
	}
	if line.text != "after restart" {
		t.Errorf("agent received %q, want \"after restart\"", line.text)
	}
	w.Close()
	s := w.Stats()
	if s.Connects != 1 {
		t.Errorf("Connects = %d, want 1", s.Connects)
	}
	if s.Sent+s.Dropped != uint64(written) {
		t.Errorf("Sent %d + Dropped %d != %d written: records unaccounted for", s.Sent, s.Dropped, written)
	}
}

func TestAgentWriterReconnectsAfterAgentRestart(t *testing.T) {
	agent := startAgent(t, "127.0.0.1:0", true)
	w := dialTestAgent(t, agent.addr())
	w.Write([]byte("first\n"))
	if l := agent.next(t); l.text != "first" || l.conn != 0 {
		t.Fatalf("got %+v, want \"first\" on connection 0", l)
	}
	agent.dropConnections()
	// Requests rarely follow a restart within microseconds; by the next
	// one the writer must have noticed the close. A write into the closed
	// socket would succeed locally and lose the record.
	time.Sleep(100 * time.Millisecond)

	w.Write([]byte("second\n"))
	if l := agent.next(t); l.text != "second" || l.conn != 1 {
		t.Fatalf("got %+v, want \"second\" on connection 1", l)
	}
	w.Close()
	if got, want := w.Stats(), (AgentStats{Sent: 2, Dropped: 0, Connects: 2}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

// When the sender cannot keep up (here an agent that accepts but never
// reads), the queue fills and Write drops rather than blocking the request.
func TestAgentWriterQueueFullDrops(t *testing.T) {
	agent := startAgent(t, "127.0.0.1:0", false)
	w := dialTestAgent(t, agent.addr(), WithQueueSize(8), WithTimeouts(time.Second, 30*time.Second, 200*time.Millisecond))
	rec := []byte(strings.Repeat("x", 1000) + "\n")
	var slowest time.Duration
	dropped := false
	deadline := time.Now().Add(10 * time.Second)
	for !dropped && time.Now().Before(deadline) {
		start := time.Now()
		_, err := w.Write(rec)
		slowest = max(slowest, time.Since(start))
		switch {
		case errors.Is(err, ErrRecordDropped):
			dropped = true
		case err != nil:
			t.Fatalf("Write: %v", err)
		}
	}
	if !dropped {
		t.Fatal("Write never reported a full queue")
	}
	if got := w.Stats().Dropped; got == 0 {
		t.Error("Stats().Dropped = 0 right after Write reported a drop")
	}
	if slowest > 100*time.Millisecond {
		t.Errorf("slowest Write took %v; it must not wait for the agent", slowest)
	}
	agent.stop() // unblocks the sender
	start := time.Now()
	w.Close()
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Close took %v, want it bounded by the drain timeout", d)
	}
}

func TestAgentWriterStopsWithContext(t *testing.T) {
	agent := startAgent(t, "127.0.0.1:0", true)
	ctx, cancel := context.WithCancel(context.Background())
	w, err := DialAgent(ctx, agent.addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if _, err := w.Write([]byte("before\n")); err != nil {
		t.Fatal(err)
	}
	cancel()
	eventually(t, "Write fails once the context is done", func() bool {
		_, err := w.Write([]byte("after\n"))
		return errors.Is(err, ErrAgentClosed)
	})
	if l := agent.next(t); l.text != "before" {
		t.Errorf("agent received %q, want the record queued before cancel", l.text)
	}
}

func TestDialAgentRejects(t *testing.T) {
	tests := []struct {
		name string
		addr string
		opts []AgentOption
	}{
		{"no port", "127.0.0.1", nil},
		{"URL instead of host:port", "tcp://127.0.0.1:25888/x", nil},
		{"empty queue", DefaultAgentAddress, []AgentOption{WithQueueSize(0)}},
		{"backoff min above max", DefaultAgentAddress, []AgentOption{WithBackoff(time.Second, time.Millisecond)}},
		{"zero timeout", DefaultAgentAddress, []AgentOption{WithTimeouts(0, time.Second, time.Second)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := DialAgent(context.Background(), tt.addr, tt.opts...)
			if err == nil {
				w.Close()
				t.Fatalf("DialAgent(%q) succeeded, want an error", tt.addr)
			}
		})
	}
}

// TestMiddlewareToAgent is the path on an instance: request, record, agent.
func TestMiddlewareToAgent(t *testing.T) {
	agent := startAgent(t, "127.0.0.1:0", true)
	w := dialTestAgent(t, agent.addr())
	m, err := New(testConfig(nil), w)
	if err != nil {
		t.Fatal(err)
	}
	m.Wrap(testMux()).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/items/9", nil))
	rec, err := checkEMF([]byte(agent.next(t).text))
	if err != nil {
		t.Fatal(err)
	}
	if got := rec["_aws"].(map[string]any)["LogGroupName"]; got != "/phasec/storefront-production/metrics" {
		t.Errorf("LogGroupName = %v; the agent needs it to pick the log group", got)
	}
	if rec[DimRoute] != "GET /items/{id}" {
		t.Errorf("Route = %v, want GET /items/{id}", rec[DimRoute])
	}
}
