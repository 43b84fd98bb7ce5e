package templatecheck

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// This file checks a resource's attributes other than Properties: DependsOn, Condition,
// DeletionPolicy, UpdateReplacePolicy, Metadata, CreationPolicy and UpdatePolicy. goformation's
// schema is out of date here (no RetainExceptOnCreate, CreationPolicy/UpdatePolicy typed as bare
// objects), so the rules come from the CloudFormation User Guide's "Resource attribute
// reference" pages, with the policy shapes cross-checked against cfn-lint's
// resources/update_policy.json and rule E3055.

// resourceKeys are the keys CloudFormation accepts in a resource declaration.
var resourceKeys = map[string]bool{
	"Type": true, "Properties": true, "DependsOn": true, "Condition": true, "Metadata": true,
	"DeletionPolicy": true, "UpdateReplacePolicy": true, "CreationPolicy": true, "UpdatePolicy": true,
	"Version": true, // custom resources only
}

// snapshotTypes are the types that support the Snapshot deletion policy: the User Guide's list,
// plus AWS::DocDB::DBCluster from cfn-lint's valid_snapshot_types.
var snapshotTypes = map[string]bool{
	"AWS::DocDB::DBCluster":              true,
	"AWS::EC2::Volume":                   true,
	"AWS::ElastiCache::CacheCluster":     true,
	"AWS::ElastiCache::ReplicationGroup": true,
	"AWS::Neptune::DBCluster":            true,
	"AWS::RDS::DBCluster":                true,
	"AWS::RDS::DBInstance":               true,
	"AWS::Redshift::Cluster":             true,
}

// checkResource checks one resource: its declaration, attributes, properties, references and
// values.
func (c *checker) checkResource(r *resource) {
	path := join("Resources", r.name)
	if r.def == nil {
		c.add(path, checkSchema, "a resource must be an object with a Type")
		return
	}
	for _, k := range sortedKeys(r.def) {
		if !resourceKeys[k] {
			c.add(join(path, k), checkSchema, "unknown resource attribute %q (allowed: Condition, CreationPolicy, DeletionPolicy, DependsOn, Metadata, Properties, Type, UpdatePolicy, UpdateReplacePolicy)", k)
		}
	}
	switch t := r.def["Type"].(type) {
	case nil:
		c.add(path, checkSchema, "missing Type")
		return
	case string:
	default:
		c.add(join(path, "Type"), checkSchema, "Type must be a string, got %s", describe(t))
		return
	}
	custom := strings.HasPrefix(r.typ, "Custom::") || r.typ == "AWS::CloudFormation::CustomResource"
	if _, ok := r.def["Version"]; ok && !custom {
		c.add(join(path, "Version"), checkSchema, "Version is only valid on custom resources")
	}
	c.checkDependsOn(r, path)
	c.checkDeletionPolicies(r, path)
	if v, ok := r.def["Condition"]; ok {
		if name, ok := v.(string); ok {
			c.checkConditionName(name, join(path, "Condition"))
		} else {
			c.add(join(path, "Condition"), checkSchema, "Condition must be a condition name, got %s", describe(v))
		}
	}
	if v, ok := r.def["Metadata"]; ok {
		if _, ok := v.(map[string]any); !ok {
			c.add(join(path, "Metadata"), checkSchema, "Metadata must be an object, got %s", describe(v))
		}
	}
	c.checkPolicy(r, "CreationPolicy", creationPolicies, path)
	c.checkPolicy(r, "UpdatePolicy", updatePolicies, path)
	c.checkProperties(r, path)

	sc := scope{from: r.name, resources: true}
	for _, k := range []string{"Properties", "Metadata", "CreationPolicy", "UpdatePolicy"} {
		if v, ok := r.def[k]; ok {
			c.walkRefs(v, join(path, k), sc)
		}
	}
	c.checkValues(r, path)
}

