'use strict';

// Tests of the tool against small templates that break AwsSolutions rules on
// purpose: cdk-nag must report them, the template's phasec suppressions must
// suppress exactly the AwsSolutions rules the catalogue maps them to, and
// the tool's own judgement of a false positive must hold only when the
// template really complies.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { checkTemplate } = require('../lib/nag');
const { load } = require('../lib/catalogue');

// catalogue is the part of phasec's mapping (go run ./tools/cdknag/catalogue)
// these templates need; PHS-ELB-003 mirrors no AwsSolutions rule.
const catalogue = new Map([
  ['PHS-EC2-007', ['AwsSolutions-EC23']],
  ['PHS-IAM-002', ['AwsSolutions-IAM5']],
  ['PHS-KMS-001', ['AwsSolutions-KMS5']],
  ['PHS-S3-001', ['AwsSolutions-S2']],
  ['PHS-S3-002', ['AwsSolutions-S1']],
  ['PHS-S3-005', ['AwsSolutions-S10']],
]);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdknag-test-'));
test.after(() => fs.rmSync(scratch, { recursive: true, force: true }));

let written = 0;
function write(doc) {
  const file = path.join(scratch, `template-${++written}.json`);
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

const check = (doc) => checkTemplate(write(doc), catalogue);
const suppress = (...list) => ({ phasec: { suppressions: list } });

const wildcardLogs = 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/app/*';
const wildcardLogsFinding = 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/app/*]';

// open has one bucket without logging, TLS policy or public access block, a
// security group open to the world, and a role with a wildcard resource.
function open() {
  return {
    Resources: {
      Bucket: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          PublicAccessBlockConfiguration: { BlockPublicAcls: false, BlockPublicPolicy: false, IgnorePublicAcls: false, RestrictPublicBuckets: false },
        },
      },
      Group: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'web',
          SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }],
        },
      },
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
          Policies: [{
            PolicyName: 'logs',
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: { 'Fn::Sub': wildcardLogs } }] },
          }],
        },
      },
    },
  };
}

const rulesOf = (list) => list.map((f) => `${f.logicalId} ${f.rule}`);

test('cdk-nag reports what the template breaks', () => {
  const r = check(open());
  assert.deepEqual(rulesOf(r.findings), [
    'Bucket AwsSolutions-S1',
    'Bucket AwsSolutions-S10',
    'Bucket AwsSolutions-S2',
    'Group AwsSolutions-EC23',
    `Role ${wildcardLogsFinding}`,
  ]);
  assert.ok(r.findings.every((f) => f.severity === 'error' && f.message.length > 0));
});

test('phasec suppressions cover exactly the AwsSolutions rules their rules map to', () => {
  const doc = open();
  doc.Metadata = suppress({ rule: 'PHS-S3-001', reason: 'stack-wide, for the test', source: 'spec' });
  doc.Resources.Bucket.Metadata = suppress(
    { rule: 'PHS-S3-002', reason: 'the bucket is a log destination', source: 'phasec' },
    { rule: 'PHS-KMS-001', reason: 'names a rule nothing breaks here' },
    { rule: 'PHS-ELB-003', reason: 'a rule that mirrors no AwsSolutions rule' },
  );
  doc.Resources.Group.Metadata = suppress({ rule: 'PHS-EC2-007', reason: 'public HTTPS endpoint' });
  doc.Resources.Role.Metadata = suppress({
    rule: 'PHS-IAM-002',
    reason: 'streams are named at run time',
    appliesTo: ['Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/app/*'],
  });
  const r = check(doc);
  assert.deepEqual(rulesOf(r.findings), ['Bucket AwsSolutions-S10']);
  assert.deepEqual(r.byTemplate.map((s) => `${s.logicalId} ${s.rule} (${s.phasecRule}): ${s.reason}`), [
    'Bucket AwsSolutions-S1 (PHS-S3-002): the bucket is a log destination',
    'Bucket AwsSolutions-S2 (PHS-S3-001): stack-wide, for the test',
    'Group AwsSolutions-EC23 (PHS-EC2-007): public HTTPS endpoint',
    `Role ${wildcardLogsFinding} (PHS-IAM-002): streams are named at run time`,
  ]);
  assert.deepEqual(r.unused.map((s) => `${s.logicalId} ${s.rule} (${s.phasecRule})`), ['Bucket AwsSolutions-KMS5 (PHS-KMS-001)']);
});

test('a template-wide suppression that lists resources covers only those', () => {
  const doc = open();
  doc.Resources.Other = structuredClone(doc.Resources.Bucket);
  doc.Metadata = suppress({ rule: 'PHS-S3-005', reason: 'TLS is enforced elsewhere, for the test', resources: ['Other'] });
  const r = check(doc);
  assert.deepEqual(rulesOf(r.byTemplate), ['Other AwsSolutions-S10']);
  assert.ok(rulesOf(r.findings).includes('Bucket AwsSolutions-S10'));
  assert.deepEqual(r.ignored, []);
});

test('a suppression naming a resource the template lacks is not honoured, as in phasec', () => {
  const doc = open();
  doc.Metadata = suppress({ rule: 'PHS-S3-005', reason: 'TLS is enforced elsewhere, for the test', resources: ['Bucket', 'Nope'] });
  const r = check(doc);
  assert.deepEqual(r.ignored, [{ phasecRule: 'PHS-S3-005', missing: ['Nope'] }]);
  assert.ok(rulesOf(r.findings).includes('Bucket AwsSolutions-S10'));
  assert.deepEqual(r.byTemplate, []);
});

test('an appliesTo for another finding does not suppress this one', () => {
  const doc = open();
  doc.Resources.Role.Metadata = suppress({ rule: 'PHS-IAM-002', reason: 'a different wildcard', appliesTo: ['Resource::*'] });
  const r = check(doc);
  assert.ok(rulesOf(r.findings).includes(`Role ${wildcardLogsFinding}`));
  assert.deepEqual(rulesOf(r.unused), ['Role AwsSolutions-IAM5[Resource::*]']);
});

test('a suppression without appliesTo covers every finding of its rule', () => {
  const doc = open();
  doc.Resources.Role.Metadata = suppress({ rule: 'PHS-IAM-002', reason: 'all wildcards reviewed' });
  const r = check(doc);
  assert.ok(!rulesOf(r.findings).some((f) => f.startsWith('Role ')));
  assert.deepEqual(r.byTemplate.map((s) => `${s.logicalId} ${s.rule} (${s.phasecRule})`), [`Role ${wildcardLogsFinding} (PHS-IAM-002)`]);
  assert.deepEqual(r.unused, []);
});

test('the catalogue must be a mapping to AwsSolutions rules', () => {
  const file = (body) => {
    const f = path.join(scratch, `catalogue-${++written}.json`);
    fs.writeFileSync(f, body);
    return f;
  };
  assert.deepEqual(load(file('{"PHS-IAM-002": ["AwsSolutions-IAM5"]}')), new Map([['PHS-IAM-002', ['AwsSolutions-IAM5']]]));
  assert.throws(() => load(file('')), /catalogue/);
  assert.throws(() => load(file('{}')), /maps no phasec rule/);
  assert.throws(() => load(file('["PHS-IAM-002"]')), /not a JSON object/);
  assert.throws(() => load(file('{"PHS-IAM-002": "AwsSolutions-IAM5"}')), /PHS-IAM-002 must map/);
  assert.throws(() => load(file('{"PHS-EC2-004": ["CT.EC2.PR.7"]}')), /PHS-EC2-004 must map/);
});

// fleet is an Auto Scaling group that launches through MixedInstancesPolicy,
// notifying a list of topics, as phasec's mixed-instance fleets do.
function fleet(encrypted) {
  return {
    Parameters: { AlertTopicArn: { Type: 'String', Default: 'arn:aws:sns:us-east-1:111122223333:alerts' } },
    Resources: {
      LaunchTemplate: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: {
          LaunchTemplateData: {
            ImageId: 'ami-12345678',
            BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: encrypted, VolumeSize: 20 } }],
          },
        },
      },
      Asg: {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Properties: {
          MinSize: '1',
          MaxSize: '2',
          HealthCheckType: 'ELB',
          HealthCheckGracePeriod: 300,
          VPCZoneIdentifier: ['subnet-1', 'subnet-2'],
          MixedInstancesPolicy: {
            LaunchTemplate: {
              LaunchTemplateSpecification: { LaunchTemplateId: { Ref: 'LaunchTemplate' }, Version: { 'Fn::GetAtt': ['LaunchTemplate', 'LatestVersionNumber'] } },
              Overrides: [{ InstanceType: 't4g.medium' }],
            },
          },
          NotificationConfigurations: [{
            NotificationTypes: ['autoscaling:EC2_INSTANCE_LAUNCH', 'autoscaling:EC2_INSTANCE_LAUNCH_ERROR', 'autoscaling:EC2_INSTANCE_TERMINATE', 'autoscaling:EC2_INSTANCE_TERMINATE_ERROR'],
            TopicARN: [{ Ref: 'AlertTopicArn' }],
          }],
        },
      },
    },
  };
}

test('a TopicARN list is included, and AS3 judges the group', () => {
  const r = check(fleet(true));
  assert.deepEqual(r.rewrites, ['Asg: NotificationConfigurations TopicARN lists written as one configuration per topic']);
  assert.deepEqual(r.judged['AwsSolutions-AS3'], { compliant: 1, nonCompliant: 0, threw: 0 });
});

test('EC26 on MixedInstancesPolicy: suppressed when the launch template encrypts', () => {
  const r = check(fleet(true));
  assert.deepEqual(r.findings, []);
  assert.deepEqual(rulesOf(r.byTool), ['Asg AwsSolutions-EC26']);
  assert.match(r.byTool[0].reason, /launch template LaunchTemplate encrypts every EBS volume/);
});

test('EC26 on MixedInstancesPolicy: an error when the launch template does not encrypt', () => {
  const r = check(fleet(false));
  assert.deepEqual(r.byTool, []);
  assert.deepEqual(rulesOf(r.findings), ['Asg AwsSolutions-EC26']);
  assert.equal(r.findings[0].severity, 'error');
  assert.match(r.findings[0].message, /LaunchTemplate maps unencrypted EBS volumes \(\/dev\/xvda\)/);
});

test('exit status: 1 with an error left, 0 without, 2 for a template or catalogue that cannot be read', () => {
  const cli = path.join(__dirname, '..', 'check.js');
  const mapping = path.join(scratch, 'catalogue.json');
  fs.writeFileSync(mapping, JSON.stringify(Object.fromEntries(catalogue)));
  const run = (...args) => {
    try {
      execFileSync(process.execPath, [cli, ...args], { stdio: 'pipe' });
      return 0;
    } catch (e) {
      return e.status;
    }
  };
  const publicGroup = open();
  delete publicGroup.Resources.Bucket;
  delete publicGroup.Resources.Role;
  publicGroup.Resources.Group.Metadata = suppress({ rule: 'PHS-EC2-007', reason: 'public HTTPS endpoint' });
  assert.equal(run('--catalogue', mapping, write(open())), 1);
  assert.equal(run('--catalogue', mapping, write(fleet(true))), 0);
  assert.equal(run(`--catalogue=${mapping}`, write(publicGroup)), 0);
  assert.equal(run('--catalogue', mapping, path.join(os.tmpdir(), 'no-such-template.json')), 2);
  assert.equal(run(write(fleet(true))), 2, 'no catalogue');
  assert.equal(run('--catalogue', path.join(scratch, 'no-such-catalogue.json'), write(fleet(true))), 2);
});
