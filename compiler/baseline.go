package compiler

import (
	"fmt"
	"path/filepath"

	"cuelang.org/go/cue"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/tags"
)

// baselineGoldenDir is the folder of golden/ (and out/) that holds the
// baseline stacks, one file per baseline.
const baselineGoldenDir = "baseline"

// baselineGoldenPath is where a baseline stack's template lives under dir.
func baselineGoldenPath(dir string, s *Stack) string {
	return filepath.Join(dir, baselineGoldenDir, s.Baseline+".json")
}

// baselineBuilder carries what the baseline's concerns need while they add
// resources to its stack.
type baselineBuilder struct {
	bl    *Baseline
	stack *Stack
	t     *cloudformation.Template
}

// compileBaseline turns one baseline into its stack: the alert topics, the
// audit trail and its CIS alarms, GuardDuty, and AWS Config.
func compileBaseline(bl *Baseline) *Stack {
	t := cloudformation.NewTemplate()
	t.Description = fmt.Sprintf("phasec: security baseline %s of account %s in %s", bl.Name, bl.AccountID, bl.Region)
	b := &baselineBuilder{
		bl: bl,
		t:  t,
		stack: &Stack{
			Name:       bl.Stack,
			Baseline:   bl.Name,
			Account:    bl.AccountID,
			Region:     bl.Region,
			Template:   t,
			Parameters: map[string]string{},
		},
	}
	b.stack.Tags = b.tagMap()

	compileBaselineAlerting(b)
	compileTrail(b)
	compileCISAlarms(b)
	compileGuardDuty(b)
	compileConfig(b)
	compileBaselineOutputs(b)
	compileBaselineSuppressions(b)
	return b.stack
}

// add puts a resource into the template.
func (b *baselineBuilder) add(id string, r cloudformation.Resource) { addResource(b.t, id, r) }

// name builds an AWS resource name from the stack name and a suffix.
func (b *baselineBuilder) name(suffix string) string { return b.bl.Stack + "-" + suffix }

// tagMap is the tag set of every taggable baseline resource.
func (b *baselineBuilder) tagMap() map[string]string {
	return map[string]string{
		"phasec:baseline":   b.bl.Name,
		"phasec:managed-by": ManagedBy,
	}
}

// tags is the tag set as goformation's Tag list.
func (b *baselineBuilder) tags() []tags.Tag { return tagList(b.tagMap()) }

// accountRoot is the account's root principal, to which key policies
// delegate administration (IAM policies in the account then decide).
func accountRoot() string {
	return cloudformation.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")
}

// baselinePublishers are the services that publish to the baseline's
// topics: CloudWatch (the CIS alarms) and EventBridge (GuardDuty findings
// and Config compliance changes).
var baselinePublishers = []any{"cloudwatch.amazonaws.com", "events.amazonaws.com"}

// compileBaselineAlerting adds the baseline's own three severity topics,
// encrypted with a key only the account and the two publishers may use,
// a TLS-only topic policy, and the subscribers of each tier.
func compileBaselineAlerting(b *baselineBuilder) {
	addAlertTopics(b.add, b.name, b.tags(), alertTopics{
		stack:      b.bl.Stack,
		alerts:     b.bl.Alerts,
		publishers: baselinePublishers,
	})
}

// compileBaselineOutputs publishes the topics and the audit trail's
// locations.
func compileBaselineOutputs(b *baselineBuilder) {
	out := func(name, description, value string) {
		b.t.Outputs[name] = cloudformation.Output{Value: value, Description: ptr(description)}
	}
	for _, sev := range severities {
		out(topicID(sev)+"Arn", "SNS topic of "+string(sev)+" security alerts.", cloudformation.Ref(topicID(sev)))
	}
	out("TrailBucketName", "S3 bucket of the CloudTrail log files (write-once).", cloudformation.Ref(idTrailBucket))
	out("TrailLogGroupName", "CloudWatch Logs group the trail delivers to, which the CIS alarms read.", cloudformation.Ref(idTrailLogGroup))
	out("ConfigBucketName", "S3 bucket of the AWS Config snapshots and history.", cloudformation.Ref(idConfigBucket))
}

// baselineBuiltins are phasec's own suppressions in a baseline stack.
func baselineBuiltins(b *baselineBuilder) []builtin {
	return []builtin{
		{resource: idServerAccessLogsBucket, rule: "PHS-S3-002",
			reason: "This bucket is the destination of the baseline's S3 server access logs; logging it into itself would log its own log deliveries without end."},
		{resource: idServerAccessLogsBucket, rule: "PHS-S3-004",
			reason: "Amazon S3 delivers server access logs only to buckets whose default encryption is SSE-S3; SSE-KMS is not supported on the destination bucket."},
		{resource: idServerAccessLogsBucket, rule: "PHS-S3-010",
			reason: "Amazon S3 does not deliver server access logs to buckets that have Object Lock enabled."},
		{resource: idConfigBucket, rule: "PHS-S3-010",
			reason: "AWS Config does not deliver to S3 buckets that have Object Lock enabled; the bucket is versioned and its policy admits only AWS Config."},
		{resource: idTrailLogsRole, rule: "PHS-IAM-002",
			reason:    "CloudTrail names the log streams it creates (<account>_CloudTrail_<region>...) at run time; the grant is limited to the streams of the trail's own log group.",
			appliesTo: []string{"Resource::" + subFindingDetail(trailLogStreamsArn(b))}},
	}
}

// compileBaselineSuppressions records the baseline's suppressions: the
// spec's, then phasec's own.
func compileBaselineSuppressions(b *baselineBuilder) {
	sups := specSuppressions(b.bl.Security.Suppress,
		cue.MakePath(cue.Str("baselines"), cue.Str(b.bl.Name), cue.Str("security"), cue.Str("suppress")))
	sups = append(sups, builtinSuppressions(b.t, baselineBuiltins(b))...)
	b.stack.Suppressions = sups
	recordSuppressions(b.t, sups)
}
