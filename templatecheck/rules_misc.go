package templatecheck

import (
	"fmt"
	"strings"
)

// Cross-field rules for SNS topics, SSM parameters and budgets.

// snsFifo keeps the .fifo suffix and FifoTopic consistent.
func snsFifo(x *ruleContext) {
	name, ok := x.props["TopicName"].(string)
	if !ok {
		return
	}
	fifo := false
	switch f := x.props["FifoTopic"].(type) {
	case bool:
		fifo = f
	case string:
		fifo = strings.EqualFold(f, "true")
	case nil:
	default:
		return
	}
	suffix := strings.HasSuffix(name, ".fifo")
	switch {
	case fifo && !suffix:
		x.emit("TopicName", "FIFO topic name %q must end in .fifo", name)
	case !fifo && suffix:
		x.emit("TopicName", "topic name %q ends in .fifo but FifoTopic is not true", name)
	}
}

// ssmValueSize checks a literal parameter value against its tier's size limit.
func ssmValueSize(x *ruleContext) {
	v, ok := x.props["Value"].(string)
	if !ok {
		return
	}
	max := 0
	switch tier := x.props["Tier"].(type) {
	case nil:
		max = 4096
	case string:
		switch tier {
		case "Standard":
			max = 4096
		case "Advanced":
			max = 8192
		}
	}
	if max > 0 && len(v) > max {
		x.emit("Value", "Value is %d bytes; the %s tier allows %d", len(v), map[int]string{4096: "Standard", 8192: "Advanced"}[max], max)
	}
}

// budgetSubscribers checks the subscriber counts of each budget notification.
func budgetSubscribers(x *ruleContext) {
	nws, ok := x.props["NotificationsWithSubscribers"].([]any)
	if !ok {
		return
	}
	for i, n := range nws {
		m, _ := n.(map[string]any)
		subs, ok := m["Subscribers"].([]any)
		if !ok {
			continue
		}
		email, sns := 0, 0
		for _, s := range subs {
			sm, _ := s.(map[string]any)
			switch sm["SubscriptionType"] {
			case "EMAIL":
				email++
			case "SNS":
				sns++
			}
		}
		rel := fmt.Sprintf("NotificationsWithSubscribers[%d].Subscribers", i)
		if email > 10 {
			x.emit(rel, "%d email subscribers; at most 10 per notification", email)
		}
		if sns > 1 {
			x.emit(rel, "%d SNS subscribers; at most 1 per notification", sns)
		}
	}
}
