package rules

import "strings"

const (
	typeBucket       = "AWS::S3::Bucket"
	typeBucketPolicy = "AWS::S3::BucketPolicy"
)

var s3Rules = []*Rule{
	{
		ID: "PHS-S3-001", Severity: Error,
		Title:     "S3 buckets block all public access",
		Rationale: "Bucket-level Block Public Access keeps a bad ACL or policy from ever exposing objects.",
		Controls:  []string{"AwsSolutions-S2", "CT.S3.PR.1", "CIS 1.4 2.1.5"},
		Types:     []string{typeBucket},
		check: eachResource(typeBucket, func(t *Template, r *Resource) string {
			bpa, ok := r.Props["PublicAccessBlockConfiguration"].(map[string]any)
			if !ok {
				return "has no PublicAccessBlockConfiguration"
			}
			for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
				if !t.isTrue(bpa[k]) {
					return "PublicAccessBlockConfiguration." + k + " is not true"
				}
			}
			return ""
		}),
	},
	{
		ID: "PHS-S3-002", Severity: Error,
		Title:     "S3 buckets have server access logging",
		Rationale: "Access logs record every request to the bucket, the evidence an investigation starts from.",
		Controls:  []string{"AwsSolutions-S1", "CT.S3.PR.2", "CIS 1.4 3.6"},
		Types:     []string{typeBucket},
		check: eachResource(typeBucket, func(t *Template, r *Resource) string {
			lc, ok := r.Props["LoggingConfiguration"].(map[string]any)
			if !ok {
				return "has no LoggingConfiguration"
			}
			if dest, ok := lc["DestinationBucketName"]; ok {
				if s, isStr := t.str(dest); isStr && strings.TrimSpace(s) != "" {
					return ""
				}
				if !t.refersTo(dest, typeBucket) {
					return "LoggingConfiguration.DestinationBucketName is neither a bucket name nor a bucket of this template"
				}
			}
			return ""
		}),
	},
	{
		ID: "PHS-S3-003", Severity: Error,
		Title:     "S3 buckets have default encryption",
		Rationale: "Default encryption makes every object encrypted at rest, whoever writes it.",
		Controls:  []string{"CIS 1.4 2.1.1"},
		Types:     []string{typeBucket},
		check: eachResource(typeBucket, func(t *Template, r *Resource) string {
			algs := sseAlgorithms(t, r)
			if len(algs) == 0 {
				return "has no BucketEncryption default"
			}
			for _, a := range algs {
				if a != "AES256" && a != "aws:kms" && a != "aws:kms:dsse" {
					return "uses unknown SSEAlgorithm " + a
				}
			}
			return ""
		}),
	},
	{
		ID: "PHS-S3-004", Severity: Warning,
		Title:     "S3 buckets encrypt with AWS KMS",
		Rationale: "A KMS key adds an access policy and an audit trail of its own to every read of the data.",
		Controls:  []string{"CT.S3.PR.10"},
		Types:     []string{typeBucket},
		check: eachResource(typeBucket, func(t *Template, r *Resource) string {
			algs := sseAlgorithms(t, r)
			if len(algs) == 0 {
				return "has no BucketEncryption default"
			}
			for _, a := range algs {
				if a != "aws:kms" && a != "aws:kms:dsse" {
					return "encrypts with " + a + ", not aws:kms"
				}
			}
			return ""
		}),
	},
	{
		ID: "PHS-S3-005", Severity: Error,
		Title:     "S3 bucket policies deny requests without TLS",
		Rationale: "A Deny on aws:SecureTransport=false keeps data from crossing the network in clear text.",
		Controls:  []string{"AwsSolutions-S10", "CT.S3.PR.8", "CIS 1.4 2.1.2"},
		Types:     []string{typeBucket, typeBucketPolicy},
		check: eachResource(typeBucket, func(t *Template, r *Resource) string {
			for _, p := range t.ofType(typeBucketPolicy) {
				if !policyIsFor(t, p.Props["Bucket"], r) {
					continue
				}
				for _, st := range statements(p.Props["PolicyDocument"]) {
					if isTLSDeny(t, st, func(res []any) bool { return coversBucket(t, res, r) }, "s3:*") {
						return ""
					}
				}
			}
			return "no bucket policy denies requests to the bucket and its objects when aws:SecureTransport is false"
		}),
	},
	{
		ID: "PHS-S3-006", Severity: Warning,
		Title:     "S3 buckets have versioning enabled",
		Rationale: "Versions let an overwritten or deleted object be recovered.",
		Controls:  []string{"CT.S3.PR.11"},
		Types:     []string{typeBucket},
		check: eachResource(typeBucket, func(t *Template, r *Resource) string {
			if s, _ := t.str(get(r.Props, "VersioningConfiguration", "Status")); s != "Enabled" {
				return "VersioningConfiguration.Status is not Enabled"
			}
			return ""
		}),
	},
	{
		ID: "PHS-S3-007", Severity: Warning,
		Title:     "S3 buckets have an enabled lifecycle rule",
		Rationale: "A lifecycle rule keeps data, and old versions, from piling up unreviewed and at cost.",
		Controls:  []string{"CT.S3.PR.3", "CT.S3.PR.6"},
		Types:     []string{typeBucket},
		check: eachResource(typeBucket, func(t *Template, r *Resource) string {
			for _, rule := range t.list(get(r.Props, "LifecycleConfiguration", "Rules")) {
				if s, _ := t.str(get(rule, "Status")); s == "Enabled" {
					return ""
				}
			}
			return "has no enabled LifecycleConfiguration rule"
		}),
	},
	{
		ID: "PHS-S3-008", Severity: Error,
		Title:     "S3 buckets do not grant access with ACLs",
		Rationale: "ACLs grant access outside the bucket policy, where reviews do not look.",
		Controls:  []string{"CT.S3.PR.5"},
		Types:     []string{typeBucket},
		check: eachResource(typeBucket, func(t *Template, r *Resource) string {
			if _, ok := r.Props["AccessControl"]; ok {
				return "sets AccessControl (a canned ACL)"
			}
			return ""
		}),
	},
	{
		ID: "PHS-S3-009", Severity: Warning,
		Title:     "S3 buckets publish event notifications",
		Rationale: "Object events reaching EventBridge let unexpected writes and deletions be detected.",
		Controls:  []string{"CT.S3.PR.4"},
		Types:     []string{typeBucket},
		check: eachResource(typeBucket, func(t *Template, r *Resource) string {
			nc, ok := r.Props["NotificationConfiguration"].(map[string]any)
			if ok {
				if t.isTrue(get(nc, "EventBridgeConfiguration", "EventBridgeEnabled")) {
					return ""
				}
				for _, k := range []string{"LambdaConfigurations", "QueueConfigurations", "TopicConfigurations"} {
					if len(t.list(nc[k])) > 0 {
						return ""
					}
				}
			}
			return "has no NotificationConfiguration (EventBridge, Lambda, SQS or SNS)"
		}),
	},
	{
		ID: "PHS-S3-010", Severity: Warning,
		Title:     "S3 buckets have Object Lock enabled",
		Rationale: "Object Lock keeps objects from being deleted or overwritten for their retention period, even by an administrator.",
		Controls:  []string{"CT.S3.PR.9"},
		Types:     []string{typeBucket},
		check: eachResource(typeBucket, func(t *Template, r *Resource) string {
			if !t.isTrue(r.Props["ObjectLockEnabled"]) {
				return "ObjectLockEnabled is not true"
			}
			return ""
		}),
	},
}

