package cfntest

import (
	"net"
	"time"
)

// config holds what Options set.
type config struct {
	pageSize  int
	stepDelay time.Duration
	listener  net.Listener
	alarms    []string
	account   string
}

// Option configures a Server.
type Option func(*config)

// WithPageSize sets how many items every paginated answer holds
// (DescribeChangeSet changes, DescribeStackEvents, ListChangeSets,
// ListStackResources). The default is small, 4, so that
// callers' pagination is exercised by every test.
func WithPageSize(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.pageSize = n
		}
	}
}

// WithStepDelay sets the real time between two asynchronous state changes
// (default 2ms). Timestamps do not depend on it: they come from each
// stack's logical clock.
func WithStepDelay(d time.Duration) Option {
	return func(c *config) { c.stepDelay = d }
}

// WithListener makes the server accept connections on l instead of a
// fresh 127.0.0.1 port; cmd/cfnfake uses it to honour -addr.
func WithListener(l net.Listener) Option {
	return func(c *config) { c.listener = l }
}

// WithAlarms creates CloudWatch alarms that exist before any stack, as
// alarms from an earlier deployment do.
func WithAlarms(names ...string) Option {
	return func(c *config) { c.alarms = append(c.alarms, names...) }
}

// WithAccount sets the account of every access key (default
// 123456789012): what STS GetCallerIdentity answers, and the account in
// the ARNs of everything the fake creates. [Server.SetCaller] gives an
// access key an account of its own, as another profile's credentials
// have.
func WithAccount(id string) Option {
	return func(c *config) { c.account = id }
}
