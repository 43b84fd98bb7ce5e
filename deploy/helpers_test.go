package deploy_test

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phasec/phasec/deploy"
	"github.com/phasec/phasec/deploy/cfntest"
)

// syncBuffer is a Progress writer that tests read while apply writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is one test's fake and the deployer pointed at it through the
// standard AWS endpoint variables.
type env struct {
	srv      *cfntest.Server
	d        *deploy.Deployer
	opts     deploy.Options // d's, for another phasec run
	progress *syncBuffer
}

func newEnv(t *testing.T, opts deploy.Options, fakeOpts ...cfntest.Option) *env {
	t.Helper()
	srv := cfntest.NewServer(fakeOpts...)
	t.Cleanup(srv.Close)
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	// No developer's ~/.aws may leak into a test.
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_PROFILE", "")
	progress := &syncBuffer{}
	opts.Progress = progress
	opts.PollInterval = time.Millisecond
	opts.MaxBackoff = time.Millisecond
	opts.Now = func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	return &env{srv: srv, d: deploy.New(opts), opts: opts, progress: progress}
}

// rerun is a Deployer of another run of phasec against the same fake:
// nothing it learnt from AWS is shared with e.d.
func (e *env) rerun() *deploy.Deployer { return deploy.New(e.opts) }

const tmplV1 = `{
  "Description": "shop",
  "Parameters": {"Size": {"Type": "String", "Default": "2"}},
  "Resources": {
    "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internet-facing"}},
    "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "Lb"}, "Port": 443}},
    "Asg": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MaxSize": {"Ref": "Size"}}},
    "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
    "HighCpu": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"AlarmName": {"Fn::Sub": "${AWS::StackName}-high-cpu"}}}
  },
  "Outputs": {"Dns": {"Value": {"Fn::GetAtt": ["Lb", "DNSName"]}}, "Group": {"Value": {"Ref": "Asg"}}}
}
`

// tmplV2 replaces the load balancer, removes the role and opens a port.
const tmplV2 = `{
  "Description": "shop",
  "Parameters": {"Size": {"Type": "String", "Default": "2"}},
  "Resources": {
    "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internal"}},
    "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "Lb"}, "Port": 443}},
    "Asg": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MaxSize": {"Ref": "Size"}}},
    "Ingress": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"CidrIp": "10.0.0.0/8", "FromPort": 443, "ToPort": 443}},
    "HighCpu": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"AlarmName": {"Fn::Sub": "${AWS::StackName}-high-cpu"}}}
  },
  "Outputs": {"Dns": {"Value": {"Fn::GetAtt": ["Lb", "DNSName"]}}}
}
`

func shop(name, tier, template string, size string) deploy.Stack {
	return deploy.Stack{
		Name: name, Tier: tier, Region: "eu-west-1", Template: []byte(template),
		Parameters:     map[string]string{"Size": size},
		Tags:           map[string]string{"service": "shop", "managed-by": "phasec"},
		CriticalAlarms: []string{name + "-high-cpu"},
	}
}

// events lists the "logicalID status" of the event lines written so far.
func eventLines(progress string) []string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(progress), "\n") {
		f := strings.Split(line, "  ")
		if len(f) >= 5 {
			out = append(out, f[2]+" "+f[4])
		}
	}
	return out
}

func writeFile(path, body string) error { return os.WriteFile(path, []byte(body), 0o644) }