// sseAlgorithms lists the default encryption algorithms of a bucket.
func sseAlgorithms(t *Template, r *Resource) []string {
	var out []string
	for _, rule := range t.list(get(r.Props, "BucketEncryption", "ServerSideEncryptionConfiguration")) {
		if a, ok := t.str(get(rule, "ServerSideEncryptionByDefault", "SSEAlgorithm")); ok {
			out = append(out, a)
		} else {
			out = append(out, "(missing)")
		}
	}
	return out
}

// policyIsFor reports whether a bucket policy's Bucket property names the
// bucket r: a Ref to it, or its literal name.
func policyIsFor(t *Template, bucket any, r *Resource) bool {
	if ref, ok := t.refTo(bucket); ok {
		return ref.ID == r.ID
	}
	name, ok := t.str(bucket)
	own, hasName := t.str(r.Props["BucketName"])
	return ok && hasName && name == own
}

// coversBucket reports whether a statement's resources include both the
// bucket and all of its objects (or everything, "*").
func coversBucket(t *Template, resources []any, r *Resource) bool {
	var bucket, objects bool
	for _, res := range resources {
		s := normaliseArn(t, res, r)
		switch s {
		case "*":
			return true
		case "BUCKET":
			bucket = true
		case "BUCKET/*":
			objects = true
		}
	}
	return bucket && objects
}

// normaliseArn rewrites the ways a template writes the ARN of bucket r
// (Fn::GetAtt, Fn::Sub, Fn::Join, a literal name) as "BUCKET".
func normaliseArn(t *Template, v any, r *Resource) string {
	s := flatten(t.resolve(v))
	forms := []string{
		"<" + r.ID + ".Arn>", "${" + r.ID + ".Arn}",
		"arn:${AWS::Partition}:s3:::${" + r.ID + "}", "arn:aws:s3:::${" + r.ID + "}",
		"arn:<AWS::Partition>:s3:::<" + r.ID + ">", "arn:aws:s3:::<" + r.ID + ">",
	}
	if name, ok := t.str(r.Props["BucketName"]); ok {
		for _, partition := range []string{"aws", "aws-cn", "aws-us-gov", "${AWS::Partition}", "<AWS::Partition>"} {
			forms = append(forms, "arn:"+partition+":s3:::"+name)
		}
	}
	for _, f := range forms {
		if s == f {
			return "BUCKET"
		}
		if s == f+"/*" {
			return "BUCKET/*"
		}
	}
	return s
}
