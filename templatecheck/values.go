package templatecheck

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/phasec/phasec/internal/cfnsub"
)

// goformation's schema types every value but constrains none: no ranges, patterns or enums. The
// services do constrain them, and reject the stack mid-deploy when they are wrong, so the
// constraints of the properties phasec emits are curated in valueRules (valuerules.go) and
// crossRules (crossrules.go). Only literal values are checked; a value computed by an intrinsic
// function is unknown until deploy, except that the known text of an Fn::Sub or Fn::Join counts
// towards a maximum length.

// valueRule constrains the values found at one property path of one resource type. Zero fields
// mean "no constraint".
type valueRule struct {
	typ  string // resource type
	path string // under Properties; "." separates keys, "[]" steps into every element of a list

	enum     []string // allowed values, compared as text ("365" matches 365)
	pattern  *regexp.Regexp
	minLen   int // in characters
	maxLen   int // in characters; with measure, also the known length of Fn::Sub / Fn::Join
	measure  bool
	min, max *float64 // inclusive numeric range; a numeric string counts as a number
	integer  bool     // whole numbers only
	minItems int      // for lists
	maxItems int      // for lists; 0 means no maximum
	check    func(v any) string
	// intrinsics passes intrinsic function values to check too (for size estimates); otherwise
	// check only sees literals.
	intrinsics bool

	source string // where the constraint comes from
}

// num makes a *float64 for rule literals.
func num(f float64) *float64 { return &f }

// compiledRule is a valueRule with its path split into segments.
type compiledRule struct {
	*valueRule
	segs []string
}

var (
	rulesOnce   sync.Once
	rulesByType map[string][]compiledRule
)

// rulesFor returns the value rules of a resource type.
func rulesFor(typ string) []compiledRule {
	rulesOnce.Do(func() {
		rulesByType = map[string][]compiledRule{}
		for i := range valueRules {
			r := &valueRules[i]
			var segs []string
			for _, part := range strings.Split(r.path, ".") {
				name, iter := strings.CutSuffix(part, "[]")
				segs = append(segs, name)
				if iter {
					segs = append(segs, "[]")
				}
			}
			rulesByType[r.typ] = append(rulesByType[r.typ], compiledRule{r, segs})
		}
	})
	return rulesByType[typ]
}

// checkValues applies the value rules, the tag rules and the cross-field rules to a resource.
func (c *checker) checkValues(r *resource, path string) {
	props, ok := r.def["Properties"].(map[string]any)
	if !ok {
		return
	}
	ppath := join(path, "Properties")
	for _, rule := range rulesFor(r.typ) {
		c.applyRule(rule, props, rule.segs, ppath)
	}
	c.checkTags(r.typ, props, ppath)
	for i := range crossRules {
		if cr := &crossRules[i]; cr.typ == r.typ {
			cr.check(&ruleContext{c: c, r: r, props: props, path: path, source: cr.source})
		}
	}
}

// applyRule walks the rule's path through v, following both branches of any Fn::If.
func (c *checker) applyRule(rule compiledRule, v any, segs []string, path string) {
	if fn, arg, ok := intrinsic(v); ok && fn == "Fn::If" {
		if args, ok := arg.([]any); ok && len(args) == 3 {
			c.applyRule(rule, args[1], segs, index(join(path, "Fn::If"), 1))
			c.applyRule(rule, args[2], segs, index(join(path, "Fn::If"), 2))
		}
		return
	}
	if len(segs) == 0 {
		c.checkRuleValue(rule.valueRule, v, path)
		return
	}
	if segs[0] == "[]" {
		list, ok := v.([]any)
		if !ok {
			return
		}
		for i, item := range list {
			c.applyRule(rule, item, segs[1:], index(path, i))
		}
		return
	}
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	child, ok := m[segs[0]]
	if !ok {
		return
	}
	c.applyRule(rule, child, segs[1:], join(path, segs[0]))
}

