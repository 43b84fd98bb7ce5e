package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// control is one Control Tower proactive control: its own Guard rule file
// as AWS publishes it, shipped in @cdklabs/cdk-validator-cfnguard.
type control struct {
	// ID is the control's identifier from its metadata, CT.S3.PR.2.
	ID string
	// File is the rule file's path under the package's cfn-guard folder,
	// s3/ct-s3-pr-2.guard: what a finding cites.
	File string
	// Rule is the name of the file's primary Guard rule, which is how
	// cfn-guard reports the file's verdict.
	Rule string
	// Text is the rule file itself, handed to cfn-guard.
	Text string
}

// The folders of the package that hold the Control Tower rules and their
// metadata, one sub-folder per service.
const (
	guardRulesDir = "rules/control-tower/cfn-guard"
	metadataDir   = "rules/control-tower/metadata"
)

// primaryRule finds the names of a rule file's top-level rules: those with
// a when clause. Every Control Tower file has one, written twice (for a
// template and for a hook) or more (one per resource type it reports on).
var primaryRule = regexp.MustCompile(`(?m)^rule\s+([A-Za-z0-9_]+)\s+when\b`)

// loadControls reads every Control Tower rule file of the package at dir,
// ordered by control ID. It fails when a file has no metadata, no primary
// rule or more than one, or when two files share a primary rule name:
// cfn-guard reports verdicts by rule name, so a shared name would make one
// control's failure look like another's.
func loadControls(dir string) ([]control, error) {
	root := filepath.Join(dir, guardRulesDir)
	var out []control
	byRule := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".guard") {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		c := control{File: filepath.ToSlash(rel), Text: string(text)}
		names := map[string]bool{}
		for _, m := range primaryRule.FindAllStringSubmatch(c.Text, -1) {
			names[m[1]] = true
		}
		if len(names) != 1 {
			return fmt.Errorf("%s: want one primary rule name, found %d", c.File, len(names))
		}
		for n := range names {
			c.Rule = n
		}
		if other, dup := byRule[c.Rule]; dup {
			return fmt.Errorf("%s and %s both name their rule %s", other, c.File, c.Rule)
		}
		byRule[c.Rule] = c.File
		if c.ID, err = controlID(dir, rel); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no Guard rule files under %s", root)
	}
	sort.Slice(out, func(i, j int) bool { return lessControlID(out[i].ID, out[j].ID) })
	return out, nil
}

// controlID reads a rule file's control ID from the metadata file beside it
// (metadata/s3/ct-s3-pr-2.metadata.json for cfn-guard/s3/ct-s3-pr-2.guard):
// file names do not always spell the ID (ct-waf-regional-pr-1 is
// CT.WAF-REGIONAL.PR.1).
func controlID(dir, rel string) (string, error) {
	path := filepath.Join(dir, metadataDir, strings.TrimSuffix(rel, ".guard")+".metadata.json")
	body, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var meta struct{ Id string }
	if err := json.Unmarshal(body, &meta); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	if !strings.HasPrefix(meta.Id, "CT.") {
		return "", fmt.Errorf("%s: Id %q is not a Control Tower control ID", path, meta.Id)
	}
	return meta.Id, nil
}

// names reports whether the rule file names a resource type. The hook runs
// a control for the types it reports on, each of which its file names (in
// a let, in single or double quotes); a type named only in passing, as a
// resource the control follows a reference to, costs one evaluation that
// skips. The character after the name must not continue it, so that
// AWS::S3::Bucket does not select the rules of AWS::S3::BucketPolicy.
func (c control) names(resourceType string) bool {
	rest := c.Text
	for {
		i := strings.Index(rest, resourceType)
		if i < 0 {
			return false
		}
		rest = rest[i+len(resourceType):]
		if rest == "" || !isNameChar(rest[0]) {
			return true
		}
	}
}

func isNameChar(b byte) bool {
	return b == '_' || b == ':' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// lessControlID orders control IDs by service, then by number as a number
// (CT.S3.PR.2 before CT.S3.PR.10).
func lessControlID(a, b string) bool {
	as, an := splitControlID(a)
	bs, bn := splitControlID(b)
	if as != bs {
		return as < bs
	}
	if an != bn {
		return an < bn
	}
	return a < b
}

// splitControlID splits CT.S3.PR.10 into "CT.S3.PR" and 10.
func splitControlID(id string) (string, int) {
	i := strings.LastIndexByte(id, '.')
	if i < 0 {
		return id, 0
	}
	n := 0
	for _, r := range id[i+1:] {
		if r < '0' || r > '9' {
			return id, 0
		}
		n = n*10 + int(r-'0')
	}
	return id[:i], n
}
