package appmetrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// AgentWriter sends records to the CloudWatch agent over TCP, which relays
// them to CloudWatch Logs, where the metrics are extracted. It exists
// because metrics must never cost availability: Write only queues the
// record, a single goroutine does the network I/O, and when the agent is
// down, slow or restarting, records are dropped and counted instead of
// blocking requests or growing memory without bound.
//
// Each record must be one line (the agent splits the stream on '\n'); Write
// adds the newline when it is missing.
type AgentWriter struct {
	addr  string
	opts  agentOptions
	queue chan *[]byte
	bufs  sync.Pool // *[]byte

	mu      sync.RWMutex // guards closed against concurrent Write
	closed  bool
	stop    chan struct{} // closed by Close
	done    chan struct{} // closed when the sender has finished
	unwatch func() bool   // stops watching the context given to DialAgent

	// Owned by the sender goroutine.
	conn     net.Conn
	connDead chan struct{} // closed when the agent closes conn
	readers  sync.WaitGroup
	backoff  time.Duration
	nextDial time.Time
	batch    []byte

	sent, dropped, connects atomic.Uint64
}

// AgentStats says how delivery to the agent is going, for the application's
// own health reporting.
type AgentStats struct {
	// Sent is how many records reached the socket (not necessarily the
	// agent, which acknowledges nothing).
	Sent uint64
	// Dropped is how many records were discarded: queue full, agent down,
	// or a write that failed twice.
	Dropped uint64
	// Connects is how many connections were opened; more than one means
	// the agent went away at least once.
	Connects uint64
}

var (
	// ErrAgentClosed is returned by Write after Close, or after the
	// context given to DialAgent ended.
	ErrAgentClosed = errors.New("appmetrics: agent writer closed")
	// ErrRecordDropped is returned by Write when the queue is full because
	// the agent is not keeping up; the record is counted in Dropped.
	ErrRecordDropped = errors.New("appmetrics: agent queue full, record dropped")
)

// AgentOption tunes an AgentWriter; the defaults suit an agent on loopback.
type AgentOption func(*agentOptions)

type agentOptions struct {
	queueSize    int
	minBackoff   time.Duration
	maxBackoff   time.Duration
	dialTimeout  time.Duration
	writeTimeout time.Duration
	drainTimeout time.Duration
}

func defaultAgentOptions() agentOptions {
	return agentOptions{
		queueSize:    4096, // a few seconds of a busy instance, a few MB at most
		minBackoff:   100 * time.Millisecond,
		maxBackoff:   10 * time.Second,
		dialTimeout:  time.Second,
		writeTimeout: time.Second,
		drainTimeout: 2 * time.Second,
	}
}

// WithQueueSize sets how many records may wait for the sender before Write
// drops them.
func WithQueueSize(n int) AgentOption {
	return func(o *agentOptions) { o.queueSize = n }
}

// WithBackoff sets the wait between reconnection attempts while the agent is
// unreachable: min after the first failure, doubling up to max. Records
// arriving meanwhile are dropped.
func WithBackoff(minWait, maxWait time.Duration) AgentOption {
	return func(o *agentOptions) { o.minBackoff, o.maxBackoff = minWait, maxWait }
}

// WithTimeouts bounds connecting, each write, and the flush of queued
// records on Close.
func WithTimeouts(dial, write, drain time.Duration) AgentOption {
	return func(o *agentOptions) { o.dialTimeout, o.writeTimeout, o.drainTimeout = dial, write, drain }
}

// maxBatch is how many bytes of queued records one socket write carries.
const maxBatch = 64 << 10

// DialAgent returns a writer sending records to the agent at addr (host:port,
// normally DefaultAgentAddress). It does not wait for the agent: the agent
// may start after the application, so connecting happens in the background
// and is retried. It fails only for a malformed address or options. The
// writer stops when ctx ends or Close is called, whichever comes first.
func DialAgent(ctx context.Context, addr string, opts ...AgentOption) (*AgentWriter, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("appmetrics: agent address: %w", err)
	}
	o := defaultAgentOptions()
	for _, opt := range opts {
		opt(&o)
	}
	if o.queueSize < 1 || o.minBackoff <= 0 || o.maxBackoff < o.minBackoff ||
		o.dialTimeout <= 0 || o.writeTimeout <= 0 || o.drainTimeout <= 0 {
		return nil, fmt.Errorf("appmetrics: agent options: queue size, timeouts and backoff must be positive, min backoff at most max")
	}
	a := &AgentWriter{
		addr:    addr,
		opts:    o,
		queue:   make(chan *[]byte, o.queueSize),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
		backoff: o.minBackoff,
	}
	a.bufs.New = func() any { b := make([]byte, 0, 1024); return &b }
	a.unwatch = context.AfterFunc(ctx, func() { _ = a.Close() })
	go a.run()
	return a, nil
}

