package compiler

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// simplify rewrites CUE's raw errors into the few a user needs to read.
// CUE explains a failed disjunction by listing every alternative that did
// not match, and reports a value again wherever it was copied to; the user
// needs one line per mistake, saying what was expected.
func simplify(in Errors) Errors {
	in = mergeConflicts(in)
	var out Errors
	seen := map[string]bool{}
	for _, e := range in {
		switch {
		case strings.Contains(e.Msg, "errors in empty disjunction"):
			// A summary line; the alternatives (or a deeper error) follow.
			if hasOtherAt(in, e) {
				continue
			}
		case strings.HasPrefix(e.Msg, "incompatible list lengths"):
			// A list that failed its default "[]" alternative; the
			// element's own error says what is wrong.
			if hasDeeper(in, e) {
				continue
			}
		case strings.HasPrefix(e.Msg, "incomplete value"):
			e.Msg = "missing value: expected " + strings.TrimPrefix(e.Msg, "incomplete value ")
		case e.Msg == "field is required but not present":
			e.Msg = "missing required field"
		}
		if hasDeeper(in, e) && strings.HasPrefix(e.Msg, "invalid value [") {
			continue
		}
		if strings.Contains(e.Msg, " and null (mismatched types") && hasOtherAt(in, e) {
			// A value that lost to its "null" (switched off) alternative
			// too; the other alternative's error says what is wrong.
			continue
		}
		if conflictRE.MatchString(e.Msg) && !strings.Contains(e.Msg, "mismatched types") && hasBoundAt(in, e) {
			// "conflicting values <default> and <yours>": the default
			// alternative lost, and the bound error says why yours did.
			continue
		}
		key := fmt.Sprintf("%s|%s", e.Path, e.Msg)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, e)
	}
	return dropConsequences(dropCopies(out))
}

// hasBoundAt reports whether another error at e's value says which
// constraint the value broke.
func hasBoundAt(all Errors, e *Error) bool {
	for _, o := range all {
		if o != e && o.Path == e.Path && strings.HasPrefix(o.Msg, "invalid value") {
			return true
		}
	}
	return false
}

// dropConsequences removes errors that follow from a broken or missing
// tier: without a tier there are no defaults, so every defaulted field of
// the environment would be reported missing too.
func dropConsequences(in Errors) Errors {
	broken := map[string]bool{}
	for _, e := range in {
		if strings.HasSuffix(e.Path, ".tier") {
			broken[strings.TrimSuffix(e.Path, "tier")] = true
		}
	}
	var out Errors
	for _, e := range in {
		if !strings.HasSuffix(e.Path, ".tier") && isIncomplete(e.Msg) && underAny(e.Path, broken) {
			continue
		}
		out = append(out, e)
	}
	return out
}

func isIncomplete(msg string) bool {
	return strings.HasPrefix(msg, "missing value") || strings.HasPrefix(msg, "non-concrete value") ||
		strings.HasPrefix(msg, "undefined field")
}

func underAny(path string, prefixes map[string]bool) bool {
	for p := range prefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

var conflictRE = regexp.MustCompile(`^conflicting values (.+) and (.+)$`)

// mergeConflicts folds "conflicting values A and X", "conflicting values B
// and X" at one value into "invalid value X (must be one of A, B)".
func mergeConflicts(in Errors) Errors {
	type group struct {
		first   *Error
		got     string
		allowed []string
	}
	groups := map[string]*group{}
	var out Errors
	for _, e := range in {
		m := conflictRE.FindStringSubmatch(e.Msg)
		if m == nil || !strings.Contains(e.Msg, `"`) {
			out = append(out, e)
			continue
		}
		key := e.Path + "|" + m[2]
		g, ok := groups[key]
		if !ok {
			g = &group{first: e, got: m[2]}
			groups[key] = g
			out = append(out, e)
		}
		g.allowed = append(g.allowed, m[1])
	}
	for _, g := range groups {
		if len(g.allowed) < 2 {
			continue
		}
		sort.Strings(g.allowed)
		g.first.Msg = fmt.Sprintf("invalid value %s (must be one of %s)", g.got, strings.Join(g.allowed, ", "))
		g.first.Also = nil
	}
	return out
}

// hasOtherAt reports whether another error names the same value or one
// inside it.
func hasOtherAt(all Errors, e *Error) bool {
	for _, o := range all {
		if o != e && (o.Path == e.Path || strings.HasPrefix(o.Path, e.Path+".")) &&
			!strings.Contains(o.Msg, "errors in empty disjunction") {
			return true
		}
	}
	return false
}

// hasDeeper reports whether another error names a value inside e's.
func hasDeeper(all Errors, e *Error) bool {
	for _, o := range all {
		if strings.HasPrefix(o.Path, e.Path+".") {
			return true
		}
	}
	return false
}

// dropCopies removes an environment's error that only repeats its
// service's: environments inherit region, network, alerts and the like
// from the service, so one mistake there shows up once per environment.
func dropCopies(in Errors) Errors {
	var out Errors
	for _, e := range in {
		if root, ok := inheritedFrom(e.Path); ok && anyUnder(in, root) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// inheritedFrom maps services.S.environments.E.<field>... to the service
// field that <field> defaults from.
func inheritedFrom(path string) (string, bool) {
	parts := strings.Split(path, ".")
	if len(parts) < 5 || parts[0] != "services" || parts[2] != "environments" {
		return "", false
	}
	svc := strings.Join(parts[:2], ".")
	switch parts[4] {
	case "region", "network", "alerts":
		return svc + "." + parts[4], true
	case "instanceType", "certificateArn":
		return svc + ".app." + parts[4], true
	}
	return "", false
}

// anyUnder reports whether an error names root or a value inside it.
func anyUnder(all Errors, root string) bool {
	for _, o := range all {
		if o.Path == root || strings.HasPrefix(o.Path, root+".") {
			return true
		}
	}
	return false
}
