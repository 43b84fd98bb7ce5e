package cfntest

import (
	"fmt"
	"strings"
)

// addEvent stamps an event with the stack's clock and an ID, records it,
// and mirrors a resource event onto the resource's current state.
func (s *Server) addEvent(st *stack, e *event) {
	e.at = st.now()
	e.id = fmt.Sprintf("%s-%s-%d", e.logicalID, e.status, len(st.events)+1)
	st.events = append(st.events, e)
	if e.logicalID == st.name {
		if st.status != statusReviewInProgress {
			st.updated = e.at
		}
		return
	}
	r := st.resources[e.logicalID]
	if r != nil && e.physicalID != "" && r.physicalID != "" && e.physicalID != r.physicalID && strings.HasPrefix(e.status, "DELETE_") {
		return // the old physical resource of a replacement goes; the new one stays
	}
	switch e.status {
	case "DELETE_COMPLETE":
		delete(st.resources, e.logicalID)
	default:
		if r == nil {
			r = &resource{logicalID: e.logicalID}
			st.resources[e.logicalID] = r
		}
		r.typ, r.status, r.reason, r.updated = e.typ, e.status, e.reason, e.at
		if e.physicalID != "" {
			r.physicalID = e.physicalID
		}
	}
}

// describeStackEvents pages through events newest first. The NextToken
// counts from the oldest event, so new events arriving between two pages
// do not shift what the next page holds.
func (s *Server) describeStackEvents(q *query, w *xmlWriter) *apiError {
	st, err := s.stackOrError(q.region, q.get("StackName"))
	if err != nil {
		return err
	}
	before := len(st.events) // events at index < before are still to be listed
	if tok := q.get("NextToken"); tok != "" {
		n, err := parsePageToken("events", tok)
		if err != nil {
			return err
		}
		if n < before {
			before = n
		}
	}
	end := before - s.cfg.pageSize
	if end < 0 {
		end = 0
	}
	w.open("StackEvents")
	for i := before - 1; i >= end; i-- {
		e := st.events[i]
		w.open("member")
		w.text("StackId", st.id)
		w.text("EventId", e.id)
		w.text("StackName", st.name)
		w.text("LogicalResourceId", e.logicalID)
		w.text("PhysicalResourceId", e.physicalID)
		w.text("ResourceType", e.typ)
		w.time("Timestamp", e.at)
		w.text("ResourceStatus", e.status)
		w.text("ResourceStatusReason", e.reason)
		w.text("ClientRequestToken", e.token)
		w.close("member")
	}
	w.close("StackEvents")
	if end > 0 {
		w.text("NextToken", pageToken("events", end))
	}
	return nil
}
