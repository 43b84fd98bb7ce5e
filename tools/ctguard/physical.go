package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// A hook sees a reference to another resource of the stack as that
// resource's physical value: a bucket name, a key ID, an ARN. Those exist
// only once CloudFormation has created the resource, so the emulation makes
// up values of the right shape, derived from the stack name and the logical
// ID so that they are the same on every run. The Control Tower rules look
// at shapes (an ARN of the right service, a non-empty bucket name), never
// at which account or key a value names.

// physicalRef is what Ref returns for a resource of the stack.
func (s *stack) physicalRef(id string) (any, error) {
	typ := s.resources[id]["Type"].(string)
	switch typ {
	case "AWS::S3::Bucket":
		name, err := s.nameOf(id, "BucketName", 63)
		if _, set := s.property(id, "BucketName"); !set {
			name = strings.ToLower(name)
		}
		return name, err
	case "AWS::SNS::Topic":
		name, err := s.nameOf(id, "TopicName", 255)
		return s.arn("sns", name), err
	case "AWS::KMS::Key":
		return uuidFrom(s.name + "/" + id), nil
	case "AWS::Logs::LogGroup":
		return s.nameOf(id, "LogGroupName", 255)
	case "AWS::EC2::SecurityGroup":
		return "sg-" + hexFrom(s.name+"/"+id, 17), nil
	case "AWS::EC2::LaunchTemplate":
		return "lt-" + hexFrom(s.name+"/"+id, 17), nil
	case "AWS::ElasticLoadBalancingV2::LoadBalancer":
		full, err := s.loadBalancerFullName(id)
		return s.arn("elasticloadbalancing", "loadbalancer/"+full), err
	case "AWS::ElasticLoadBalancingV2::TargetGroup":
		full, err := s.targetGroupFullName(id)
		return s.arn("elasticloadbalancing", full), err
	case "AWS::ElasticLoadBalancingV2::Listener":
		return s.arn("elasticloadbalancing", "listener/app/"+s.generatedName(id, 32)+"/"+hexFrom(s.name+"/lb/"+id, 16)+"/"+hexFrom(s.name+"/"+id, 16)), nil
	case "AWS::AutoScaling::ScalingPolicy":
		group, err := s.propertyString(id, "AutoScalingGroupName")
		if err != nil {
			return nil, err
		}
		return fmt.Sprintf("arn:%s:autoscaling:%s:%s:scalingPolicy:%s:autoScalingGroupName/%s:policyName/%s",
			hookPartition, hookRegion, hookAccountID, uuidFrom(s.name+"/"+id), group, s.generatedName(id, 255)), nil
	case "AWS::WAFv2::WebACL":
		name, err := s.nameOf(id, "Name", 128)
		scope, _ := s.propertyString(id, "Scope")
		return name + "|" + uuidFrom(s.name+"/"+id) + "|" + scope, err
	case "AWS::AutoScaling::AutoScalingGroup":
		return s.nameOf(id, "AutoScalingGroupName", 255)
	case "AWS::IAM::Role":
		return s.nameOf(id, "RoleName", 255)
	case "AWS::IAM::InstanceProfile":
		return s.nameOf(id, "InstanceProfileName", 255)
	case "AWS::CloudWatch::Alarm":
		return s.nameOf(id, "AlarmName", 255)
	}
	return s.generatedName(id, 255), nil
}

