package compiler

import (
	"reflect"
	"sort"
	"strings"

	"cuelang.org/go/cue"
	"github.com/awslabs/goformation/v7/cloudformation"
)

// Suppression is an exemption from a `phasec vet` rule that a stack
// records in its template's metadata, where the rules read it back.
type Suppression struct {
	Rule   string
	Reason string
	// Resources limits it to these logical IDs; empty means the stack.
	Resources []string
	// AppliesTo limits it to these findings of the rule.
	AppliesTo []string
	// Source is the CUE path of the spec's suppression, or "phasec" for
	// the compiler's own, which explain a choice phasec makes.
	Source string
	// Pos is where the spec declares it (file:line:col); empty for
	// phasec's own.
	Pos string
}

// SourcePhasec marks the suppressions the compiler itself records.
const SourcePhasec = "phasec"

// The metadata keys the rules package reads suppressions from.
const (
	metadataPhasec       = "phasec"
	metadataSuppressions = "suppressions"
)

// specSuppressions turns a spec's suppress map into Suppressions in rule
// order, each naming the CUE path it was declared at.
func specSuppressions(m map[string]SuppressionSpec, path cue.Path) []Suppression {
	var out []Suppression
	for _, rule := range sortedKeys(m) {
		s := m[rule]
		out = append(out, Suppression{
			Rule: rule, Reason: s.Reason, Resources: s.Resources, AppliesTo: s.AppliesTo,
			Source: cue.MakePath(append(path.Selectors(), cue.Str(rule))...).String(),
		})
	}
	return out
}

// recordSuppressions writes every suppression into the template: those
// limited to resources of the template into each resource's
// Metadata.phasec.suppressions (the way cdk-nag records rules_to_suppress),
// the rest into the template's Metadata.phasec.suppressions, where a
// resource the template does not have is reported by vet.
func recordSuppressions(t *cloudformation.Template, sups []Suppression) {
	var stackWide []any
	perResource := map[string][]any{}
	for _, s := range sups {
		onResources := len(s.Resources) > 0
		for _, id := range s.Resources {
			if _, ok := t.Resources[id]; !ok {
				onResources = false
			}
		}
		if !onResources {
			stackWide = append(stackWide, suppressionEntry(s, true))
			continue
		}
		for _, id := range s.Resources {
			perResource[id] = append(perResource[id], suppressionEntry(s, false))
		}
	}
	if len(stackWide) > 0 {
		t.Metadata[metadataPhasec] = map[string]any{metadataSuppressions: stackWide}
	}
	ids := make([]string, 0, len(perResource))
	for id := range perResource {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		setMetadata(t.Resources[id], metadataPhasec, map[string]any{metadataSuppressions: perResource[id]})
	}
}

// suppressionEntry is one suppression as the template records it.
func suppressionEntry(s Suppression, withResources bool) map[string]any {
	e := map[string]any{"rule": s.Rule, "reason": s.Reason, "source": s.Source}
	if withResources && len(s.Resources) > 0 {
		e["resources"] = toAny(s.Resources)
	}
	if len(s.AppliesTo) > 0 {
		e["appliesTo"] = toAny(s.AppliesTo)
	}
	return e
}

func toAny(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// setMetadata sets one key of a resource's Metadata. goformation's Resource
// interface has no accessor for it, but every generated resource type has
// the AWSCloudFormationMetadata field.
func setMetadata(r cloudformation.Resource, key string, value any) {
	if w, ok := r.(withAttributes); ok {
		r = w.Resource // the typed resource inside keeps its Metadata
	}
	v := reflect.ValueOf(r)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		panic("compiler: resource is not a pointer to a goformation struct")
	}
	f := v.Elem().FieldByName("AWSCloudFormationMetadata")
	if !f.IsValid() {
		panic("compiler: resource type has no AWSCloudFormationMetadata")
	}
	if f.IsNil() {
		f.Set(reflect.ValueOf(map[string]any{}))
	}
	f.SetMapIndex(reflect.ValueOf(key), reflect.ValueOf(value))
}

// subFindingDetail writes an Fn::Sub template the way vet (and cdk-nag)
// print it in a finding's detail: each ${Name} as <Name>. A suppression's
// appliesTo must match that text, and metadata must hold no ${...} outside
// Fn::Sub, which CloudFormation linters reject.
func subFindingDetail(tmpl string) string {
	return strings.NewReplacer("${", "<", "}", ">").Replace(tmpl)
}

// builtin is a suppression phasec itself records, on one resource, when the
// resource exists: each explains a choice phasec makes by design.
type builtin struct {
	resource, rule, reason string
	appliesTo              []string
}