// checkDependsOn checks that DependsOn names other resources of the template.
func (c *checker) checkDependsOn(r *resource, path string) {
	v, ok := r.def["DependsOn"]
	if !ok {
		return
	}
	p := join(path, "DependsOn")
	var names []string
	var paths []string
	switch x := v.(type) {
	case string:
		names, paths = []string{x}, []string{p}
	case []any:
		for i, item := range x {
			s, ok := item.(string)
			if !ok {
				c.add(index(p, i), checkSchema, "DependsOn entries must be logical IDs, got %s", describe(item))
				continue
			}
			names = append(names, s)
			paths = append(paths, index(p, i))
		}
	default:
		c.add(p, checkSchema, "DependsOn must be a logical ID or a list of them, got %s", describe(v))
		return
	}
	for i, name := range names {
		switch {
		case name == r.name:
			c.add(paths[i], checkReference, "resource %q depends on itself", name)
		case c.resources[name] == nil:
			if !c.transformed {
				c.add(paths[i], checkReference, "DependsOn %q, which is not a resource in this template", name)
			}
		default:
			c.addDep(r.name, name)
		}
	}
}

// checkDeletionPolicies checks DeletionPolicy and UpdateReplacePolicy values.
func (c *checker) checkDeletionPolicies(r *resource, path string) {
	for _, attr := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
		v, ok := r.def[attr]
		if !ok {
			continue
		}
		p := join(path, attr)
		s, ok := v.(string)
		if !ok {
			if _, _, isFn := intrinsic(v); isFn && c.langExt {
				continue // AWS::LanguageExtensions resolves intrinsics here
			}
			c.add(p, checkSchema, "%s must be a string, got %s", attr, describe(v))
			continue
		}
		allowed := []string{"Delete", "Retain", "Snapshot"}
		if attr == "DeletionPolicy" {
			allowed = []string{"Delete", "Retain", "RetainExceptOnCreate", "Snapshot"}
		}
		if !contains(allowed, s) {
			c.add(p, checkSchema, "%s %q is not one of %s", attr, s, strings.Join(allowed, ", "))
			continue
		}
		if s == "Snapshot" && !snapshotTypes[r.typ] {
			c.add(p, checkSchema, "%s Snapshot is not supported by %s", attr, r.typ)
		}
	}
}

// policyShape is the shape of a CreationPolicy or UpdatePolicy for one resource type.
type policyShape struct {
	shape *shape
	// durations are the ISO 8601 duration fields and their documented maximum, in seconds.
	durations map[string]int
}

// obj builds a closed object shape for the policy tables.
func obj(props map[string]*shape) *shape {
	return &shape{kind: kindObject, props: props, closed: true}
}

var (
	shNumber  = &shape{kind: kindNumber}
	shString  = &shape{kind: kindString}
	shBoolean = &shape{kind: kindBoolean}
)

var resourceSignal = obj(map[string]*shape{"Count": shNumber, "Timeout": shString})

// creationPolicies lists the types that support CreationPolicy (User Guide, CreationPolicy
// attribute). Timeout is at most 12 hours.
var creationPolicies = map[string]policyShape{
	"AWS::AutoScaling::AutoScalingGroup": {
		shape: obj(map[string]*shape{
			"AutoScalingCreationPolicy": obj(map[string]*shape{"MinSuccessfulInstancesPercent": shNumber}),
			"ResourceSignal":            resourceSignal,
		}),
		durations: map[string]int{"ResourceSignal.Timeout": 12 * 3600},
	},
	"AWS::EC2::Instance": {
		shape:     obj(map[string]*shape{"ResourceSignal": resourceSignal}),
		durations: map[string]int{"ResourceSignal.Timeout": 12 * 3600},
	},
	"AWS::CloudFormation::WaitCondition": {
		shape:     obj(map[string]*shape{"ResourceSignal": resourceSignal}),
		durations: map[string]int{"ResourceSignal.Timeout": 12 * 3600},
	},
	"AWS::AppStream::Fleet": {shape: obj(map[string]*shape{"StartFleet": shBoolean})},
}

