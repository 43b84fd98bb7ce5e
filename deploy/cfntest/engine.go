package cfntest

import (
	"fmt"
	"strings"
	"time"
)

// stopped is panicked by pause when the server closes, to unwind a job.
type stopped struct{}

// spawn runs an asynchronous job until it ends or the server closes.
// Callers hold s.mu; the job takes it for each step.
func (s *Server) spawn(job func()) {
	s.jobs.Add(1)
	go func() {
		defer s.jobs.Done()
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(stopped); !ok {
					panic(r)
				}
			}
		}()
		job()
	}()
}

// pause waits one step of real time.
func (s *Server) pause() {
	t := time.NewTimer(s.cfg.stepDelay)
	defer t.Stop()
	select {
	case <-s.closed:
		panic(stopped{})
	case <-t.C:
	}
}

// step waits one step, then applies f under the lock.
func (s *Server) step(f func()) {
	s.pause()
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
	s.notify()
}

// waitHold blocks while a hold is set on the resource.
func (s *Server) waitHold(st *stack, id string) {
	for {
		s.mu.Lock()
		held := s.faults.held(st.name, id)
		ch := s.changed
		s.mu.Unlock()
		if !held {
			return
		}
		select {
		case <-s.closed:
			panic(stopped{})
		case <-ch:
		}
	}
}

// runChangeSetCreation moves a change set from CREATE_PENDING to
// CREATE_COMPLETE, or to FAILED when it would change nothing.
func (s *Server) runChangeSetCreation(cs *changeSet) {
	s.step(func() {
		if !cs.deleted {
			cs.status = "CREATE_IN_PROGRESS"
		}
	})
	s.step(func() {
		if cs.deleted {
			return
		}
		st := cs.stack
		old := side{params: st.params, tags: st.tags}
		if st.body != nil && st.status != statusRollbackComplete {
			old.tmpl = st.tmpl
		}
		cs.changes = computeChanges(old, side{tmpl: cs.tmpl, params: cs.params, tags: cs.tags}, physicalIDs(st))
		cs.baseVersion = st.version
		// A stack's tags and parameter values are part of what an update
		// changes even when no resource changes with them.
		if len(cs.changes) == 0 && (old.tmpl == nil || (equalMaps(st.tags, cs.tags) && equalMaps(st.params, cs.params))) {
			cs.status, cs.reason = "FAILED", noChangesReason
			return
		}
		cs.status, cs.execStatus = "CREATE_COMPLETE", "AVAILABLE"
	})
}

func physicalIDs(st *stack) map[string]string {
	out := map[string]string{}
	for id, r := range st.resources {
		out[id] = r.physicalID
	}
	return out
}

// execution is the state of one ExecuteChangeSet while it runs.
type execution struct {
	s      *Server
	st     *stack
	cs     *changeSet
	token  string
	create bool
	ev     *evaluator
	before map[string]resource // the resources as they were, for a rollback
	done   []*change           // applied so far, in order
}

// runExecution applies a change set resource by resource in dependency
// order, emitting the events CloudFormation emits, then cleans up removed
// and replaced resources; an injected failure rolls everything back.
func (s *Server) runExecution(cs *changeSet, token string) {
	x := &execution{s: s, st: cs.stack, cs: cs, token: token, create: cs.typ == "CREATE"}
	s.mu.Lock()
	x.before = map[string]resource{}
	for id, r := range x.st.resources {
		x.before[id] = *r
	}
	x.st.generation++
	x.ev = &evaluator{st: x.st, tmpl: cs.tmpl, params: cs.params, phys: physicalIDs(x.st)}
	byID := map[string]*change{}
	var ids []string
	for _, c := range cs.changes {
		byID[c.logicalID] = c
		if c.action != "Remove" {
			ids = append(ids, c.logicalID)
		}
	}
	order := topoOrder(cs.tmpl, ids)
	s.mu.Unlock()

	for _, id := range order {
		c := byID[id]
		s.waitHold(x.st, id)
		if reason, failed := x.apply(c); failed {
			x.rollback(c, reason)
			return
		}
		x.done = append(x.done, c)
	}
	if !x.create {
		x.stackStatus(statusUpdateCleanup, "")
		var gone []*change
		for _, c := range cs.changes {
			if c.action == "Remove" || c.replacement == "True" {
				gone = append(gone, c)
			}
		}
		for i := len(gone) - 1; i >= 0; i-- {
			x.deleteResource(gone[i].logicalID, gone[i].typ, x.before[gone[i].logicalID].physicalID)
		}
	}
	s.step(func() { x.commit() })
}

