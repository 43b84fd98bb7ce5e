'use strict';

// The suppressions a template records in cdk-nag's own format,
// Metadata.cdk_nag.rules_to_suppress: a list of {id, reason, applies_to},
// on a resource for that resource, on the template for the whole stack. This
// is the format cdk-nag v2 wrote and v3 still writes as an audit trail
// (writeSuppressionsToCloudFormation); phasec writes it next to its own
// Metadata.phasec.suppressions for every rule that mirrors an AwsSolutions
// rule. cdk-nag v3 no longer reads it: it honours
// Validations.of(construct).acknowledge(), so acknowledge() translates.

const { Validations } = require('aws-cdk-lib');

/** Reads the rules_to_suppress entries of a Metadata object. */
function read(metadata) {
  const list = metadata && metadata.cdk_nag && metadata.cdk_nag.rules_to_suppress;
  if (!Array.isArray(list)) {
    return [];
  }
  return list.map((e) => ({
    id: String(e.id || ''),
    reason: String(e.reason || ''),
    appliesTo: Array.isArray(e.applies_to) ? e.applies_to : undefined,
  }));
}

/**
 * Acknowledges entries on scope the way cdk-nag v3 reads them: an entry
 * with applies_to acknowledges each finding `id[appliesTo]` (v3 matches
 * findings exactly); one without acknowledges `id`. Returns what it
 * acknowledged, for the report of unused acknowledgements.
 */
function acknowledge(scope, entries) {
  const acks = [];
  for (const e of entries) {
    const ids = e.appliesTo ? e.appliesTo.filter((a) => typeof a === 'string').map((a) => `${e.id}[${a}]`) : [e.id];
    for (const id of ids) {
      Validations.of(scope).acknowledge({ id, reason: e.reason });
      acks.push({ id, reason: e.reason });
    }
  }
  return acks;
}

/**
 * Finds the entry that covers a finding cdk-nag v3 did not match by itself
 * but cdk-nag v2 did: an entry without applies_to covers every finding of its
 * rule (`AwsSolutions-IAM5[...]` included), and an applies_to {regex} covers
 * the findings whose detail it matches. v3 has neither (its README: "Prefix
 * matching ... is not yet supported"), and a template written for v2 means
 * both.
 */
function coveringEntry(entries, ruleName) {
  const m = /^([^[]+)\[(.*)\]$/.exec(ruleName);
  if (!m) {
    return undefined;
  }
  const [, base, detail] = m;
  return entries.find((e) => {
    if (e.id !== base) {
      return false;
    }
    if (!e.appliesTo) {
      return true;
    }
    return e.appliesTo.some((a) => a && typeof a === 'object' && typeof a.regex === 'string' && regexOf(a.regex).test(detail));
  });
}

// regexOf reads cdk-nag v2's "/pattern/flags" form.
function regexOf(s) {
  const m = /^\/(.*)\/([a-z]*)$/.exec(s);
  return m ? new RegExp(m[1], m[2]) : new RegExp(s);
}

module.exports = { read, acknowledge, coveringEntry };
