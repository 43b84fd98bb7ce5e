package compiler

import (
	"slices"
	"strings"

	"cuelang.org/go/cue"
)

// validate runs the checks that span several fields or that CUE cannot
// express well. Each problem still points at the spec's file and line.
func validate(spec *Spec) Errors {
	var errs Errors
	for _, svc := range spec.Services {
		for _, env := range svc.Environments {
			errs = append(errs, validateImageArch(spec, svc, env)...)
			errs = append(errs, validateZones(spec, svc, env)...)
			errs = append(errs, validateScaling(spec, svc, env)...)
			errs = append(errs, validateDeployment(spec, svc, env)...)
		}
	}
	errs = append(errs, validateBaselines(spec)...)
	errs = append(errs, validateMonitoring(spec)...)
	return errs
}

// validateImageArch catches an environment whose instance type's
// architecture does not match the Amazon Linux image it would boot: the
// instances would never launch.
func validateImageArch(spec *Spec, svc *Service, env *Environment) Errors {
	image := releaseImage(svc, env)
	arm := isGraviton(env.InstanceType)
	switch {
	case arm && strings.HasSuffix(image, "-x86_64"):
		return Errors{spec.errorAt(envPath(svc, env, "instanceType"),
			"set app.image to the arm64 Amazon Linux parameter, or pick an x86_64 instance type",
			"instance type %s is arm64 (Graviton) but the image %s is x86_64", env.InstanceType, image)}
	case !arm && strings.HasSuffix(image, "-arm64"):
		return Errors{spec.errorAt(envPath(svc, env, "instanceType"),
			"set app.image to the x86_64 Amazon Linux parameter, or pick a Graviton instance type",
			"instance type %s is x86_64 but the image %s is arm64", env.InstanceType, image)}
	}
	return nil
}

// validateZones catches Availability Zones outside the environment's
// region, which the zone list parameter would reject at deploy time; an
// environment that overrides its region inherits the service's network, and
// with it the zones, unless it overrides that too.
func validateZones(spec *Spec, svc *Service, env *Environment) Errors {
	for _, z := range env.Network.AvailabilityZones {
		if strings.TrimRight(z, "abcdefghijklmnopqrstuvwxyz") != env.Region {
			at := envPath(svc, env, "network", "availabilityZones")
			if slices.Equal(env.Network.AvailabilityZones, svc.Network.AvailabilityZones) {
				// Inherited: point at the service's network, where it is written.
				at = cue.MakePath(cue.Str("services"), cue.Str(svc.Name), cue.Str("network"), cue.Str("availabilityZones"))
			}
			return Errors{spec.errorAt(at,
				"name the zones of the private subnets in "+env.Region,
				"Availability Zone %s is not in the environment's region %s", z, env.Region)}
		}
	}
	return nil
}

// isGraviton reports whether an instance type runs on AWS Graviton (arm64):
// its family's generation digit is followed by a suffix containing "g", as
// in m7g, c6gn, t4g.
func isGraviton(instanceType string) bool {
	family, _, _ := strings.Cut(instanceType, ".")
	i := strings.IndexAny(family, "0123456789")
	if i < 0 {
		return false
	}
	return strings.Contains(family[i+1:], "g")
}