// updatePolicies lists the types that support UpdatePolicy (User Guide, UpdatePolicy
// attribute). PauseTime is at most one hour.
var updatePolicies = map[string]policyShape{
	"AWS::AutoScaling::AutoScalingGroup": {
		shape: obj(map[string]*shape{
			"AutoScalingReplacingUpdate": obj(map[string]*shape{"WillReplace": shBoolean}),
			"AutoScalingRollingUpdate": obj(map[string]*shape{
				"MaxBatchSize":                  shNumber,
				"MinActiveInstancesPercent":     shNumber,
				"MinInstancesInService":         shNumber,
				"MinSuccessfulInstancesPercent": shNumber,
				"PauseTime":                     shString,
				"SuspendProcesses":              {kind: kindArray, items: shString},
				"WaitOnResourceSignals":         shBoolean,
			}),
			"AutoScalingScheduledAction": obj(map[string]*shape{"IgnoreUnmodifiedGroupSizeProperties": shBoolean}),
		}),
		durations: map[string]int{"AutoScalingRollingUpdate.PauseTime": 3600},
	},
	"AWS::ElastiCache::ReplicationGroup": {shape: obj(map[string]*shape{"UseOnlineResharding": shBoolean})},
	"AWS::OpenSearchService::Domain":     {shape: obj(map[string]*shape{"EnableVersionUpgrade": shBoolean})},
	"AWS::Elasticsearch::Domain":         {shape: obj(map[string]*shape{"EnableVersionUpgrade": shBoolean})},
	"AWS::Lambda::Alias": {shape: obj(map[string]*shape{
		"CodeDeployLambdaAliasUpdate": obj(map[string]*shape{
			"AfterAllowTrafficHook": shString, "ApplicationName": shString,
			"BeforeAllowTrafficHook": shString, "DeploymentGroupName": shString,
		}),
	})},
	"AWS::AppStream::Fleet": {shape: obj(map[string]*shape{
		"StartAfterUpdate": obj(map[string]*shape{"Type": shBoolean}),
		"StopBeforeUpdate": obj(map[string]*shape{"Type": shBoolean}),
	})},
}

// checkPolicy checks a CreationPolicy or UpdatePolicy: allowed on this type, the right shape,
// and durations in range.
func (c *checker) checkPolicy(r *resource, attr string, shapes map[string]policyShape, path string) {
	v, ok := r.def[attr]
	if !ok {
		return
	}
	p := join(path, attr)
	ps, ok := shapes[r.typ]
	if !ok {
		c.add(p, checkSchema, "%s is not supported on %s (only on %s)", attr, r.typ, strings.Join(sortedKeys(shapes), ", "))
		return
	}
	c.checkValue(v, ps.shape, p)
	m, _ := v.(map[string]any)
	for _, field := range sortedKeys(ps.durations) {
		outer, inner, _ := strings.Cut(field, ".")
		sub, _ := m[outer].(map[string]any)
		s, ok := sub[inner].(string)
		if !ok {
			continue
		}
		secs, err := isoDuration(s)
		fp := join(join(p, outer), inner)
		if err != nil {
			c.add(fp, checkValue, "%s %q: %v", inner, s, err)
			continue
		}
		if max := ps.durations[field]; secs > max {
			c.add(fp, checkValue, "%s %s is longer than the maximum %s", inner, s, formatDuration(max))
		}
	}
}

var isoDurationPattern = regexp.MustCompile(`^PT(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)S)?$`)

// isoDuration parses the PT#H#M#S durations CloudFormation uses for signals and pauses.
func isoDuration(s string) (int, error) {
	m := isoDurationPattern.FindStringSubmatch(s)
	if m == nil || s == "PT" {
		return 0, fmt.Errorf("must be an ISO 8601 duration such as PT5M or PT1H30M")
	}
	total := 0
	for i, unit := range []int{3600, 60, 1} {
		if m[i+1] == "" {
			continue
		}
		n, err := strconv.Atoi(m[i+1])
		if err != nil {
			return 0, err
		}
		total += n * unit
	}
	return total, nil
}

// formatDuration prints seconds as an ISO 8601 duration for messages.
func formatDuration(secs int) string {
	if secs%3600 == 0 {
		return fmt.Sprintf("PT%dH", secs/3600)
	}
	return fmt.Sprintf("PT%dS", secs)
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
