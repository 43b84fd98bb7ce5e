package templatecheck

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Parameter definitions are validated by CloudFormation when the stack is created, Default
// included: a Default that violates its own AllowedPattern fails every deploy that does not
// override it. Rules from the User Guide's "Parameters" page; which properties go with which
// type follows cfn-lint's parameters/configuration.json.

// awsParameterTypes are the AWS-specific parameter types (each also valid as List<...> except
// KeyPair, and inside AWS::SSM::Parameter::Value<...>).
var awsParameterTypes = []string{
	"AWS::EC2::AvailabilityZone::Name", "AWS::EC2::Image::Id", "AWS::EC2::Instance::Id",
	"AWS::EC2::KeyPair::KeyName", "AWS::EC2::SecurityGroup::GroupName", "AWS::EC2::SecurityGroup::Id",
	"AWS::EC2::Subnet::Id", "AWS::EC2::Volume::Id", "AWS::EC2::VPC::Id", "AWS::Route53::HostedZone::Id",
}

// parameterTypes is every type CloudFormation accepts for a parameter.
var parameterTypes = func() map[string]bool {
	t := map[string]bool{
		"String": true, "Number": true, "List<Number>": true, "CommaDelimitedList": true,
		"AWS::SSM::Parameter::Name":                      true,
		"AWS::SSM::Parameter::Value<String>":             true,
		"AWS::SSM::Parameter::Value<List<String>>":       true,
		"AWS::SSM::Parameter::Value<CommaDelimitedList>": true,
	}
	for _, a := range awsParameterTypes {
		t[a] = true
		t["AWS::SSM::Parameter::Value<"+a+">"] = true
		t["AWS::SSM::Parameter::Value<List<"+a+">>"] = true
		if a != "AWS::EC2::KeyPair::KeyName" {
			t["List<"+a+">"] = true
		}
	}
	return t
}()

// parameterKeys says which definition keys go with which parameter types.
var (
	numberParameterKeys = map[string]bool{"AllowedValues": true, "ConstraintDescription": true, "Default": true,
		"Description": true, "MaxValue": true, "MinValue": true, "NoEcho": true, "Type": true}
	otherParameterKeys = map[string]bool{"AllowedPattern": true, "AllowedValues": true, "ConstraintDescription": true,
		"Default": true, "Description": true, "MaxLength": true, "MinLength": true, "NoEcho": true, "Type": true}
)

const maxParameterDescription = 4000

// checkParameters checks every parameter definition and its Default.
func (c *checker) checkParameters() {
	for _, name := range sortedKeys(c.params) {
		c.checkParameter(name, c.params[name])
	}
}

// checkParameter checks one definition: its type, which keys go with it, and its Default.
func (c *checker) checkParameter(name string, def map[string]any) {
	path := join("Parameters", name)
	t, ok := def["Type"].(string)
	if !ok {
		c.add(path, checkSchema, "parameter needs a Type")
		return
	}
	if !parameterTypes[t] {
		c.add(join(path, "Type"), checkSchema, "unknown parameter type %q", t)
		return
	}
	allowed := otherParameterKeys
	if t == "Number" || t == "List<Number>" {
		allowed = numberParameterKeys
	}
	for _, k := range sortedKeys(def) {
		if !allowed[k] {
			c.add(join(path, k), checkSchema, "%s is not valid for a parameter of type %s", k, t)
		}
	}
	if d, ok := def["Description"].(string); ok && utf8.RuneCountInString(d) > maxParameterDescription {
		c.add(join(path, "Description"), checkLimit, "parameter Description is longer than %d characters", maxParameterDescription)
	}
	minLen, maxLen := c.paramInt(def, "MinLength", path), c.paramInt(def, "MaxLength", path)
	minVal, maxVal := c.paramFloat(def, "MinValue", path), c.paramFloat(def, "MaxValue", path)
	if minLen != nil && maxLen != nil && *minLen > *maxLen {
		c.add(join(path, "MinLength"), checkValue, "MinLength %d is greater than MaxLength %d", *minLen, *maxLen)
	}
	if minVal != nil && maxVal != nil && *minVal > *maxVal {
		c.add(join(path, "MinValue"), checkValue, "MinValue %v is greater than MaxValue %v", *minVal, *maxVal)
	}
	var pattern *regexp.Regexp
	if p, ok := def["AllowedPattern"].(string); ok {
		// CloudFormation matches the whole value. Patterns RE2 cannot compile (look-arounds,
		// back-references) are valid Java regular expressions, so they are skipped, not reported.
		pattern = compileAllowedPattern(p)
	}
	var allowedValues []string
	if av, ok := def["AllowedValues"]; ok {
		list, ok := av.([]any)
		if !ok {
			c.add(join(path, "AllowedValues"), checkSchema, "AllowedValues must be a list, got %s", describe(av))
		}
		for _, x := range list {
			allowedValues = append(allowedValues, scalarText(x))
		}
	}
	dv, ok := def["Default"]
	if !ok {
		return
	}
	dpath := join(path, "Default")
	def0, ok := scalarString(dv)
	if !ok {
		c.add(dpath, checkSchema, "Default must be a string or number, got %s", describe(dv))
		return
	}
	if len(def0) > maxParameterValueSize {
		c.add(dpath, checkLimit, "Default is %d bytes; a parameter value is at most %d", len(def0), maxParameterValueSize)
	}
	values := []string{def0}
	if isListParameterType(t) {
		values = strings.Split(def0, ",")
	}
	for _, v := range values {
		c.checkParameterValue(t, v, dpath, pattern, allowedValues, minLen, maxLen, minVal, maxVal)
	}
}

