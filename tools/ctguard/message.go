package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// maxDetails is how many failing properties a message names; a rule that
// iterates over a list (load balancer attributes) can fail on every entry,
// and the first few say enough.
const maxDetails = 3

// controlTitle finds the title in a Control Tower rule's custom message:
// "[CT.S3.PR.2]: Require an Amazon S3 bucket to have server access logging
// configured" up to the [FIX] line.
var controlTitle = regexp.MustCompile(`\[CT\.[^\]]+\]:\s*([^\n]+)`)

// failureMessage turns cfn-guard's report of one failed rule into one
// line: the control's title, then which properties failed and how, as
// paths under the resource's Properties.
func failureMessage(failure map[string]any, resourceType string) string {
	// cfn-guard's rule name stands in for the title if no custom message
	// carries one.
	title, _ := failure["name"].(string)
	titled := false
	var details []string
	walkFailure(failure, func(key string, v any) {
		switch key {
		case "custom_message":
			if s, ok := v.(string); ok {
				if m := controlTitle.FindStringSubmatch(s); m != nil && !titled {
					title, titled = strings.TrimSpace(m[1]), true
				}
			}
		case "Clause":
			if d := clauseDetail(v, resourceType); d != "" && !slices.Contains(details, d) {
				details = append(details, d)
			}
		}
	})
	if len(details) == 0 {
		return title
	}
	more := ""
	if len(details) > maxDetails {
		more = fmt.Sprintf(" (and %d more)", len(details)-maxDetails)
		details = details[:maxDetails]
	}
	return title + ": " + strings.Join(details, "; ") + more
}

// walkFailure calls f with every key and value of a decoded JSON tree,
// depth first, in the order of the keys' names (so the output is the same
// on every run) and of list elements.
func walkFailure(v any, f func(key string, v any)) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			f(k, x[k])
			walkFailure(x[k], f)
		}
	case []any:
		for _, e := range x {
			walkFailure(e, f)
		}
	}
}

// clauseDetail describes one failed Guard clause: "P is V" for a property
// that has a value the clause rejects, "P is missing" for one it needs.
func clauseDetail(clause any, resourceType string) string {
	m, _ := clause.(map[string]any)
	for _, kind := range []string{"Unary", "Binary"} {
		c, ok := m[kind].(map[string]any)
		if !ok {
			continue
		}
		check, _ := c["check"].(map[string]any)
		if r, ok := check["UnResolved"].(map[string]any); ok {
			v, _ := r["value"].(map[string]any)
			to, _ := v["traversed_to"].(map[string]any)
			at, _ := to["path"].(string)
			rest, _ := v["remaining_query"].(string)
			return joinPath(propertyPath(at, resourceType), rest) + " is missing"
		}
		for _, key := range []string{"Resolved", "InResolved"} {
			r, ok := check[key].(map[string]any)
			if !ok {
				continue
			}
			// A binary clause compares "from" with something; a unary one
			// tests "value".
			subject, _ := r["from"].(map[string]any)
			if subject == nil {
				subject, _ = r["value"].(map[string]any)
			}
			at, _ := subject["path"].(string)
			return propertyPath(at, resourceType) + " is " + shortJSON(subject["value"])
		}
		context, _ := c["context"].(string)
		return strings.TrimSpace(context)
	}
	return ""
}

// propertyPath turns cfn-guard's /Type/resourceProperties/A/0/B into
// A[0].B, the way CloudFormation's documentation names properties.
func propertyPath(path, resourceType string) string {
	path = strings.TrimPrefix(path, "/"+resourceType+"/resourceProperties")
	var b strings.Builder
	for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
		if part == "" {
			continue
		}
		if isIndex(part) {
			b.WriteString("[" + part + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(part)
	}
	if b.Len() == 0 {
		return "Properties"
	}
	return b.String()
}

// joinPath appends a property name to a path from propertyPath.
func joinPath(path, name string) string {
	if name == "" {
		return path
	}
	if path == "Properties" {
		return name
	}
	return path + "." + name
}

func isIndex(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// shortJSON shows a value as JSON, cut to a length a message line can hold.
func shortJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 60 {
		return string(b[:57]) + "..."
	}
	return string(b)
}
