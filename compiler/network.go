package compiler

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/ec2"
)

// Security group logical IDs.
const (
	idLoadBalancerSG = "LoadBalancerSecurityGroup"
	idInstanceSG     = "InstanceSecurityGroup"
)

// compileNetwork adds the two security groups. The load balancer accepts
// HTTPS from the spec's CIDRs and HTTP only to redirect it; the instances
// accept the application port from the load balancer's group alone, and
// nothing else: there is no SSH (Session Manager replaces it).
func compileNetwork(b *stackBuilder) {
	var lbIngress []ec2.SecurityGroup_Ingress
	for _, cidr := range b.env.Network.IngressCidrs {
		lbIngress = append(lbIngress,
			ec2.SecurityGroup_Ingress{
				IpProtocol:  "tcp",
				FromPort:    ptr(443),
				ToPort:      ptr(443),
				CidrIp:      ptr(cidr),
				Description: ptr("HTTPS from " + cidr),
			},
			ec2.SecurityGroup_Ingress{
				IpProtocol:  "tcp",
				FromPort:    ptr(80),
				ToPort:      ptr(80),
				CidrIp:      ptr(cidr),
				Description: ptr("HTTP from " + cidr + ", redirected to HTTPS"),
			})
	}
	b.add(idLoadBalancerSG, &ec2.SecurityGroup{
		GroupDescription:     fmt.Sprintf("Load balancer of %s: HTTPS in, HTTP redirected", b.env.Stack),
		VpcId:                ptr(cloudformation.Ref(paramVpcID)),
		SecurityGroupIngress: lbIngress,
		SecurityGroupEgress: []ec2.SecurityGroup_Egress{{
			IpProtocol:                 "tcp",
			FromPort:                   ptr(b.svc.App.Port),
			ToPort:                     ptr(b.svc.App.Port),
			DestinationSecurityGroupId: ptr(cloudformation.GetAtt(idInstanceSG, "GroupId")),
			Description:                ptr("Application port on the instances"),
		}},
		Tags: b.tags(),
	})

	b.add(idInstanceSG, &ec2.SecurityGroup{
		GroupDescription: fmt.Sprintf("Instances of %s: application port from the load balancer only", b.env.Stack),
		VpcId:            ptr(cloudformation.Ref(paramVpcID)),
		SecurityGroupEgress: []ec2.SecurityGroup_Egress{{
			IpProtocol:  "tcp",
			FromPort:    ptr(443),
			ToPort:      ptr(443),
			CidrIp:      ptr("0.0.0.0/0"),
			Description: ptr("HTTPS to AWS APIs and package repositories"),
		}},
		Tags: b.tags(),
	})
	// A separate ingress resource breaks the cycle between the two groups,
	// each of which names the other.
	b.add("InstanceIngressFromLoadBalancer", &ec2.SecurityGroupIngress{
		GroupId:               ptr(cloudformation.GetAtt(idInstanceSG, "GroupId")),
		IpProtocol:            "tcp",
		FromPort:              ptr(b.svc.App.Port),
		ToPort:                ptr(b.svc.App.Port),
		SourceSecurityGroupId: ptr(cloudformation.GetAtt(idLoadBalancerSG, "GroupId")),
		Description:           ptr("Application port from the load balancer"),
	})
}
