package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// InlineLimit is the largest template CloudFormation accepts inline
// (TemplateBody), in bytes; larger ones must be uploaded to S3.
const InlineLimit = 51200

// capabilitiesFor returns the capabilities a template must acknowledge:
// CAPABILITY_NAMED_IAM when an IAM resource has a custom name,
// CAPABILITY_IAM for other IAM resources, CAPABILITY_AUTO_EXPAND for
// macros and transforms.
func capabilitiesFor(template []byte) ([]types.Capability, error) {
	var t struct {
		Transform any `json:"Transform"`
		Resources map[string]struct {
			Type       string         `json:"Type"`
			Properties map[string]any `json:"Properties"`
		} `json:"Resources"`
	}
	if err := json.Unmarshal(template, &t); err != nil {
		return nil, fmt.Errorf("reading template: %w", err)
	}
	var iam, named bool
	for _, r := range t.Resources {
		if !strings.HasPrefix(r.Type, "AWS::IAM::") {
			continue
		}
		iam = true
		for _, p := range []string{"RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"} {
			if _, ok := r.Properties[p]; ok {
				named = true
			}
		}
	}
	var caps []types.Capability
	switch {
	case named:
		caps = append(caps, types.CapabilityCapabilityNamedIam)
	case iam:
		caps = append(caps, types.CapabilityCapabilityIam)
	}
	if t.Transform != nil {
		caps = append(caps, types.CapabilityCapabilityAutoExpand)
	}
	return caps, nil
}

// templateSource returns either the template body to send inline (the
// canonical bytes, or the same JSON without whitespace when only that fits)
// or the S3 URL of the uploaded canonical template, for templates that do
// not fit in InlineLimit even compacted.
func (d *Deployer) templateSource(ctx context.Context, c *clients, s Stack, sha string) (body, url string, err error) {
	if len(s.Template) <= InlineLimit {
		return string(s.Template), "", nil
	}
	// The canonical template is indented for review; without the
	// whitespace, which CloudFormation ignores, it often fits inline.
	var compact bytes.Buffer
	if err := json.Compact(&compact, s.Template); err != nil {
		return "", "", fmt.Errorf("reading template: %w", err)
	}
	if compact.Len() <= InlineLimit {
		return compact.String(), "", nil
	}
	if d.opts.Bucket == "" {
		return "", "", fmt.Errorf("the template is %d bytes (%d without whitespace), over CloudFormation's %d-byte "+
			"limit for inline templates, so it must be uploaded to S3, and no bucket is configured: name a bucket "+
			"in %s (phasec --bucket, or PHASEC_BUCKET)", len(s.Template), compact.Len(), InlineLimit, c.region)
	}
	key := fmt.Sprintf("phasec/%s/%s.json", s.Name, sha)
	_, err = c.s3.PutObject(ctx, &s3.PutObjectInput{
		Bucket:      &d.opts.Bucket,
		Key:         &key,
		Body:        bytes.NewReader(s.Template),
		ContentType: strPtr("application/json"),
	})
	if err != nil {
		return "", "", fmt.Errorf("uploading the template to s3://%s/%s: %w", d.opts.Bucket, key, err)
	}
	d.progressf("%s: uploaded the %d-byte template to s3://%s/%s", s.Name, len(s.Template), d.opts.Bucket, key)
	return "", fmt.Sprintf("https://%s.s3.%s.amazonaws.com/%s", d.opts.Bucket, c.region, key), nil
}

// cfnParameters and cfnTags turn maps into the API's lists, sorted so that
// requests are reproducible.
func cfnParameters(m map[string]string) []types.Parameter {
	var out []types.Parameter
	for _, k := range sortedKeys(m) {
		out = append(out, types.Parameter{ParameterKey: strPtr(k), ParameterValue: strPtr(m[k])})
	}
	return out
}

func cfnTags(m map[string]string) []types.Tag {
	var out []types.Tag
	for _, k := range sortedKeys(m) {
		out = append(out, types.Tag{Key: strPtr(k), Value: strPtr(m[k])})
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func strPtr(s string) *string { return &s }

// progressf writes one line to Progress; lines from concurrent stacks
// never interleave.
func (d *Deployer) progressf(format string, args ...any) {
	d.out.Lock()
	defer d.out.Unlock()
	fmt.Fprintf(d.opts.Progress, format+"\n", args...)
}
