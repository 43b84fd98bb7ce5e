package compiler

// Deployment is how an environment's releases roll out (schema/deployment.cue).
type Deployment struct {
	Strategy                  string    `json:"strategy"`
	Release                   Release   `json:"release"`
	Rolling                   Rolling   `json:"rolling"`
	BlueGreen                 BlueGreen `json:"blueGreen"`
	RollbackMonitoringMinutes int       `json:"rollbackMonitoringMinutes"`
}

// Release is what an environment runs. It reaches the stack as parameters
// only, so shipping a release never changes the locked template.
type Release struct {
	Version string `json:"version"`
	Image   string `json:"image"`
}

// Rolling tunes CloudFormation's rolling update of the group.
type Rolling struct {
	MaxBatchSize  int `json:"maxBatchSize"`
	SignalMinutes int `json:"signalMinutes"`
}

// BlueGreen tunes a rollout that shifts traffic between two groups.
type BlueGreen struct {
	TrafficSteps         []int `json:"trafficSteps"`
	BakeMinutes          int   `json:"bakeMinutes"`
	HealthTimeoutMinutes int   `json:"healthTimeoutMinutes"`
}

// Deployment strategies.
const (
	StrategyRolling   = "rolling"
	StrategyBlueGreen = "blue-green"
)

// paramAppVersion carries the release's application version to the
// instances, which export it to the application as PHASEC_APP_VERSION.
const paramAppVersion = "AppVersion"

// releaseImage is the image the environment's release runs: its own, or
// the service's.
func releaseImage(svc *Service, env *Environment) string {
	if env.Deployment.Release.Image != "" {
		return env.Deployment.Release.Image
	}
	return svc.App.Image
}

// compileDeployment prepares the stack for its strategy's releases and
// records on the Stack what the deploy side needs to run them.
func compileDeployment(b *stackBuilder) {
	d := b.env.Deployment
	b.stack.Strategy = d.Strategy
	b.stack.RollbackMonitoringMinutes = d.RollbackMonitoringMinutes
	b.stack.Release = Release{Version: d.Release.Version, Image: releaseImage(b.svc, b.env)}
	switch d.Strategy {
	case StrategyRolling:
		compileRolling(b, idAsg)
	case StrategyBlueGreen:
		bg := d.BlueGreen
		b.stack.BlueGreen = &bg
		compileBlueGreenOutputs(b)
	}
}