// apply creates or updates one resource; it reports an injected failure.
func (x *execution) apply(c *change) (reason string, failed bool) {
	verb := "UPDATE"
	if c.action == "Add" {
		verb = "CREATE"
	}
	first := ""
	if c.replacement == "True" {
		first = "Requested update requires the creation of a new physical resource; hence creating one."
	}
	oldPhys := x.before[c.logicalID].physicalID
	x.resourceEvent(c.logicalID, c.typ, verb+"_IN_PROGRESS", first, oldPhys)
	x.s.mu.Lock()
	reason, failed = x.s.faults.takeFailure(x.st.name, c.logicalID)
	x.s.mu.Unlock()
	if failed {
		x.resourceEvent(c.logicalID, c.typ, verb+"_FAILED", reason, oldPhys)
		return reason, true
	}
	phys := oldPhys
	if c.action == "Add" || c.replacement == "True" {
		x.s.mu.Lock()
		phys = physicalID(x.st, c.logicalID, x.cs.tmpl.resources[c.logicalID], x.ev)
		x.ev.phys[c.logicalID] = phys
		x.s.mu.Unlock()
		x.resourceEvent(c.logicalID, c.typ, verb+"_IN_PROGRESS", "Resource creation Initiated", phys)
	}
	x.resourceEvent(c.logicalID, c.typ, verb+"_COMPLETE", "", phys)
	return "", false
}

// rollback undoes what the execution did after resource failed; a stack
// being created ends in ROLLBACK_COMPLETE with no resources, an update in
// UPDATE_ROLLBACK_COMPLETE with its previous template and resources.
func (x *execution) rollback(failed *change, reason string) {
	verb := "update"
	if failed.action == "Add" {
		verb = "create"
	}
	msg := fmt.Sprintf("The following resource(s) failed to %s: [%s]. ", verb, failed.logicalID)
	if x.create {
		x.stackStatus(statusRollbackInProgress, msg+"Rollback requested by user.")
		x.deleteResource(failed.logicalID, failed.typ, "")
		for i := len(x.done) - 1; i >= 0; i-- {
			c := x.done[i]
			x.deleteResource(c.logicalID, c.typ, x.ev.phys[c.logicalID])
		}
		x.s.step(func() {
			x.cs.execStatus = "EXECUTE_FAILED"
			x.st.body, x.st.tmpl = x.cs.body, x.cs.tmpl
			x.st.version++
			x.s.setStatus(x.st, statusRollbackComplete, "", x.token)
		})
		return
	}
	x.stackStatus(statusUpdateRollbackInProgress, msg)
	var reverted, added []*change
	for _, c := range append(x.done, failed) {
		if c.action == "Add" || c.replacement == "True" {
			added = append(added, c)
		}
		if c.action == "Modify" {
			reverted = append(reverted, c)
		}
	}
	for i := len(reverted) - 1; i >= 0; i-- {
		c := reverted[i]
		old := x.before[c.logicalID]
		x.resourceEvent(c.logicalID, old.typ, "UPDATE_IN_PROGRESS", "", old.physicalID)
		x.resourceEvent(c.logicalID, old.typ, "UPDATE_COMPLETE", "", old.physicalID)
	}
	x.stackStatus(statusUpdateRollbackCleanup, "")
	for i := len(added) - 1; i >= 0; i-- {
		c := added[i]
		switch {
		case c == failed && c.action == "Add":
			x.deleteResource(c.logicalID, c.typ, "")
		case c != failed:
			// What was created goes; a replaced resource's old
			// physical resource stays and is restored below.
			x.deleteResource(c.logicalID, c.typ, x.ev.phys[c.logicalID])
		}
	}
	x.s.step(func() {
		x.cs.execStatus = "EXECUTE_FAILED"
		for id, r := range x.before {
			r := r
			x.st.resources[id] = &r
		}
		x.st.version++
		x.s.setStatus(x.st, statusUpdateRollbackComplete, "", x.token)
	})
}

