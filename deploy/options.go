package deploy

import (
	"io"
	"sync"
	"time"
)

// Options configures a Deployer. The zero value is production behaviour
// for the default AWS profile; tests shorten the polling and backoff.
type Options struct {
	// Region, when set, overrides every stack's region.
	Region string
	// Profile is the shared-config profile; empty means the standard
	// credential chain (AWS_PROFILE, environment, SSO, instance roles...).
	Profile string
	// Bucket is the S3 bucket, in the stack's region, that templates over
	// CloudFormation's 51,200-byte inline limit are uploaded to.
	Bucket string
	// Parallel is how many stacks are planned or applied at once
	// (default 4); results are always in input order.
	Parallel int
	// PollInterval is the time between two polls of CloudFormation. Zero
	// means 2 to 5 seconds with jitter, which keeps many stacks within the
	// API's rate limits without the SDK waiters' 30-120 s delays.
	PollInterval time.Duration
	// MaxAttempts is how many times the SDK tries a call that is
	// throttled or fails transiently (default 10).
	MaxAttempts int
	// MaxBackoff caps the SDK's exponential backoff between attempts
	// (default 20 s).
	MaxBackoff time.Duration
	// ChangeSetTimeout bounds the wait for a change set to be created
	// (default 10 minutes).
	ChangeSetTimeout time.Duration
	// Progress receives one line per stack event while applying, and
	// notes such as template uploads. Nil discards them.
	Progress io.Writer
	// Terminal adds a done/total resource count to each event line; set it
	// when Progress is an interactive terminal.
	Terminal bool
	// Now is the clock for plan timestamps, change set names, and a
	// rollout's lock time, health timeout and bake time (default
	// time.Now).
	Now func() time.Time
	// Operator names who runs phasec in a rollout's lock, so that anyone
	// refused by the lock knows whom to ask (default "phasec"; the CLI
	// passes user@host, or the CI run).
	Operator string
}

// Deployer plans and applies stacks. It is safe for concurrent use.
type Deployer struct {
	opts Options

	mu      sync.Mutex
	clients map[string]*clients // by region
	out     sync.Mutex          // serialises lines written to Progress
}

// New returns a Deployer; AWS configuration is loaded lazily, once per
// region, on first use.
func New(opts Options) *Deployer {
	if opts.Parallel <= 0 {
		opts.Parallel = 4
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 10
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 20 * time.Second
	}
	if opts.ChangeSetTimeout <= 0 {
		opts.ChangeSetTimeout = 10 * time.Minute
	}
	if opts.Progress == nil {
		opts.Progress = io.Discard
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Operator == "" {
		opts.Operator = "phasec"
	}
	return &Deployer{opts: opts, clients: map[string]*clients{}}
}

// regionOf is where a stack is deployed.
func (d *Deployer) regionOf(s Stack) string {
	if d.opts.Region != "" {
		return d.opts.Region
	}
	return s.Region
}
