package templatecheck

import "strings"

// CloudFormation quotas ("AWS CloudFormation quotas" in the User Guide) and the template
// anatomy rules that make a template malformed before any resource is looked at.
const (
	// maxTemplateBytes is the template size CloudFormation takes from S3 ("1 MB"), rounded down
	// to 1,000,000 bytes so a template that passes here is never at the mercy of how "MB" is
	// counted. The 51,200-byte inline limit is deploy's concern: it uploads larger templates.
	maxTemplateBytes      = 1_000_000
	maxResources          = 500
	maxParameters         = 200
	maxOutputs            = 200
	maxMappings           = 200
	maxMappingAttributes  = 200 // per mapping
	maxDescriptionBytes   = 1024
	maxLogicalIDLength    = 255 // resources, parameters, outputs, mappings
	maxParameterValueSize = 4096
)

// isAlphanumeric reports whether s is a valid logical ID: ASCII letters and digits only.
func isAlphanumeric(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9') {
			return false
		}
	}
	return true
}

// topLevelKeys are the sections a template may have.
var topLevelKeys = map[string]bool{
	"AWSTemplateFormatVersion": true, "Description": true, "Metadata": true, "Parameters": true,
	"Rules": true, "Mappings": true, "Conditions": true, "Transform": true, "Resources": true,
	"Outputs": true,
}

// checkTemplateSize checks the template body against the S3 template size quota.
func (c *checker) checkTemplateSize() {
	if c.size > maxTemplateBytes {
		c.add("", checkLimit, "template is %d bytes; CloudFormation accepts at most %d (split it into nested stacks)", c.size, maxTemplateBytes)
	}
}

// checkTopLevel checks the sections themselves: known names, the right JSON types, the format
// version and the description.
func (c *checker) checkTopLevel(top map[string]any) {
	for _, k := range sortedKeys(top) {
		if !topLevelKeys[k] {
			c.add(k, checkSchema, "unknown template section %q", k)
		}
	}
	if v, ok := top["AWSTemplateFormatVersion"]; ok && v != "2010-09-09" {
		c.add("AWSTemplateFormatVersion", checkSchema, "AWSTemplateFormatVersion must be \"2010-09-09\", got %s", describe(v))
	}
	if v, ok := top["Description"]; ok {
		s, isString := v.(string)
		switch {
		case !isString:
			c.add("Description", checkSchema, "Description must be a string, got %s", describe(v))
		case len(s) > maxDescriptionBytes:
			c.add("Description", checkLimit, "Description is %d bytes; the maximum is %d", len(s), maxDescriptionBytes)
		}
	}
	for _, section := range []string{"Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Outputs"} {
		if v, ok := top[section]; ok {
			if _, isObject := v.(map[string]any); !isObject {
				c.add(section, checkSchema, "%s must be an object, got %s", section, describe(v))
			}
		}
	}
	switch res := top["Resources"].(type) {
	case nil:
		c.add("Resources", checkSchema, "a template needs a Resources section with at least one resource")
	case map[string]any:
		if len(res) == 0 {
			c.add("Resources", checkSchema, "a template needs at least one resource")
		}
	default:
		c.add("Resources", checkSchema, "Resources must be an object, got %s", describe(res))
	}
	if v, ok := top["Transform"]; ok {
		switch t := v.(type) {
		case string, map[string]any:
		case []any:
			for i, x := range t {
				switch x.(type) {
				case string, map[string]any:
				default:
					c.add(index("Transform", i), checkSchema, "a transform must be a macro name, got %s", describe(x))
				}
			}
		default:
			c.add("Transform", checkSchema, "Transform must be a macro name or a list of them, got %s", describe(v))
		}
	}
}

// checkSectionLimits checks the count quotas and the names in every section.
func (c *checker) checkSectionLimits(top map[string]any) {
	limits := []struct {
		section string
		max     int
	}{
		{"Resources", maxResources},
		{"Parameters", maxParameters},
		{"Outputs", maxOutputs},
		{"Mappings", maxMappings},
	}
	for _, l := range limits {
		m, ok := top[l.section].(map[string]any)
		if !ok {
			continue
		}
		if len(m) > l.max {
			c.add(l.section, checkLimit, "%d %s; CloudFormation allows at most %d", len(m), strings.ToLower(l.section), l.max)
		}
	}
	// Condition names are not included: the User Guide does not restrict them, and cfn-lint
	// does not either.
	for _, section := range []string{"Resources", "Parameters", "Outputs", "Mappings"} {
		m, ok := top[section].(map[string]any)
		if !ok {
			continue
		}
		for _, name := range sortedKeys(m) {
			c.checkLogicalID(section, name)
		}
	}
}

// checkLogicalID checks one name: alphanumeric, at most 255 characters.
func (c *checker) checkLogicalID(section, name string) {
	path := join(section, name)
	if !isAlphanumeric(name) {
		c.add(path, checkLimit, "name %q in %s must be alphanumeric (A-Z, a-z, 0-9)", name, section)
	}
	if len(name) > maxLogicalIDLength {
		c.add(path, checkLimit, "name in %s is %d characters; the maximum is %d", section, len(name), maxLogicalIDLength)
	}
}

// checkMappings checks the shape and the per-mapping attribute quota: Mappings hold two levels
// of keys and, at the bottom, strings or lists of strings.
func (c *checker) checkMappings() {
	for _, name := range sortedKeys(c.mappings) {
		path := join("Mappings", name)
		top, ok := c.mappings[name].(map[string]any)
		if !ok {
			c.add(path, checkSchema, "a mapping must be an object of objects, got %s", describe(c.mappings[name]))
			continue
		}
		if len(top) > maxMappingAttributes {
			c.add(path, checkLimit, "mapping has %d keys; CloudFormation allows at most %d", len(top), maxMappingAttributes)
		}
		for _, k := range sortedKeys(top) {
			second, ok := top[k].(map[string]any)
			if !ok {
				c.add(join(path, k), checkSchema, "mapping values must be objects of second-level keys, got %s", describe(top[k]))
				continue
			}
			if len(second) > maxMappingAttributes {
				c.add(join(path, k), checkLimit, "mapping key has %d attributes; CloudFormation allows at most %d", len(second), maxMappingAttributes)
			}
			for _, k2 := range sortedKeys(second) {
				c.checkMappingValue(second[k2], join(join(path, k), k2))
			}
		}
	}
}

// checkMappingValue checks one leaf of a mapping.
func (c *checker) checkMappingValue(v any, path string) {
	if _, _, ok := intrinsic(v); ok {
		c.add(path, checkSchema, "mapping values must be literal strings or lists, not %s", describe(v))
		return
	}
	switch x := v.(type) {
	case []any:
		for i, item := range x {
			switch item.(type) {
			case map[string]any, []any, nil:
				c.add(index(path, i), checkSchema, "mapping list items must be strings, got %s", describe(item))
			}
		}
	case map[string]any, nil:
		c.add(path, checkSchema, "mapping values must be strings or lists of strings, got %s", describe(v))
	}
}
