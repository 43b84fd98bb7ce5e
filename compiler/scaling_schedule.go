package compiler

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/autoscaling"
)

// ScheduledAction sets the group's size at the times its recurrence names,
// in its time zone.
type ScheduledAction struct {
	// Recurrence is a Unix cron expression of five fields.
	Recurrence string `json:"recurrence"`
	// TimeZone is an IANA time zone name.
	TimeZone        string `json:"timeZone"`
	MinSize         *int   `json:"minSize"`
	MaxSize         *int   `json:"maxSize"`
	DesiredCapacity *int   `json:"desiredCapacity"`
}

// compileSchedules adds the scheduled actions in name order, each with a
// logical ID made from its name (night becomes ScheduleNight). A stack
// update would otherwise reset a scheduled size to the template's, for
// example wake a dev group that is asleep at night, so the group ignores
// unchanged size properties on update: compileRolling sets that in the
// group's update policy (schedules need the rolling strategy).
func compileSchedules(b *stackBuilder) {
	schedule := b.env.Scaling.Schedule
	if len(schedule) == 0 {
		return
	}
	for _, name := range sortedKeys(schedule) {
		a := schedule[name]
		b.add(scheduleID(name), &autoscaling.ScheduledAction{
			AutoScalingGroupName: cloudformation.Ref(idAsg),
			Recurrence:           ptr(a.Recurrence),
			TimeZone:             ptr(a.TimeZone),
			MinSize:              a.MinSize,
			MaxSize:              a.MaxSize,
			DesiredCapacity:      a.DesiredCapacity,
		})
	}
}

// scheduleID is the logical ID of the scheduled action called name:
// "scale-down" becomes ScheduleScaleDown.
func scheduleID(name string) string {
	var b strings.Builder
	b.WriteString("Schedule")
	for _, part := range strings.Split(name, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]))
		b.WriteString(part[1:])
	}
	return b.String()
}

// cronField is one field of a Unix cron expression and its range.
type cronField struct {
	name     string
	min, max int
	// names may stand for the whole field, e.g. JAN.
	names map[string]bool
}

// cronFields are the five fields Auto Scaling's Recurrence accepts, in order.
var cronFields = []cronField{
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day of month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: map[string]bool{
		"JAN": true, "FEB": true, "MAR": true, "APR": true, "MAY": true, "JUN": true,
		"JUL": true, "AUG": true, "SEP": true, "OCT": true, "NOV": true, "DEC": true,
	}},
	// 0 and 7 are both Sunday.
	{name: "day of week", min: 0, max: 7, names: map[string]bool{
		"SUN": true, "MON": true, "TUE": true, "WED": true, "THU": true, "FRI": true, "SAT": true,
	}},
}

// checkCron reports what is wrong with a five-field cron expression, or ""
// when it is valid. Auto Scaling reads Recurrence in the crontab(5) format:
// each field is a comma-separated list of "*", a value or a range "a-b",
// each optionally followed by a step "/n"; a month or weekday may instead be
// one name (JAN, MON).
func checkCron(expr string) string {
	fields := strings.Fields(expr)
	if len(fields) != len(cronFields) {
		return fmt.Sprintf("has %d fields; a cron expression has 5: minute hour day-of-month month day-of-week", len(fields))
	}
	for i, f := range fields {
		spec := cronFields[i]
		// crontab(5): names stand alone; ranges or lists of names are not
		// allowed.
		if _, ok := spec.names[strings.ToUpper(f)]; ok {
			continue
		}
		for _, item := range strings.Split(f, ",") {
			if msg := checkCronItem(spec, item); msg != "" {
				return fmt.Sprintf("%s field %q: %s", spec.name, f, msg)
			}
		}
	}
	return ""
}

// checkCronItem checks one list item of a cron field.
func checkCronItem(spec cronField, item string) string {
	rng, step, hasStep := strings.Cut(item, "/")
	if hasStep {
		n, err := strconv.Atoi(step)
		if err != nil || n < 1 || n > spec.max {
			return fmt.Sprintf("step %q must be a number from 1 to %d", step, spec.max)
		}
	}
	if rng == "*" {
		return ""
	}
	lo, hi, isRange := strings.Cut(rng, "-")
	a, msg := cronValue(spec, lo)
	if msg != "" {
		return msg
	}
	if !isRange {
		return ""
	}
	z, msg := cronValue(spec, hi)
	if msg != "" {
		return msg
	}
	if z < a {
		return fmt.Sprintf("range %s runs backwards", rng)
	}
	return ""
}

// cronValue parses one numeric value of a cron field.
func cronValue(spec cronField, s string) (int, string) {
	v, err := strconv.Atoi(s)
	if err != nil || v < spec.min || v > spec.max {
		return 0, fmt.Sprintf("%q is not a value from %d to %d", s, spec.min, spec.max)
	}
	return v, ""
}
