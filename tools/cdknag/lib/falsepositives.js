'use strict';

// Findings of cdk-nag that are wrong about the template, and what this tool
// does about each: never a blanket suppression, always a check of what the
// rule meant to check, with the reason printed on every run. README.md
// explains each one.

const { CfnAutoScalingGroup } = require('aws-cdk-lib/aws-autoscaling');

const ruleThrew = 'Rule threw an error during validation.';

/**
 * Judges a finding cdk-nag reported on an included resource. Returns
 * undefined when the finding stands as cdk-nag reported it,
 * { suppressed: reason } when it is a false positive, or
 * { replaced: message } when the tool checked what cdk-nag could not and
 * found the template at fault.
 */
function judge(finding, node, doc) {
  if (finding.rule === 'AwsSolutions-EC26' && finding.message.startsWith(ruleThrew)) {
    return ec26MixedInstances(finding.logicalId, node, doc);
  }
  return undefined;
}

// cdk-nag 3.0.2's EC26 (EC2EBSVolumeEncrypted) reads an Auto Scaling group's
// LaunchTemplate property only, and throws ("Cannot read properties of
// undefined (reading 'launchTemplateName')") on a group that launches from a
// launch template through MixedInstancesPolicy instead, as phasec's mixed
// instance fleets do. What EC26 checks for a group is that the launch
// template's block device mappings exist and are all encrypted; that is
// checked here, on the launch template the policy names.
function ec26MixedInstances(logicalId, node, doc) {
  if (!(node instanceof CfnAutoScalingGroup) || node.launchTemplate !== undefined) {
    return undefined;
  }
  const props = doc.Resources[logicalId].Properties || {};
  const spec = (((props.MixedInstancesPolicy || {}).LaunchTemplate || {}).LaunchTemplateSpecification) || {};
  const ltId = launchTemplateOf(spec, doc);
  if (!ltId) {
    return undefined; // the rule's crash stands: nothing here to check instead
  }
  const mappings = ((doc.Resources[ltId].Properties || {}).LaunchTemplateData || {}).BlockDeviceMappings;
  if (!Array.isArray(mappings) || mappings.length === 0) {
    return { replaced: `MixedInstancesPolicy's launch template ${ltId} maps no EBS volumes, so their encryption is left to the account default (checked by tools/cdknag: cdk-nag's EC26 throws on MixedInstancesPolicy)` };
  }
  const clear = mappings.filter((m) => !(m.Ebs && m.Ebs.Encrypted === true)).map((m) => m.DeviceName);
  if (clear.length > 0) {
    return { replaced: `MixedInstancesPolicy's launch template ${ltId} maps unencrypted EBS volumes (${clear.join(', ')}) (checked by tools/cdknag: cdk-nag's EC26 throws on MixedInstancesPolicy)` };
  }
  return {
    suppressed: `cdk-nag's EC26 throws on an Auto Scaling group that launches through MixedInstancesPolicy; checked instead: its launch template ${ltId} encrypts every EBS volume it maps`,
  };
}

// launchTemplateOf returns the logical ID of the template's launch template
// that a LaunchTemplateSpecification names, by Ref or by LaunchTemplateName.
function launchTemplateOf(spec, doc) {
  const isLT = (id) => doc.Resources[id] && doc.Resources[id].Type === 'AWS::EC2::LaunchTemplate';
  const ref = spec.LaunchTemplateId && spec.LaunchTemplateId.Ref;
  if (typeof ref === 'string' && isLT(ref)) {
    return ref;
  }
  if (typeof spec.LaunchTemplateName === 'string') {
    return Object.keys(doc.Resources).find((id) => isLT(id) && doc.Resources[id].Properties.LaunchTemplateName === spec.LaunchTemplateName);
  }
  return undefined;
}

module.exports = { judge };
