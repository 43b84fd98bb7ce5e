package compiler

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/sns"
)

// TestAlertTopicsSubscribeEveryProtocol: service stacks and account
// baselines share one builder for their alert topics, so both subscribe
// every protocol a tier lists (the baseline once dropped SMS).
func TestAlertTopicsSubscribeEveryProtocol(t *testing.T) {
	alerts := `critical: {email: ["a@example.com"], https: ["https://hooks.example.com/a"], sms: ["+15555550100"]}
		warning: email: ["b@example.com"]
		info: email: []`
	service := strings.Replace(testService, `critical: email: ["oncall@example.com"]
		warning: email: []
		info: email: []`, alerts, 1)
	if service == testService {
		t.Fatal("testService's alerts changed; update this test")
	}
	spec, err := loadSpecs(t, map[string]string{
		"web.cue":      service,
		"baseline.cue": "package specs\n\nbaselines: acct: {\n\taccountId: \"111122223333\"\n\tregion: \"us-east-1\"\n\talerts: {\n" + alerts + "\n}\n}\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	stacks := Compile(spec)
	if len(stacks) != 2 {
		t.Fatalf("compiled %d stacks, want the service and the baseline", len(stacks))
	}
	for _, s := range stacks {
		want := map[string]string{
			"CriticalTopicEmail1": "email", "CriticalTopicHttps1": "https", "CriticalTopicSms1": "sms",
			"WarningTopicEmail1": "email",
		}
		for id, protocol := range want {
			sub, ok := s.Template.Resources[id].(*sns.Subscription)
			if !ok {
				t.Errorf("%s: no subscription %s", s.Name, id)
				continue
			}
			if sub.Protocol != protocol {
				t.Errorf("%s: %s protocol %q, want %q", s.Name, id, sub.Protocol, protocol)
			}
		}
	}
}
