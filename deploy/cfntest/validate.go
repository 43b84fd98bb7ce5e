package cfntest

import (
	"sort"
	"strconv"
	"strings"
)

// updatable refuses an update of a stack in a state that allows none.
func updatable(st *stack) *apiError {
	switch {
	case st.status == statusReviewInProgress, inProgress(st.status),
		st.status == statusRollbackComplete, strings.HasSuffix(st.status, "_FAILED") && st.status != "UPDATE_FAILED":
		return validationError("Stack:%s is in %s state and can not be updated.", st.id, st.status)
	}
	return nil
}

// templateOf reads TemplateBody, the S3 object TemplateURL names, or,
// with UsePreviousTemplate, the template the stack runs: a
// parameter-only update, which is how a blue-green rollout changes the
// stack without touching its locked template.
func (s *Server) templateOf(q *query, st *stack, typ string) ([]byte, *apiError) {
	body, url := q.get("TemplateBody"), q.get("TemplateURL")
	previous := q.bool("UsePreviousTemplate")
	switch {
	case previous && (body != "" || url != ""):
		return nil, validationError("Specify exactly one of TemplateBody, TemplateURL and UsePreviousTemplate.")
	case previous && (typ != "UPDATE" || st == nil || st.body == nil || st.status == statusRollbackComplete):
		return nil, validationError("UsePreviousTemplate can only be used with an update of a stack that has a template.")
	case previous:
		return st.body, nil
	case body != "" && url != "":
		return nil, validationError("Specify exactly one of TemplateBody and TemplateURL.")
	case body != "":
		if len(body) > inlineLimit {
			return nil, validationError("1 validation error detected: Value '%s...' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to %d", body[:32], inlineLimit)
		}
		return []byte(body), nil
	case url != "":
		bucket, key, ok := parseTemplateURL(url)
		if !ok {
			return nil, validationError("TemplateURL must be a supported URL.")
		}
		obj, found := s.objects[bucket+"/"+key]
		if !found {
			return nil, validationError("S3 error: The specified key does not exist.")
		}
		return obj, nil
	}
	return nil, validationError("Either Template URL or Template Body must be specified.")
}

// changeSetParams checks the given parameters against the template, as
// CloudFormation does before it accepts a change set.
func changeSetParams(q *query, t *template, st *stack) (map[string]string, *apiError) {
	params := map[string]string{}
	var unknown []string
	for _, p := range q.structs("Parameters") {
		key := p["ParameterKey"]
		if _, ok := t.params[key]; !ok {
			unknown = append(unknown, key)
			continue
		}
		if p["UsePreviousValue"] == "true" && st != nil {
			params[key] = st.params[key]
		} else {
			params[key] = p["ParameterValue"]
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, validationError("Parameters: [%s] do not exist in the template", strings.Join(unknown, ", "))
	}
	var missing []string
	for name, def := range t.params {
		if _, ok := params[name]; !ok {
			if !def.hasDefault {
				missing = append(missing, name)
				continue
			}
			params[name] = def.def
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, validationError("Parameters: [%s] must have values", strings.Join(missing, ", "))
	}
	return params, nil
}

// requiredCapability is the capability a template needs acknowledged:
// CAPABILITY_NAMED_IAM for IAM resources with custom names,
// CAPABILITY_IAM for other IAM resources.
func requiredCapability(t *template) string {
	need := ""
	for _, r := range t.resources {
		if !strings.HasPrefix(r.typ, "AWS::IAM::") {
			continue
		}
		need = "CAPABILITY_IAM"
		for _, p := range []string{"RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"} {
			if _, ok := r.props[p]; ok {
				return "CAPABILITY_NAMED_IAM"
			}
		}
	}
	return need
}

func hasCapability(caps []string, need string) bool {
	for _, c := range caps {
		if c == need || c == "CAPABILITY_NAMED_IAM" {
			return true
		}
	}
	return false
}

// rollbackOf reads RollbackConfiguration; every trigger must name an
// existing alarm, and there may be at most five.
func (s *Server) rollbackOf(q *query) (*rollbackConfig, *apiError) {
	triggers := q.structs("RollbackConfiguration.RollbackTriggers")
	minutes := q.get("RollbackConfiguration.MonitoringTimeInMinutes")
	if len(triggers) == 0 && minutes == "" {
		return nil, nil
	}
	if len(triggers) > 5 {
		return nil, validationError("1 validation error detected: Value at 'rollbackConfiguration.rollbackTriggers' failed to satisfy constraint: Member must have length less than or equal to 5")
	}
	rc := &rollbackConfig{}
	if minutes != "" {
		n, err := strconv.Atoi(minutes)
		if err != nil || n < 0 || n > 180 {
			return nil, validationError("MonitoringTimeInMinutes must be between 0 and 180")
		}
		rc.minutes = n
	}
	known := map[string]bool{}
	for _, arn := range s.alarms {
		known[arn] = true
	}
	for _, t := range triggers {
		if !known[t["Arn"]] {
			return nil, validationError("Rollback trigger %s does not exist", t["Arn"])
		}
		rc.triggers = append(rc.triggers, trigger{arn: t["Arn"], typ: t["Type"]})
	}
	return rc, nil
}
