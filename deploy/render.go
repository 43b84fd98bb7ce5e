package deploy

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// ANSI styles of the plan; used only when the output is a terminal and
// NO_COLOR is unset.
const (
	styleAdd      = "\x1b[32m"
	styleModify   = "\x1b[33m"
	styleRemove   = "\x1b[31m"
	styleReplace  = "\x1b[1;97;41m" // bold white on red: impossible to miss
	styleMaybe    = "\x1b[1;30;43m" // bold black on yellow
	styleBold     = "\x1b[1m"
	styleReset    = "\x1b[0m"
	maxValueWidth = 60
)

// actionSymbols are the plan's one-character actions.
var actionSymbols = map[string]string{"Add": "+", "Modify": "~", "Remove": "-", "Import": "<", "Dynamic": "?"}

// WritePlan renders a plan for a reviewer: per stack a table of resource
// changes with their replacements and property values, the
// security-relevant changes on their own, and the rollback triggers.
func WritePlan(w io.Writer, p *Plan, color bool) {
	r := renderer{w: w, color: color}
	for i, s := range p.Stacks {
		if i > 0 {
			fmt.Fprintln(w)
		}
		r.stack(s)
	}
	fmt.Fprintln(w)
	r.summary(p)
}

type renderer struct {
	w     io.Writer
	color bool
}

func (r renderer) style(style, s string) string {
	if !r.color || s == "" {
		return s
	}
	return style + s + styleReset
}

func (r renderer) stack(s StackPlan) {
	head := s.Stack + " (" + strings.Join(stackFacts(s), ", ") + ")"
	if s.Action == ActionNone {
		fmt.Fprintf(r.w, "%s: no changes (the empty change set was deleted)\n", r.style(styleBold, head))
		r.rollout(s)
		return
	}
	fmt.Fprintf(r.w, "%s: %s, %s\n", r.style(styleBold, head), s.Action, countsOf([]StackPlan{s}))
	rows := [][]string{{"", "LOGICAL ID", "TYPE", "REPLACEMENT", "CHANGED"}}
	for _, c := range s.Changes {
		rows = append(rows, []string{actionSymbols[c.Action], c.LogicalID, c.Type, c.Replacement, changedNames(c)})
	}
	widths := columnWidths(rows)
	for i, row := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for j, cell := range row {
			pad := strings.Repeat(" ", widths[j]-utf8.RuneCountInString(cell))
			if j == len(row)-1 {
				pad = ""
			}
			if i > 0 {
				cell = r.cellStyle(j, cell)
			}
			b.WriteString(cell + pad)
			if j < len(row)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(r.w, strings.TrimRight(b.String(), " "))
		if i > 0 {
			r.values(s.Changes[i-1])
		}
	}
	r.security(s)
	r.triggers(s)
	if s.TemplateURL != "" {
		fmt.Fprintf(r.w, "  template: %s\n", s.TemplateURL)
	}
	r.rollout(s)
}

func (r renderer) cellStyle(col int, cell string) string {
	switch col {
	case 0:
		return r.style(map[string]string{"+": styleAdd, "~": styleModify, "-": styleRemove}[cell], cell)
	case 3:
		switch cell {
		case "True":
			return r.style(styleReplace, cell)
		case "Conditional":
			return r.style(styleMaybe, cell)
		}
	}
	return cell
}

// values prints the before and after of each changed property under its
// row, cut to keep the table readable.
func (r renderer) values(c ResourceChange) {
	for _, p := range c.Properties {
		if p.Before == nil && p.After == nil && p.Source != "ResourceReference" {
			continue
		}
		name := p.Name
		if name == "" {
			name = p.Attribute
		}
		before, after := differingParts(p.Before, p.After)
		line := fmt.Sprintf("%s: %s → %s", name, before, after)
		switch p.Source {
		case "ParameterReference":
			line += " (parameter " + p.CausingEntity + ")"
		case "ResourceReference":
			line = fmt.Sprintf("%s: follows %s, which is replaced", name, p.CausingEntity)
			if p.RequiresRecreation == "Conditionally" {
				line += " (may replace " + c.LogicalID + ")"
			}
		}
		fmt.Fprintf(r.w, "       %s\n", line)
	}
}

