package compiler

// policyDocument is an IAM-style policy (IAM, bucket, topic and key
// policies share the grammar). Render sorts its keys, so a map is fine.
func policyDocument(statements ...map[string]any) map[string]any {
	list := make([]any, len(statements))
	for i, s := range statements {
		list[i] = s
	}
	return map[string]any{"Version": "2012-10-17", "Statement": list}
}

// denyInsecureTransport is the statement that makes a bucket or topic
// refuse every request not made over TLS.
func denyInsecureTransport(sid string, resources ...any) map[string]any {
	return map[string]any{
		"Sid":       sid,
		"Effect":    "Deny",
		"Principal": "*",
		"Action":    "*",
		"Resource":  resources,
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
	}
}
