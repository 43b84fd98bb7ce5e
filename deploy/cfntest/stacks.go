package cfntest

import (
	"sort"
	"strings"
)

// activeStack finds a live stack by name or by ARN (an ARN also finds a
// deleted stack, as in AWS).
func (s *Server) activeStack(region, nameOrID string) *stack {
	if strings.HasPrefix(nameOrID, "arn:") {
		for _, st := range s.stacks {
			if st.id == nameOrID {
				return st
			}
		}
		return nil
	}
	return s.byName[region+"/"+nameOrID]
}

// stackOrError is activeStack with AWS's exact error for a missing stack.
func (s *Server) stackOrError(region, nameOrID string) (*stack, *apiError) {
	if nameOrID == "" {
		return nil, validationError("1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null")
	}
	st := s.activeStack(region, nameOrID)
	if st == nil {
		return nil, validationError("Stack with id %s does not exist", nameOrID)
	}
	return st, nil
}

// newStack registers an empty stack of account in REVIEW_IN_PROGRESS, as
// the first CREATE change set of a stack does.
func (s *Server) newStack(region, account, name string) *stack {
	st := &stack{
		id: stackARN(region, account, name, s.newID()), name: name, region: region, account: account,
		resources: map[string]*resource{}, tokens: map[string]bool{},
		params: map[string]string{}, tags: map[string]string{},
	}
	st.created = st.now()
	s.stacks = append(s.stacks, st)
	s.byName[region+"/"+name] = st
	s.setStatus(st, statusReviewInProgress, "User Initiated", "")
	return st
}

// setStatus changes a stack's status and records the stack-level event
// that goes with it.
func (s *Server) setStatus(st *stack, status, reason, token string) {
	st.status, st.reason = status, reason
	s.addEvent(st, &event{logicalID: st.name, physicalID: st.id, typ: "AWS::CloudFormation::Stack",
		status: status, reason: reason, token: token})
}

func (s *Server) describeStacks(q *query, w *xmlWriter) *apiError {
	var list []*stack
	if name := q.get("StackName"); name != "" {
		st, err := s.stackOrError(q.region, name)
		if err != nil {
			return err
		}
		list = []*stack{st}
	} else {
		for _, st := range s.byName {
			if st.region == q.region {
				list = append(list, st)
			}
		}
		sort.Slice(list, func(i, j int) bool { return list[i].name < list[j].name })
	}
	w.open("Stacks")
	for _, st := range list {
		w.open("member")
		writeStack(w, st)
		w.close("member")
	}
	w.close("Stacks")
	return nil
}

func writeStack(w *xmlWriter, st *stack) {
	w.text("StackId", st.id)
	w.text("StackName", st.name)
	if st.tmpl != nil {
		w.text("Description", st.tmpl.desc)
	}
	writeParameters(w, st.params)
	w.time("CreationTime", st.created)
	w.time("LastUpdatedTime", st.updated)
	if st.rollback != nil {
		writeRollback(w, st.rollback)
	}
	w.text("StackStatus", st.status)
	w.text("StackStatusReason", st.reason)
	w.bool("DisableRollback", false)
	w.list("NotificationARNs", nil)
	w.list("Capabilities", st.caps)
	if len(st.outputs) > 0 {
		w.open("Outputs")
		for _, o := range st.outputs {
			w.open("member")
			w.text("OutputKey", o.key)
			w.text("OutputValue", o.value)
			w.text("Description", o.description)
			w.close("member")
		}
		w.close("Outputs")
	}
	writeTags(w, st.tags)
	w.bool("EnableTerminationProtection", st.protected)
	w.open("DriftInformation")
	w.text("StackDriftStatus", "NOT_CHECKED")
	w.close("DriftInformation")
}

func writeParameters(w *xmlWriter, params map[string]string) {
	w.open("Parameters")
	for _, k := range sortedKeys(params) {
		w.open("member")
		w.text("ParameterKey", k)
		w.text("ParameterValue", params[k])
		w.close("member")
	}
	w.close("Parameters")
}

