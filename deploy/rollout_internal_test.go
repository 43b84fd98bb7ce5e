package deploy

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRolloutLockRoundTrip(t *testing.T) {
	l := rolloutLock{To: green, By: "Jane Doe;ci", Since: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), ID: "0a1b2c3d"}
	v := l.String()
	if v != "to=green by=Jane-Doe-ci since=2026-01-02T03:04:05Z id=0a1b2c3d" {
		t.Fatalf("tag value %q", v)
	}
	got := parseLock(v)
	want := &rolloutLock{To: green, By: "Jane-Doe-ci", Since: l.Since, ID: "0a1b2c3d"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parsed (-want +got):\n%s", diff)
	}
	// A tag someone edited by hand still locks the stack.
	if l := parseLock("garbage"); l.By != "unknown" || l.holder() != "unknown" {
		t.Errorf("garbage lock %+v", l)
	}
}

func TestBlueGreenParametersFollowTheLiveColour(t *testing.T) {
	spec := map[string]string{
		"VpcId": "vpc-2", "BlueImageId": "ami-new", "BlueAppVersion": "2.0", "GreenImageId": "ami-new", "GreenAppVersion": "2.0",
		"BlueMinSize": "3", "BlueMaxSize": "9", "GreenMinSize": "0", "GreenMaxSize": "0",
		"BlueWeight": "100", "GreenWeight": "0", "LiveColour": "blue",
	}
	deployed := map[string]string{
		"VpcId": "vpc-1", "BlueImageId": "ami-old", "BlueAppVersion": "1.0", "GreenImageId": "ami-cur", "GreenAppVersion": "1.5",
		"BlueMinSize": "0", "BlueMaxSize": "0", "GreenMinSize": "2", "GreenMaxSize": "6",
		"BlueWeight": "0", "GreenWeight": "100", "LiveColour": "green",
	}
	want := map[string]string{
		"VpcId": "vpc-2", "BlueImageId": "ami-old", "BlueAppVersion": "1.0", "GreenImageId": "ami-cur", "GreenAppVersion": "1.5",
		"BlueMinSize": "0", "BlueMaxSize": "0", "GreenMinSize": "3", "GreenMaxSize": "9",
		"BlueWeight": "0", "GreenWeight": "100", "LiveColour": "green",
	}
	if diff := cmp.Diff(want, blueGreenParameters(spec, deployed)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	s := Stack{Release: Release{Version: "2.0", Image: "ami-new"}, BlueGreen: &BlueGreen{TrafficSteps: []int{25, 100}}}
	p, err := rolloutFor(s, deployed)
	if err != nil || p == nil || p.Target != "blue" || p.From != (Release{Version: "1.5", Image: "ami-cur"}) {
		t.Errorf("rollout %+v %v", p, err)
	}
	s.Release = Release{Version: "1.5", Image: "ami-cur"}
	if p, err := rolloutFor(s, deployed); p != nil || err != nil {
		t.Errorf("no release change, yet rollout %+v %v", p, err)
	}
}

func TestCheckSteps(t *testing.T) {
	for _, steps := range [][]int{{10, 50, 100}, {100}} {
		if err := checkSteps(steps); err != nil {
			t.Errorf("%v: %v", steps, err)
		}
	}
	for _, steps := range [][]int{{}, {50}, {50, 50, 100}, {60, 40, 100}, {10, 120}} {
		if err := checkSteps(steps); err == nil {
			t.Errorf("%v accepted", steps)
		}
	}
}

func TestPhaseOfAStack(t *testing.T) {
	st := &bgStack{live: blue, params: map[string]string{"GreenMinSize": "2", "BlueWeight": "50", "GreenWeight": "50"}}
	if got := st.phase(green, []int{10, 50, 100}); got != "step 2/3: 50% on green" {
		t.Errorf("phase %q", got)
	}
	st.params["GreenWeight"] = "0"
	if got := st.phase(green, nil); got != "green up, no traffic yet" {
		t.Errorf("phase %q", got)
	}
}
