package appmetrics

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Config says where the records go in CloudWatch and under which names.
type Config struct {
	// Namespace is the CloudWatch namespace; empty means DefaultNamespace.
	Namespace string
	// Service and Environment are the values of DimService and
	// DimEnvironment; both are required, since alarms select on them.
	Service     string
	Environment string
	// LogGroup is the log group the CloudWatch agent writes the records to
	// (_aws.LogGroupName). The agent needs it; it may be empty when the
	// records go to stdout or a file that something else ships.
	LogGroup string
	// Now is the clock, for tests; nil means time.Now. Latency is the
	// difference of two readings, so a real clock should carry a monotonic
	// reading as time.Now does.
	Now func() time.Time
}

// ConfigFromEnv reads the configuration that the compiler's user data
// writes to /etc/phasec/app.env. Pass os.Getenv; a function rather than the
// process environment so tests need not mutate globals. The result has been
// checked as New would check it.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{
		Namespace:   getenv(EnvNamespace),
		Service:     getenv(EnvService),
		Environment: getenv(EnvEnvironment),
		LogGroup:    getenv(EnvLogGroup),
	}
	if cfg.Namespace == "" {
		cfg.Namespace = DefaultNamespace
	}
	if err := cfg.validate(); err != nil {
		return Config{}, fmt.Errorf("appmetrics: environment: %w", err)
	}
	return cfg, nil
}

// CloudWatch limits that a record's constant parts must respect; a record
// breaking them is dropped by CloudWatch without any error reaching us.
const (
	maxNamespaceLen      = 255
	maxDimensionValueLen = 1024
	maxLogGroupLen       = 512
)

// validate reports every problem at once so that a misconfigured instance
// is fixed in one round.
func (c Config) validate() error {
	var errs []error
	check := func(name, value string, limit int, required bool) {
		switch {
		case value == "" && required:
			errs = append(errs, fmt.Errorf("%s is required", name))
		case value != "" && strings.TrimSpace(value) == "":
			errs = append(errs, fmt.Errorf("%s %q is blank", name, value))
		case len(value) > limit:
			errs = append(errs, fmt.Errorf("%s is %d bytes long, more than %d", name, len(value), limit))
		case !utf8.ValidString(value):
			errs = append(errs, fmt.Errorf("%s %q is not valid UTF-8", name, value))
		}
	}
	ns := c.Namespace
	if ns == "" {
		ns = DefaultNamespace
	}
	check("namespace ("+EnvNamespace+")", ns, maxNamespaceLen, true)
	if strings.HasPrefix(ns, "AWS/") {
		errs = append(errs, fmt.Errorf("namespace (%s) %q: the AWS/ prefix is reserved for AWS services", EnvNamespace, ns))
	} else if i := strings.IndexFunc(ns, notNamespaceRune); i >= 0 {
		r, _ := utf8.DecodeRuneInString(ns[i:])
		errs = append(errs, fmt.Errorf("namespace (%s) %q: character %q not allowed (letters, digits, space and . - _ / # :)", EnvNamespace, ns, r))
	}
	check("service ("+EnvService+")", c.Service, maxDimensionValueLen, true)
	check("environment ("+EnvEnvironment+")", c.Environment, maxDimensionValueLen, true)
	check("log group ("+EnvLogGroup+")", c.LogGroup, maxLogGroupLen, false)
	return errors.Join(errs...)
}

// notNamespaceRune reports a character CloudWatch does not allow in a
// namespace.
func notNamespaceRune(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return false
	}
	return !strings.ContainsRune(" .-_/#:", r)
}
