package cfntest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
)

// Target health states and reasons, as Elastic Load Balancing reports
// them (TargetHealth.State and .Reason).
const (
	healthInitial   = "initial"
	healthHealthy   = "healthy"
	healthUnhealthy = "unhealthy"

	reasonRegistration   = "Elb.RegistrationInProgress"
	reasonInitialChecks  = "Elb.InitialHealthChecking"
	defaultUnhealthyWhy  = "Target.ResponseCodeMismatch"
	defaultUnhealthyText = "Health checks failed with these codes: [502]"
)

// TargetHealth scripts how the targets of one target group report their
// health: each new target is "initial" for its first AfterPolls
// DescribeTargetHealth answers, then State (healthy unless told
// otherwise) with Reason and Description.
type TargetHealth struct {
	// AfterPolls is how many answers list a new target as initial.
	AfterPolls int
	// State is what a target settles in: "healthy" or "unhealthy".
	State string
	// Reason and Description explain an unhealthy state, for example
	// Target.ResponseCodeMismatch and "Health checks failed with these
	// codes: [502]" (defaults).
	Reason, Description string
}

// defaultHealth is how targets behave unless scripted: one answer in
// "initial", then healthy, as a release that boots fine does.
var defaultHealth = TargetHealth{AfterPolls: 1, State: healthHealthy}

// SetTargetHealth scripts the health of the targets of the target group
// with logical ID targetGroup (in stack, or in any stack when empty).
// Targets already seen keep counting their polls, so a script set
// mid-rollout applies to them too.
func (s *Server) SetTargetHealth(stack, targetGroup string, h TargetHealth) {
	if h.State == "" {
		h.State = healthHealthy
	}
	if h.State == healthUnhealthy {
		if h.Reason == "" {
			h.Reason = defaultUnhealthyWhy
		}
		if h.Description == "" && h.Reason == defaultUnhealthyWhy {
			h.Description = defaultUnhealthyText
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.health[faultKey(stack, targetGroup)] = h
	s.notify()
}

// healthScript is the script of a target group, or the default.
func (s *Server) healthScript(stack, targetGroup string) TargetHealth {
	for _, k := range []string{faultKey(stack, targetGroup), faultKey(anyStack, targetGroup)} {
		if h, ok := s.health[k]; ok {
			return h
		}
	}
	return defaultHealth
}

// target is one instance registered in a target group.
type target struct {
	id   string
	port int
	az   string
}

// targetGroupByARN finds the stack and logical ID of a deployed target
// group.
func (s *Server) targetGroupByARN(region, arn string) (*stack, string) {
	for _, st := range s.byName {
		if st.region != region {
			continue
		}
		for id, r := range st.resources {
			if r.typ == "AWS::ElasticLoadBalancingV2::TargetGroup" && r.physicalID == arn {
				return st, id
			}
		}
	}
	return nil, ""
}

// targetsOf lists the instances registered in the target group tg: those
// of every Auto Scaling group of the stack whose TargetGroupARNs refers to
// tg, as many as the group's desired capacity (DesiredCapacity, else
// MinSize) under the deployed parameters. An instance's ID derives from
// what it runs (the group's settings and the launch template it refers
// to, sizes aside) and from when it was launched (see noteFleets), so a
// new release or a scale-up from zero brings new instances, while other
// size changes keep the existing ones.
func (s *Server) targetsOf(st *stack, tg string) []target {
	if st.tmpl == nil || st.tmpl.resources[tg] == nil {
		return nil
	}
	port := 80
	if p, err := strconv.Atoi(scalarString(resolveParams(st.tmpl.resources[tg].props["Port"], st.tmpl, st.params))); err == nil {
		port = p
	}
	var out []target
	for _, asgID := range sortedKeys(st.tmpl.resources) {
		asg := st.tmpl.resources[asgID]
		if asg.typ != "AWS::AutoScaling::AutoScalingGroup" || st.resources[asgID] == nil || !refersTo(asg.props["TargetGroupARNs"], tg) {
			continue
		}
		n := desiredCapacity(st, asg)
		launch := s.fleets[st.id+"/"+asgID]
		for i := 0; i < n; i++ {
			sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%s/%s/%d/%d", st.id, asgID, launch.fingerprint, launch.epoch, i)))
			out = append(out, target{
				id:   "i-" + hex.EncodeToString(sum[:])[:17],
				port: port,
				az:   fmt.Sprintf("%s%c", st.region, 'a'+rune(i%3)),
			})
		}
	}
	return out
}

// desiredCapacity is how many instances an Auto Scaling group runs under
// the deployed parameters: DesiredCapacity, else MinSize.
func desiredCapacity(st *stack, asg *tmplResource) int {
	size := asg.props["DesiredCapacity"]
	if size == nil {
		size = asg.props["MinSize"]
	}
	n, _ := strconv.Atoi(scalarString(resolveParams(size, st.tmpl, st.params)))
	return n
}

// fleetLaunch is what the instances of an Auto Scaling group were
// launched from, and how many times the group was launched afresh.
type fleetLaunch struct {
	fingerprint string
	epoch       int
	size        int
}

// noteFleets records, when an execution commits, which Auto Scaling
// groups got new instances: those whose release changed, and those
// scaled up from zero. Their instances get new IDs, which start their
// health checks over, as new instances do. Callers hold s.mu.
func (s *Server) noteFleets(st *stack) {
	for id, r := range st.tmpl.resources {
		if r.typ != "AWS::AutoScaling::AutoScalingGroup" {
			continue
		}
		key := st.id + "/" + id
		prev, seen := s.fleets[key]
		now := fleetLaunch{fingerprint: releaseFingerprint(st, id), epoch: prev.epoch, size: desiredCapacity(st, r)}
		if seen && (now.fingerprint != prev.fingerprint || (prev.size == 0 && now.size > 0)) {
			now.epoch++
		}
		s.fleets[key] = now
	}
}

// releaseFingerprint summarises what the instances of an Auto Scaling
// group run: its properties without the sizes, and the properties of the
// resources it refers to (its launch template).
func releaseFingerprint(st *stack, asgID string) string {
	asg := st.tmpl.resources[asgID]
	props := map[string]any{}
	for k, v := range asg.props {
		switch k {
		case "MinSize", "MaxSize", "DesiredCapacity":
		default:
			props[k] = v
		}
	}
	parts := []any{resolveParams(props, st.tmpl, st.params)}
	deps := append([]string(nil), asg.deps...)
	sort.Strings(deps)
	for _, d := range deps {
		if r := st.tmpl.resources[d]; r != nil && r.typ == "AWS::EC2::LaunchTemplate" {
			parts = append(parts, resolveParams(r.props, st.tmpl, st.params))
		}
	}
	sum := sha256.Sum256([]byte(compactJSON(parts)))
	return hex.EncodeToString(sum[:8])
}

// targetState is the health a target reports on this answer; it counts
// the answer.
func (s *Server) targetState(stack, tg string, t target) (state, reason, description string) {
	s.targetPolls[t.id]++
	polls := s.targetPolls[t.id]
	h := s.healthScript(stack, tg)
	switch {
	case polls <= h.AfterPolls && polls == 1:
		return healthInitial, reasonRegistration, "Target registration is in progress"
	case polls <= h.AfterPolls:
		return healthInitial, reasonInitialChecks, "Initial health checks in progress"
	case h.State == healthHealthy:
		return healthHealthy, "", ""
	}
	return h.State, h.Reason, h.Description
}