// getAtt is what Fn::GetAtt returns. Attributes phasec's templates read
// have their real shape; any other is a placeholder, recorded in assumed.
func (s *stack) getAtt(id, attr string) (any, error) {
	r, ok := s.resources[id]
	if !ok {
		return nil, fmt.Errorf("Fn::GetAtt of %s, which is not a resource of the template", id)
	}
	typ := r["Type"].(string)
	switch typ + "." + attr {
	case "AWS::S3::Bucket.Arn":
		name, err := s.physicalRef(id)
		return fmt.Sprintf("arn:%s:s3:::%s", hookPartition, name), err
	case "AWS::KMS::Key.Arn":
		return s.arn("kms", "key/"+uuidFrom(s.name+"/"+id)), nil
	case "AWS::KMS::Key.KeyId":
		return uuidFrom(s.name + "/" + id), nil
	case "AWS::Logs::LogGroup.Arn":
		name, err := s.physicalRef(id)
		return s.arn("logs", fmt.Sprintf("log-group:%s:*", name)), err
	case "AWS::IAM::Role.Arn":
		name, err := s.physicalRef(id)
		return fmt.Sprintf("arn:%s:iam::%s:role/%s", hookPartition, hookAccountID, name), err
	case "AWS::IAM::InstanceProfile.Arn":
		name, err := s.physicalRef(id)
		return fmt.Sprintf("arn:%s:iam::%s:instance-profile/%s", hookPartition, hookAccountID, name), err
	case "AWS::WAFv2::WebACL.Arn":
		name, err := s.nameOf(id, "Name", 128)
		scope := "regional"
		if sc, _ := s.propertyString(id, "Scope"); sc == "CLOUDFRONT" {
			scope = "global"
		}
		return s.arn("wafv2", fmt.Sprintf("%s/webacl/%s/%s", scope, name, uuidFrom(s.name+"/"+id))), err
	case "AWS::CloudWatch::Alarm.Arn":
		name, err := s.physicalRef(id)
		return s.arn("cloudwatch", fmt.Sprintf("alarm:%s", name)), err
	case "AWS::SNS::Topic.TopicArn":
		return s.physicalRef(id)
	case "AWS::SNS::Topic.TopicName":
		return s.nameOf(id, "TopicName", 255)
	case "AWS::EC2::SecurityGroup.GroupId":
		return s.physicalRef(id)
	case "AWS::EC2::LaunchTemplate.LatestVersionNumber", "AWS::EC2::LaunchTemplate.DefaultVersionNumber":
		return "1", nil
	case "AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerFullName":
		return s.loadBalancerFullName(id)
	case "AWS::ElasticLoadBalancingV2::LoadBalancer.DNSName":
		name, err := s.nameOf(id, "Name", 32)
		return fmt.Sprintf("%s-%s.%s.elb.%s", name, hexFrom(s.name+"/"+id, 8), hookRegion, hookURLSuffix), err
	case "AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupFullName":
		return s.targetGroupFullName(id)
	}
	if attr == "Arn" {
		service := strings.ToLower(strings.Split(typ, "::")[1])
		name, err := s.physicalRef(id)
		if err != nil {
			return nil, err
		}
		str, err := scalarString(name)
		if err != nil {
			return nil, err
		}
		s.assume(fmt.Sprintf("Fn::GetAtt %s.Arn (%s) has no known form: the hook is assumed to see %s", id, typ, s.arn(service, str)))
		return s.arn(service, str), nil
	}
	v := fmt.Sprintf("%s-%s", s.generatedName(id, 255), strings.ToLower(attr))
	s.assume(fmt.Sprintf("Fn::GetAtt %s.%s (%s) has no known form: the hook is assumed to see %q", id, attr, typ, v))
	return v, nil
}

// loadBalancerFullName is app/<name>/<id> (net/ for network load
// balancers), the LoadBalancerFullName attribute.
func (s *stack) loadBalancerFullName(id string) (string, error) {
	name, err := s.nameOf(id, "Name", 32)
	if err != nil {
		return "", err
	}
	kind := "app"
	if t, _ := s.propertyString(id, "Type"); t == "network" {
		kind = "net"
	} else if t == "gateway" {
		kind = "gwy"
	}
	return fmt.Sprintf("%s/%s/%s", kind, name, hexFrom(s.name+"/"+id, 16)), nil
}

// targetGroupFullName is targetgroup/<name>/<id>.
func (s *stack) targetGroupFullName(id string) (string, error) {
	name, err := s.nameOf(id, "Name", 32)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("targetgroup/%s/%s", name, hexFrom(s.name+"/"+id, 16)), nil
}

// nameOf is the resource's name property when the template sets it (with
// its intrinsics resolved), else a name CloudFormation could have generated,
// at most max characters long.
func (s *stack) nameOf(id, property string, max int) (string, error) {
	if _, set := s.property(id, property); set {
		return s.propertyString(id, property)
	}
	return s.generatedName(id, max), nil
}

// property returns one property of a resource as the template writes it.
func (s *stack) property(id, property string) (any, bool) {
	props, _ := s.resources[id]["Properties"].(map[string]any)
	v, ok := props[property]
	return v, ok
}

// propertyString resolves one property of a resource to a string. A name
// that depends on itself through other resources' names is an error, as
// CloudFormation rejects the circular dependency.
func (s *stack) propertyString(id, property string) (string, error) {
	key := id + "." + property
	if s.resolving[key] {
		return "", fmt.Errorf("%s depends on itself", key)
	}
	s.resolving[key] = true
	defer delete(s.resolving, key)
	raw, _ := s.property(id, property)
	v, err := s.resolve(raw)
	if err != nil {
		return "", fmt.Errorf("%s.%s: %w", id, property, err)
	}
	str, err := scalarString(v)
	if err != nil {
		return "", fmt.Errorf("%s.%s: %w", id, property, err)
	}
	return str, nil
}

// generatedName imitates the names CloudFormation gives unnamed resources,
// <stack>-<logical ID>-<random suffix>, cut to max characters.
func (s *stack) generatedName(id string, max int) string {
	suffix := strings.ToUpper(hexFrom(s.name+"/"+id, 12))
	name := s.name + "-" + id
	if len(name)+1+len(suffix) > max {
		name = name[:max-1-len(suffix)]
	}
	return name + "-" + suffix
}

// arn builds an ARN of a regional service in the emulated account.
func (s *stack) arn(service, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", hookPartition, service, hookRegion, hookAccountID, resource)
}

// availabilityZones is what Fn::GetAZs returns in the emulated region.
func availabilityZones() []any {
	return []any{hookRegion + "a", hookRegion + "b", hookRegion + "c"}
}

// hexFrom derives n hexadecimal digits from seed, the same on every run.
func hexFrom(seed string, n int) string {
	sum := sha256.Sum256([]byte(seed))
	return hex.EncodeToString(sum[:])[:n]
}

// uuidFrom derives a UUID-shaped identifier from seed.
func uuidFrom(seed string) string {
	h := hexFrom(seed, 32)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
