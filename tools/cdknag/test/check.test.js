'use strict';

// Tests of the tool against small templates that break AwsSolutions rules on
// purpose: cdk-nag must report them, the template's cdk_nag metadata must
// suppress exactly what it names, and the tool's own judgement of a false
// positive must hold only when the template really complies.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { checkTemplate } = require('../lib/nag');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdknag-test-'));
test.after(() => fs.rmSync(scratch, { recursive: true, force: true }));

let written = 0;
function write(doc) {
  const file = path.join(scratch, `template-${++written}.json`);
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

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
  const r = checkTemplate(write(open()));
  assert.deepEqual(rulesOf(r.findings), [
    'Bucket AwsSolutions-S1',
    'Bucket AwsSolutions-S10',
    'Bucket AwsSolutions-S2',
    'Group AwsSolutions-EC23',
    `Role ${wildcardLogsFinding}`,
  ]);
  assert.ok(r.findings.every((f) => f.severity === 'error' && f.message.length > 0));
});

test('cdk_nag metadata suppresses exactly what it names', () => {
  const doc = open();
  doc.Metadata = { cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-S2', reason: 'stack-wide, for the test' }] } };
  doc.Resources.Bucket.Metadata = { cdk_nag: { rules_to_suppress: [
    { id: 'AwsSolutions-S1', reason: 'the bucket is a log destination' },
    { id: 'AwsSolutions-KMS5', reason: 'names a rule nothing breaks here' },
  ] } };
  doc.Resources.Group.Metadata = { cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-EC23', reason: 'public HTTPS endpoint' }] } };
  doc.Resources.Role.Metadata = { cdk_nag: { rules_to_suppress: [
    { id: 'AwsSolutions-IAM5', reason: 'streams are named at run time', applies_to: ['Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/app/*'] },
  ] } };
  const r = checkTemplate(write(doc));
  assert.deepEqual(rulesOf(r.findings), ['Bucket AwsSolutions-S10']);
  assert.deepEqual(r.byTemplate.map((s) => `${s.logicalId} ${s.rule}: ${s.reason}`), [
    'Bucket AwsSolutions-S1: the bucket is a log destination',
    'Bucket AwsSolutions-S2: stack-wide, for the test',
    'Group AwsSolutions-EC23: public HTTPS endpoint',
    `Role ${wildcardLogsFinding}: streams are named at run time`,
  ]);
  assert.deepEqual(rulesOf(r.unused), ['Bucket AwsSolutions-KMS5']);
});

test('an applies_to for another finding does not suppress this one', () => {
  const doc = open();
  doc.Resources.Role.Metadata = { cdk_nag: { rules_to_suppress: [
    { id: 'AwsSolutions-IAM5', reason: 'a different wildcard', applies_to: ['Resource::*'] },
  ] } };
  const r = checkTemplate(write(doc));
  assert.ok(rulesOf(r.findings).includes(`Role ${wildcardLogsFinding}`));
});

test('a v2 suppression without applies_to covers every finding of its rule', () => {
  const doc = open();
  doc.Resources.Role.Metadata = { cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-IAM5', reason: 'all wildcards reviewed' }] } };
  const r = checkTemplate(write(doc));
  assert.ok(!rulesOf(r.findings).some((f) => f.startsWith('Role ')));
  assert.deepEqual(rulesOf(r.byTemplate), [`Role ${wildcardLogsFinding}`]);
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
  const r = checkTemplate(write(fleet(true)));
  assert.deepEqual(r.rewrites, ['Asg: NotificationConfigurations TopicARN lists written as one configuration per topic']);
  assert.deepEqual(r.judged['AwsSolutions-AS3'], { compliant: 1, nonCompliant: 0, threw: 0 });
});

test('EC26 on MixedInstancesPolicy: suppressed when the launch template encrypts', () => {
  const r = checkTemplate(write(fleet(true)));
  assert.deepEqual(r.findings, []);
  assert.deepEqual(rulesOf(r.byTool), ['Asg AwsSolutions-EC26']);
  assert.match(r.byTool[0].reason, /launch template LaunchTemplate encrypts every EBS volume/);
});

test('EC26 on MixedInstancesPolicy: an error when the launch template does not encrypt', () => {
  const r = checkTemplate(write(fleet(false)));
  assert.deepEqual(r.byTool, []);
  assert.deepEqual(rulesOf(r.findings), ['Asg AwsSolutions-EC26']);
  assert.equal(r.findings[0].severity, 'error');
  assert.match(r.findings[0].message, /LaunchTemplate maps unencrypted EBS volumes \(\/dev\/xvda\)/);
});

test('exit status: 1 with an error left, 0 without, 2 for a template that cannot be checked', () => {
  const cli = path.join(__dirname, '..', 'check.js');
  const run = (...files) => {
    try {
      execFileSync(process.execPath, [cli, ...files], { stdio: 'pipe' });
      return 0;
    } catch (e) {
      return e.status;
    }
  };
  assert.equal(run(write(open())), 1);
  assert.equal(run(write(fleet(true))), 0);
  assert.equal(run(path.join(os.tmpdir(), 'no-such-template.json')), 2);
});
