package deploy

import "strings"

// securityTypes are resource types whose every change is
// security-relevant, by type-name prefix, with the words a reviewer reads.
var securityTypes = []struct{ prefix, why string }{
	{"AWS::IAM::", "IAM"},
	{"AWS::EC2::SecurityGroup", "security group rules"},
	{"AWS::EC2::NetworkAcl", "network ACL"},
	{"AWS::KMS::", "KMS key or policy"},
	{"AWS::S3::BucketPolicy", "bucket policy"},
	{"AWS::SNS::TopicPolicy", "topic policy"},
	{"AWS::SQS::QueuePolicy", "queue policy"},
	{"AWS::Lambda::Permission", "Lambda permission"},
	{"AWS::SecretsManager::ResourcePolicy", "secret policy"},
	{"AWS::WAFv2::", "WAF"},
	{"AWS::WAFRegional::", "WAF"},
	{"AWS::WAF::", "WAF"},
}

// securityProperties are properties that carry security on resources of
// any type: who may do what, who may connect, what is encrypted how.
var securityProperties = map[string]bool{
	"SecurityGroups": true, "SecurityGroupIds": true, "SecurityGroupIngress": true, "SecurityGroupEgress": true,
	"IamInstanceProfile": true, "Policies": true, "ManagedPolicyArns": true, "PolicyDocument": true,
	"AssumeRolePolicyDocument": true, "PermissionsBoundary": true, "KeyPolicy": true,
	"KmsKeyId": true, "KmsMasterKeyId": true, "KMSMasterKeyID": true, "BucketEncryption": true,
	"PublicAccessBlockConfiguration": true, "SslPolicy": true, "Certificates": true, "Scheme": true,
	"MetadataOptions": true, "AccessControl": true, "OwnershipControls": true,
}

// securityReason says why a change is security-relevant, or "".
func securityReason(c ResourceChange) string {
	for _, t := range securityTypes {
		if strings.HasPrefix(c.Type, t.prefix) {
			return t.why
		}
	}
	var props []string
	for _, p := range c.Properties {
		if securityProperties[p.Name] {
			props = append(props, p.Name)
		}
	}
	if len(props) > 0 {
		return "changes " + strings.Join(props, ", ")
	}
	return ""
}
