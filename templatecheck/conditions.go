package templatecheck

import "strings"

// Conditions are evaluated before any resource exists, so they may only use parameters, pseudo
// parameters, mappings and other conditions, through the condition functions.

var conditionScope = scope{
	conditions: true,
	why:        "conditions are evaluated before resources exist; use parameters and mappings",
}

// checkConditions validates every condition and reports conditions that depend on themselves.
func (c *checker) checkConditions() {
	for _, name := range sortedKeys(c.conditions) {
		path := join("Conditions", name)
		v := c.conditions[name]
		fn, arg, ok := intrinsic(v)
		if !ok {
			if m, isMap := v.(map[string]any); isMap && len(m) == 1 {
				if ref, ok := m["Condition"].(string); ok {
					c.checkConditionName(ref, join(path, "Condition"))
					continue
				}
			}
			c.add(path, checkSchema, "a condition must be one of Fn::And, Fn::Or, Fn::Not, Fn::Equals or {\"Condition\": name}, got %s", describe(v))
			continue
		}
		if !conditionFunctions[fn] {
			c.add(path, checkSchema, "a condition must be one of Fn::And, Fn::Or, Fn::Not, Fn::Equals, got %s", fn)
			continue
		}
		c.checkConditionFunction(fn, arg, join(path, fn), conditionScope)
	}
	c.checkConditionCycles()
}

// checkConditionFunction checks the arity of Fn::And/Or/Not/Equals and walks the operands.
func (c *checker) checkConditionFunction(fn string, arg any, path string, sc scope) {
	args, ok := arg.([]any)
	switch fn {
	case "Fn::And", "Fn::Or":
		// CloudFormation's documented bounds: between 2 and 10 conditions.
		if !ok || len(args) < 2 || len(args) > 10 {
			c.add(path, checkSchema, "%s takes a list of 2 to 10 conditions", fn)
		}
	case "Fn::Not":
		if !ok || len(args) != 1 {
			c.add(path, checkSchema, "Fn::Not takes a list of exactly one condition")
		}
	case "Fn::Equals":
		if !ok || len(args) != 2 {
			c.add(path, checkSchema, "Fn::Equals takes a list of exactly two values")
		}
	}
	c.walkRefs(arg, path, sc)
}

// checkConditionCycles reports conditions that reach themselves through {"Condition": ...}.
func (c *checker) checkConditionCycles() {
	graph := map[string]map[string]bool{}
	for name, v := range c.conditions {
		refs := map[string]bool{}
		collectConditionRefs(v, refs)
		graph[name] = refs
	}
	for _, cycle := range findCycles(graph) {
		c.add(join("Conditions", cycle[0]), checkReference, "circular condition: %s", strings.Join(append(cycle, cycle[0]), " -> "))
	}
}

// collectConditionRefs gathers the {"Condition": name} references under v.
func collectConditionRefs(v any, refs map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		if name, ok := x["Condition"].(string); ok && len(x) == 1 {
			refs[name] = true
			return
		}
		for _, val := range x {
			collectConditionRefs(val, refs)
		}
	case []any:
		for _, val := range x {
			collectConditionRefs(val, refs)
		}
	}
}
