package deploy

import (
	"fmt"
	"io"
	"strings"
)

// WriteResults reports how each stack ended: outputs for a success, the
// root cause and final status for a failure.
func WriteResults(w io.Writer, results []Result) {
	for _, r := range results {
		writeResult(w, r)
	}
}

func writeResult(w io.Writer, r Result) {
	if r.Rollout != nil {
		// The change set, if any, succeeded, or the rollout would not
		// have run: report it as such, then the rollout.
		if r.Status != "" || r.Note != "" {
			cs := r
			cs.Rollout, cs.Interrupted, cs.OK, cs.Error = nil, false, true, ""
			writeResult(w, cs)
		}
		writeRollout(w, r)
		return
	}
	switch {
	case r.Interrupted:
		fmt.Fprintf(w, "%s: still in progress (no longer watched)\n", r.Stack)
		return
	case r.Error != "":
		fmt.Fprintf(w, "%s: error: %s\n", r.Stack, r.Error)
		return
	case r.Note == "no changes" || r.Note == noteNotStarted:
		fmt.Fprintf(w, "%s: %s\n", r.Stack, r.Note)
		return
	}
	head := r.Stack + ": " + r.Status
	if r.Note != "" {
		head += " (" + r.Note + ")"
	}
	if !r.OK {
		head += " — " + failureSummary(r.Status)
	}
	fmt.Fprintln(w, head)
	if len(r.RootCause) > 0 {
		fmt.Fprintln(w, "  root cause:")
		for _, e := range r.RootCause {
			fmt.Fprintf(w, "    %s (%s) %s: %s\n", e.LogicalID, e.Type, e.Status, e.Reason)
		}
	}
	if len(r.Outputs) > 0 {
		fmt.Fprintln(w, "  outputs:")
		width := 0
		for _, o := range r.Outputs {
			width = max(width, len(o.Key))
		}
		for _, o := range r.Outputs {
			fmt.Fprintf(w, "    %-*s  %s\n", width, o.Key, o.Value)
		}
	}
	if r.Protected {
		fmt.Fprintln(w, "  termination protection enabled")
	}
}

// failureSummary says in words what a failed final status means.
func failureSummary(status string) string {
	switch {
	case status == "ROLLBACK_COMPLETE":
		return "the creation failed and was rolled back; delete the stack before planning again"
	case status == "UPDATE_ROLLBACK_COMPLETE":
		return "the update failed and was rolled back; the stack runs its previous template"
	case strings.HasSuffix(status, "ROLLBACK_FAILED"):
		return "the rollback failed too; the stack needs manual repair"
	}
	return "the operation failed"
}
