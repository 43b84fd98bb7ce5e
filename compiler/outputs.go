package compiler

import "github.com/awslabs/goformation/v7/cloudformation"

// compileOutputs publishes what operators and the deploy step need: where
// the service answers and where its alerts go.
func compileOutputs(b *stackBuilder) {
	out := func(name, description, value string) {
		b.t.Outputs[name] = cloudformation.Output{Value: value, Description: ptr(description)}
	}
	out("LoadBalancerDnsName", "DNS name of the load balancer; point the service's domain at it.",
		cloudformation.GetAtt(idLoadBalancer, "DNSName"))
	out("ServiceUrl", "HTTPS address of the service through the load balancer.",
		cloudformation.Sub("https://${"+idLoadBalancer+".DNSName}"))
	if b.env.Deployment.Strategy != StrategyBlueGreen {
		// A blue-green stack publishes one group per colour instead.
		out("AutoScalingGroupName", "Auto Scaling group that runs the instances.", cloudformation.Ref(idAsg))
	}
	for _, sev := range severities {
		out(topicID(sev)+"Arn", "SNS topic of "+string(sev)+" alerts.", cloudformation.Ref(topicID(sev)))
	}
}
