package cfntest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// control serves the fault-injection endpoint documented in the package
// comment, for a fake running in another process.
func (s *Server) control(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	region := q.Get("region")
	if region == "" {
		region = "us-east-1"
	}
	bad := func(format string, args ...any) { http.Error(w, fmt.Sprintf(format, args...), http.StatusBadRequest) }
	if r.Method != http.MethodPost && r.URL.Path != "/_fake/wait" && r.URL.Path != "/_fake/stacks" && r.URL.Path != "/_fake/calls" {
		bad("use POST")
		return
	}
	switch r.URL.Path {
	case "/_fake/fail":
		if q.Get("resource") == "" {
			bad("fail needs resource=LOGICAL_ID")
			return
		}
		s.FailResource(q.Get("stack"), q.Get("resource"), q.Get("reason"))
		fmt.Fprintf(w, "next change of %s fails\n", q.Get("resource"))
	case "/_fake/hold", "/_fake/release":
		if q.Get("resource") == "" {
			bad("%s needs resource=LOGICAL_ID", r.URL.Path[len("/_fake/"):])
			return
		}
		if r.URL.Path == "/_fake/hold" {
			s.HoldResource(q.Get("stack"), q.Get("resource"))
		} else {
			s.ReleaseResource(q.Get("stack"), q.Get("resource"))
		}
		fmt.Fprintln(w, "ok")
	case "/_fake/throttle":
		n, err := strconv.Atoi(q.Get("n"))
		if err != nil || n < 0 {
			bad("throttle needs n=COUNT")
			return
		}
		s.Throttle(n)
		fmt.Fprintf(w, "next %d calls throttled\n", n)
	case "/_fake/obsolete":
		fmt.Fprintf(w, "%d change sets obsolete\n", s.ObsoleteChangeSets(q.Get("stack")))
	case "/_fake/status":
		if q.Get("stack") == "" || !knownStatus(q.Get("status")) {
			bad("status needs stack=NAME and a stack status such as UPDATE_IN_PROGRESS")
			return
		}
		s.SetStackStatus(region, q.Get("stack"), q.Get("status"))
		fmt.Fprintln(w, "ok")
	case "/_fake/alarm":
		if q.Get("name") == "" {
			bad("alarm needs name=ALARM_NAME")
			return
		}
		arn := s.AddAlarm(region, q.Get("name"))
		switch {
		case q.Get("param") != "":
			if q.Get("stack") == "" {
				bad("alarm with param=P needs stack=NAME and value=V")
				return
			}
			s.AlarmWhen(region, q.Get("name"), q.Get("stack"), q.Get("param"), q.Get("value"), q.Get("reason"))
		case q.Get("state") != "":
			if err := s.SetAlarmState(region, q.Get("name"), q.Get("state"), q.Get("reason")); err != nil {
				bad("%v", err)
				return
			}
		}
		fmt.Fprintln(w, arn)
	case "/_fake/health":
		if q.Get("resource") == "" {
			bad("health needs resource=TARGET_GROUP_LOGICAL_ID")
			return
		}
		h := TargetHealth{State: q.Get("state"), Reason: q.Get("reason"), Description: q.Get("description")}
		if h.State != "" && h.State != healthHealthy && h.State != healthUnhealthy {
			bad("health state must be healthy or unhealthy")
			return
		}
		if after := q.Get("after"); after != "" {
			n, err := strconv.Atoi(after)
			if err != nil || n < 0 {
				bad("health needs after=POLLS, a count")
				return
			}
			h.AfterPolls = n
		}
		s.SetTargetHealth(q.Get("stack"), q.Get("resource"), h)
		fmt.Fprintln(w, "ok")
	case "/_fake/wait":
		timeout := 10 * time.Second
		if t := q.Get("timeout"); t != "" {
			d, err := time.ParseDuration(t)
			if err != nil {
				bad("bad timeout: %v", err)
				return
			}
			timeout = d
		}
		count := 1
		if c := q.Get("count"); c != "" {
			n, err := strconv.Atoi(c)
			if err != nil || n < 1 {
				bad("wait needs count=N, N >= 1")
				return
			}
			count = n
		}
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		if err := s.WaitEvents(ctx, q.Get("stack"), q.Get("resource"), q.Get("status"), count); err != nil {
			http.Error(w, err.Error(), http.StatusRequestTimeout)
			return
		}
		fmt.Fprintln(w, "ok")
	case "/_fake/caller":
		var err error
		switch {
		case q.Get("account") != "" && q.Get("failure") == "":
			err = s.SetCaller(q.Get("key"), q.Get("account"))
		case q.Get("failure") != "" && q.Get("account") == "":
			err = s.FailCallerIdentity(q.Get("key"), q.Get("failure"))
		default:
			err = fmt.Errorf("caller needs account=ACCOUNT or failure=CODE")
		}
		if err != nil {
			bad("%v", err)
			return
		}
		fmt.Fprintln(w, "ok")
	case "/_fake/calls":
		if q.Get("action") == "" {
			bad("calls needs action=ACTION")
			return
		}
		fmt.Fprintln(w, s.Calls(q.Get("action")))
	case "/_fake/stacks":
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(s.Stacks())
	default:
		http.Error(w, "unknown control "+r.URL.Path, http.StatusNotFound)
	}
}
