package compiler

import "testing"

// TestCheckCron accepts what crontab(5) allows in Auto Scaling's
// Recurrence and explains what it does not.
func TestCheckCron(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"0 20 * * 1-5", ""},
		{"*/15 6-22 * * *", ""},
		{"0 7 1,15 JAN MON", ""},
		{"30 0 1 1,6,12 *", ""},
		{"0 0 * * 7", ""},
		{"0 0 31 12 0", ""},
		{"0 20 * *", "has 4 fields; a cron expression has 5: minute hour day-of-month month day-of-week"},
		{"60 20 * * *", `minute field "60": "60" is not a value from 0 to 59`},
		{"0 24 * * *", `hour field "24": "24" is not a value from 0 to 23`},
		{"0 0 0 * *", `day of month field "0": "0" is not a value from 1 to 31`},
		{"0 0 * 13 *", `month field "13": "13" is not a value from 1 to 12`},
		{"0 0 * * 8", `day of week field "8": "8" is not a value from 0 to 7`},
		{"0 0 * * MON-FRI", `day of week field "MON-FRI": "MON" is not a value from 0 to 7`},
		{"0 22-6 * * *", `hour field "22-6": range 22-6 runs backwards`},
		{"*/0 * * * *", `minute field "*/0": step "0" must be a number from 1 to 59`},
		{"0 x * * *", `hour field "x": "x" is not a value from 0 to 23`},
	}
	for _, tt := range tests {
		if got := checkCron(tt.expr); got != tt.want {
			t.Errorf("checkCron(%q) = %q, want %q", tt.expr, got, tt.want)
		}
	}
}

// TestScheduleID makes readable, stable logical IDs from schedule names.
func TestScheduleID(t *testing.T) {
	for name, want := range map[string]string{
		"night":              "ScheduleNight",
		"scale-down":         "ScheduleScaleDown",
		"weekend-2":          "ScheduleWeekend2",
		"early-morning-ramp": "ScheduleEarlyMorningRamp",
	} {
		if got := scheduleID(name); got != want {
			t.Errorf("scheduleID(%q) = %q, want %q", name, got, want)
		}
	}
}
