package cfntest

import "sort"

// StackState is a snapshot of one stack, for tests to assert on what the
// deploy code did to CloudFormation.
type StackState struct {
	Name                  string            `json:"name"`
	ID                    string            `json:"id"`
	Region                string            `json:"region"`
	Status                string            `json:"status"`
	StatusReason          string            `json:"statusReason,omitempty"`
	TerminationProtection bool              `json:"terminationProtection"`
	Template              []byte            `json:"-"`
	Parameters            map[string]string `json:"parameters,omitempty"`
	Tags                  map[string]string `json:"tags,omitempty"`
	Capabilities          []string          `json:"capabilities,omitempty"`
	// RollbackTriggers are the alarm ARNs of the last executed change
	// set's rollback configuration, with its monitoring time.
	RollbackTriggers  []string `json:"rollbackTriggers,omitempty"`
	MonitoringMinutes int      `json:"monitoringMinutes,omitempty"`
	// Resources maps logical IDs to their status.
	Resources map[string]string `json:"resources,omitempty"`
	Outputs   map[string]string `json:"outputs,omitempty"`
	// ChangeSets are the stack's change sets, oldest first.
	ChangeSets []ChangeSetState `json:"changeSets,omitempty"`
	// Events is the number of events the stack has.
	Events int `json:"events"`
}

// ChangeSetState is a snapshot of one change set.
type ChangeSetState struct {
	Name            string   `json:"name"`
	ID              string   `json:"id"`
	Type            string   `json:"type"`
	Status          string   `json:"status"`
	ExecutionStatus string   `json:"executionStatus"`
	Capabilities    []string `json:"capabilities,omitempty"`
	Changes         int      `json:"changes"`
}

// Stack returns the live stack with that name (in any region).
func (s *Server) Stack(name string) (StackState, bool) {
	for _, st := range s.Stacks() {
		if st.Name == name {
			return st, true
		}
	}
	return StackState{}, false
}

// Stacks returns every live stack, by region and name.
func (s *Server) Stacks() []StackState {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []StackState
	for _, st := range s.byName {
		out = append(out, snapshot(st))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Region != out[j].Region {
			return out[i].Region < out[j].Region
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func snapshot(st *stack) StackState {
	ss := StackState{
		Name: st.name, ID: st.id, Region: st.region, Status: st.status, StatusReason: st.reason,
		TerminationProtection: st.protected, Template: st.body,
		Parameters: copyMap(st.params), Tags: copyMap(st.tags), Capabilities: st.caps,
		Resources: map[string]string{}, Outputs: map[string]string{}, Events: len(st.events),
	}
	if st.rollback != nil {
		ss.MonitoringMinutes = st.rollback.minutes
		for _, t := range st.rollback.triggers {
			ss.RollbackTriggers = append(ss.RollbackTriggers, t.arn)
		}
	}
	for id, r := range st.resources {
		ss.Resources[id] = r.status
	}
	for _, o := range st.outputs {
		ss.Outputs[o.key] = o.value
	}
	for _, cs := range st.changeSets {
		ss.ChangeSets = append(ss.ChangeSets, ChangeSetState{Name: cs.name, ID: cs.id, Type: cs.typ,
			Status: cs.status, ExecutionStatus: cs.execStatus, Capabilities: cs.caps, Changes: len(cs.changes)})
	}
	return ss
}

// Object returns an S3 object the fake holds.
func (s *Server) Object(bucket, key string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objects[bucket+"/"+key]
	return b, ok
}
