package compiler

// validateDeployment checks what CUE cannot say well about a rollout: that
// traffic steps only ever increase and end with all traffic on the new
// release, and that nothing else resizes a blue-green stack's groups.
func validateDeployment(spec *Spec, svc *Service, env *Environment) Errors {
	if env.Deployment.Strategy == StrategyBlueGreen && len(env.Scaling.Schedule) > 0 {
		return Errors{spec.errorAt(envPath(svc, env, "scaling", "schedule"),
			`remove the schedule, or set deployment: strategy: "rolling"`,
			"scheduled actions need the rolling strategy: a blue-green stack's group sizes belong to its rollouts")}
	}
	steps := env.Deployment.BlueGreen.TrafficSteps
	path := envPath(svc, env, "deployment", "blueGreen", "trafficSteps")
	if len(steps) == 0 {
		return Errors{spec.errorAt(path, "list at least one step, e.g. [10, 50, 100]",
			"no traffic steps: a blue-green rollout needs at least one")}
	}
	for i := 1; i < len(steps); i++ {
		if steps[i] <= steps[i-1] {
			return Errors{spec.errorAt(path, "list the percentages in increasing order, e.g. [10, 50, 100]",
				"traffic step %d%% does not increase on the step before it (%d%%)", steps[i], steps[i-1])}
		}
	}
	if steps[len(steps)-1] != 100 {
		return Errors{spec.errorAt(path, "end the list with 100",
			"the last traffic step is %d%%: a rollout must end with all traffic on the new release", steps[len(steps)-1])}
	}
	return nil
}
