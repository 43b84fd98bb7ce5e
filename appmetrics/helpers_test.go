package appmetrics

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"
)

// epoch is the fake clock's first reading.
var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// stepClock advances by step on every reading, so that a request whose
// start and end are read once each lasts exactly step.
type stepClock struct {
	mu   sync.Mutex
	next time.Time
	step time.Duration
}

func newStepClock(step time.Duration) *stepClock { return &stepClock{next: epoch, step: step} }

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.next
	c.next = c.next.Add(c.step)
	return t
}

// testConfig is a valid Config on the fake clock.
func testConfig(clock func() time.Time) Config {
	return Config{
		Namespace:   DefaultNamespace,
		Service:     "storefront",
		Environment: "production",
		LogGroup:    "/phasec/storefront-production/metrics",
		Now:         clock,
	}
}

// lineSink collects what the middleware writes. It is deliberately not safe
// for concurrent use beyond its own lock per Write, and records how many
// Write calls it saw, so tests can check one call per record.
type lineSink struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
}

func (s *lineSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	return s.buf.Write(p)
}

// records validates every line as EMF and returns them decoded.
func (s *lineSink) records(t *testing.T) []map[string]any {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	data := s.buf.Bytes()
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Errorf("output does not end in a newline: %q", data)
	}
	for _, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		rec, err := checkEMF(line)
		if err != nil {
			t.Fatalf("invalid EMF record: %v\n%s", err, line)
		}
		out = append(out, rec)
	}
	if len(out) != s.writes {
		t.Errorf("%d records in %d Write calls, want one call per record", len(out), s.writes)
	}
	return out
}

// num returns a numeric member of a decoded record as float64.
func num(t *testing.T, rec map[string]any, key string) float64 {
	t.Helper()
	n, ok := rec[key].(json.Number)
	if !ok {
		t.Fatalf("member %q = %#v, want a number", key, rec[key])
	}
	f, err := n.Float64()
	if err != nil {
		t.Fatalf("member %q: %v", key, err)
	}
	return f
}

// contextWithTimeout bounds a test's network calls.
func contextWithTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}
