package deploy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// stackResourceType is the ResourceType of a stack's own events.
const stackResourceType = "AWS::CloudFormation::Stack"

// Event is one stack event, as phasec shows it.
type Event struct {
	Time      time.Time `json:"time"`
	Stack     string    `json:"stack"`
	LogicalID string    `json:"logicalId"`
	Type      string    `json:"type"`
	Status    string    `json:"status"`
	Reason    string    `json:"reason,omitempty"`
}

func eventOf(stack string, e types.StackEvent) Event {
	ev := Event{Stack: stack, LogicalID: deref(e.LogicalResourceId), Type: deref(e.ResourceType),
		Status: string(e.ResourceStatus), Reason: deref(e.ResourceStatusReason)}
	if e.Timestamp != nil {
		ev.Time = e.Timestamp.UTC()
	}
	return ev
}

// Line is the event as one line of a CI log: time, stack, logical ID,
// type, status and reason, separated by two spaces.
func (e Event) Line() string {
	line := strings.Join([]string{e.Time.Format(time.RFC3339), e.Stack, e.LogicalID, e.Type, e.Status}, "  ")
	if e.Reason != "" {
		line += "  " + e.Reason
	}
	return line
}

// watcher follows one stack's events from a marker on.
type watcher struct {
	d      *Deployer
	c      *clients
	stack  string
	marker string // newest event already shown; "" shows all
	seen   map[string]bool
	events []types.StackEvent // shown so far, oldest first
	total  int                // resources the change touches, for progress
	done   map[string]bool
}

func (d *Deployer) newWatcher(c *clients, stack, marker string, total int) *watcher {
	return &watcher{d: d, c: c, stack: stack, marker: marker, seen: map[string]bool{}, total: total, done: map[string]bool{}}
}

// run streams events until the stack's own event says the operation
// ended, and returns that status.
func (w *watcher) run(ctx context.Context) (string, error) {
	for {
		fresh, err := w.poll(ctx)
		if err != nil {
			return "", err
		}
		final := ""
		for _, e := range fresh {
			w.show(e)
			if deref(e.LogicalResourceId) == w.stack && deref(e.ResourceType) == stackResourceType && terminal(string(e.ResourceStatus)) {
				final = string(e.ResourceStatus)
			}
		}
		if final != "" {
			return final, nil
		}
		if err := w.d.pause(ctx); err != nil {
			return "", err
		}
	}
}

// poll returns the events newer than the last one seen, oldest first,
// reading as many pages as that takes.
func (w *watcher) poll(ctx context.Context) ([]types.StackEvent, error) {
	var fresh []types.StackEvent
	in := &cloudformation.DescribeStackEventsInput{StackName: &w.stack}
	for {
		page, err := w.c.cfn.DescribeStackEvents(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("reading stack events: %w", err)
		}
		stop := false
		for _, e := range page.StackEvents {
			id := deref(e.EventId)
			if id == w.marker || w.seen[id] {
				stop = true
				break
			}
			fresh = append(fresh, e)
		}
		if stop || page.NextToken == nil {
			break
		}
		in.NextToken = page.NextToken
	}
	slices.Reverse(fresh)
	for _, e := range fresh {
		w.seen[deref(e.EventId)] = true
		w.events = append(w.events, e)
	}
	if len(fresh) > 0 {
		w.marker = deref(fresh[len(fresh)-1].EventId)
	}
	return fresh, nil
}

// show prints one event line, with a done/total count on a terminal.
func (w *watcher) show(e types.StackEvent) {
	ev := eventOf(w.stack, e)
	prefix := ""
	if w.d.opts.Terminal && w.total > 0 {
		if ev.LogicalID != w.stack && (strings.HasSuffix(ev.Status, "_COMPLETE") || strings.HasSuffix(ev.Status, "_FAILED")) {
			w.done[ev.LogicalID] = true
		}
		prefix = fmt.Sprintf("[%d/%d] ", min(len(w.done), w.total), w.total)
	}
	w.d.progressf("%s%s", prefix, ev.Line())
}

// latestEventID is the newest event of a stack before an execution, the
// marker from which the execution's events are shown.
func latestEventID(ctx context.Context, c *clients, stack string) (string, error) {
	out, err := c.cfn.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: &stack})
	if err != nil {
		return "", fmt.Errorf("reading stack events: %w", err)
	}
	if len(out.StackEvents) == 0 {
		return "", nil
	}
	return deref(out.StackEvents[0].EventId), nil
}
