package deploy

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/google/go-cmp/cmp"
)

func TestCapabilitiesFor(t *testing.T) {
	for _, tc := range []struct {
		template string
		want     []types.Capability
	}{
		{`{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}`, nil},
		{`{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {}}}}`, []types.Capability{types.CapabilityCapabilityIam}},
		{`{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "x"}}}}`, []types.Capability{types.CapabilityCapabilityNamedIam}},
		{`{"Transform": "AWS::Serverless-2016-10-31", "Resources": {}}`, []types.Capability{types.CapabilityCapabilityAutoExpand}},
	} {
		got, err := capabilitiesFor([]byte(tc.template))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.template, diff)
		}
	}
}

func TestRootCauseSkipsCancellations(t *testing.T) {
	ev := func(id, status, reason string) types.StackEvent {
		now := time.Unix(0, 0)
		typ := "AWS::EC2::Instance"
		if id == "s" {
			typ = stackResourceType
		}
		return types.StackEvent{LogicalResourceId: &id, ResourceStatus: types.ResourceStatus(status),
			ResourceStatusReason: &reason, ResourceType: &typ, Timestamp: &now}
	}
	events := []types.StackEvent{
		ev("s", "UPDATE_IN_PROGRESS", "User Initiated"),
		ev("A", "UPDATE_FAILED", "Resource update cancelled"),
		ev("B", "UPDATE_FAILED", "quota exceeded"),
		ev("B", "UPDATE_FAILED", "a later failure of B"),
		ev("s", "UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to update: [A, B]."),
	}
	got := rootCause("s", events)
	if len(got) != 1 || got[0].LogicalID != "B" || got[0].Reason != "quota exceeded" {
		t.Errorf("got %+v", got)
	}
	// With only the stack's reason (a rollback trigger fired), that is the cause.
	got = rootCause("s", []types.StackEvent{ev("s", "UPDATE_ROLLBACK_IN_PROGRESS", "Alarm X went into ALARM")})
	if len(got) != 1 || got[0].Reason != "Alarm X went into ALARM" {
		t.Errorf("got %+v", got)
	}
}
