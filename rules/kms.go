package rules

import "strings"

const typeKMSKey = "AWS::KMS::Key"

var kmsRules = []*Rule{
	{
		ID: "PHS-KMS-001", Severity: Error,
		Title:     "Symmetric KMS keys rotate their key material",
		Rationale: "Yearly rotation limits how much data one key version protects, at no cost to callers.",
		Controls:  []string{"AwsSolutions-KMS5", "CT.KMS.PR.1", "CIS 1.4 3.8"},
		Types:     []string{typeKMSKey},
		check: eachResource(typeKMSKey, func(t *Template, r *Resource) string {
			if spec, ok := t.str(r.Props["KeySpec"]); ok && spec != "SYMMETRIC_DEFAULT" {
				return ""
			}
			if !t.isTrue(r.Props["EnableKeyRotation"]) {
				return "EnableKeyRotation is not true"
			}
			return ""
		}),
	},
	{
		ID: "PHS-KMS-002", Severity: Warning,
		Title:     "KMS key policies let only AWS services create grants",
		Rationale: "A grant delegates use of the key outside its policy; only the services that need one should make them.",
		Controls:  []string{"CT.KMS.PR.3"},
		Types:     []string{typeKMSKey},
		check: eachResource(typeKMSKey, func(t *Template, r *Resource) string {
			for _, st := range statements(r.Props["KeyPolicy"]) {
				if isGrantGuard(t, st) {
					return ""
				}
			}
			return "KeyPolicy has no statement denying kms:CreateGrant unless kms:GrantIsForAWSResource and aws:PrincipalIsAWSService"
		}),
	},
	{
		ID: "PHS-KMS-003", Severity: Warning,
		Title:     "RSA keys for encryption are longer than 2048 bits",
		Rationale: "2048-bit RSA gives 112-bit security, which NIST plans to retire after 2030; data encrypted now may need protecting longer.",
		Controls:  []string{"CT.KMS.PR.2"},
		Types:     []string{typeKMSKey},
		check: eachResource(typeKMSKey, func(t *Template, r *Resource) string {
			if usage, ok := t.str(r.Props["KeyUsage"]); ok && usage != "ENCRYPT_DECRYPT" {
				return "" // signing and MAC keys are out of scope
			}
			if spec, _ := t.str(r.Props["KeySpec"]); spec == "RSA_2048" {
				return "KeySpec is RSA_2048 for an ENCRYPT_DECRYPT key; use RSA_3072 or RSA_4096"
			}
			return ""
		}),
	},
}

// isGrantGuard reports whether a key policy statement is the one
// CT.KMS.PR.3 looks for: Deny kms:CreateGrant to everyone on the key unless
// the grant is for an AWS resource made by an AWS service.
func isGrantGuard(t *Template, st map[string]any) bool {
	if st["Effect"] != "Deny" || !isEveryone(st["Principal"]) {
		return false
	}
	actions := t.strs(st["Action"])
	if len(actions) == 0 {
		return false
	}
	for _, a := range actions {
		if a != "kms:CreateGrant" {
			return false
		}
	}
	for _, res := range t.strs(st["Resource"]) {
		if res != "*" {
			return false
		}
	}
	cond, ok := st["Condition"].(map[string]any)
	if !ok || len(cond) != 1 {
		return false
	}
	b, ok := cond["BoolIfExists"].(map[string]any)
	if !ok || len(b) != 2 {
		return false
	}
	var grant, service bool
	for k, v := range b {
		switch strings.ToLower(k) {
		case "kms:grantisforawsresource":
			grant = t.isFalse(v)
		case "aws:principalisawsservice":
			service = t.isFalse(v)
		}
	}
	return grant && service
}