func writeTags(w *xmlWriter, tags map[string]string) {
	w.open("Tags")
	for _, k := range sortedKeys(tags) {
		w.open("member")
		w.text("Key", k)
		w.text("Value", tags[k])
		w.close("member")
	}
	w.close("Tags")
}

func writeRollback(w *xmlWriter, rc *rollbackConfig) {
	w.open("RollbackConfiguration")
	w.open("RollbackTriggers")
	for _, t := range rc.triggers {
		w.open("member")
		w.text("Arn", t.arn)
		w.text("Type", t.typ)
		w.close("member")
	}
	w.close("RollbackTriggers")
	w.int("MonitoringTimeInMinutes", rc.minutes)
	w.close("RollbackConfiguration")
}

func (s *Server) updateTerminationProtection(q *query, w *xmlWriter) *apiError {
	st, err := s.stackOrError(q.region, q.get("StackName"))
	if err != nil {
		return err
	}
	st.protected = q.bool("EnableTerminationProtection")
	w.text("StackId", st.id)
	return nil
}

func (s *Server) getTemplate(q *query, w *xmlWriter) *apiError {
	var body []byte
	if name := q.get("ChangeSetName"); name != "" {
		cs, err := s.changeSetOrError(q.region, name, q.get("StackName"))
		if err != nil {
			return err
		}
		body = cs.body
	} else {
		st, err := s.stackOrError(q.region, q.get("StackName"))
		if err != nil {
			return err
		}
		body = st.body
	}
	w.text("TemplateBody", string(body))
	w.list("StagesAvailable", []string{"Original", "Processed"})
	return nil
}

func (s *Server) deleteStack(q *query, w *xmlWriter) *apiError {
	st := s.activeStack(q.region, q.get("StackName"))
	if st == nil || st.deleted || st.status == statusDeleteInProgress {
		return nil // deleting what is gone or going is not an error in AWS
	}
	if st.protected {
		return validationError("Stack [%s] cannot be deleted while TerminationProtection is enabled", st.name)
	}
	if inProgress(st.status) && st.status != statusReviewInProgress {
		return validationError("Stack [%s] cannot be deleted while in status %s", st.name, st.status)
	}
	token := q.get("ClientRequestToken")
	s.setStatus(st, statusDeleteInProgress, "User Initiated", token)
	s.spawn(func() { s.runDelete(st, token) })
	return nil
}

func (s *Server) describeStackResources(q *query, w *xmlWriter) *apiError {
	st, err := s.stackOrError(q.region, q.get("StackName"))
	if err != nil {
		return err
	}
	only := q.get("LogicalResourceId")
	w.open("StackResources")
	for _, id := range sortedKeys(st.resources) {
		r := st.resources[id]
		if only != "" && id != only {
			continue
		}
		w.open("member")
		w.text("StackName", st.name)
		w.text("StackId", st.id)
		w.text("LogicalResourceId", r.logicalID)
		w.text("PhysicalResourceId", r.physicalID)
		w.text("ResourceType", r.typ)
		w.time("Timestamp", r.updated)
		w.text("ResourceStatus", r.status)
		w.text("ResourceStatusReason", r.reason)
		w.close("member")
	}
	w.close("StackResources")
	return nil
}

func (s *Server) listStackResources(q *query, w *xmlWriter) *apiError {
	st, err := s.stackOrError(q.region, q.get("StackName"))
	if err != nil {
		return err
	}
	offset, err := parsePageToken("resources", q.get("NextToken"))
	if err != nil {
		return err
	}
	ids := sortedKeys(st.resources)
	start, end, next := page(len(ids), offset, s.cfg.pageSize)
	w.open("StackResourceSummaries")
	for _, id := range ids[start:end] {
		r := st.resources[id]
		w.open("member")
		w.text("LogicalResourceId", r.logicalID)
		w.text("PhysicalResourceId", r.physicalID)
		w.text("ResourceType", r.typ)
		w.time("LastUpdatedTimestamp", r.updated)
		w.text("ResourceStatus", r.status)
		w.text("ResourceStatusReason", r.reason)
		w.close("member")
	}
	w.close("StackResourceSummaries")
	if next >= 0 {
		w.text("NextToken", pageToken("resources", next))
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
