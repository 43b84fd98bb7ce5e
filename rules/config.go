package rules

const typeConfigRecorder = "AWS::Config::ConfigurationRecorder"

var cfgRules = []*Rule{
	{
		ID: "PHS-CFG-001", Severity: Warning,
		Title:     "AWS Config records every supported resource type",
		Rationale: "A recorder that skips types leaves exactly those changes out of the compliance history.",
		Controls:  []string{"CIS 1.4 3.5"},
		Types:     []string{typeConfigRecorder},
		check: eachResource(typeConfigRecorder, func(t *Template, r *Resource) string {
			rg, ok := r.Props["RecordingGroup"].(map[string]any)
			if !ok {
				return "" // the default records all supported types
			}
			if t.isTrue(rg["AllSupported"]) {
				return ""
			}
			if s, _ := t.str(get(rg, "RecordingStrategy", "UseOnly")); s == "ALL_SUPPORTED_RESOURCE_TYPES" {
				return ""
			}
			return "RecordingGroup does not record all supported resource types"
		}),
	},
}
