package templatecheck

import (
	"strings"
	"unicode/utf8"
)

// Tags follow the same rules on every taggable resource ("Tagging your AWS resources", AWS
// General Reference, and the registry schemas' Tag definitions): at most 50 user tags per
// resource, keys of 1-128 characters that do not begin with the reserved "aws:" prefix in any
// case, values of at most 256 characters, and no key twice. phasec tags every resource, so
// these are checked generically rather than type by type.

const (
	maxTags           = 50
	maxTagKeyLength   = 128
	maxTagValueLength = 256
	tagSource         = "AWS tagging rules"
)

// checkTags checks Properties.Tags (as a list of {Key, Value} or as a map) and the tag lists of
// launch template TagSpecifications.
func (c *checker) checkTags(typ string, props map[string]any, ppath string) {
	if t, ok := props["Tags"]; ok {
		c.checkTagSet(t, join(ppath, "Tags"))
	}
	if typ != "AWS::EC2::LaunchTemplate" {
		return
	}
	c.checkTagSpecifications(props["TagSpecifications"], join(ppath, "TagSpecifications"))
	if data, ok := props["LaunchTemplateData"].(map[string]any); ok {
		c.checkTagSpecifications(data["TagSpecifications"], join(join(ppath, "LaunchTemplateData"), "TagSpecifications"))
	}
}

// checkTagSpecifications checks the tag sets of launch template TagSpecifications.
func (c *checker) checkTagSpecifications(v any, path string) {
	specs, ok := v.([]any)
	if !ok {
		return
	}
	for i, s := range specs {
		if m, ok := s.(map[string]any); ok {
			if t, ok := m["Tags"]; ok {
				c.checkTagSet(t, join(index(path, i), "Tags"))
			}
		}
	}
}

// checkTagSet checks one set of tags.
func (c *checker) checkTagSet(v any, path string) {
	seen := map[string]bool{}
	switch tags := v.(type) {
	case []any:
		if len(tags) > maxTags {
			c.add(path, checkValue, "%d tags; at most %d per resource (%s)", len(tags), maxTags, tagSource)
		}
		for i, t := range tags {
			m, ok := t.(map[string]any)
			if !ok {
				continue
			}
			p := index(path, i)
			if k, ok := m["Key"].(string); ok {
				c.checkTagKey(k, join(p, "Key"), seen)
			}
			if val, ok := m["Value"].(string); ok {
				c.checkTagValue(val, join(p, "Value"))
			}
		}
	case map[string]any:
		if _, _, isFn := intrinsic(tags); isFn {
			return
		}
		if len(tags) > maxTags {
			c.add(path, checkValue, "%d tags; at most %d per resource (%s)", len(tags), maxTags, tagSource)
		}
		for _, k := range sortedKeys(tags) {
			c.checkTagKey(k, join(path, k), seen)
			if val, ok := tags[k].(string); ok {
				c.checkTagValue(val, join(path, k))
			}
		}
	}
}

// checkTagKey checks one tag key and records it for the duplicate check.
func (c *checker) checkTagKey(k, path string, seen map[string]bool) {
	n := utf8.RuneCountInString(k)
	switch {
	case n == 0:
		c.add(path, checkValue, "tag key is empty (%s)", tagSource)
	case n > maxTagKeyLength:
		c.add(path, checkValue, "tag key %q is %d characters; the maximum is %d (%s)", truncate(k), n, maxTagKeyLength, tagSource)
	}
	if strings.HasPrefix(strings.ToLower(k), "aws:") {
		c.add(path, checkValue, "tag key %q uses the reserved aws: prefix (%s)", k, tagSource)
	}
	if seen[k] {
		c.add(path, checkValue, "tag key %q appears twice (%s)", k, tagSource)
	}
	seen[k] = true
}

// checkTagValue checks one tag value's length.
func (c *checker) checkTagValue(v, path string) {
	if n := utf8.RuneCountInString(v); n > maxTagValueLength {
		c.add(path, checkValue, "tag value %q is %d characters; the maximum is %d (%s)", truncate(v), n, maxTagValueLength, tagSource)
	}
}
