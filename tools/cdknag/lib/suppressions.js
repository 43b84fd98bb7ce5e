'use strict';

// phasec's suppressions as cdk-nag acknowledgements. phasec records every
// suppression in the template as Metadata.phasec.suppressions (rules/
// suppress.go), a list of {rule, reason, appliesTo, resources, source}:
//   - on a resource, for that resource (its resources field is ignored);
//   - on the template, for the resources it lists, or for the whole stack
//     when it lists none.
// It names a phasec rule (PHS-*); the catalogue maps that rule to the
// AwsSolutions rules it mirrors, and the suppression covers exactly those in
// cdk-nag, with the same reason. A rule that mirrors none is not relevant to
// cdk-nag. appliesTo details are written in cdk-nag's own notation (Ref and
// Fn::Sub variables as <Name>), so they name cdk-nag's findings as they are.
//
// cdk-nag v3 honours Validations.of(construct).acknowledge(), which
// acknowledge() calls; covering() adds the one meaning of a phasec
// suppression that v3 cannot express (below).

const { Validations } = require('aws-cdk-lib');

/**
 * Reads the template's phasec suppressions and maps them through catalogue
 * (a Map from phasec rule to AwsSolutions rules). Returns
 *   entries  one per (suppression, AwsSolutions rule, resource):
 *            {logicalId ('' for the stack), rule, phasecRule, reason, appliesTo}
 *   ignored  the suppressions phasec itself does not honour because they name
 *            a resource the template lacks (phasec vet rejects them):
 *            {phasecRule, missing}
 */
function read(doc, catalogue) {
  const resources = doc.Resources || {};
  const entries = [];
  const ignored = [];
  for (const s of listOf(doc.Metadata)) {
    const named = strings(s.resources);
    const missing = named.filter((id) => !Object.hasOwn(resources, id));
    if (missing.length > 0) {
      ignored.push({ phasecRule: s.rule, missing });
      continue;
    }
    for (const logicalId of named.length > 0 ? named : ['']) {
      entries.push(...mapped(s, logicalId, catalogue));
    }
  }
  for (const logicalId of Object.keys(resources).sort()) {
    for (const s of listOf(resources[logicalId].Metadata)) {
      entries.push(...mapped(s, logicalId, catalogue));
    }
  }
  return { entries, ignored };
}

// listOf returns the phasec suppressions of a Metadata object, each with a
// string rule and reason (rules/suppress.go reads a malformed one the same
// way, as a suppression without them).
function listOf(metadata) {
  const list = metadata && metadata.phasec && metadata.phasec.suppressions;
  if (!Array.isArray(list)) {
    return [];
  }
  return list.map((s) => ({
    ...s,
    rule: typeof (s && s.rule) === 'string' ? s.rule : '',
    reason: typeof (s && s.reason) === 'string' ? s.reason : '',
  }));
}

// mapped is one suppression on one scope as an entry per AwsSolutions rule
// its phasec rule mirrors. An empty appliesTo covers every finding of the
// rule, as it does in phasec (rules/suppress.go, matching).
function mapped(s, logicalId, catalogue) {
  const appliesTo = strings(s.appliesTo);
  return (catalogue.get(s.rule) || []).map((rule) => ({
    logicalId,
    rule,
    phasecRule: s.rule,
    reason: s.reason,
    appliesTo: appliesTo.length > 0 ? appliesTo : undefined,
  }));
}

// strings returns the string elements of a JSON list, as rules/suppress.go's
// stringList does.
function strings(v) {
  return Array.isArray(v) ? v.filter((e) => typeof e === 'string') : [];
}

/**
 * Acknowledges every entry on its scope (scopeOf(logicalId); the stack for
 * ''), the way cdk-nag v3 reads them: an entry with appliesTo acknowledges
 * each finding `rule[detail]` (v3 matches findings exactly), one without
 * acknowledges `rule`. Returns the acknowledgements, each
 * {...entry, id, scope, used: false}, for the report of what was needed.
 */
function acknowledge(entries, scopeOf) {
  const acks = [];
  for (const e of entries) {
    const scope = scopeOf(e.logicalId);
    for (const id of e.appliesTo ? e.appliesTo.map((a) => `${e.rule}[${a}]`) : [e.rule]) {
      Validations.of(scope).acknowledge({ id, reason: e.reason });
      acks.push({ ...e, id, scope, used: false });
    }
  }
  return acks;
}

/**
 * Finds the acknowledgement, of the resource or else of the stack, that
 * covers a finding cdk-nag v3 did not match by itself: a suppression without
 * appliesTo covers every finding of its rule in phasec, `AwsSolutions-IAM5[...]`
 * included, and v3 matches only the bare `AwsSolutions-IAM5` to it (its
 * README: "Prefix matching ... is not yet supported").
 */
function covering(acks, logicalId, ruleName) {
  const m = /^([^[]+)\[.*\]$/.exec(ruleName);
  if (!m) {
    return undefined;
  }
  const bare = (a) => !a.appliesTo && a.rule === m[1];
  return acks.find((a) => bare(a) && a.logicalId === logicalId) || acks.find((a) => bare(a) && a.logicalId === '');
}

module.exports = { read, acknowledge, covering };
