package templatecheck

// Outputs are evaluated after the resources, so they may reference anything, but each value
// must be a single string ("The Value field of every Outputs member must evaluate to a String"),
// and export names must be unique within the template.

var outputKeys = map[string]bool{"Value": true, "Description": true, "Export": true, "Condition": true}

const maxOutputDescriptionBytes = 1024

// checkOutputs checks every output's declaration, value and export.
func (c *checker) checkOutputs(top map[string]any) {
	outputs, ok := top["Outputs"].(map[string]any)
	if !ok {
		return
	}
	exports := map[string]string{}
	for _, name := range sortedKeys(outputs) {
		path := join("Outputs", name)
		o, ok := outputs[name].(map[string]any)
		if !ok {
			c.add(path, checkSchema, "an output must be an object with a Value, got %s", describe(outputs[name]))
			continue
		}
		for _, k := range sortedKeys(o) {
			if !outputKeys[k] {
				c.add(join(path, k), checkSchema, "unknown output attribute %q (allowed: Condition, Description, Export, Value)", k)
			}
		}
		if d, ok := o["Description"]; ok {
			s, isString := d.(string)
			switch {
			case !isString:
				c.add(join(path, "Description"), checkSchema, "Description must be a string, got %s", describe(d))
			case len(s) > maxOutputDescriptionBytes:
				c.add(join(path, "Description"), checkLimit, "output Description is %d bytes; the maximum is %d", len(s), maxOutputDescriptionBytes)
			}
		}
		if cond, ok := o["Condition"]; ok {
			if s, ok := cond.(string); ok {
				c.checkConditionName(s, join(path, "Condition"))
			} else {
				c.add(join(path, "Condition"), checkSchema, "Condition must be a condition name, got %s", describe(cond))
			}
		}
		v, ok := o["Value"]
		if !ok {
			c.add(path, checkSchema, "missing required Value")
		} else {
			c.checkOutputValue(v, join(path, "Value"))
		}
		if e, ok := o["Export"]; ok {
			c.checkExport(e, join(path, "Export"), name, exports)
		}
	}
}

// checkOutputValue requires a single string: a literal scalar or a function yielding one.
func (c *checker) checkOutputValue(v any, path string) {
	sc := scope{resources: true}
	c.walkRefs(v, path, sc)
	if fn, arg, ok := intrinsic(v); ok {
		if intrinsicNames[fn] && c.yieldOf(fn, arg) == yieldList {
			c.add(path, checkSchema, "an output Value must be a string, but %s yields a list (wrap it in Fn::Join)", fn)
		}
		return
	}
	switch v.(type) {
	case []any, map[string]any, nil:
		c.add(path, checkSchema, "an output Value must be a string, got %s", describe(v))
	}
}

// checkExport checks Export.Name and that no two outputs export the same literal name.
func (c *checker) checkExport(e any, path, output string, exports map[string]string) {
	m, ok := e.(map[string]any)
	if !ok {
		c.add(path, checkSchema, "Export must be an object with a Name, got %s", describe(e))
		return
	}
	for _, k := range sortedKeys(m) {
		if k != "Name" {
			c.add(join(path, k), checkSchema, "unknown Export attribute %q (only Name)", k)
		}
	}
	n, ok := m["Name"]
	if !ok {
		c.add(path, checkSchema, "Export needs a Name")
		return
	}
	c.checkOutputValue(n, join(path, "Name"))
	if s, ok := n.(string); ok {
		if other, dup := exports[s]; dup {
			c.add(join(path, "Name"), checkReference, "export name %q is also exported by output %s", s, other)
		} else {
			exports[s] = output
		}
	}
}