// serviceBuiltins are phasec's own suppressions in a service stack.
func serviceBuiltins(b *stackBuilder) []builtin {
	out := []builtin{
		{resource: idServerAccessLogsBucket, rule: "PHS-S3-002",
			reason: "This bucket is the destination of the stack's S3 server access logs; logging it into itself would log its own log deliveries without end."},
		{resource: idServerAccessLogsBucket, rule: "PHS-S3-004",
			reason: "Amazon S3 delivers server access logs only to buckets whose default encryption is SSE-S3; SSE-KMS is not supported on the destination bucket."},
		{resource: idServerAccessLogsBucket, rule: "PHS-S3-010",
			reason: "Amazon S3 does not deliver server access logs to buckets that have Object Lock enabled."},
		{resource: idAccessLogsBucket, rule: "PHS-S3-004",
			reason: "Elastic Load Balancing writes access logs only to buckets encrypted with Amazon S3 managed keys (SSE-S3), not with KMS keys."},
		{resource: idAccessLogsBucket, rule: "PHS-S3-010",
			reason: "Load balancer access logs are operational logs that expire with the tier's lifecycle; write-once retention is kept for the account's audit trail in the baseline stack."},
		{resource: idInstanceRole, rule: "PHS-IAM-002",
			reason: "cloudwatch:PutMetricData (limited to phasec's namespaces by condition), ec2:DescribeTags and the Session Manager channel actions have no resource-level permissions; " +
				"log writes are limited to the stack's own /phasec/" + b.env.Stack + "/ log groups, whose streams are named at run time.",
			appliesTo: []string{
				"Resource::*",
				"Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/phasec/" + b.env.Stack + "/*",
			}},
	}
	if b.env.Tier != "production" {
		tier := b.env.Tier
		out = append(out, builtin{resource: idLoadBalancer, rule: "PHS-ELB-006",
			reason: "Deletion protection is a production setting: " + tier + " load balancers are created and deleted with their environment (tier default)."})
		// One launch template per fleet: both colours of a blue-green stack.
		for _, f := range b.fleets() {
			out = append(out, builtin{resource: f.launchTemplateID, rule: "PHS-EC2-005",
				reason: "Detailed monitoring is a production setting: " + tier + " instances use basic five-minute metrics, which their alarms and scaling are tuned for (tier default)."})
		}
		for _, lg := range []string{idAppLogGroup, idMetricsLogGroup, idWafLogGroup} {
			out = append(out, builtin{resource: lg, rule: "PHS-LOGS-001",
				reason: "The " + tier + " tier keeps logs " + itoa(logRetentionDays[tier]) + " days, long enough to debug a release; a year of retention is kept for production (tier default)."})
		}
	}
	return out
}

// builtinSuppressions turns builtins into Suppressions, keeping those whose
// resource the template has.
func builtinSuppressions(t *cloudformation.Template, list []builtin) []Suppression {
	var out []Suppression
	for _, bi := range list {
		if _, ok := t.Resources[bi.resource]; !ok {
			continue
		}
		out = append(out, Suppression{
			Rule: bi.rule, Reason: bi.reason, Resources: []string{bi.resource},
			AppliesTo: bi.appliesTo, Source: SourcePhasec,
		})
	}
	return out
}

// compileSuppressions records the stack's suppressions: the service's,
// the environment's, then phasec's own. It runs last, once every resource
// it may annotate exists.
func compileSuppressions(b *stackBuilder) {
	var sups []Suppression
	sups = append(sups, specSuppressions(b.svc.Security.Suppress,
		cue.MakePath(cue.Str("services"), cue.Str(b.svc.Name), cue.Str("security"), cue.Str("suppress")))...)
	sups = append(sups, specSuppressions(b.env.Security.Suppress, envPath(b.svc, b.env, "security", "suppress"))...)
	sups = append(sups, builtinSuppressions(b.t, serviceBuiltins(b))...)
	b.stack.Suppressions = sups
	recordSuppressions(b.t, sups)
}

// locateSuppressions fills in where the spec declared each of a stack's
// suppressions, so that vet can point at it.
func (s *Spec) locateSuppressions(stack *Stack) {
	for i, sup := range stack.Suppressions {
		if sup.Source == SourcePhasec {
			continue
		}
		if e := s.fieldPos(cue.ParsePath(sup.Source)); e.Pos.IsValid() {
			stack.Suppressions[i].Pos = formatPos(e.Pos)
		}
	}
}
