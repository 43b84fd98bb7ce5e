package compiler

import (
	"strconv"

	"github.com/awslabs/goformation/v7/cloudformation"
	elb "github.com/awslabs/goformation/v7/cloudformation/elasticloadbalancingv2"
)

const (
	idLoadBalancer  = "LoadBalancer"
	idTargetGroup   = "TargetGroup"
	idHTTPSListener = "HttpsListener"
	idHTTPListener  = "HttpRedirectListener"

	// tlsPolicy accepts TLS 1.3 and TLS 1.2 with forward-secret ciphers
	// only: the current recommended policy for internet-facing listeners.
	tlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
)

// deregistrationDelaySeconds lets in-flight requests finish on an instance
// that leaves the group; production allows slower requests to drain.
var deregistrationDelaySeconds = map[string]int{"production": 60, "staging": 30, "dev": 15}

// compileLoadBalancer adds the internet-facing Application Load Balancer:
// HTTPS with a current TLS policy, HTTP answered only with a redirect,
// invalid headers dropped, access logs on, and the target group whose health
// check decides which instances get traffic.
func compileLoadBalancer(b *stackBuilder) {
	attrs := []elb.LoadBalancer_LoadBalancerAttribute{
		{Key: ptr("access_logs.s3.enabled"), Value: ptr("true")},
		{Key: ptr("access_logs.s3.bucket"), Value: ptr(cloudformation.Ref(idAccessLogsBucket))},
		{Key: ptr("access_logs.s3.prefix"), Value: ptr(accessLogsPrefix)},
		{Key: ptr("deletion_protection.enabled"), Value: ptr(strconv.FormatBool(b.env.Tier == "production"))},
		{Key: ptr("routing.http.drop_invalid_header_fields.enabled"), Value: ptr("true")},
		{Key: ptr("routing.http.desync_mitigation_mode"), Value: ptr("defensive")},
		{Key: ptr("idle_timeout.timeout_seconds"), Value: ptr("60")},
	}
	lb := &elb.LoadBalancer{
		Name:                   ptr(b.env.Stack),
		Type:                   ptr("application"),
		Scheme:                 ptr("internet-facing"),
		IpAddressType:          ptr("ipv4"),
		Subnets:                listParam(paramPublicSubnetIDs),
		SecurityGroups:         []string{cloudformation.GetAtt(idLoadBalancerSG, "GroupId")},
		LoadBalancerAttributes: attrs,
		Tags:                   b.tags(),
	}
	// The load balancer checks that it may write to the bucket when access
	// logs are switched on, so the bucket policy must exist first.
	lb.AWSCloudFormationDependsOn = []string{idAccessLogsBucketPolicy}
	b.add(idLoadBalancer, lb)

	for _, f := range b.fleets() {
		compileTargetGroup(b, f)
	}

	// A rolling stack forwards to its one target group.
	listener := &elb.Listener{
		LoadBalancerArn: cloudformation.Ref(idLoadBalancer),
		Protocol:        ptr("HTTPS"),
		Port:            ptr(443),
		SslPolicy:       ptr(tlsPolicy),
		Certificates:    []elb.Listener_Certificate{{CertificateArn: ptr(cloudformation.Ref(paramCertificateArn))}},
		DefaultActions: []elb.Listener_Action{{
			Type:           "forward",
			TargetGroupArn: ptr(cloudformation.Ref(b.fleets()[0].targetGroupID)),
		}},
	}
	b.add(idHTTPSListener, listener)
	if b.env.Deployment.Strategy == StrategyBlueGreen {
		// Both colours, weighted by parameters.
		compileBlueGreenListener(b)
	}
	b.add(idHTTPListener, &elb.Listener{
		LoadBalancerArn: cloudformation.Ref(idLoadBalancer),
		Protocol:        ptr("HTTP"),
		Port:            ptr(80),
		DefaultActions: []elb.Listener_Action{{
			Type: "redirect",
			RedirectConfig: &elb.Listener_RedirectConfig{
				Protocol:   ptr("HTTPS"),
				Port:       ptr("443"),
				StatusCode: "HTTP_301",
			},
		}},
	})
}

// listParam is a List<...> parameter used where a property expects a list.
// goformation types such properties as []string and cannot hold an
// intrinsic in place of the whole list; Render unwraps this one-element
// form into the bare Ref that CloudFormation expects.
func listParam(name string) []string {
	return []string{cloudformation.Ref(name)}
}

// compileTargetGroup adds a fleet's target group, whose health check
// decides which of its instances get traffic. A rolling stack's group is
// named <stack>-app, a colour's <stack>-blue or <stack>-green: the schema
// keeps stack names short enough for the 32-character limit.
func compileTargetGroup(b *stackBuilder, f fleet) {
	name := b.name("app")
	if f.colour != "" {
		name = b.name(f.colour)
	}
	hc := b.svc.App.HealthCheck
	b.add(f.targetGroupID, &elb.TargetGroup{
		Name:                       ptr(name),
		VpcId:                      ptr(cloudformation.Ref(paramVpcID)),
		TargetType:                 ptr("instance"),
		Protocol:                   ptr("HTTP"),
		ProtocolVersion:            ptr("HTTP1"),
		Port:                       ptr(b.svc.App.Port),
		HealthCheckEnabled:         ptr(true),
		HealthCheckProtocol:        ptr("HTTP"),
		HealthCheckPath:            ptr(hc.Path),
		HealthCheckIntervalSeconds: ptr(hc.IntervalSeconds),
		HealthCheckTimeoutSeconds:  ptr(hc.TimeoutSeconds),
		HealthyThresholdCount:      ptr(hc.HealthyThreshold),
		UnhealthyThresholdCount:    ptr(hc.UnhealthyThreshold),
		Matcher:                    &elb.TargetGroup_Matcher{HttpCode: ptr(hc.Matcher)},
		TargetGroupAttributes: []elb.TargetGroup_TargetGroupAttribute{
			{Key: ptr("deregistration_delay.timeout_seconds"), Value: ptr(strconv.Itoa(deregistrationDelaySeconds[b.env.Tier]))},
		},
		Tags: b.tags(),
	})
}
