package rules

const (
	typeEventBus       = "AWS::Events::EventBus"
	typeEventBusPolicy = "AWS::Events::EventBusPolicy"
	typeEventRule      = "AWS::Events::Rule"
)

var eventsRules = []*Rule{
	{
		ID: "PHS-EVT-001", Severity: Error,
		Title:     "Event buses are not open to every account",
		Rationale: "Anyone allowed to put events on a bus can trigger every rule listening on it.",
		Controls:  []string{"AwsSolutions-EVB1"},
		Types:     []string{typeEventBus, typeEventBusPolicy},
		check: func(t *Template) []violation {
			var out []violation
			for _, r := range t.ofType(typeEventBus) {
				for _, st := range statements(r.Props["Policy"]) {
					if st["Effect"] == "Allow" && isEveryone(st["Principal"]) && st["Condition"] == nil {
						out = append(out, violation{resource: r, message: "Policy allows Principal * without a Condition"})
						break
					}
				}
			}
			for _, r := range t.ofType(typeEventBusPolicy) {
				open := r.Props["Principal"] == "*" && r.Props["Condition"] == nil
				if st, ok := r.Props["Statement"].(map[string]any); ok {
					open = open || st["Effect"] == "Allow" && isEveryone(st["Principal"]) && st["Condition"] == nil
				}
				if open {
					out = append(out, violation{resource: r, message: "allows Principal * without a Condition"})
				}
			}
			return out
		},
	},
}
