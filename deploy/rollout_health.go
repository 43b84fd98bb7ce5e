package deploy

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// TargetState is one target of a target group as the load balancer sees
// it: what a rollout waits on, and what status shows.
type TargetState struct {
	ID          string `json:"id"`
	State       string `json:"state"`
	Reason      string `json:"reason,omitempty"`
	Description string `json:"description,omitempty"`
}

// String is "i-0abc unhealthy (Target.ResponseCodeMismatch: Health checks
// failed with these codes: [502])".
func (t TargetState) String() string {
	s := t.ID + " " + t.State
	switch {
	case t.Reason != "" && t.Description != "":
		s += " (" + t.Reason + ": " + t.Description + ")"
	case t.Reason != "":
		s += " (" + t.Reason + ")"
	}
	return s
}

// fleetHealth is the health of a colour's target group.
type fleetHealth struct {
	Targets []TargetState `json:"targets"`
}

// counted are the targets that serve or will serve: draining ones are
// on their way out.
func (h fleetHealth) counted() []TargetState {
	var out []TargetState
	for _, t := range h.Targets {
		if t.State != string(elbtypes.TargetHealthStateEnumDraining) && t.State != string(elbtypes.TargetHealthStateEnumUnhealthyDraining) {
			out = append(out, t)
		}
	}
	return out
}

func (h fleetHealth) healthy() int {
	n := 0
	for _, t := range h.counted() {
		if t.State == string(elbtypes.TargetHealthStateEnumHealthy) {
			n++
		}
	}
	return n
}

// unhealthy are the targets the load balancer found failing: it has
// already seen UnhealthyThresholdCount failed checks in a row.
func (h fleetHealth) unhealthy() []TargetState {
	var out []TargetState
	for _, t := range h.counted() {
		if t.State == string(elbtypes.TargetHealthStateEnumUnhealthy) {
			out = append(out, t)
		}
	}
	return out
}

// summary is "1/2 healthy (i-0def initial (Elb.RegistrationInProgress: ...))":
// the count against want, and every target that is not healthy.
func (h fleetHealth) summary(want int) string {
	s := fmt.Sprintf("%d/%d healthy", h.healthy(), want)
	var rest []string
	for _, t := range h.counted() {
		if t.State != string(elbtypes.TargetHealthStateEnumHealthy) {
			rest = append(rest, t.String())
		}
	}
	if len(rest) > 0 {
		s += "; " + strings.Join(rest, "; ")
	}
	return s
}

// describeTargetHealth reads the health of every target of a target
// group, sorted by ID so that reports are stable.
func describeTargetHealth(ctx context.Context, c *clients, targetGroupARN string) (fleetHealth, error) {
	out, err := c.elb.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: &targetGroupARN})
	if err != nil {
		return fleetHealth{}, fmt.Errorf("reading target health of %s: %w", targetGroupARN, err)
	}
	h := fleetHealth{Targets: []TargetState{}}
	for _, d := range out.TargetHealthDescriptions {
		t := TargetState{}
		if d.Target != nil {
			t.ID = deref(d.Target.Id)
		}
		if d.TargetHealth != nil {
			t.State = string(d.TargetHealth.State)
			t.Reason = string(d.TargetHealth.Reason)
			t.Description = deref(d.TargetHealth.Description)
		}
		h.Targets = append(h.Targets, t)
	}
	sort.Slice(h.Targets, func(i, j int) bool { return h.Targets[i].ID < h.Targets[j].ID })
	return h, nil
}

// AlarmState is one critical alarm's state, which a rollout watches.
type AlarmState struct {
	Name   string `json:"name"`
	State  string `json:"state"`
	Reason string `json:"reason,omitempty"`
}

// alarmStates reads the states of the named alarms, in the given order;
// alarms that do not exist (yet) are left out.
func alarmStates(ctx context.Context, c *clients, names []string) ([]AlarmState, error) {
	found := map[string]AlarmState{}
	for start := 0; start < len(names); start += 100 {
		end := min(start+100, len(names))
		p := cloudwatch.NewDescribeAlarmsPaginator(c.cw, &cloudwatch.DescribeAlarmsInput{
			AlarmNames: names[start:end],
			AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm, cwtypes.AlarmTypeCompositeAlarm},
		})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("reading alarm states: %w", err)
			}
			for _, a := range page.MetricAlarms {
				found[deref(a.AlarmName)] = AlarmState{Name: deref(a.AlarmName), State: string(a.StateValue), Reason: deref(a.StateReason)}
			}
			for _, a := range page.CompositeAlarms {
				found[deref(a.AlarmName)] = AlarmState{Name: deref(a.AlarmName), State: string(a.StateValue), Reason: deref(a.StateReason)}
			}
		}
	}
	var out []AlarmState
	for _, n := range names {
		if a, ok := found[n]; ok {
			out = append(out, a)
		}
	}
	return out, nil
}

// firing returns the first alarm in ALARM, if any.
func firing(states []AlarmState) (AlarmState, bool) {
	for _, a := range states {
		if a.State == string(cwtypes.StateValueAlarm) {
			return a, true
		}
	}
	return AlarmState{}, false
}
