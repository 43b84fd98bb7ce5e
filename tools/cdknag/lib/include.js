'use strict';

// Loading a template into CDK with CfnInclude. CfnInclude parses every
// resource into its typed L1 class (CfnAutoScalingGroup, CfnBucket, ...),
// which is what cdk-nag's rules inspect, and rejects a property whose shape
// the L1 class does not declare even when CloudFormation accepts it. adapt()
// rewrites those shapes into an equivalent one the L1 class accepts, and says
// what it rewrote; nothing else about the template changes.

const fs = require('fs');
const os = require('os');
const path = require('path');

/**
 * Returns a deep copy of doc that CfnInclude accepts, and the list of
 * rewrites made ("LogicalId: what").
 */
function adapt(doc) {
  const out = structuredClone(doc);
  const rewrites = [];
  for (const [id, res] of Object.entries(out.Resources || {})) {
    if (res.Type === 'AWS::AutoScaling::AutoScalingGroup') {
      splitTopicArnLists(id, res.Properties || {}, rewrites);
    }
  }
  return { doc: out, rewrites };
}

// NotificationConfigurations[].TopicARN is "string or array of strings" in
// the CloudFormation resource schema (the documentation says "Array of
// String"); CDK's CfnAutoScalingGroup declares it a string. A configuration
// that lists N topics notifies exactly as N configurations of one topic each
// with the same NotificationTypes, which is the form CDK accepts.
function splitTopicArnLists(id, props, rewrites) {
  const configs = props.NotificationConfigurations;
  if (!Array.isArray(configs) || !configs.some((c) => Array.isArray(c.TopicARN))) {
    return;
  }
  props.NotificationConfigurations = configs.flatMap((c) =>
    Array.isArray(c.TopicARN) ? c.TopicARN.map((topic) => ({ ...c, TopicARN: topic })) : [c],
  );
  rewrites.push(`${id}: NotificationConfigurations TopicARN lists written as one configuration per topic`);
}

/** Writes doc to a fresh temporary directory and returns that directory and the file. */
function writeTemp(doc) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phasec-cdknag-'));
  const file = path.join(dir, 'template.json');
  fs.writeFileSync(file, JSON.stringify(doc));
  return { dir, file };
}

module.exports = { adapt, writeTemp };
