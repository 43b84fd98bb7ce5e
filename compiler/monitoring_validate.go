package compiler

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"cuelang.org/go/cue"
)

// maxAlarmWindow is the longest an alarm may look back: CloudWatch rejects
// an alarm whose period times evaluation periods exceeds one day.
const maxAlarmWindow = 86400

// maxAlarmMetrics is the most metrics a metric-math alarm may query.
const maxAlarmMetrics = 10

// validateMonitoring checks what the schema cannot: that each alarm's
// levels are ordered by severity, that CloudWatch accepts its timing, that
// declared expressions name only their inputs, that the budget escalates,
// and that every subscription can be delivered. A value every environment
// inherits from its service is reported once, where it was written.
func validateMonitoring(spec *Spec) Errors {
	v := &monitoringValidator{spec: spec, seen: map[string]bool{}}
	for _, svc := range spec.Services {
		for _, env := range svc.Environments {
			v.svc, v.env = svc, env
			for _, k := range alarmCatalogue() {
				v.catalogueKind(k, env.Monitoring.Alarms[k.key])
			}
			for _, name := range sortedKeys(env.Monitoring.Metrics) {
				v.customMetric(name, env.Monitoring.Metrics[name])
			}
			v.budget(env.Monitoring.Budget)
			for _, sev := range severities {
				v.subscribers(sev)
			}
		}
	}
	return v.errs
}

// monitoringValidator collects the problems of a spec, one environment
// at a time.
type monitoringValidator struct {
	spec *Spec
	svc  *Service
	env  *Environment
	errs Errors
	// seen drops a problem already reported at the same place, as happens
	// for values every environment inherits.
	seen map[string]bool
}

// report records a problem at the first of the candidate places that the
// spec's files actually set (an environment's override before the
// service's declaration), or at the first candidate when none is set.
func (v *monitoringValidator) report(candidates [][]cue.Selector, hint, format string, args ...any) {
	sels := candidates[0]
	for _, c := range candidates {
		if v.spec.data.LookupPath(cue.MakePath(c...)).Exists() {
			sels = c
			break
		}
	}
	e := &Error{Path: selectorPath(sels), Msg: fmt.Sprintf(format, args...), Hint: hint}
	if val := v.spec.data.LookupPath(cue.MakePath(sels...)); val.Exists() && val.Pos().IsValid() {
		e.Pos = val.Pos()
	} else {
		e.Pos = v.spec.fieldPos(cue.MakePath(sels...)).Pos
	}
	key := formatPos(e.Pos) + "|" + e.Path + "|" + e.Msg
	if !v.seen[key] {
		v.seen[key] = true
		v.errs = append(v.errs, e)
	}
}

// selectorPath prints a path the way CUE's own errors do: list indexes as
// plain numbers ("email.0").
func selectorPath(sels []cue.Selector) string {
	parts := make([]string, len(sels))
	for i, s := range sels {
		parts[i] = strings.TrimSuffix(strings.TrimPrefix(s.String(), "["), "]")
	}
	return strings.Join(parts, ".")
}

func (v *monitoringValidator) envSels(rest ...string) []cue.Selector {
	sels := []cue.Selector{cue.Str("services"), cue.Str(v.svc.Name), cue.Str("environments"), cue.Str(v.env.Name)}
	for _, r := range rest {
		sels = append(sels, cue.Str(r))
	}
	return sels
}

func (v *monitoringValidator) serviceSels(rest ...string) []cue.Selector {
	sels := []cue.Selector{cue.Str("services"), cue.Str(v.svc.Name)}
	for _, r := range rest {
		sels = append(sels, cue.Str(r))
	}
	return sels
}

// catalogueKind checks one built-in alarm kind.
func (v *monitoringValidator) catalogueKind(k alarmKind, s AlarmSettings) {
	at := func(field string) [][]cue.Selector {
		return [][]cue.Selector{v.envSels("monitoring", "alarms", k.key, field)}
	}
	v.levels(at, k.key+" ("+k.measures+")", k.lowerIsWorse, s)
	switch {
	case s.Period%60 != 0:
		v.badPeriod(at("period"), s.Period, false)
	case k.ec2 && !detailedMonitoring(v.env) && s.Period%300 != 0:
		v.report(at("period"),
			"use a multiple of 300 seconds for EC2 metrics outside production",
			"period %d is not a multiple of the 5 minutes at which EC2 publishes metrics without detailed monitoring, which only the production tier enables: some periods would have no datapoint",
			s.Period)
	}
	v.timing(at, s)
	if k.key == "healthCheck" {
		v.healthyFloor(at, s)
	}
}