func (r renderer) security(s StackPlan) {
	var lines []string
	for _, c := range s.Changes {
		if c.Security == "" {
			continue
		}
		lines = append(lines, fmt.Sprintf("    %s %s (%s): %s", actionSymbols[c.Action], c.LogicalID, c.Type, c.Security))
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintln(r.w, r.style(styleBold, "  security-relevant changes:"))
	for _, l := range lines {
		fmt.Fprintln(r.w, l)
	}
}

func (r renderer) triggers(s StackPlan) {
	if len(s.RollbackTriggers) > 0 {
		names := make([]string, len(s.RollbackTriggers))
		for i, t := range s.RollbackTriggers {
			names[i] = t.Alarm
		}
		fmt.Fprintf(r.w, "  rollback triggers (watched for %d min): %s\n", s.MonitoringMinutes, strings.Join(names, ", "))
	}
	if len(s.PendingTriggers) > 0 {
		fmt.Fprintf(r.w, "  not rollback triggers yet (created by this change): %s\n", strings.Join(s.PendingTriggers, ", "))
	}
}

func (r renderer) summary(p *Plan) {
	changed, unchanged, rollouts := 0, 0, 0
	for _, s := range p.Stacks {
		if s.Rollout != nil {
			rollouts++
		}
		if s.Action == ActionNone && s.Rollout == nil {
			unchanged++
		} else {
			changed++
		}
	}
	if changed == 0 {
		fmt.Fprintf(r.w, "No changes: %d %s up to date.\n", unchanged, plural(unchanged, "stack is", "stacks are"))
		return
	}
	line := fmt.Sprintf("Plan: %s in %d %s", countsOf(p.Stacks), changed, plural(changed, "stack", "stacks"))
	if rollouts > 0 {
		line += fmt.Sprintf("; %d release %s", rollouts, plural(rollouts, "rollout", "rollouts"))
	}
	if unchanged > 0 {
		line += fmt.Sprintf("; %d unchanged", unchanged)
	}
	fmt.Fprintln(r.w, line+".")
}

// countsOf summarises changes: "2 to add, 1 to change, 1 replacement".
func countsOf(stacks []StackPlan) string {
	var add, change, remove, replace int
	for _, s := range stacks {
		for _, c := range s.Changes {
			switch c.Action {
			case "Add":
				add++
			case "Remove":
				remove++
			default:
				change++
			}
			if c.Replacement == "True" {
				replace++
			}
		}
	}
	s := fmt.Sprintf("%d to add, %d to change, %d to remove", add, change, remove)
	if replace > 0 {
		s += fmt.Sprintf(" (%d %s)", replace, plural(replace, "replacement", "replacements"))
	}
	return s
}

// changedNames lists the changed properties of a Modify, once each.
func changedNames(c ResourceChange) string {
	seen := map[string]bool{}
	var names []string
	for _, p := range c.Properties {
		n := p.Name
		if n == "" {
			n = p.Attribute
		}
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

func columnWidths(rows [][]string) []int {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for j, cell := range row {
			widths[j] = max(widths[j], utf8.RuneCountInString(cell))
		}
	}
	return widths
}

// differingParts shortens two values for display. Long values (a launch
// template, a policy) usually share a long beginning, so both are shown
// from a little before where they first differ.
func differingParts(before, after *string) (string, string) {
	b, a := flatten(before), flatten(after)
	start := 0
	if before != nil && after != nil {
		common := 0
		for common < len(b) && common < len(a) && b[common] == a[common] {
			common++
		}
		if common > maxValueWidth/2 {
			start = common - 15
		}
	}
	return window(before, b, start), window(after, a, start)
}

func flatten(v *string) []rune {
	if v == nil {
		return nil
	}
	return []rune(strings.Join(strings.Fields(*v), " "))
}

func window(v *string, r []rune, start int) string {
	switch {
	case v == nil:
		return "(none)"
	case len(r) == 0:
		return `""`
	}
	prefix := ""
	if start > 0 && start < len(r) {
		r, prefix = r[start:], "…"
	}
	if len(r) > maxValueWidth {
		return prefix + string(r[:maxValueWidth-1]) + "…"
	}
	return prefix + string(r)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// stackFacts are what the head line of a stack says about it: its region,
// its tier, and the account it is pinned to, if any.
func stackFacts(s StackPlan) []string {
	facts := []string{s.Region}
	if s.Tier != "" {
		facts = append(facts, s.Tier)
	}
	if s.Account != "" {
		facts = append(facts, "account "+s.Account)
	}
	return facts
}