// checkParameterValue checks one value (one element of a list) against the constraints.
func (c *checker) checkParameterValue(t, v, path string, pattern *regexp.Regexp, allowed []string,
	minLen, maxLen *int, minVal, maxVal *float64) {
	if len(allowed) > 0 && !contains(allowed, v) {
		c.add(path, checkValue, "Default %q is not one of AllowedValues %s", v, strings.Join(allowed, ", "))
	}
	if pattern != nil && !pattern.MatchString(v) {
		c.add(path, checkValue, "Default %q does not match AllowedPattern %s", truncate(v), strings.TrimSuffix(strings.TrimPrefix(pattern.String(), "^(?:"), ")$"))
	}
	n := utf8.RuneCountInString(v)
	if minLen != nil && n < *minLen {
		c.add(path, checkValue, "Default %q is shorter than MinLength %d", v, *minLen)
	}
	if maxLen != nil && n > *maxLen {
		c.add(path, checkValue, "Default %q is longer than MaxLength %d", truncate(v), *maxLen)
	}
	if t == "Number" || t == "List<Number>" {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || !isNumeric(strings.TrimSpace(v)) {
			c.add(path, checkValue, "Default %q is not a number", v)
			return
		}
		if minVal != nil && f < *minVal {
			c.add(path, checkValue, "Default %v is below MinValue %v", f, *minVal)
		}
		if maxVal != nil && f > *maxVal {
			c.add(path, checkValue, "Default %v is above MaxValue %v", f, *maxVal)
		}
	}
}

// allowedPatterns caches compiled AllowedPattern expressions: the same few patterns recur in
// every stack of a batch, and compiling dominated the cost of checking parameters.
var allowedPatterns sync.Map // pattern -> *regexp.Regexp (nil when RE2 cannot compile it)

// compileAllowedPattern compiles an AllowedPattern as a whole-value match, once per pattern.
func compileAllowedPattern(p string) *regexp.Regexp {
	if re, ok := allowedPatterns.Load(p); ok {
		return re.(*regexp.Regexp)
	}
	re, err := regexp.Compile(`^(?:` + p + `)$`)
	if err != nil {
		re = nil
	}
	allowedPatterns.Store(p, re)
	return re
}

// paramInt reads an integer constraint (written as a number or a numeric string).
func (c *checker) paramInt(def map[string]any, key, path string) *int {
	v, ok := def[key]
	if !ok {
		return nil
	}
	s, _ := scalarString(v)
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		c.add(join(path, key), checkSchema, "%s must be a non-negative integer, got %s", key, describe(v))
		return nil
	}
	return &n
}

// paramFloat reads a numeric constraint.
func (c *checker) paramFloat(def map[string]any, key, path string) *float64 {
	v, ok := def[key]
	if !ok {
		return nil
	}
	s, _ := scalarString(v)
	if !isNumeric(s) {
		c.add(join(path, key), checkSchema, "%s must be a number, got %s", key, describe(v))
		return nil
	}
	f, _ := strconv.ParseFloat(s, 64)
	return &f
}

// scalarString returns the text of a string or number.
func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	}
	return "", false
}

// scalarText is scalarString for messages and comparisons, accepting booleans too.
func scalarText(v any) string {
	if s, ok := scalarString(v); ok {
		return s
	}
	if b, ok := v.(bool); ok {
		return strconv.FormatBool(b)
	}
	return describe(v)
}
