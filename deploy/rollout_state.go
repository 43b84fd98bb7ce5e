package deploy

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// rolloutTag is the stack tag that holds a rollout's lock. A rollout's
// whole state lives on the stack, so that any machine can read it with
// DescribeStacks: the tag says that a rollout runs, towards which colour,
// who started it and when; the parameters say how far it got (the new
// colour's release and size, the listener's weights, LiveColour).
//
// The tag changes twice per rollout, when it starts and when it ends,
// because CloudFormation propagates stack tags to every resource: the
// steps in between change parameters only.
const rolloutTag = "phasec:rollout"

// rolloutLock is the decoded rolloutTag: "to=green by=alice@laptop
// since=2026-01-01T00:00:00Z id=3f9a0c1e".
type rolloutLock struct {
	To    colour
	By    string
	Since time.Time
	ID    string
}

// String is the tag value. Tag values allow letters, digits, spaces and
// _ . : / = + - @ only, which sanitizeTagValue enforces on By.
func (l rolloutLock) String() string {
	return fmt.Sprintf("to=%s by=%s since=%s id=%s", l.To, sanitizeTagValue(l.By), l.Since.UTC().Format(time.RFC3339), l.ID)
}

// parseLock decodes a rolloutTag value; a value it cannot read is still
// a lock (someone holds the stack), with what could be read.
func parseLock(v string) *rolloutLock {
	l := &rolloutLock{}
	for _, f := range strings.Fields(v) {
		k, val, _ := strings.Cut(f, "=")
		switch k {
		case "to":
			l.To = colour(val)
		case "by":
			l.By = val
		case "since":
			l.Since, _ = time.Parse(time.RFC3339, val)
		case "id":
			l.ID = val
		}
	}
	if l.By == "" {
		l.By = "unknown"
	}
	return l
}

// holder says who holds the lock and since when, for messages.
func (l *rolloutLock) holder() string {
	if l.Since.IsZero() {
		return l.By
	}
	return fmt.Sprintf("%s since %s", l.By, l.Since.UTC().Format(time.RFC3339))
}

// newLockID is a short random ID that tells this run's lock from any
// other's, even by the same user.
func newLockID() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// sanitizeTagValue keeps the characters AWS allows in tag values and cuts
// the value short enough for the tag's 256 characters.
func sanitizeTagValue(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("_.:/+-@", r):
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	out := b.String()
	if len(out) > 120 {
		out = out[:120]
	}
	if out == "" {
		out = "unknown"
	}
	return out
}

// bgStack is a deployed blue-green stack, read from DescribeStacks alone.
type bgStack struct {
	name    string
	status  string
	params  map[string]string
	tags    map[string]string
	outputs map[string]string
	caps    []types.Capability
	live    colour
	lock    *rolloutLock // nil when no rollout holds the stack
}

// readBlueGreen decodes a described stack; it fails for a stack that is
// not blue-green.
func readBlueGreen(st *types.Stack) (*bgStack, error) {
	b := &bgStack{name: deref(st.StackName), status: string(st.StackStatus),
		params: map[string]string{}, tags: map[string]string{}, outputs: map[string]string{}, caps: st.Capabilities}
	for _, p := range st.Parameters {
		b.params[deref(p.ParameterKey)] = deref(p.ParameterValue)
	}
	for _, t := range st.Tags {
		b.tags[deref(t.Key)] = deref(t.Value)
	}
	for _, o := range st.Outputs {
		b.outputs[deref(o.OutputKey)] = deref(o.OutputValue)
	}
	if !isBlueGreenDeployed(b.params) {
		return nil, fmt.Errorf("the stack is not blue-green: it has no LiveColour parameter of blue or green")
	}
	b.live = colour(b.params[paramLiveColour])
	if v, ok := b.tags[rolloutTag]; ok {
		b.lock = parseLock(v)
		if b.lock.To != blue && b.lock.To != green {
			b.lock.To = b.live.other()
		}
	}
	return b, nil
}

// number reads a numeric parameter; missing or malformed counts as 0.
func (b *bgStack) number(name string) int {
	n, _ := strconv.Atoi(b.params[name])
	return n
}

func (b *bgStack) minSize(c colour) int { return b.number(c.param(paramMinSize)) }
func (b *bgStack) maxSize(c colour) int { return b.number(c.param(paramMaxSize)) }
func (b *bgStack) weight(c colour) int  { return b.number(c.param(paramWeight)) }

// share is the percentage of traffic the listener sends to c.
func (b *bgStack) share(c colour) int {
	total := b.weight(c) + b.weight(c.other())
	if total == 0 {
		return 0
	}
	return b.weight(c) * 100 / total
}

// release is what c runs.
func (b *bgStack) release(c colour) Release { return releaseOf(b.params, c) }

// inProgress reports whether CloudFormation is working on the stack.
func (b *bgStack) inProgress() bool { return strings.HasSuffix(b.status, "_IN_PROGRESS") }

// weights is "blue 90 / green 10", always blue first so that lines of one
// rollout line up.
func (b *bgStack) weights() string {
	return fmt.Sprintf("blue %d / green %d", b.weight(blue), b.weight(green))
}

// phase says in words how far the rollout towards c got.
func (b *bgStack) phase(c colour, steps []int) string {
	share := b.share(c)
	switch {
	case b.live == c:
		return c.String() + " is live"
	case b.minSize(c) == 0:
		return c.String() + " not started"
	case share == 0:
		return c.String() + " up, no traffic yet"
	}
	for i, s := range steps {
		if s == share {
			return fmt.Sprintf("step %d/%d: %d%% on %s", i+1, len(steps), share, c)
		}
	}
	return fmt.Sprintf("%d%% on %s", share, c)
}

// String makes a colour printable with %s without conversion noise.
func (c colour) String() string { return string(c) }