// levels checks that an alarm's thresholds escalate with severity: a
// warning must fire before the critical alarm, an info before both.
func (v *monitoringValidator) levels(at func(string) [][]cue.Selector, what string, lowerIsWorse bool, s AlarmSettings) {
	order := []Severity{Info, Warning, Critical}
	for i, lo := range order {
		for _, hi := range order[i+1:] {
			l, h := s.level(lo), s.level(hi)
			if l == nil || h == nil {
				continue
			}
			if !lowerIsWorse && *l >= *h {
				v.report(append(at(string(lo)), at(string(hi))...),
					fmt.Sprintf("higher values are worse here, so %s must be below %s; or switch one off with null", lo, hi),
					"%s threshold %s is not below the %s threshold %s of %s", lo, num(*l), hi, num(*h), what)
			}
			if lowerIsWorse && *l <= *h {
				v.report(append(at(string(lo)), at(string(hi))...),
					fmt.Sprintf("lower values are worse here, so %s must be above %s; or switch one off with null", lo, hi),
					"%s threshold %s is not above the %s threshold %s of %s", lo, num(*l), hi, num(*h), what)
			}
		}
	}
}

// badPeriod reports a period CloudWatch does not accept. highResolution
// says whether 10 and 30 seconds would do, which they only do for metrics
// published at high resolution.
func (v *monitoringValidator) badPeriod(at [][]cue.Selector, period int, highResolution bool) {
	if highResolution {
		v.report(at, "use 10, 30, 60 or a multiple of 60",
			"period %d is not one CloudWatch accepts: 10, 30 or a multiple of 60 seconds", period)
		return
	}
	v.report(at, "use 60 or a multiple of 60; AWS publishes this metric once a minute at most, so 10 and 30 would have no data",
		"period %d is not one CloudWatch accepts for a metric published once a minute: a multiple of 60 seconds", period)
}

// timing checks the evaluation window against CloudWatch's limits.
func (v *monitoringValidator) timing(at func(string) [][]cue.Selector, s AlarmSettings) {
	if s.DatapointsToAlarm > s.EvaluationPeriods {
		v.report(append(at("datapointsToAlarm"), at("evaluationPeriods")...),
			"datapointsToAlarm is how many of the evaluated periods must breach: at most evaluationPeriods",
			"datapointsToAlarm %d exceeds evaluationPeriods %d", s.DatapointsToAlarm, s.EvaluationPeriods)
	}
	if s.Period > 0 && s.Period*s.EvaluationPeriods > maxAlarmWindow {
		v.report(append(at("evaluationPeriods"), at("period")...),
			fmt.Sprintf("with a period of %d seconds, evaluationPeriods may be at most %d", s.Period, maxAlarmWindow/s.Period),
			"evaluationPeriods %d times period %d is %d seconds; CloudWatch evaluates at most one day (%d seconds)",
			s.EvaluationPeriods, s.Period, s.EvaluationPeriods*s.Period, maxAlarmWindow)
	}
}

// healthyFloor catches a health-check threshold, written in the spec,
// above the group's minimum size: the alarm would fire whenever the group
// runs at its minimum. A tier default is not held against a group that may
// scale to zero; README.md (Monitoring and alerting) says to switch the alarm off there.
func (v *monitoringValidator) healthyFloor(at func(string) [][]cue.Selector, s AlarmSettings) {
	min := v.env.Scaling.MinSize
	for _, sev := range severities {
		written := v.spec.data.LookupPath(cue.MakePath(at(string(sev))[0]...)).Exists()
		if th := s.level(sev); th != nil && written && *th > float64(min) {
			v.report(at(string(sev)),
				"lower the threshold to at most scaling.minSize, or switch it off with null",
				"healthCheck %s fires below %s healthy instances, but the group may run with %d (scaling.minSize): it would fire whenever the group is at its minimum",
				sev, num(*th), min)
		}
	}
}

// customMetric checks one declared application metric, whose fields may be
// written in the environment or in the service's app.metrics.
func (v *monitoringValidator) customMetric(name string, m AppMetric) {
	at := func(field string) [][]cue.Selector {
		return [][]cue.Selector{
			v.envSels("monitoring", "metrics", name, field),
			v.serviceSels("app", "metrics", name, field),
		}
	}
	v.levels(at, name, m.AlarmWhen == "below", m.AlarmSettings)
	if p := m.Period; p != 10 && p != 30 && p%60 != 0 {
		v.badPeriod(at("period"), p, true)
	}
	v.timing(at, m.AlarmSettings)

	switch {
	case m.Expression == "" && len(m.Inputs) > 0:
		v.report(at("inputs"), "add an expression over the inputs, or remove them",
			"inputs are only read by an expression, and %s has none", name)
	case m.Expression != "" && m.Metric != "":
		v.report(at("metric"), "remove metric, or remove expression and inputs",
			"%s sets both a metric and an expression; an alarm watches one or the other", name)
	case m.Expression != "":
		v.expression(at, name, m)
	}
}