// commit makes the change set the stack's deployed state.
func (x *execution) commit() {
	st, cs := x.st, x.cs
	for _, c := range cs.changes {
		if c.action == "Remove" {
			if c.typ == "AWS::CloudWatch::Alarm" {
				delete(x.s.alarms, x.before[c.logicalID].physicalID)
			}
			delete(x.ev.phys, c.logicalID)
		}
	}
	st.body, st.tmpl = cs.body, cs.tmpl
	st.params, st.tags, st.caps = copyMap(cs.params), copyMap(cs.tags), cs.caps
	st.outputs = nil
	for _, k := range sortedKeys(cs.tmpl.outputs) {
		o := cs.tmpl.outputs[k]
		desc, _ := o["Description"].(string)
		st.outputs = append(st.outputs, output{key: k, value: scalarString(x.ev.eval(o["Value"])), description: desc})
	}
	for id, r := range cs.tmpl.resources {
		if r.typ == "AWS::CloudWatch::Alarm" {
			x.s.alarms[x.ev.phys[id]] = alarmARN(st.region, st.account, x.ev.phys[id])
		}
	}
	st.version++
	x.s.noteFleets(st)
	cs.execStatus = "EXECUTE_COMPLETE"
	status := statusUpdateComplete
	if x.create {
		status = statusCreateComplete
	}
	x.s.setStatus(st, status, "", x.token)
}

// deleteResource emits the two events of deleting one resource.
func (x *execution) deleteResource(id, typ, phys string) {
	x.resourceEvent(id, typ, "DELETE_IN_PROGRESS", "", phys)
	x.resourceEvent(id, typ, "DELETE_COMPLETE", "", phys)
}

func (x *execution) resourceEvent(id, typ, status, reason, phys string) {
	x.s.step(func() {
		x.s.addEvent(x.st, &event{logicalID: id, physicalID: phys, typ: typ, status: status, reason: reason, token: x.token})
	})
}

func (x *execution) stackStatus(status, reason string) {
	x.s.step(func() { x.s.setStatus(x.st, status, reason, x.token) })
}

// runDelete deletes a stack's resources in reverse dependency order and
// then the stack, which then is found only by its ARN.
func (s *Server) runDelete(st *stack, token string) {
	s.mu.Lock()
	var ids []string
	for id := range st.resources {
		ids = append(ids, id)
	}
	if st.tmpl != nil {
		ids = topoOrder(st.tmpl, ids)
	}
	x := &execution{s: s, st: st, token: token}
	s.mu.Unlock()
	for i := len(ids) - 1; i >= 0; i-- {
		s.mu.Lock()
		r := st.resources[ids[i]]
		s.mu.Unlock()
		if r == nil {
			continue
		}
		if r.typ == "AWS::CloudWatch::Alarm" {
			s.mu.Lock()
			delete(s.alarms, r.physicalID)
			s.mu.Unlock()
		}
		x.deleteResource(r.logicalID, r.typ, r.physicalID)
	}
	s.step(func() {
		s.setStatus(st, statusDeleteComplete, "", token)
		st.deleted = true
		delete(s.byName, st.region+"/"+st.name)
		for _, cs := range append([]*changeSet(nil), st.changeSets...) {
			s.removeChangeSet(cs)
		}
	})
}

func alarmARN(region, account, name string) string {
	return fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", region, account, strings.ReplaceAll(name, ":", "-"))
}
