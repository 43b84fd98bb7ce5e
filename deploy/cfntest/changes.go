package cfntest

import (
	"reflect"
	"sort"
)

// change is one ResourceChange of a change set.
type change struct {
	action      string // Add, Modify or Remove
	logicalID   string
	physicalID  string
	typ         string
	replacement string // True, False or Conditional; empty for Add and Remove
	details     []detail
	before      string // BeforeContext: the resource's old properties as JSON
	after       string // AfterContext
}

// detail is one ResourceChangeDetail.
type detail struct {
	attribute, name, recreation string
	changeSource, causingEntity string
	evaluation, changeType      string
	before, after               string
}

// scope is the set of attributes the details touch, in first-seen order.
func (c *change) scope() []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range c.details {
		if !seen[d.attribute] {
			seen[d.attribute] = true
			out = append(out, d.attribute)
		}
	}
	return out
}

// side is one side of a diff: a template with the values it is deployed
// with.
type side struct {
	tmpl   *template
	params map[string]string
	tags   map[string]string
}

// computeChanges diffs two deployments resource by resource, the way a
// change set describes them. old.tmpl is nil for a stack not yet created.
func computeChanges(old, new side, phys map[string]string) []*change {
	byID := map[string]*change{}
	ids := map[string]bool{}
	if old.tmpl != nil {
		for id := range old.tmpl.resources {
			ids[id] = true
		}
	}
	for id := range new.tmpl.resources {
		ids[id] = true
	}
	tagsChanged := old.tmpl != nil && !equalMaps(old.tags, new.tags)
	for id := range ids {
		var or, nr *tmplResource
		if old.tmpl != nil {
			or = old.tmpl.resources[id]
		}
		nr = new.tmpl.resources[id]
		switch {
		case or == nil:
			byID[id] = &change{action: "Add", logicalID: id, typ: nr.typ,
				after: propsJSON(resolveParams(nr.props, new.tmpl, new.params))}
		case nr == nil:
			byID[id] = &change{action: "Remove", logicalID: id, typ: or.typ, physicalID: phys[id],
				before: propsJSON(resolveParams(or.props, old.tmpl, old.params))}
		default:
			if c := modification(id, or, nr, old, new, tagsChanged); c != nil {
				c.physicalID = phys[id]
				byID[id] = c
			}
		}
	}
	propagateReplacements(byID, old, new, phys)
	out := make([]*change, 0, len(byID))
	for _, c := range byID {
		if c.action == "Modify" {
			c.replacement = replacementOf(c)
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].logicalID < out[j].logicalID })
	return out
}

// modification diffs one resource present on both sides; nil when it is
// unchanged.
func modification(id string, or, nr *tmplResource, old, new side, tagsChanged bool) *change {
	oldProps, _ := resolveParams(or.props, old.tmpl, old.params).(map[string]any)
	newProps, _ := resolveParams(nr.props, new.tmpl, new.params).(map[string]any)
	c := &change{action: "Modify", logicalID: id, typ: nr.typ, before: propsJSON(oldProps), after: propsJSON(newProps)}
	if or.typ != nr.typ {
		// A new type under the same logical ID can only be a new resource.
		c.details = append(c.details, detail{attribute: "Properties", name: "Type", recreation: recreateAlways,
			changeSource: "DirectModification", evaluation: "Static", changeType: "Modify", before: or.typ, after: nr.typ})
	}
	for _, name := range unionKeys(oldProps, newProps) {
		ov, inOld := oldProps[name]
		nv, inNew := newProps[name]
		if inOld && inNew && reflect.DeepEqual(ov, nv) {
			continue
		}
		d := detail{attribute: "Properties", name: name, recreation: recreation(nr.typ, name),
			changeSource: "DirectModification", evaluation: "Static", changeType: "Modify"}
		if name == "Tags" {
			d.attribute, d.recreation = "Tags", recreateNever
		}
		switch {
		case !inOld:
			d.changeType = "Add"
		case !inNew:
			d.changeType = "Remove"
		}
		if inOld {
			d.before = valueString(ov)
		}
		if inNew {
			d.after = valueString(nv)
		}
		if reflect.DeepEqual(or.props[name], nr.props[name]) {
			// The template text is the same: a parameter changed.
			d.changeSource, d.evaluation = "ParameterReference", "Dynamic"
			d.causingEntity = changedParam(nr.props[name], old, new)
		}
		c.details = append(c.details, d)
	}
	for _, attr := range []string{"Metadata", "UpdatePolicy", "CreationPolicy"} {
		if !reflect.DeepEqual(or.attrs[attr], nr.attrs[attr]) {
			c.details = append(c.details, detail{attribute: attr, recreation: recreateNever,
				changeSource: "DirectModification", evaluation: "Static", changeType: "Modify"})
		}
	}
	if tagsChanged {
		if _, taggable := nr.props["Tags"]; taggable {
			c.details = append(c.details, detail{attribute: "Tags", name: "Tags", recreation: recreateNever,
				changeSource: "DirectModification", evaluation: "Static", changeType: "Modify"})
		}
	}
	if len(c.details) == 0 {
		return nil
	}
	return c
}

// changedParam names the first parameter referenced by v whose value
// differs between the two sides.
func changedParam(v any, old, new side) string {
	refs := map[string]bool{}
	collectRefs(v, refs)
	names := make([]string, 0, len(refs))
	for r := range refs {
		names = append(names, r)
	}
	sort.Strings(names)
	for _, r := range names {
		if _, ok := new.tmpl.params[r]; ok && old.params[r] != new.params[r] {
			return r
		}
	}
	return ""
}

// propagateReplacements adds the Dynamic changes CloudFormation reports
// on resources that refer to a replaced one: the reference will resolve
// to a new physical ID, which may in turn replace the referrer.
func propagateReplacements(byID map[string]*change, old, new side, phys map[string]string) {
	var replaced []string
	for id, c := range byID {
		if c.action == "Modify" && replacementOf(c) == "True" {
			replaced = append(replaced, id)
		}
	}
	sort.Strings(replaced)
	for _, r := range replaced {
		for id, res := range new.tmpl.resources {
			if id == r || old.tmpl == nil || old.tmpl.resources[id] == nil {
				continue
			}
			if c := byID[id]; c != nil && c.action != "Modify" {
				continue
			}
			for _, name := range unionKeys(res.props, nil) {
				if !refersTo(res.props[name], r) {
					continue
				}
				c := byID[id]
				if c == nil {
					c = &change{action: "Modify", logicalID: id, typ: res.typ, physicalID: phys[id],
						before: propsJSON(resolveParams(old.tmpl.resources[id].props, old.tmpl, old.params)),
						after:  propsJSON(resolveParams(res.props, new.tmpl, new.params))}
					byID[id] = c
				}
				rec := recreateNever
				if recreation(res.typ, name) == recreateAlways {
					rec = recreateConditionally
				}
				c.details = append(c.details, detail{attribute: "Properties", name: name, recreation: rec,
					changeSource: "ResourceReference", causingEntity: r, evaluation: "Dynamic", changeType: "Modify"})
			}
		}
	}
}

// replacementOf is a Modify change's Replacement: True when a detail
// always recreates, Conditional when one may, False otherwise.
func replacementOf(c *change) string {
	r := "False"
	for _, d := range c.details {
		switch d.recreation {
		case recreateAlways:
			return "True"
		case recreateConditionally:
			r = "Conditional"
		}
	}
	return r
}

func unionKeys(a, b map[string]any) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func propsJSON(props any) string {
	return compactJSON(map[string]any{"Properties": props})
}
