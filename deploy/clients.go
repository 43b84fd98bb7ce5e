package deploy

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// clients are the SDK clients of one region.
type clients struct {
	region string
	cfn    *cloudformation.Client
	cw     *cloudwatch.Client
	s3     *s3.Client
	elb    *elasticloadbalancingv2.Client // target health, for blue-green rollouts
	sts    *sts.Client                    // who the credentials are, for stacks pinned to an account

	callerMu sync.Mutex
	caller   *caller // the credentials' identity, once STS told it
}

// clientsFor loads the AWS configuration for region once and builds its
// clients. Endpoints come from the standard settings (AWS_ENDPOINT_URL,
// AWS_ENDPOINT_URL_CLOUDFORMATION, ...), which is how tests reach the fake.
func (d *Deployer) clientsFor(ctx context.Context, region string) (*clients, error) {
	if region == "" {
		return nil, fmt.Errorf("no AWS region: set the stack's region in its spec, or pass --region")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if c := d.clients[region]; c != nil {
		return c, nil
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		config.WithAppID("phasec"),
		config.WithRetryer(d.retryer),
	}
	if d.opts.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(d.opts.Profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration: %w", err)
	}
	c := &clients{
		region: region,
		cfn:    cloudformation.NewFromConfig(cfg),
		cw:     cloudwatch.NewFromConfig(cfg),
		s3:     s3.NewFromConfig(cfg),
		elb:    elasticloadbalancingv2.NewFromConfig(cfg),
		sts:    sts.NewFromConfig(cfg),
	}
	d.clients[region] = c
	return c, nil
}

// retryer is the SDK's standard retryer with more attempts, a capped
// backoff, and no client-side retry quota: planning and applying many
// stacks at once makes CloudFormation throttle as a matter of course, and
// the quota would turn that into failures.
func (d *Deployer) retryer() aws.Retryer {
	r := retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = d.opts.MaxAttempts
		o.RateLimiter = ratelimit.None
	})
	return retry.AddWithMaxBackoffDelay(r, d.opts.MaxBackoff)
}
