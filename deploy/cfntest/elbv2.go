package cfntest

import (
	"fmt"
	"net/http"
	"strconv"
)

// elbv2Version is the API version the Elastic Load Balancing v2 client
// sends with every query-protocol request; CloudFormation sends
// 2010-05-15 to the same path, so the version tells the two apart.
const elbv2Version = "2015-12-01"

// elbv2Namespace is the XML namespace of Elastic Load Balancing v2
// responses.
const elbv2Namespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"

// elbv2 serves DescribeTargetHealth, the one load balancer call phasec
// makes: a blue-green rollout waits for the new colour's targets to be
// healthy before it sends traffic there. The request form is already
// parsed.
func (s *Server) elbv2(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	reqID, ok := s.acceptSingleAction(w, r, elbv2Namespace, elbv2Version, "DescribeTargetHealth")
	if !ok {
		return
	}
	q := &query{form: r.PostForm, region: regionOf(r)}
	var out xmlWriter
	if err := s.describeTargetHealth(q, &out); err != nil {
		writeErrorNS(w, elbv2Namespace, err, reqID)
		return
	}
	writeResultNS(w, elbv2Namespace, "DescribeTargetHealth", reqID, &out)
	s.notify()
}

// describeTargetHealth lists the targets of a target group with their
// scripted health (see SetTargetHealth), optionally only the targets
// asked for.
func (s *Server) describeTargetHealth(q *query, w *xmlWriter) *apiError {
	arn := q.get("TargetGroupArn")
	if arn == "" {
		return validationError("1 validation error detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null")
	}
	st, tg := s.targetGroupByARN(q.region, arn)
	if st == nil {
		return &apiError{status: http.StatusBadRequest, code: "TargetGroupNotFound",
			message: fmt.Sprintf("Target groups '%s' not found", arn)}
	}
	only := map[string]bool{}
	for _, t := range q.structs("Targets") {
		only[t["Id"]] = true
	}
	w.open("TargetHealthDescriptions")
	for _, t := range s.targetsOf(st, tg) {
		if len(only) > 0 && !only[t.id] {
			continue
		}
		state, reason, description := s.targetState(st.name, tg, t)
		w.open("member")
		w.text("HealthCheckPort", strconv.Itoa(t.port))
		w.open("Target")
		w.text("AvailabilityZone", t.az)
		w.text("Id", t.id)
		w.int("Port", t.port)
		w.close("Target")
		w.open("TargetHealth")
		w.text("Description", description)
		w.text("Reason", reason)
		w.text("State", state)
		w.close("TargetHealth")
		w.close("member")
	}
	w.close("TargetHealthDescriptions")
	return nil
}

// writeResultNS and writeErrorNS are writeResult and writeQueryError for
// another query-protocol service's namespace.
func writeResultNS(rw http.ResponseWriter, namespace, action, requestID string, body *xmlWriter) {
	rw.Header().Set("Content-Type", "text/xml")
	rw.Header().Set("X-Amzn-Requestid", requestID)
	rw.WriteHeader(http.StatusOK)
	fmt.Fprintf(rw, `<%sResponse xmlns="%s"><%sResult>`, action, namespace, action)
	rw.Write(body.b.Bytes())
	fmt.Fprintf(rw, `</%sResult><ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>`, action, requestID, action)
}

func writeErrorNS(rw http.ResponseWriter, namespace string, e *apiError, requestID string) {
	rw.Header().Set("Content-Type", "text/xml")
	rw.Header().Set("X-Amzn-Requestid", requestID)
	rw.WriteHeader(e.status)
	var w xmlWriter
	w.text("Type", "Sender")
	w.text("Code", e.code)
	w.text("Message", e.message)
	fmt.Fprintf(rw, `<ErrorResponse xmlns="%s"><Error>%s</Error><RequestId>%s</RequestId></ErrorResponse>`,
		namespace, w.b.String(), requestID)
}

// acceptSingleAction starts the answer of a query-protocol API of which the
// fake implements one action (ELBv2's DescribeTargetHealth, STS's
// GetCallerIdentity), under s.mu: it counts the call, and answers an
// injected throttle or any other action with that API's error, in which
// case ok is false and the request is done.
func (s *Server) acceptSingleAction(w http.ResponseWriter, r *http.Request, namespace, version, action string) (reqID string, ok bool) {
	got := r.PostForm.Get("Action")
	s.calls[got]++
	reqID = s.requestID()
	if s.throttled() {
		writeErrorNS(w, namespace, &apiError{status: http.StatusBadRequest, code: "Throttling", message: "Rate exceeded"}, reqID)
		return reqID, false
	}
	if got != action {
		writeErrorNS(w, namespace, &apiError{status: http.StatusBadRequest, code: "InvalidAction",
			message: fmt.Sprintf("Could not find operation %s for version %s", got, version)}, reqID)
		return reqID, false
	}
	return reqID, true
}
