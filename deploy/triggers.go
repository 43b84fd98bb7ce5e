package deploy

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// maxTriggers is CloudFormation's limit on rollback triggers per stack.
const maxTriggers = 5

// Trigger is a CloudWatch alarm that rolls an update back when it goes
// into ALARM during the update or its monitoring time.
type Trigger struct {
	Alarm string `json:"alarm"`
	ARN   string `json:"arn"`
}

// rollbackTriggers splits the stack's critical alarms into those that
// already exist, which can be triggers (at most five, in the given order),
// and those that do not exist yet because this very change creates them:
// CloudFormation rejects a trigger that does not exist.
func rollbackTriggers(ctx context.Context, c *clients, alarms []string) (triggers []Trigger, pending []string, err error) {
	arns := map[string]string{}
	for start := 0; start < len(alarms); start += 100 {
		end := min(start+100, len(alarms))
		p := cloudwatch.NewDescribeAlarmsPaginator(c.cw, &cloudwatch.DescribeAlarmsInput{
			AlarmNames: alarms[start:end],
			AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm, cwtypes.AlarmTypeCompositeAlarm},
		})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, nil, fmt.Errorf("looking up critical alarms: %w", err)
			}
			for _, a := range page.MetricAlarms {
				arns[*a.AlarmName] = *a.AlarmArn
			}
			for _, a := range page.CompositeAlarms {
				arns[*a.AlarmName] = *a.AlarmArn
			}
		}
	}
	for _, name := range alarms {
		arn, ok := arns[name]
		switch {
		case !ok:
			pending = append(pending, name)
		case len(triggers) < maxTriggers:
			triggers = append(triggers, Trigger{Alarm: name, ARN: arn})
		}
	}
	return triggers, pending, nil
}
