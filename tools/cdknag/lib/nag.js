'use strict';

// One template through the real cdk-nag: CfnInclude it into a Stack,
// acknowledge the suppressions it records in cdk-nag's format, synthesize,
// and run the AwsSolutions pack on the included resources.

const fs = require('fs');
const path = require('path');
const { App, Stack } = require('aws-cdk-lib');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const { AwsSolutionsChecks, NagRuleCompliance } = require('cdk-nag');
const { adapt, writeTemp } = require('./include');
const suppressions = require('./suppressions');
const { judge } = require('./falsepositives');

/**
 * Checks one template file. Returns:
 *   findings      what no suppression covers: {logicalId, rule, severity, message}
 *   byTemplate    findings the template's cdk_nag metadata suppresses: {logicalId, rule, reason}
 *   byTool        findings this tool judged false positives: {logicalId, rule, reason}
 *   unused        acknowledgements no finding needed: {logicalId, rule, reason}
 *   rewrites      what adapt() rewrote for CfnInclude
 *   judged        per rule, how many resources it judged compliant, not, or threw on
 */
function checkTemplate(file) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const { doc: adapted, rewrites } = adapt(doc);
  const tmp = writeTemp(adapted);
  try {
    return run(doc, adapted, tmp, rewrites);
  } finally {
    fs.rmSync(tmp.dir, { recursive: true, force: true });
  }
}

function run(doc, adapted, tmp, rewrites) {
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

  // Acknowledgements: the template's for the stack (logical ID ''), each
  // resource's for itself.
  const entries = new Map([['', suppressions.read(adapted.Metadata)]]);
  const acks = suppressions.acknowledge(stack, entries.get('')).map((a) => ({ logicalId: '', ...a }));
  for (const id of ids) {
    entries.set(id, suppressions.read(adapted.Resources[id].Metadata));
    acks.push(...suppressions.acknowledge(nodes.get(id), entries.get(id)).map((a) => ({ logicalId: id, ...a })));
  }

  app.synth();

  const pack = new AwsSolutionsChecks(undefined, { verbose: true });
  const used = recordAcknowledged(pack, idByPath);
  const judged = recordJudgements(pack);
  const report = pack.validateScope(stack);

  const out = { findings: [], byTemplate: [], byTool: [], unused: [], rewrites, judged };
  for (const v of report.violations) {
    for (const r of v.violatingResources) {
      const logicalId = idByPath.get(r.constructPath) || r.constructPath;
      const finding = { logicalId, rule: v.ruleName, severity: v.severity, message: v.description };
      const entry = suppressions.coveringEntry([...(entries.get(logicalId) || []), ...entries.get('')], v.ruleName);
      if (entry) {
        out.byTemplate.push({ logicalId, rule: v.ruleName, reason: entry.reason });
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
  for (const u of used) {
    out.byTemplate.push(u);
  }
  const isUsed = (a) => used.some((u) => u.rule === a.id && (a.logicalId === '' || u.logicalId === a.logicalId));
  out.unused = acks.filter((a) => !isUsed(a)).map((a) => ({ logicalId: a.logicalId, rule: a.id, reason: a.reason }));
  for (const list of [out.findings, out.byTemplate, out.byTool, out.unused]) {
    list.sort((a, b) => a.logicalId.localeCompare(b.logicalId) || a.rule.localeCompare(b.rule));
  }
  return out;
}

// recordAcknowledged has cdk-nag tell which findings its acknowledgements
// suppressed: NagPack asks isAcknowledged only about a non-compliant
// resource, so every true answer is a suppressed finding.
function recordAcknowledged(pack, idByPath) {
  if (typeof pack.isAcknowledged !== 'function') {
    throw new Error('cdk-nag has no NagPack.isAcknowledged: this tool needs the version package-lock.json pins');
  }
  const used = [];
  const isAcknowledged = pack.isAcknowledged.bind(pack);
  pack.isAcknowledged = (node, ruleId) => {
    const yes = isAcknowledged(node, ruleId);
    if (yes) {
      const logicalId = idByPath.get(node.node.path) || node.node.path;
      used.push({ logicalId, rule: ruleId, reason: reasonOf(node, ruleId) });
    }
    return yes;
  };
  return used;
}

// reasonOf finds the reason of the acknowledgement that covers ruleId, on
// the node or a scope above it, as cdk-nag's isAcknowledged looks it up.
function reasonOf(node, ruleId) {
  for (let c = node; c; c = c.node.scope) {
    for (const m of c.node.metadata) {
      if (m.type !== 'aws:cdk:acknowledged-rules' || !m.data) {
        continue;
      }
      for (const [k, reason] of Object.entries(m.data)) {
        if (k.replace(/^annotation::/i, '') === ruleId) {
          return reason;
        }
      }
    }
  }
  return '';
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
