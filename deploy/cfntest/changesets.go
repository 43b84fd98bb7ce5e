package cfntest

import (
	"net/http"
	"regexp"
	"strings"
)

// inlineLimit is CloudFormation's maximum TemplateBody size in bytes.
const inlineLimit = 51200

var changeSetNamePattern = regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9]{0,127}$`)

func (s *Server) createChangeSet(q *query, w *xmlWriter) *apiError {
	name, csName := q.get("StackName"), q.get("ChangeSetName")
	if !changeSetNamePattern.MatchString(csName) {
		return validationError("1 validation error detected: Value '%s' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*", csName)
	}
	typ := q.get("ChangeSetType")
	if typ == "" {
		typ = "UPDATE"
	}
	st := s.activeStack(q.region, name)
	switch typ {
	case "CREATE":
		if st != nil && st.status != statusReviewInProgress {
			return validationError("Stack [%s] already exists and cannot be created again with the changeSet [%s].", name, csName)
		}
	case "UPDATE":
		if st == nil {
			return validationError("Stack [%s] does not exist", name)
		}
		if err := updatable(st); err != nil {
			return err
		}
	default:
		return validationError("ChangeSetType %s is not supported by this fake", typ)
	}
	body, err := s.templateOf(q, st, typ)
	if err != nil {
		return err
	}
	tmpl, err := parseTemplate(body)
	if err != nil {
		return err
	}
	params, err := changeSetParams(q, tmpl, st)
	if err != nil {
		return err
	}
	caps := q.list("Capabilities")
	if need := requiredCapability(tmpl); need != "" && !hasCapability(caps, need) {
		return &apiError{status: http.StatusBadRequest, code: "InsufficientCapabilitiesException",
			message: "Requires capabilities : [" + need + "]"}
	}
	rollback, err := s.rollbackOf(q)
	if err != nil {
		return err
	}
	if st == nil {
		st = s.newStack(q.region, q.account, name)
	}
	for _, other := range st.changeSets {
		if other.name == csName {
			return &apiError{status: http.StatusBadRequest, code: "AlreadyExistsException",
				message: "ChangeSet [" + csName + "] already exists"}
		}
	}
	tags := map[string]string{}
	for _, t := range q.structs("Tags") {
		tags[t["Key"]] = t["Value"]
	}
	cs := &changeSet{
		id: changeSetARN(q.region, st.account, csName, s.newID()), name: csName, description: q.get("Description"),
		stack: st, typ: typ, status: "CREATE_PENDING", execStatus: "UNAVAILABLE", created: st.now(),
		body: body, tmpl: tmpl, params: params, tags: tags, caps: caps, rollback: rollback,
	}
	st.changeSets = append(st.changeSets, cs)
	s.changeSets[cs.id] = cs
	s.spawn(func() { s.runChangeSetCreation(cs) })
	w.text("Id", cs.id)
	w.text("StackId", st.id)
	return nil
}

// changeSetOrError finds a change set by ARN, or by name within a stack.
func (s *Server) changeSetOrError(region, nameOrARN, stackName string) (*changeSet, *apiError) {
	notFound := &apiError{status: http.StatusNotFound, code: "ChangeSetNotFound",
		message: "ChangeSet [" + nameOrARN + "] does not exist"}
	if strings.HasPrefix(nameOrARN, "arn:") {
		if cs := s.changeSets[nameOrARN]; cs != nil && !cs.deleted {
			return cs, nil
		}
		return nil, notFound
	}
	if stackName == "" {
		return nil, validationError("StackName must be specified if ChangeSetName is not specified as an ARN.")
	}
	st, err := s.stackOrError(region, stackName)
	if err != nil {
		return nil, err
	}
	for _, cs := range st.changeSets {
		if cs.name == nameOrARN {
			return cs, nil
		}
	}
	return nil, notFound
}

func (s *Server) describeChangeSet(q *query, w *xmlWriter) *apiError {
	cs, err := s.changeSetOrError(q.region, q.get("ChangeSetName"), q.get("StackName"))
	if err != nil {
		return err
	}
	offset, err := parsePageToken("changes", q.get("NextToken"))
	if err != nil {
		return err
	}
	values := q.bool("IncludePropertyValues")
	w.text("ChangeSetName", cs.name)
	w.text("ChangeSetId", cs.id)
	w.text("StackId", cs.stack.id)
	w.text("StackName", cs.stack.name)
	w.text("Description", cs.description)
	writeParameters(w, cs.params)
	w.time("CreationTime", cs.created)
	w.text("ExecutionStatus", cs.execStatus)
	w.text("Status", cs.status)
	w.text("StatusReason", cs.reason)
	w.list("NotificationARNs", nil)
	if cs.rollback != nil {
		writeRollback(w, cs.rollback)
	}
	w.list("Capabilities", cs.caps)
	writeTags(w, cs.tags)
	start, end, next := page(len(cs.changes), offset, s.cfg.pageSize)
	w.open("Changes")
	for _, c := range cs.changes[start:end] {
		w.open("member")
		w.text("Type", "Resource")
		writeResourceChange(w, c, values)
		w.close("member")
	}
	w.close("Changes")
	if next >= 0 {
		w.text("NextToken", pageToken("changes", next))
	}
	w.bool("IncludeNestedStacks", false)
	return nil
}

func writeResourceChange(w *xmlWriter, c *change, values bool) {
	w.open("ResourceChange")
	switch {
	case c.action == "Remove":
		w.text("PolicyAction", "Delete")
	case c.replacement == "True":
		w.text("PolicyAction", "ReplaceAndDelete")
	}
	w.text("Action", c.action)
	w.text("LogicalResourceId", c.logicalID)
	w.text("PhysicalResourceId", c.physicalID)
	w.text("ResourceType", c.typ)
	w.text("Replacement", c.replacement)
	w.list("Scope", c.scope())
	w.open("Details")
	for _, d := range c.details {
		w.open("member")
		w.open("Target")
		w.text("Attribute", d.attribute)
		w.text("Name", d.name)
		w.text("RequiresRecreation", d.recreation)
		if d.attribute == "Properties" && d.name != "" {
			w.text("Path", "/Properties/"+d.name)
		}
		if values {
			w.text("BeforeValue", d.before)
			w.text("AfterValue", d.after)
		}
		w.text("AttributeChangeType", d.changeType)
		w.close("Target")
		w.text("Evaluation", d.evaluation)
		w.text("ChangeSource", d.changeSource)
		w.text("CausingEntity", d.causingEntity)
		w.close("member")
	}
	w.close("Details")
	if values {
		w.text("BeforeContext", c.before)
		w.text("AfterContext", c.after)
	}
	w.close("ResourceChange")
}

func (s *Server) listChangeSets(q *query, w *xmlWriter) *apiError {
	st, err := s.stackOrError(q.region, q.get("StackName"))
	if err != nil {
		return err
	}
	offset, err := parsePageToken("changesets", q.get("NextToken"))
	if err != nil {
		return err
	}
	start, end, next := page(len(st.changeSets), offset, s.cfg.pageSize)
	w.open("Summaries")
	for _, cs := range st.changeSets[start:end] {
		w.open("member")
		w.text("StackId", st.id)
		w.text("StackName", st.name)
		w.text("ChangeSetId", cs.id)
		w.text("ChangeSetName", cs.name)
		w.text("ExecutionStatus", cs.execStatus)
		w.text("Status", cs.status)
		w.text("StatusReason", cs.reason)
		w.time("CreationTime", cs.created)
		w.text("Description", cs.description)
		w.bool("IncludeNestedStacks", false)
		w.close("member")
	}
	w.close("Summaries")
	if next >= 0 {
		w.text("NextToken", pageToken("changesets", next))
	}
	return nil
}

func (s *Server) deleteChangeSet(q *query, w *xmlWriter) *apiError {
	cs, err := s.changeSetOrError(q.region, q.get("ChangeSetName"), q.get("StackName"))
	if err != nil {
		return err
	}
	if cs.execStatus == "EXECUTE_IN_PROGRESS" {
		return &apiError{status: http.StatusBadRequest, code: "InvalidChangeSetStatus",
			message: "Cannot delete ChangeSet in status EXECUTE_IN_PROGRESS"}
	}
	s.removeChangeSet(cs)
	return nil
}

func (s *Server) removeChangeSet(cs *changeSet) {
	cs.deleted = true
	delete(s.changeSets, cs.id)
	list := cs.stack.changeSets[:0]
	for _, other := range cs.stack.changeSets {
		if other != cs {
			list = append(list, other)
		}
	}
	cs.stack.changeSets = list
}

func (s *Server) executeChangeSet(q *query, w *xmlWriter) *apiError {
	cs, err := s.changeSetOrError(q.region, q.get("ChangeSetName"), q.get("StackName"))
	token := q.get("ClientRequestToken")
	if err != nil {
		// A retried call whose first attempt succeeded finds the change
		// set executed; the same token makes that a success.
		if st := s.activeStack(q.region, q.get("StackName")); st != nil && token != "" && st.tokens[token] {
			return nil
		}
		return err
	}
	st := cs.stack
	if token != "" && st.tokens[token] {
		return nil
	}
	if cs.status != "CREATE_COMPLETE" {
		return &apiError{status: http.StatusBadRequest, code: "InvalidChangeSetStatus",
			message: "ChangeSet [" + cs.id + "] cannot be executed in its current status of [" + cs.status + "]"}
	}
	if cs.execStatus != "AVAILABLE" {
		return &apiError{status: http.StatusBadRequest, code: "InvalidChangeSetStatus",
			message: "ChangeSet [" + cs.id + "] cannot be executed in its current execution status of [" + cs.execStatus + "]"}
	}
	if inProgress(st.status) && st.status != statusReviewInProgress {
		return validationError("Stack:%s is in %s state and can not be updated.", st.id, st.status)
	}
	if token != "" {
		st.tokens[token] = true
	}
	for _, other := range st.changeSets {
		if other != cs && other.execStatus == "AVAILABLE" {
			other.execStatus = "OBSOLETE"
		}
	}
	cs.execStatus = "EXECUTE_IN_PROGRESS"
	if cs.rollback != nil {
		st.rollback = cs.rollback
	}
	status := statusUpdateInProgress
	if cs.typ == "CREATE" {
		status = statusCreateInProgress
	}
	s.setStatus(st, status, "User Initiated", token)
	s.spawn(func() { s.runExecution(cs, token) })
	return nil
}
