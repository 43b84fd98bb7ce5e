package deploy

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// RolloutStatus is what phasec rollout status shows of a blue-green
// stack, all of it read from AWS: the colours, the lock, the alarms.
type RolloutStatus struct {
	Stack       string         `json:"stack"`
	Region      string         `json:"region"`
	StackStatus string         `json:"stackStatus"`
	Live        string         `json:"live"`
	Colours     []ColourStatus `json:"colours"`
	// Rollout is the rollout that holds the stack; nil when none does.
	Rollout *RolloutLock `json:"rollout,omitempty"`
	// Alarms are the states of the stack's critical alarms, when the
	// specs name them.
	Alarms []AlarmState `json:"alarms,omitempty"`
}

// ColourStatus is one colour of a blue-green stack.
type ColourStatus struct {
	Colour  string  `json:"colour"`
	Release Release `json:"release"`
	MinSize int     `json:"minSize"`
	MaxSize int     `json:"maxSize"`
	Weight  int     `json:"weight"`
	// Targets are its load balancer targets and their health.
	Targets []TargetState `json:"targets"`
}

// RolloutLock is the rollout that holds a stack: where it goes, who
// started it and when, and how far it got.
type RolloutLock struct {
	To    string    `json:"to"`
	By    string    `json:"by"`
	Since time.Time `json:"since"`
	Phase string    `json:"phase"`
}

// RolloutStatus reads a blue-green stack's rollout state. alarms are the
// stack's critical alarms (from the specs; none when they are unknown)
// and steps its traffic steps, to number the step it stands at.
func (d *Deployer) RolloutStatus(ctx context.Context, t Target, alarms []string, steps []int) (*RolloutStatus, error) {
	c, err := d.clientsFor(ctx, t.Region)
	if err != nil {
		return nil, err
	}
	st, err := readBG(ctx, c, t.Stack)
	if err != nil {
		return nil, stackErr(t.Stack, "%v", err)
	}
	out := &RolloutStatus{Stack: t.Stack, Region: t.Region, StackStatus: st.status, Live: string(st.live)}
	for _, col := range []colour{blue, green} {
		cs := ColourStatus{Colour: string(col), Release: st.release(col), MinSize: st.minSize(col), MaxSize: st.maxSize(col),
			Weight: st.weight(col), Targets: []TargetState{}}
		if arn := st.outputs[col.output("TargetGroupArn")]; arn != "" {
			h, err := describeTargetHealth(ctx, c, arn)
			if err != nil {
				return nil, stackErr(t.Stack, "%v", err)
			}
			cs.Targets = h.Targets
		}
		out.Colours = append(out.Colours, cs)
	}
	if st.lock != nil {
		out.Rollout = &RolloutLock{To: string(st.lock.To), By: st.lock.By, Since: st.lock.Since, Phase: st.phase(st.lock.To, steps)}
	}
	if len(alarms) > 0 {
		if out.Alarms, err = alarmStates(ctx, c, alarms); err != nil {
			return nil, stackErr(t.Stack, "%v", err)
		}
	}
	return out, nil
}

// WriteRolloutStatus shows a rollout status for a person: the colours in
// a table, the rollout in progress with the commands to resume or abort
// it, and the alarms.
func WriteRolloutStatus(w io.Writer, s *RolloutStatus) {
	fmt.Fprintf(w, "%s (%s): %s, %s live\n", s.Stack, s.Region, s.StackStatus, s.Live)
	rows := [][]string{{"COLOUR", "RELEASE", "SIZE", "WEIGHT", "TARGETS"}}
	for _, c := range s.Colours {
		h := fleetHealth{Targets: c.Targets}
		health := "none"
		if n := len(h.counted()); n > 0 {
			health = h.summary(n)
		}
		rows = append(rows, []string{c.Colour, c.Release.String(), fmt.Sprintf("%d-%d", c.MinSize, c.MaxSize), fmt.Sprint(c.Weight), health})
	}
	widths := columnWidths(rows)
	for _, row := range rows {
		var b strings.Builder
		for j, cell := range row {
			if j < len(row)-1 {
				cell += strings.Repeat(" ", widths[j]-len([]rune(cell))+2)
			}
			b.WriteString(cell)
		}
		fmt.Fprintf(w, "  %s\n", b.String())
	}
	if r := s.Rollout; r != nil {
		l := rolloutLock{By: r.By, Since: r.Since}
		fmt.Fprintf(w, "  rollout to %s in progress: %s; locked by %s\n", r.To, r.Phase, l.holder())
		fmt.Fprintf(w, "    finish it:  phasec rollout resume %s --region %s\n", s.Stack, s.Region)
		fmt.Fprintf(w, "    undo it:    phasec rollout abort %s --region %s\n", s.Stack, s.Region)
	} else {
		fmt.Fprintln(w, "  no rollout in progress")
	}
	if len(s.Alarms) > 0 {
		var ok int
		var bad []string
		for _, a := range s.Alarms {
			if a.State == "OK" {
				ok++
			} else {
				bad = append(bad, fmt.Sprintf("%s %s (%s)", a.Name, a.State, a.Reason))
			}
		}
		fmt.Fprintf(w, "  critical alarms: %d OK", ok)
		for _, b := range bad {
			fmt.Fprintf(w, "; %s", b)
		}
		fmt.Fprintln(w)
	}
}
