package compiler

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// Template parameters: what differs per account or per release, so that the
// locked template stays the same while these values change. The spec's
// values are both the defaults and what plan passes.
const (
	paramVpcID             = "VpcId"
	paramPublicSubnetIDs   = "PublicSubnetIds"
	paramPrivateSubnetIDs  = "PrivateSubnetIds"
	paramAvailabilityZones = "AvailabilityZones"
	paramImageID           = "ImageId"
	paramCertificateArn    = "CertificateArn"
)

// compileParameters declares the network, image and certificate inputs.
func compileParameters(b *stackBuilder) {
	net := b.env.Network
	b.param(paramVpcID, "AWS::EC2::VPC::Id",
		"VPC that hosts the load balancer and the instances.", net.VpcID)
	b.param(paramPublicSubnetIDs, "List<AWS::EC2::Subnet::Id>",
		"Public subnets, in at least two Availability Zones, for the internet-facing load balancer.",
		strings.Join(net.PublicSubnetIDs, ","))
	b.param(paramPrivateSubnetIDs, "List<AWS::EC2::Subnet::Id>",
		"Private subnets for the instances, which get no public address.",
		strings.Join(net.PrivateSubnetIDs, ","))
	if len(net.AvailabilityZones) > 0 {
		b.param(paramAvailabilityZones, "List<AWS::EC2::AvailabilityZone::Name>",
			"Availability Zones of the private subnets, which the Auto Scaling groups name next to them.",
			strings.Join(net.AvailabilityZones, ","))
	}

	compileReleaseParameters(b)

	cert := cloudformation.Parameter{
		Type:                  "String",
		Description:           ptr("ACM certificate that the HTTPS listener presents."),
		Default:               b.env.CertificateArn,
		AllowedPattern:        ptr(`^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}$`),
		ConstraintDescription: ptr("must be an ACM certificate ARN"),
	}
	b.t.Parameters[paramCertificateArn] = cert
	b.stack.Parameters[paramCertificateArn] = b.env.CertificateArn
}

// param declares a typed parameter whose default is the spec's value.
func (b *stackBuilder) param(name, typ, description, value string) {
	b.t.Parameters[name] = cloudformation.Parameter{
		Type:        typ,
		Description: ptr(description),
		Default:     value,
	}
	b.stack.Parameters[name] = value
}

// compileReleaseParameters declares what a release changes: the machine
// image and the application version. They carry no defaults in the
// template, so that shipping a release is a parameter-only change and the
// locked template stays as reviewed; plan passes the spec's release.
func compileReleaseParameters(b *stackBuilder) {
	if b.env.Deployment.Strategy == StrategyBlueGreen {
		compileBlueGreenParameters(b)
		return
	}
	b.t.Parameters[paramImageID] = cloudformation.Parameter{
		Type:                  "String",
		Description:           ptr("Machine image of the release: an AMI ID, or resolve:ssm:<parameter> for one that tracks the latest build."),
		AllowedPattern:        ptr(`^(ami-[0-9a-f]{8,17}|resolve:ssm:/[a-zA-Z0-9_./-]+)$`),
		ConstraintDescription: ptr("must be ami-<hex> or resolve:ssm:/<parameter path>"),
	}
	b.stack.Parameters[paramImageID] = releaseImage(b.svc, b.env)

	b.t.Parameters[paramAppVersion] = cloudformation.Parameter{
		Type:                  "String",
		Description:           ptr("Application version of the release, exported to the application as PHASEC_APP_VERSION."),
		AllowedPattern:        ptr(`^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$`),
		ConstraintDescription: ptr("1-64 letters, digits, dots, underscores, plus or minus signs"),
	}
	b.stack.Parameters[paramAppVersion] = b.env.Deployment.Release.Version
}
