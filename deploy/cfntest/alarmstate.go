package cfntest

import "fmt"

// CloudWatch alarm states (StateValue).
const (
	alarmOK    = "OK"
	alarmAlarm = "ALARM"
)

// alarmState is what DescribeAlarms reports about one alarm.
type alarmState struct {
	value, reason string
}

// alarmCondition puts an alarm into ALARM once a stack's deployed
// parameter has a value: the way to make an alarm fire during one traffic
// step of a rollout, whatever the timing.
type alarmCondition struct {
	stack, param, value, reason string
}

// SetAlarmState sets an alarm's StateValue (OK, ALARM or
// INSUFFICIENT_DATA) and StateReason, creating the alarm in region if it
// does not exist. An empty reason gets a realistic one.
func (s *Server) SetAlarmState(region, name, state, reason string) error {
	if !knownAlarmState(state) {
		return fmt.Errorf("alarm state %q: want OK, ALARM or INSUFFICIENT_DATA", state)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.alarms[name]; !ok {
		s.alarms[name] = alarmARN(region, s.accountOf(anyKey), name)
	}
	s.alarmStates[name] = alarmState{value: state, reason: alarmReason(state, reason)}
	delete(s.alarmWhen, name)
	s.notify()
	return nil
}

// AlarmWhen makes the alarm go into ALARM (with reason) as soon as the
// deployed stack's parameter param equals value, as checked whenever the
// alarm's state is read; the alarm is created in region if it does not
// exist. For example, AlarmWhen(r, "shop-5xx", "shop", "GreenWeight",
// "50", "") fires the alarm once a rollout sends half the traffic to
// green.
func (s *Server) AlarmWhen(region, name, stack, param, value, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.alarms[name]; !ok {
		s.alarms[name] = alarmARN(region, s.accountOf(anyKey), name)
	}
	s.alarmWhen[name] = alarmCondition{stack: stack, param: param, value: value, reason: alarmReason(alarmAlarm, reason)}
}

// alarmStateOf is an alarm's current state, after firing its condition
// if the condition now holds. Callers hold s.mu.
func (s *Server) alarmStateOf(name string) alarmState {
	if c, ok := s.alarmWhen[name]; ok {
		for _, st := range s.byName {
			if st.name == c.stack && st.params[c.param] == c.value {
				s.alarmStates[name] = alarmState{value: alarmAlarm, reason: c.reason}
				delete(s.alarmWhen, name)
				break
			}
		}
	}
	if st, ok := s.alarmStates[name]; ok {
		return st
	}
	return alarmState{value: alarmOK, reason: alarmReason(alarmOK, "")}
}

// alarmReason is the StateReason CloudWatch writes, when none is given.
func alarmReason(state, reason string) string {
	if reason != "" {
		return reason
	}
	switch state {
	case alarmAlarm:
		return "Threshold Crossed: 1 out of the last 1 datapoints [12.5 (01/01/26 00:00:00)] was greater than the threshold (5.0) (minimum 1 datapoint for OK -> ALARM transition)."
	case alarmOK:
		return "Threshold Crossed: 1 out of the last 1 datapoints [0.0 (01/01/26 00:00:00)] was not greater than the threshold (5.0) (minimum 1 datapoint for ALARM -> OK transition)."
	}
	return "Insufficient Data: 1 datapoint was unknown."
}

func knownAlarmState(state string) bool {
	switch state {
	case alarmOK, alarmAlarm, "INSUFFICIENT_DATA":
		return true
	}
	return false
}
