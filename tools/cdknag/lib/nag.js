'use strict';

// One template through the real cdk-nag: CfnInclude it into a Stack,
// acknowledge its phasec suppressions for the AwsSolutions rules they map
// to, synthesize, and run the AwsSolutions pack on the included resources.

const fs = require('fs');
const path = require('path');
const { App, Stack } = require('aws-cdk-lib');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const { AwsSolutionsChecks, NagRuleCompliance } = require('cdk-nag');
const { adapt, writeTemp } = require('./include');
const suppressions = require('./suppressions');
const { judge } = require('./falsepositives');

/**
 * Checks one template file, honouring its phasec suppressions through
 * catalogue (lib/catalogue.js). Returns:
 *   findings      what no suppression covers: {logicalId, rule, severity, message}
 *   byTemplate    findings the template's suppressions cover: {logicalId, rule, phasecRule, reason}
 *   byTool        findings this tool judged false positives: {logicalId, rule, reason}
 *   unused        acknowledgements no finding needed: {logicalId, rule, phasecRule, reason}
 *   ignored       suppressions naming resources the template lacks: {phasecRule, missing}
 *   rewrites      what adapt() rewrote for CfnInclude
 *   judged        per rule, how many resources it judged compliant, not, or threw on
 */
function checkTemplate(file, catalogue) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const { doc: adapted, rewrites } = adapt(doc);
  const tmp = writeTemp(adapted);
  try {
    return run(adapted, catalogue, tmp, rewrites);
  } finally {
    fs.rmSync(tmp.dir, { recursive: true, force: true });
  }
}

function run(adapted, catalogue, tmp, rewrites) {
  const app = new App({
    outdir: path.join(tmp.dir, 'cdk.out'),
    builtinCloudFormationValidation: false, // schema validation is cfn-lint's job, not this check's
    analyticsReporting: false,
    treeMetadata: false,
    stackTraces: false,
  });
  const stack = new Stack(app, 'Checked');
  const included = new CfnInclude(stack, 'Template', { templateFile: tmp.file });

  const ids = Object.keys(adapted.Resources || {}).sort();
  const nodes = new Map(ids.map((id) => [id, included.getResource(id)]));
  const idByPath = new Map(ids.map((id) => [nodes.get(id).node.path, id]));

  const { entries, ignored } = suppressions.read(adapted, catalogue);
  const acks = suppressions.acknowledge(entries, (id) => (id === '' ? stack : nodes.get(id)));

  app.synth();

  const pack = new AwsSolutionsChecks(undefined, { verbose: true });
  const out = { findings: [], byTemplate: [], byTool: [], unused: [], ignored, rewrites, judged: recordJudgements(pack) };
  recordAcknowledged(pack, acks, idByPath, out.byTemplate);
  const report = pack.validateScope(stack);

  for (const v of report.violations) {
    for (const r of v.violatingResources) {
      const logicalId = idByPath.get(r.constructPath) || r.constructPath;
      const finding = { logicalId, rule: v.ruleName, severity: v.severity, message: v.description };
      const ack = suppressions.covering(acks, logicalId, v.ruleName);
      if (ack) {
        ack.used = true;
        out.byTemplate.push({ logicalId, rule: v.ruleName, phasecRule: ack.phasecRule, reason: ack.reason });
        continue;
      }
      const verdict = judge(finding, nodes.get(logicalId), adapted);
      if (verdict && verdict.suppressed) {
        out.byTool.push({ logicalId, rule: v.ruleName, reason: verdict.suppressed });
        continue;
      }
      if (verdict && verdict.replaced) {
        finding.message = verdict.replaced;
      }
      out.findings.push(finding);
    }
  }
  out.unused = acks.filter((a) => !a.used).map((a) => ({ logicalId: a.logicalId, rule: a.id, phasecRule: a.phasecRule, reason: a.reason }));
  for (const list of [out.findings, out.byTemplate, out.byTool, out.unused]) {
    list.sort((a, b) => a.logicalId.localeCompare(b.logicalId) || a.rule.localeCompare(b.rule));
  }
  return out;
}

// recordAcknowledged has cdk-nag tell which findings the acknowledgements
// suppressed, and records each in byTemplate with the phasec suppression it
// came from: NagPack asks isAcknowledged only about a non-compliant resource,
// so every true answer is a suppressed finding. The acknowledgement is looked
// up as cdk-nag's isAcknowledged finds it, on the node or a scope above it.
function recordAcknowledged(pack, acks, idByPath, byTemplate) {
  if (typeof pack.isAcknowledged !== 'function') {
    throw new Error('cdk-nag has no NagPack.isAcknowledged: this tool needs the version package-lock.json pins');
  }
  const isAcknowledged = pack.isAcknowledged.bind(pack);
  pack.isAcknowledged = (node, ruleId) => {
    const yes = isAcknowledged(node, ruleId);
    if (yes) {
      let ack;
      for (let c = node; c && !ack; c = c.node.scope) {
        ack = acks.find((a) => a.scope === c && a.id === ruleId);
      }
      if (!ack) {
        throw new Error(`cdk-nag acknowledged ${ruleId} on ${node.node.path}, which this tool did not acknowledge`);
      }
      ack.used = true;
      byTemplate.push({ logicalId: idByPath.get(node.node.path) || node.node.path, rule: ruleId, phasecRule: ack.phasecRule, reason: ack.reason });
    }
    return yes;
  };
}

// recordJudgements counts, per rule, the resources it judged: a rule that
// judged none passed vacuously, which --coverage shows.
function recordJudgements(pack) {
  const judged = {};
  const applyRule = pack.applyRule.bind(pack);
  pack.applyRule = (params) => {
    const id = `${pack.readPackName}-${params.ruleSuffixOverride || params.rule.name}`;
    const count = (k) => {
      judged[id] = judged[id] || { compliant: 0, nonCompliant: 0, threw: 0 };
      judged[id][k]++;
    };
    const rule = (node) => {
      let result;
      try {
        result = params.rule(node);
      } catch (e) {
        count('threw');
        throw e;
      }
      if (result === NagRuleCompliance.COMPLIANT || (Array.isArray(result) && result.length === 0)) {
        count('compliant');
      } else if (result === NagRuleCompliance.NON_COMPLIANT || Array.isArray(result)) {
        count('nonCompliant');
      }
      return result;
    };
    return applyRule({ ...params, rule });
  };
  return judged;
}

module.exports = { checkTemplate };
