#!/usr/bin/env node
'use strict';

// check.js runs the real cdk-nag AwsSolutions pack on CloudFormation
// templates, an independent check of phasec's own rules (rules/). See
// README.md.
//
//   node check.js --catalogue FILE [--verbose] [--coverage] TEMPLATE...
//
// FILE is the mapping from phasec rules to AwsSolutions rules that
// `go run ./tools/cdknag/catalogue` prints (make nag writes it); through it
// the templates' phasec suppressions are honoured.
//
// Prints every finding no suppression covers as
//   FILE: LogicalId: RuleID: severity: message
// then every finding this tool judged a false positive, with its reason.
// Exit status: 0 when no error remains, 1 when one does, 2 when a template
// cannot be checked at all or the catalogue cannot be read.

const fs = require('fs');
const path = require('path');
const { checkTemplate } = require('./lib/nag');
const catalogue = require('./lib/catalogue');

const usage = 'usage: node check.js --catalogue FILE [--verbose] [--coverage] TEMPLATE...';

// parseArgs reads the command line; it returns undefined when it is not one
// this tool understands.
function parseArgs(argv) {
  const args = { flags: new Set(), catalogue: undefined, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--catalogue' && i + 1 < argv.length) {
      args.catalogue = argv[++i];
    } else if (a.startsWith('--catalogue=')) {
      args.catalogue = a.slice('--catalogue='.length);
    } else if (a === '--verbose' || a === '--coverage') {
      args.flags.add(a);
    } else if (a.startsWith('--')) {
      return undefined;
    } else {
      args.files.push(a);
    }
  }
  if (!args.catalogue || args.files.length === 0) {
    return undefined;
  }
  return args;
}

function main(argv) {
  const args = parseArgs(argv);
  if (!args) {
    console.error(usage);
    return 2;
  }
  const { flags, files } = args;
  const stale = staleDependencies();
  if (stale.length > 0) {
    console.error(`cdknag: installed ${stale.join(', ')}; run npm ci in ${__dirname}`);
    return 2;
  }
  let mapping;
  try {
    mapping = catalogue.load(args.catalogue);
  } catch (e) {
    console.error(`cdknag: ${e.message}`);
    return 2;
  }

  let errors = 0;
  let warnings = 0;
  let byTemplate = 0;
  let byTool = 0;
  let broken = 0;
  const judged = {};
  for (const file of files) {
    let r;
    try {
      r = checkTemplate(file, mapping);
    } catch (e) {
      console.log(`${file}: cannot be checked: ${e.message.split('\n').join(' ')}`);
      broken++;
      continue;
    }
    for (const f of r.findings) {
      console.log(`${file}: ${f.logicalId}: ${f.rule}: ${f.severity}: ${f.message}`);
      if (f.severity === 'error') {
        errors++;
      } else {
        warnings++;
      }
    }
    for (const s of r.byTool) {
      console.log(`${file}: ${s.logicalId}: ${s.rule}: suppressed by tools/cdknag: ${s.reason}`);
    }
    for (const s of r.ignored) {
      console.log(`${file}: (stack): ${s.phasecRule}: suppression not honoured: the template has no resource ${s.missing.join(', ')}`);
    }
    byTemplate += r.byTemplate.length;
    byTool += r.byTool.length;
    if (flags.has('--verbose')) {
      for (const w of r.rewrites) {
        console.log(`${file}: ${w} (for CfnInclude)`);
      }
      for (const s of r.byTemplate) {
        console.log(`${file}: ${s.logicalId}: ${s.rule}: suppressed by the template (${s.phasecRule}): ${s.reason}`);
      }
      for (const s of r.unused) {
        console.log(`${file}: ${s.logicalId || '(stack)'}: ${s.rule}: acknowledged (${s.phasecRule}), not raised by cdk-nag`);
      }
    }
    for (const [rule, n] of Object.entries(r.judged)) {
      judged[rule] = judged[rule] || { compliant: 0, nonCompliant: 0, threw: 0 };
      for (const k of Object.keys(n)) {
        judged[rule][k] += n[k];
      }
    }
  }
  if (flags.has('--coverage')) {
    console.log('rules that judged a resource (compliant / non-compliant / threw):');
    for (const rule of Object.keys(judged).sort()) {
      const n = judged[rule];
      console.log(`  ${rule}: ${n.compliant} / ${n.nonCompliant} / ${n.threw}`);
    }
  }
  console.error(
    `cdk-nag AwsSolutions: ${plural(files.length, 'template')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ` +
      `${byTemplate} suppressed by the templates, ${byTool} by tools/cdknag` +
      (broken > 0 ? `, ${broken} could not be checked` : ''),
  );
  if (broken > 0) {
    return 2;
  }
  return errors > 0 ? 1 : 0;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// staleDependencies compares what is installed with the exact versions
// package.json pins, so that a node_modules left from an older lock does not
// pass for the pinned cdk-nag.
function staleDependencies() {
  const pinned = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8')).dependencies;
  const stale = [];
  for (const [name, want] of Object.entries(pinned)) {
    const file = path.join(__dirname, 'node_modules', name, 'package.json');
    const have = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).version : 'nothing';
    if (have !== want) {
      stale.push(`${name} ${have} (package.json pins ${want})`);
    }
  }
  return stale;
}

process.exitCode = main(process.argv.slice(2));