// checkRuleValue checks one value found at the rule's path.
func (c *checker) checkRuleValue(r *valueRule, v any, path string) {
	if list, ok := v.([]any); ok {
		if r.minItems > 0 && len(list) < r.minItems {
			c.add(path, checkValue, "%d items; at least %d required (%s)", len(list), r.minItems, r.source)
		}
		if r.maxItems > 0 && len(list) > r.maxItems {
			c.add(path, checkValue, "%d items; at most %d allowed (%s)", len(list), r.maxItems, r.source)
		}
		return
	}
	if _, _, ok := intrinsic(v); ok {
		if r.check != nil && r.intrinsics {
			if msg := r.check(v); msg != "" {
				c.add(path, checkValue, "%s (%s)", msg, r.source)
			}
		}
		if r.measure && r.maxLen > 0 {
			if n := knownLength(v); n > r.maxLen {
				c.add(path, checkValue, "at least %d characters once resolved; the maximum is %d (%s)", n, r.maxLen, r.source)
			}
		}
		return
	}
	switch v.(type) {
	case map[string]any, nil:
		return // the schema check reports the wrong type
	}
	text := scalarText(v)
	if len(r.enum) > 0 && !contains(r.enum, text) {
		c.add(path, checkValue, "%q is not one of %s (%s)", truncate(text), strings.Join(r.enum, ", "), r.source)
	}
	if n := len([]rune(text)); r.minLen > 0 && n < r.minLen {
		c.add(path, checkValue, "%q is %d characters; the minimum is %d (%s)", truncate(text), n, r.minLen, r.source)
	} else if r.maxLen > 0 && n > r.maxLen {
		c.add(path, checkValue, "%q is %d characters; the maximum is %d (%s)", truncate(text), n, r.maxLen, r.source)
	}
	if r.pattern != nil && !r.pattern.MatchString(text) {
		c.add(path, checkValue, "%q does not match %s (%s)", truncate(text), r.pattern, r.source)
	}
	if r.min != nil || r.max != nil || r.integer {
		f, ok := numberOf(v)
		switch {
		case !ok:
			c.add(path, checkValue, "%q is not a number (%s)", truncate(text), r.source)
		case r.integer && f != math.Trunc(f):
			c.add(path, checkValue, "%s is not a whole number (%s)", text, r.source)
		case r.min != nil && f < *r.min:
			c.add(path, checkValue, "%s is below the minimum %s (%s)", text, formatNum(*r.min), r.source)
		case r.max != nil && f > *r.max:
			c.add(path, checkValue, "%s is above the maximum %s (%s)", text, formatNum(*r.max), r.source)
		}
	}
	if r.check != nil {
		if msg := r.check(v); msg != "" {
			c.add(path, checkValue, "%s (%s)", msg, r.source)
		}
	}
}

// numberOf reads a literal number, or a numeric string as CloudFormation would.
func numberOf(v any) (float64, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = x
	default:
		return 0, false
	}
	if !isNumeric(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// literalString returns v when it is a literal string.
func literalString(v any) (string, bool) {
	s, ok := v.(string)
	return s, ok
}

// formatNum prints a number without a trailing ".0" or exponent.
func formatNum(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// knownLength is a lower bound of the length of a value once CloudFormation resolves it: the
// literal text of Fn::Sub (variables count as empty) and Fn::Join (with its delimiters).
func knownLength(v any) int {
	if s, ok := v.(string); ok {
		return len(s)
	}
	fn, arg, ok := intrinsic(v)
	if !ok {
		return 0
	}
	switch fn {
	case "Fn::Sub":
		tmpl, _ := arg.(string)
		if list, ok := arg.([]any); ok && len(list) > 0 {
			tmpl, _ = list[0].(string)
		}
		return len(subLiteralText(tmpl))
	case "Fn::Join":
		args, ok := arg.([]any)
		if !ok || len(args) != 2 {
			return 0
		}
		delim, _ := args[0].(string)
		parts, ok := args[1].([]any)
		if !ok {
			return 0
		}
		n := 0
		for i, p := range parts {
			if i > 0 {
				n += len(delim)
			}
			n += knownLength(p)
		}
		return n
	}
	return 0
}

// subLiteralText is an Fn::Sub template with variables removed and ${!X} escapes resolved to
// ${X}; what is left is text that will certainly be in the result.
func subLiteralText(tmpl string) string {
	return substituteSub(tmpl, "")
}

// substituteSub replaces every ${Var} of an Fn::Sub template with repl and resolves escapes.
func substituteSub(tmpl, repl string) string {
	return cfnsub.Expand(tmpl, func(string) string { return repl })
}

// ruleContext is what a cross-field rule sees of one resource.
type ruleContext struct {
	c      *checker
	r      *resource
	props  map[string]any
	path   string // "Resources.<name>"
	source string // the rule's source, appended to every message
}

// emit reports a problem at a path relative to Properties ("" for Properties itself).
func (x *ruleContext) emit(rel, format string, args ...any) {
	p := join(x.path, "Properties")
	if rel != "" {
		p = join(p, rel)
	}
	x.c.add(p, checkValue, "%s (%s)", fmt.Sprintf(format, args...), x.source)
}

// emitResource reports a problem at a path relative to the resource, for rules that look at
// attributes such as UpdatePolicy.
func (x *ruleContext) emitResource(rel, format string, args ...any) {
	x.c.add(join(x.path, rel), checkValue, "%s (%s)", fmt.Sprintf(format, args...), x.source)
}

// num reads a literal numeric property of m.
func (x *ruleContext) num(m map[string]any, key string) (float64, bool) {
	v, ok := m[key]
	if !ok {
		return 0, false
	}
	return numberOf(v)
}
