package compiler

import (
	"fmt"
	"sort"

	"cuelang.org/go/cue"
)

// Spec is a checked spec directory: every service with every default
// applied. The Go types mirror schema/*.cue for decoding only; the schema
// decides what is valid and what the defaults are.
type Spec struct {
	// Services in name order.
	Services []*Service
	// Baselines in name order.
	Baselines []*Baseline

	// data is what the user wrote, kept to point errors found after
	// decoding at the right file and line.
	data cue.Value
}

// Service is one web application and its environments.
type Service struct {
	Name        string                  `json:"name"`
	Description string                  `json:"description"`
	Region      string                  `json:"region"`
	Network     Network                 `json:"network"`
	App         App                     `json:"app"`
	Alerts      Alerts                  `json:"alerts"`
	Security    ServiceSecurity         `json:"security"`
	EnvByName   map[string]*Environment `json:"environments"`

	// Environments in name order.
	Environments []*Environment `json:"-"`
}

// Network names the account's existing VPC and subnets.
type Network struct {
	VpcID            string   `json:"vpcId"`
	PublicSubnetIDs  []string `json:"publicSubnetIds"`
	PrivateSubnetIDs []string `json:"privateSubnetIds"`
	// AvailabilityZones are the zones of PrivateSubnetIDs; empty when the
	// spec does not name them.
	AvailabilityZones []string `json:"availabilityZones"`
	IngressCidrs      []string `json:"ingressCidrs"`
}

// App is what runs on the instances and how its health is checked.
type App struct {
	Port           int         `json:"port"`
	HealthCheck    HealthCheck `json:"healthCheck"`
	InstanceType   string      `json:"instanceType"`
	Image          string      `json:"image"`
	CertificateArn string      `json:"certificateArn"`
}

// HealthCheck is the load balancer's check of each instance.
type HealthCheck struct {
	Path               string `json:"path"`
	IntervalSeconds    int    `json:"intervalSeconds"`
	TimeoutSeconds     int    `json:"timeoutSeconds"`
	HealthyThreshold   int    `json:"healthyThreshold"`
	UnhealthyThreshold int    `json:"unhealthyThreshold"`
	Matcher            string `json:"matcher"`
}

// Alerts are the subscribers of each severity tier.
type Alerts struct {
	Critical Subscribers `json:"critical"`
	Warning  Subscribers `json:"warning"`
	Info     Subscribers `json:"info"`
}

// Subscribers are the endpoints one alert tier notifies.
type Subscribers struct {
	Email []string `json:"email"`
	HTTPS []string `json:"https"`
	SMS   []string `json:"sms"`
}

// Environment is one deployment of a service with its tier's defaults
// applied.
type Environment struct {
	Name           string              `json:"name"`
	Stack          string              `json:"stack"`
	Tier           string              `json:"tier"`
	Region         string              `json:"region"`
	Network        Network             `json:"network"`
	Alerts         Alerts              `json:"alerts"`
	InstanceType   string              `json:"instanceType"`
	CertificateArn string              `json:"certificateArn"`
	Scaling        Scaling             `json:"scaling"`
	Security       EnvironmentSecurity `json:"security"`
	Deployment     Deployment          `json:"deployment"`
	Monitoring     Monitoring          `json:"monitoring"`
}

// Scaling is the group's size and every policy that changes it; the types
// of the policies live in scaling*.go.
type Scaling struct {
	MinSize           int                         `json:"minSize"`
	MaxSize           int                         `json:"maxSize"`
	DesiredCapacity   *int                        `json:"desiredCapacity"`
	CPUTarget         int                         `json:"cpuTarget"`
	MemoryTarget      int                         `json:"memoryTarget"`
	RequestsPerTarget int                         `json:"requestsPerTarget"`
	InstanceWarmup    int                         `json:"instanceWarmup"`
	DefaultCooldown   int                         `json:"defaultCooldown"`
	TargetTracking    TargetTrackingPolicies      `json:"targetTracking"`
	StepScaling       StepPolicies                `json:"stepScaling"`
	SimpleScaling     SimplePolicy                `json:"simpleScaling"`
	Schedule          map[string]*ScheduledAction `json:"schedule"`
	MixedInstances    *MixedInstances             `json:"mixedInstances"`
}

// decode turns the checked CUE value into the Go model, with services and
// environments in name order so that everything downstream is
// deterministic.
func decode(root, data cue.Value) (*Spec, error) {
	var raw struct {
		Services  map[string]*Service  `json:"services"`
		Baselines map[string]*Baseline `json:"baselines"`
	}
	if err := decodeInto(root, &raw); err != nil {
		return nil, fmt.Errorf("decoding checked spec: %w", err)
	}
	spec := &Spec{data: data}
	for _, name := range sortedKeys(raw.Services) {
		spec.Services = append(spec.Services, orderEnvironments(raw.Services[name]))
	}
	for _, name := range sortedKeys(raw.Baselines) {
		spec.Baselines = append(spec.Baselines, raw.Baselines[name])
	}
	return spec, nil
}

// sortedKeys returns the keys of m in order; Go's map order is random and
// must never reach the output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// envPath is the CUE path of an environment, for positioned errors.
func envPath(svc *Service, env *Environment, rest ...string) cue.Path {
	sels := []cue.Selector{
		cue.Str("services"), cue.Str(svc.Name),
		cue.Str("environments"), cue.Str(env.Name),
	}
	for _, r := range rest {
		sels = append(sels, cue.Str(r))
	}
	return cue.MakePath(sels...)
}
