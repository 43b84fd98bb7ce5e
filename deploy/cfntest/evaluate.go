package cfntest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// arnFormats are the resource types whose Ref is an ARN rather than a
// name; the rest get a CloudFormation-style generated name.
var arnFormats = map[string]string{
	"AWS::SNS::Topic":                           "arn:aws:sns:%[1]s:%[2]s:%[3]s",
	"AWS::SNS::Subscription":                    "arn:aws:sns:%[1]s:%[2]s:%[3]s:%[4]s",
	"AWS::ElasticLoadBalancingV2::LoadBalancer": "arn:aws:elasticloadbalancing:%[1]s:%[2]s:loadbalancer/app/%[3]s/%[4]s",
	"AWS::ElasticLoadBalancingV2::TargetGroup":  "arn:aws:elasticloadbalancing:%[1]s:%[2]s:targetgroup/%[3]s/%[4]s",
	"AWS::ElasticLoadBalancingV2::Listener":     "arn:aws:elasticloadbalancing:%[1]s:%[2]s:listener/app/%[3]s/%[4]s",
	"AWS::AutoScaling::ScalingPolicy":           "arn:aws:autoscaling:%[1]s:%[2]s:scalingPolicy:%[4]s:autoScalingGroupName/%[3]s",
	"AWS::IAM::ManagedPolicy":                   "arn:aws:iam::%[2]s:policy/%[3]s",
}

// nameProperties are the properties that, when set, become the physical
// name of a resource.
var nameProperties = map[string]string{
	"AWS::CloudWatch::Alarm":                    "AlarmName",
	"AWS::CloudWatch::Dashboard":                "DashboardName",
	"AWS::SNS::Topic":                           "TopicName",
	"AWS::IAM::Role":                            "RoleName",
	"AWS::IAM::InstanceProfile":                 "InstanceProfileName",
	"AWS::Logs::LogGroup":                       "LogGroupName",
	"AWS::S3::Bucket":                           "BucketName",
	"AWS::ElasticLoadBalancingV2::LoadBalancer": "Name",
	"AWS::ElasticLoadBalancingV2::TargetGroup":  "Name",
	"AWS::EC2::LaunchTemplate":                  "LaunchTemplateName",
	"AWS::AutoScaling::AutoScalingGroup":        "AutoScalingGroupName",
}

// physicalID makes the physical ID a resource gets on creation:
// deterministic, different for every stack, logical ID and generation.
func physicalID(st *stack, id string, r *tmplResource, ev *evaluator) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%s/%d", st.id, id, st.generation)))
	suffix := strings.ToUpper(hex.EncodeToString(sum[:])[:13])
	name := fmt.Sprintf("%s-%s-%s", st.name, id, suffix)
	if p := nameProperties[r.typ]; p != "" {
		if v, ok := ev.eval(r.props[p]).(string); ok && v != "" && !strings.Contains(v, "<") {
			name = v
		}
	}
	if f := arnFormats[r.typ]; f != "" {
		return fmt.Sprintf(f, st.region, st.account, name, strings.ToLower(suffix))
	}
	if r.typ == "AWS::EC2::SecurityGroup" {
		return "sg-0" + strings.ToLower(suffix)
	}
	return name
}

// evaluator resolves the intrinsic functions an output value typically
// uses, with the stack's parameters and physical IDs.
type evaluator struct {
	st     *stack
	tmpl   *template
	params map[string]string
	phys   map[string]string
}

func (e *evaluator) ref(name string) (any, bool) {
	switch name {
	case "AWS::StackName":
		return e.st.name, true
	case "AWS::StackId":
		return e.st.id, true
	case "AWS::Region":
		return e.st.region, true
	case "AWS::AccountId":
		return e.st.account, true
	case "AWS::Partition":
		return "aws", true
	case "AWS::URLSuffix":
		return "amazonaws.com", true
	case "AWS::NoValue":
		return nil, true
	}
	if p, ok := e.tmpl.params[name]; ok {
		if v, given := e.params[name]; given {
			return v, true
		}
		return p.def, true
	}
	if v, ok := e.phys[name]; ok {
		return v, true
	}
	return nil, false
}

func (e *evaluator) getAtt(id, attr string) string {
	phys := e.phys[id]
	switch attr {
	case "Arn":
		if strings.HasPrefix(phys, "arn:") {
			return phys
		}
		return fmt.Sprintf("arn:aws:%s:%s:%s:%s", serviceOf(e.tmpl, id), e.st.region, e.st.account, phys)
	case "DNSName":
		// ARN .../app/<name>/<id> → <name>-<digits>.<region>.elb.amazonaws.com
		name := phys
		if parts := strings.Split(phys, "/"); len(parts) >= 2 {
			name = parts[len(parts)-2]
		}
		sum := sha256.Sum256([]byte(phys))
		return fmt.Sprintf("%s-%d.%s.elb.amazonaws.com", lastSegment(name, 32), 1e9+int(sum[0])<<16|int(sum[1])<<8|int(sum[2]), e.st.region)
	}
	return lastSegment(phys, 64) + "." + attr
}

func serviceOf(t *template, id string) string {
	if r := t.resources[id]; r != nil {
		if parts := strings.Split(r.typ, "::"); len(parts) == 3 {
			return strings.ToLower(parts[1])
		}
	}
	return "unknown"
}

func lastSegment(s string, max int) string {
	if i := strings.LastIndexAny(s, "/:"); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > max {
		s = s[:max]
	}
	return s
}

// eval resolves v; what it cannot resolve it renders as "<unresolved>",
// which is enough for outputs shown to a user.
func (e *evaluator) eval(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if len(x) != 1 {
			return x
		}
		for fn, arg := range x {
			switch fn {
			case "Ref":
				name, _ := arg.(string)
				if r, ok := e.ref(name); ok {
					return r
				}
				return "<unresolved>"
			case "Fn::GetAtt":
				var id, attr string
				switch a := arg.(type) {
				case []any:
					if len(a) == 2 {
						id, _ = a[0].(string)
						attr, _ = a[1].(string)
					}
				case string:
					id, attr, _ = strings.Cut(a, ".")
				}
				return e.getAtt(id, attr)
			case "Fn::Sub":
				str, _ := arg.(string)
				vars := map[string]any{}
				if a, ok := arg.([]any); ok && len(a) == 2 {
					str, _ = a[0].(string)
					if m, ok := a[1].(map[string]any); ok {
						for k, vv := range m {
							vars[k] = e.eval(vv)
						}
					}
				}
				return subVar.ReplaceAllStringFunc(str, func(m string) string {
					name := m[2 : len(m)-1]
					if v, ok := vars[name]; ok {
						return scalarString(v)
					}
					if id, attr, ok := strings.Cut(name, "."); ok {
						return e.getAtt(id, attr)
					}
					if r, ok := e.ref(name); ok {
						return scalarString(r)
					}
					return m
				})
			case "Fn::Join":
				a, _ := arg.([]any)
				if len(a) != 2 {
					return "<unresolved>"
				}
				sep, _ := a[0].(string)
				items, _ := e.eval(a[1]).([]any)
				parts := make([]string, len(items))
				for i, it := range items {
					parts[i] = scalarString(e.eval(it))
				}
				return strings.Join(parts, sep)
			}
			return "<unresolved>"
		}
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = e.eval(it)
		}
		return out
	}
	return v
}
