package appmetrics

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestConfigFromEnv(t *testing.T) {
	full := map[string]string{
		EnvService:     "storefront",
		EnvEnvironment: "staging",
		EnvNamespace:   "Team/Web",
		EnvLogGroup:    "/phasec/storefront-staging/metrics",
	}
	with := func(k, v string) map[string]string {
		env := map[string]string{}
		for key, val := range full {
			env[key] = val
		}
		env[k] = v
		return env
	}
	tests := []struct {
		name    string
		env     map[string]string
		want    Config
		wantErr []string // substrings, all required; nil: no error
	}{
		{
			name: "everything set",
			env:  full,
			want: Config{Namespace: "Team/Web", Service: "storefront", Environment: "staging", LogGroup: "/phasec/storefront-staging/metrics"},
		},
		{
			name: "namespace defaults to the compiler's",
			env:  with(EnvNamespace, ""),
			want: Config{Namespace: DefaultNamespace, Service: "storefront", Environment: "staging", LogGroup: "/phasec/storefront-staging/metrics"},
		},
		{
			name: "log group is optional (stdout)",
			env:  with(EnvLogGroup, ""),
			want: Config{Namespace: "Team/Web", Service: "storefront", Environment: "staging"},
		},
		{
			name: "namespace with every allowed kind of character",
			env:  with(EnvNamespace, "My App/web-1_a.b#c:d"),
			want: Config{Namespace: "My App/web-1_a.b#c:d", Service: "storefront", Environment: "staging", LogGroup: "/phasec/storefront-staging/metrics"},
		},
		{name: "service missing", env: with(EnvService, ""), wantErr: []string{EnvService, "required"}},
		{name: "nothing set: every problem at once", env: map[string]string{}, wantErr: []string{EnvService, EnvEnvironment}},
		{name: "blank environment", env: with(EnvEnvironment, "  "), wantErr: []string{EnvEnvironment, "blank"}},
		{name: "namespace too long", env: with(EnvNamespace, strings.Repeat("n", 256)), wantErr: []string{EnvNamespace, "more than 255"}},
		{name: "namespace reserved for AWS", env: with(EnvNamespace, "AWS/EC2"), wantErr: []string{EnvNamespace, "reserved"}},
		{name: "namespace character", env: with(EnvNamespace, "Team*Web"), wantErr: []string{EnvNamespace, `'*'`}},
		{name: "service not UTF-8", env: with(EnvService, "web\xff"), wantErr: []string{EnvService, "UTF-8"}},
		{name: "dimension value too long", env: with(EnvService, strings.Repeat("s", 1025)), wantErr: []string{EnvService, "more than 1024"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("ConfigFromEnv: %v", err)
				}
				if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(Config{}, "Now")); diff != "" {
					t.Errorf("config (-want +got):\n%s", diff)
				}
				return
			}
			if err == nil {
				t.Fatalf("ConfigFromEnv accepted %v", tt.env)
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		nilOut  bool
		wantErr string
	}{
		{"no service", Config{Environment: "dev"}, false, "service"},
		{"no writer", testConfig(nil), true, "no writer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := &lineSink{}
			var err error
			if tt.nilOut {
				_, err = New(tt.cfg, nil)
			} else {
				_, err = New(tt.cfg, out)
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New = %v, want an error mentioning %q", err, tt.wantErr)
			}
		})
	}
}
