package compiler

import (
	"github.com/awslabs/goformation/v7/cloudformation/budgets"
)

const idBudget = "MonthlyBudget"

// stackNameTag is the cost allocation tag CloudFormation puts on every
// resource of a stack. Unlike the phasec tags, which name the service and
// the environment separately, its one value names exactly this stack. Cost
// allocation tags only filter costs once activated in the Billing console.
const stackNameTag = "aws:cloudformation:stack-name"

// compileBudget adds the stack's monthly AWS Budgets cost budget, filtered
// by the stack-name cost allocation tag, which tells the warning topic when
// actual spend passes the warning share or the month's forecast passes its
// share, and the critical topic when actual spend passes the critical
// share. Budgets publishes to the encrypted topics as budgets.amazonaws.com,
// which the key and topic policies admit.
func compileBudget(b *stackBuilder) {
	bg := b.env.Monitoring.Budget
	notify := func(kind string, percent float64, sev Severity) budgets.Budget_NotificationWithSubscribers {
		return budgets.Budget_NotificationWithSubscribers{
			Notification: &budgets.Budget_Notification{
				NotificationType:   kind,
				ComparisonOperator: "GREATER_THAN",
				Threshold:          percent,
				ThresholdType:      ptr("PERCENTAGE"),
			},
			Subscribers: []budgets.Budget_Subscriber{{SubscriptionType: "SNS", Address: alarmTopicFor(sev)}},
		}
	}
	b.add(idBudget, &budgets.Budget{
		Budget: &budgets.Budget_BudgetData{
			BudgetName:  ptr(b.name("monthly")),
			BudgetType:  "COST",
			TimeUnit:    "MONTHLY",
			BudgetLimit: &budgets.Budget_Spend{Amount: bg.MonthlyUSD, Unit: "USD"},
			CostFilters: map[string]any{"TagKeyValue": []any{stackNameTag + "$" + b.env.Stack}},
		},
		NotificationsWithSubscribers: []budgets.Budget_NotificationWithSubscribers{
			notify("ACTUAL", bg.WarningAtPercent, Warning),
			notify("ACTUAL", bg.CriticalAtPercent, Critical),
			notify("FORECASTED", bg.ForecastWarningAtPercent, Warning),
		},
	})
}