// Write queues one record and never blocks on the network. It copies p, as
// io.Writer requires.
func (a *AgentWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	bp := a.bufs.Get().(*[]byte)
	b := append((*bp)[:0], p...)
	if b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	*bp = b

	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.closed {
		a.bufs.Put(bp)
		return 0, ErrAgentClosed
	}
	select {
	case a.queue <- bp:
		return len(p), nil
	default:
		a.bufs.Put(bp)
		a.dropped.Add(1)
		return 0, ErrRecordDropped
	}
}

// Close stops accepting records, sends those already queued (for at most
// the drain timeout), closes the connection and waits for its goroutines.
func (a *AgentWriter) Close() error {
	a.mu.Lock()
	if !a.closed {
		a.closed = true
		close(a.stop)
	}
	a.mu.Unlock()
	<-a.done
	return nil
}

// Stats returns the delivery counters.
func (a *AgentWriter) Stats() AgentStats {
	return AgentStats{Sent: a.sent.Load(), Dropped: a.dropped.Load(), Connects: a.connects.Load()}
}

// run is the sender goroutine: the only one touching the connection.
func (a *AgentWriter) run() {
	defer close(a.done)
	defer a.unwatch()
	defer a.readers.Wait()
	defer a.closeConn()
	for {
		select {
		case <-a.stop:
			a.drain()
			return
		case bp := <-a.queue:
			n := a.collect(bp)
			a.send(n, time.Now().Add(a.opts.writeTimeout))
		}
	}
}

// drain sends what was queued before Close, all writes sharing one
// deadline so that Close is bounded however much was queued.
func (a *AgentWriter) drain() {
	deadline := time.Now().Add(a.opts.drainTimeout)
	for {
		select {
		case bp := <-a.queue:
			n := a.collect(bp)
			a.send(n, deadline)
		default:
			return
		}
	}
}

// collect puts first and whatever else is already queued, up to maxBatch
// bytes, into a.batch, so a busy server makes one syscall per batch rather
// than per request. It returns the number of records.
func (a *AgentWriter) collect(first *[]byte) int {
	a.batch = append(a.batch[:0], *first...)
	a.bufs.Put(first)
	n := 1
	for len(a.batch) < maxBatch {
		select {
		case bp := <-a.queue:
			a.batch = append(a.batch, *bp...)
			a.bufs.Put(bp)
			n++
		default:
			return n
		}
	}
	return n
}

// send writes the batch of n records, reconnecting if needed. A failed
// write is retried once on a fresh connection, since the usual cause is an
// agent restart; a retried batch may reach the agent twice in part, and the
// agent ignores the partial line.
func (a *AgentWriter) send(n int, deadline time.Time) {
	for attempt := 0; attempt < 2; attempt++ {
		if !a.connect() {
			break
		}
		_ = a.conn.SetWriteDeadline(deadline)
		if _, err := a.conn.Write(a.batch); err == nil {
			a.sent.Add(uint64(n))
			a.backoff = a.opts.minBackoff
			return
		}
		a.closeConn()
	}
	a.dropped.Add(uint64(n))
}

// connect makes sure there is a live connection, dialing unless a recent
// failure says to wait. It reports whether there is one.
func (a *AgentWriter) connect() bool {
	if a.conn != nil {
		select {
		case <-a.connDead:
			a.closeConn()
		default:
			return true
		}
	}
	now := time.Now()
	if now.Before(a.nextDial) {
		return false
	}
	d := net.Dialer{Timeout: a.opts.dialTimeout}
	conn, err := d.Dial("tcp", a.addr)
	if err != nil {
		a.nextDial = now.Add(a.backoff)
		a.backoff = min(2*a.backoff, a.opts.maxBackoff)
		return false
	}
	a.connects.Add(1)
	a.conn = conn
	a.connDead = make(chan struct{})
	// The agent never sends anything; a read returning means it closed the
	// connection, which a write would only notice one record too late.
	a.readers.Add(1)
	go func(c net.Conn, dead chan struct{}) {
		defer a.readers.Done()
		_, _ = io.Copy(io.Discard, c)
		close(dead)
	}(conn, a.connDead)
	return true
}

func (a *AgentWriter) closeConn() {
	if a.conn != nil {
		_ = a.conn.Close()
		a.conn = nil
	}
}
