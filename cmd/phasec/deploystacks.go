package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"github.com/phasec/phasec/compiler"
	"github.com/phasec/phasec/deploy"
)

// deployFlags are the options plan and apply share.
type deployFlags struct {
	specs    string
	golden   string
	unlocked bool
	region   string
	bucket   string
	profile  string
	parallel int
	format   string
}

func (f *deployFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.specs, "specs", "", "directory of .cue specs (default: the shipped examples)")
	fs.StringVar(&f.golden, "golden", "golden", "directory of golden files that lock the templates")
	fs.BoolVar(&f.unlocked, "unlocked", false, "deploy templates that differ from their golden files (unreviewed!)")
	fs.StringVar(&f.region, "region", "", "AWS region for every stack (default: each stack's region from its spec)")
	fs.StringVar(&f.bucket, "bucket", os.Getenv("PHASEC_BUCKET"), "S3 bucket for templates over 51,200 bytes (default $PHASEC_BUCKET)")
	fs.StringVar(&f.profile, "profile", "", "AWS shared-config profile (default: the standard credential chain)")
	fs.IntVar(&f.parallel, "parallel", 4, "how many stacks to work on at once")
	fs.StringVar(&f.format, "format", "text", "output format: text or json")
}

// deployer builds the deploy.Deployer for these flags. Two environment
// variables tune how hard phasec polls: PHASEC_POLL_INTERVAL (default 2-5 s
// with jitter; a rollout polls target health and alarms at the same pace)
// and PHASEC_MAX_BACKOFF (the SDK's retry backoff cap, default 20 s).
// PHASEC_OPERATOR names who runs phasec in a rollout's lock (see
// operator).
func (a *app) deployer(f *deployFlags) (*deploy.Deployer, error) {
	opts := deploy.Options{
		Region:   f.region,
		Profile:  f.profile,
		Bucket:   f.bucket,
		Parallel: f.parallel,
		Progress: a.stderr,
		Terminal: isTerminal(a.stderr),
		Operator: operator(),
	}
	for name, dst := range map[string]*time.Duration{
		"PHASEC_POLL_INTERVAL": &opts.PollInterval,
		"PHASEC_MAX_BACKOFF":   &opts.MaxBackoff,
	} {
		if v := os.Getenv(name); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("%s=%q: want a positive duration such as 3s", name, v)
			}
			*dst = d
		}
	}
	return deploy.New(opts), nil
}

// lockedStacks compiles and renders the named stacks (all when none are
// named) and checks each template against its golden file: what is
// deployed must be byte for byte what was reviewed, unless --unlocked.
func (a *app) lockedStacks(f *deployFlags, names []string) ([]deploy.Stack, error) {
	if f.parallel < 1 {
		return nil, fmt.Errorf("--parallel must be at least 1")
	}
	compiled, err := a.compile(f.specs, names)
	if err != nil {
		return nil, err
	}
	rendered, err := render(compiled, false)
	if err != nil {
		return nil, err
	}
	var errs []error
	stacks := make([]deploy.Stack, 0, len(rendered))
	for _, s := range rendered {
		if !f.unlocked {
			if err := checkGolden(compiler.GoldenPath(f.golden, s.Stack), s.Name, s.body); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		stacks = append(stacks, deployStack(s))
	}
	if len(errs) > 0 {
		errs = append(errs, errors.New("what is deployed must be what was reviewed: run `make golden`, review the diff "+
			"and commit it, then plan again (--unlocked deploys an unreviewed template)"))
		return nil, errors.Join(errs...)
	}
	return stacks, nil
}

// deployStack is what deploy needs of a compiled stack: the template, its
// parameters and tags, and how its releases roll out.
func deployStack(s renderedStack) deploy.Stack {
	ds := deploy.Stack{
		Name: s.Name, Tier: s.Tier, Region: s.Region, Account: s.Account, Template: s.body,
		Parameters: s.Parameters, Tags: s.Tags, CriticalAlarms: s.CriticalAlarms,
		Strategy: s.Strategy, Release: deploy.Release{Version: s.Release.Version, Image: s.Release.Image},
	}
	if s.BlueGreen != nil {
		ds.BlueGreen = &deploy.BlueGreen{
			TrafficSteps:         s.BlueGreen.TrafficSteps,
			BakeMinutes:          s.BlueGreen.BakeMinutes,
			HealthTimeoutMinutes: s.BlueGreen.HealthTimeoutMinutes,
		}
	}
	if s.Strategy != "" {
		// Service stacks carry the spec's monitoring time (the tier's
		// default unless overridden); baselines keep the tier's.
		minutes := int32(s.RollbackMonitoringMinutes)
		ds.MonitoringMinutes = &minutes
	}
	return ds
}

// checkGolden compares a rendered template with its golden file by sha256.
func checkGolden(path, stack string, body []byte) error {
	locked, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: no golden file %s locks its template", stack, filepath.ToSlash(path))
	}
	if err != nil {
		return err
	}
	if !bytes.Equal(locked, body) {
		return fmt.Errorf("%s: the template differs from its golden file %s (sha256 %s, golden %s)",
			stack, filepath.ToSlash(path), shortSHA(body), shortSHA(locked))
	}
	return nil
}

func shortSHA(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

// isTerminal reports whether w is an interactive terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// useColor reports whether output to w may use ANSI colours.
func useColor(w any) bool {
	return isTerminal(w) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
}
