// Package specgen generates spec directories of any size for benchmarks
// and tests: a platform team's estate without writing it by hand.
package specgen

import (
	"fmt"
	"strings"
	"testing/fstest"
)

// Services writes n services, one file each (svc000.cue...), with
// production, staging and dev environments and a few overrides. Like the
// shipped storefront, each exempts its load balancer's security group from
// PHS-EC2-007 (open to the internet), so that phasec build accepts them.
func Services(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, `package specs

services: "svc%03d": {
	region: "us-east-1"
	network: {
		vpcId: "vpc-%08x"
		publicSubnetIds: ["subnet-%08x", "subnet-%08x"]
		privateSubnetIds: ["subnet-%08x", "subnet-%08x"]
	}
	app: {
		port: %d
		certificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	}
	alerts: {
		critical: email: ["oncall@example.com"]
		warning: email: ["team%03d@example.com"]
		info: https: ["https://hooks.example.com/svc%03d"]
	}
	security: suppress: "PHS-EC2-007": {
		reason:    "A public web service accepts HTTPS from anywhere, behind the WAF web ACL; HTTP is only redirected."
		resources: ["LoadBalancerSecurityGroup"]
	}
	environments: {
		production: {tier: "production", scaling: maxSize: %d}
		staging: tier: "staging"
		dev: tier: "dev"
	}
}
`, i, i, 2*i, 2*i+1, 1000+2*i, 1001+2*i, 8000+i, i, i, 10+i%20)
		fsys[fmt.Sprintf("svc%03d.cue", i)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}
