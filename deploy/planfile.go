package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/phasec/phasec/internal/atomicwrite"
)

// WritePlanFile saves a plan as indented JSON. The file is written to a
// temporary sibling and renamed, so a failed or interrupted write never
// leaves a half plan that apply could read.
func WritePlanFile(path string, p *Plan) error {
	b, err := MarshalPlan(p)
	if err != nil {
		return err
	}
	return atomicwrite.File(path, b)
}

// MarshalPlan is the plan file's bytes, which are also the plan's JSON
// output for machines.
func MarshalPlan(p *Plan) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ReadPlanFile loads and checks a plan file.
func ReadPlanFile(path string) (*Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// The version is read first and on its own: a plan written by another
	// phasec may have fields this one does not know, and deserves to be
	// told apart from a file that is no plan at all.
	var head struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("%s is not a phasec plan file: %w", path, err)
	}
	if head.Version == nil {
		return nil, fmt.Errorf("%s is not a phasec plan file: it has no version", path)
	}
	if *head.Version < 1 || *head.Version > PlanVersion {
		return nil, fmt.Errorf("%s is a version %d plan; this phasec reads versions 1 to %d: run phasec plan again", path, *head.Version, PlanVersion)
	}
	var p Plan
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s is not a phasec plan file: %w", path, err)
	}
	for i, s := range p.Stacks {
		if s.Stack == "" || s.Region == "" || len(s.TemplateSHA256) != 64 {
			return nil, fmt.Errorf("%s: stack %d is incomplete (name, region and template sha256 are required)", path, i+1)
		}
		if s.Action != ActionNone && s.ChangeSetID == "" {
			return nil, fmt.Errorf("%s: %s has no change set ID", path, s.Stack)
		}
		if s.Account != "" && !isAccountID(s.Account) {
			return nil, fmt.Errorf("%s: %s is pinned to %q, which is no AWS account ID (12 digits)", path, s.Stack, s.Account)
		}
	}
	return &p, nil
}