// expression checks that a declared expression names only its inputs, and
// that the alarm stays within CloudWatch's limits.
func (v *monitoringValidator) expression(at func(string) [][]cue.Selector, name string, m AppMetric) {
	ids := sortedKeys(m.Inputs)
	if _, ok := m.Inputs[expressionID]; ok {
		v.report(at("inputs"), "rename the input",
			"input id %q is reserved for %s's expression itself", expressionID, name)
	}
	if len(ids) > maxAlarmMetrics {
		v.report(at("inputs"), fmt.Sprintf("use at most %d inputs", maxAlarmMetrics),
			"%s has %d inputs; a CloudWatch alarm's expression may query at most %d metrics", name, len(ids), maxAlarmMetrics)
	}
	var unknown []string
	for _, id := range expressionIDs(m.Expression) {
		if _, ok := m.Inputs[id]; !ok {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		known := "it has no inputs"
		if len(ids) > 0 {
			known = "its inputs are " + strings.Join(ids, ", ")
		}
		v.report(at("expression"),
			"declare each metric the expression uses under inputs: <id>: metric: \"<MetricName>\", or fix the spelling",
			"expression %q names unknown metric id(s) %s; %s", m.Expression, strings.Join(unknown, ", "), known)
	}
}

// expressionIDs lists the metric ids a metric-math expression refers to,
// in order of first use. CloudWatch spells functions and keywords in
// capitals (FILL, IF, AND) and requires ids to start with a lowercase
// letter, so every identifier starting with one outside a string literal
// is an id.
func expressionIDs(expr string) []string {
	var ids []string
	seen := map[string]bool{}
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == '\'' || c == '"':
			end := strings.IndexByte(expr[i+1:], c)
			if end < 0 {
				return ids
			}
			i += end + 2
		case c >= '0' && c <= '9' || c == '.':
			// A number, possibly with an exponent: 1e9, 2.5E-3.
			i++
			for i < len(expr) && (isIdentByte(expr[i]) || expr[i] == '.' ||
				(expr[i] == '-' || expr[i] == '+') && (expr[i-1] == 'e' || expr[i-1] == 'E')) {
				i++
			}
		case isIdentByte(c):
			start := i
			for i < len(expr) && isIdentByte(expr[i]) {
				i++
			}
			if id := expr[start:i]; c >= 'a' && c <= 'z' && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		default:
			i++
		}
	}
	return ids
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// budget checks that the budget's notifications escalate.
func (v *monitoringValidator) budget(bg Budget) {
	if bg.WarningAtPercent >= bg.CriticalAtPercent {
		at := func(field string) []cue.Selector { return v.envSels("monitoring", "budget", field) }
		v.report([][]cue.Selector{at("warningAtPercent"), at("criticalAtPercent")},
			"the warning must come before the critical notification: make warningAtPercent lower",
			"budget warningAtPercent %s is not below criticalAtPercent %s", num(bg.WarningAtPercent), num(bg.CriticalAtPercent))
	}
}

// subscribers checks what the schema's patterns cannot: an endpoint
// subscribed twice to one topic (SNS keeps one subscription, which two
// resources would then fight over), and webhooks that SNS cannot reach
// because they are not on the internet.
func (v *monitoringValidator) subscribers(sev Severity) {
	subs := alertsOf(v.env.Alerts, sev)
	at := func(protocol string, i int) [][]cue.Selector {
		return [][]cue.Selector{
			append(v.envSels("alerts", string(sev), protocol), cue.Index(i)),
			append(v.serviceSels("alerts", string(sev), protocol), cue.Index(i)),
		}
	}
	for _, list := range []struct {
		protocol  string
		endpoints []string
		normalize func(string) string
	}{
		{"email", subs.Email, strings.ToLower},
		{"https", subs.HTTPS, func(s string) string { return s }},
		{"sms", subs.SMS, func(s string) string { return s }},
	} {
		first := map[string]int{}
		for i, ep := range list.endpoints {
			key := list.normalize(ep)
			if j, dup := first[key]; dup {
				v.report(at(list.protocol, i), "remove the duplicate",
					"%s is subscribed to the %s topic twice (also %s.%d)", ep, sev, list.protocol, j)
				continue
			}
			first[key] = i
		}
	}
	for i, ep := range subs.HTTPS {
		if why := unreachableWebhook(ep); why != "" {
			v.report(at("https", i), "use the webhook's public https:// address",
				"SNS delivers webhooks from the internet and cannot reach %s: %s", ep, why)
		}
	}
}

// alertsOf is one severity's subscribers.
func alertsOf(a Alerts, sev Severity) Subscribers {
	switch sev {
	case Critical:
		return a.Critical
	case Warning:
		return a.Warning
	default:
		return a.Info
	}
}

// unreachableWebhook says why SNS could not reach a webhook URL: a host
// that only names this machine or a private network. It returns "" for a
// public host.
func unreachableWebhook(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "it is not a valid URL"
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return "localhost is the subscriber's own machine"
	}
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
		return ""
	case ip.IsLoopback():
		return ip.String() + " is a loopback address"
	case ip.IsPrivate():
		return ip.String() + " is a private address"
	case ip.IsLinkLocalUnicast():
		return ip.String() + " is a link-local address"
	case ip.IsUnspecified():
		return ip.String() + " is not a host"
	}
	return ""
}
