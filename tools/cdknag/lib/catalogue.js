'use strict';

// The catalogue's mapping from phasec rules to the cdk-nag AwsSolutions rules
// each mirrors, as tools/cdknag/catalogue (a Go program reading rules/)
// prints it: {"PHS-IAM-002": ["AwsSolutions-IAM5"], ...}. The mapping lives
// in phasec's rules only; this tool reads it rather than keep a copy that
// could drift.

const fs = require('fs');

/**
 * Reads the mapping from file and returns it as a Map from phasec rule ID to
 * AwsSolutions rule IDs. Throws when the file is not such a mapping, so that
 * a broken or empty catalogue never passes for one that maps nothing.
 */
function load(file) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`catalogue ${file}: ${e.message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new Error(`catalogue ${file}: not a JSON object of phasec rule IDs`);
  }
  const mapping = new Map();
  for (const [rule, ids] of Object.entries(doc)) {
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id.startsWith('AwsSolutions-'))) {
      throw new Error(`catalogue ${file}: ${rule} must map to a non-empty list of AwsSolutions rule IDs`);
    }
    mapping.set(rule, ids);
  }
  if (mapping.size === 0) {
    throw new Error(`catalogue ${file}: maps no phasec rule`);
  }
  return mapping;
}

module.exports = { load };
