// Issue 12: who may do what with the codes' keys. Sealing (adding codes) is GenerateDataKey on the
// current version only, without Decrypt; opening (sending or revealing) is Decrypt on every version;
// every other function has neither, nor the id key. Both only for the codes' encryption context.
// Synthesized without bundling: the grants do not depend on the code.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createApp } from '#lib/streamsync-app';
import type { StreamSyncFunction } from '#lib/streamsync-function';
import type { StreamSyncStack } from '#lib/streamsync-stack';
import { functionsOf } from './stack-functions';

const ROOT = path.resolve(__dirname, '..', '..');
const cdkContext = JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

function synth(context: Record<string, unknown> = {}) {
  const { app, stack } = createApp({ context: { ...cdkContext, ...context, 'aws:cdk:bundling-stacks': [] } }, { nag: false });
  app.synth();
  const template = Template.fromStack(stack);
  const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as never);
  const statementsOf = (fn: StreamSyncFunction): Array<Record<string, any>> =>
    Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(fn.executionRole) }] } })).flatMap((p) => p.Properties.PolicyDocument.Statement);
  const envOf = (fn: StreamSyncFunction): Record<string, unknown> => template.toJSON().Resources[logicalId(fn)].Properties.Environment.Variables;
  const keyRefs = stack.data.codeKeys.versions.map(({ key }) => stack.resolve(key.keyArn));
  /** The KMS actions a function holds on a code key, with their conditions. */
  const onCodeKeys = (fn: StreamSyncFunction) =>
    statementsOf(fn)
      .filter((s) => [s.Resource].flat().some((r) => keyRefs.some((k) => JSON.stringify(k) === JSON.stringify(r))))
      .map((s) => ({ actions: [s.Action].flat(), keys: [s.Resource].flat().map((r) => keyRefs.findIndex((k) => JSON.stringify(k) === JSON.stringify(r)) + 1), condition: s.Condition }));
  return { stack, template, statementsOf, envOf, onCodeKeys };
}

const fns = (stack: StreamSyncStack) => ({ ...functionsOf(stack), channelStatus: stack.channelStatus?.handler });

const CODES_ONLY = { StringEquals: { 'kms:EncryptionContext:purpose': 'streamsync/code' } };

describe('code keys, one version (the default)', () => {
  const built = synth({ channel: 'whatsapp,sms' });
  const f = fns(built.stack);

  test('one KMS key per version: aliased, rotating, retained', () => {
    built.template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/streamsync-codes-v1' });
    built.template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true, Description: 'StreamSync code key, version 1: wraps the data keys that encrypt code values. Decrypt is for the functions that send or reveal codes only.' } });
  });

  test('the functions that add codes seal only: GenerateDataKey on the current key, never Decrypt', () => {
    for (const fn of [f.restockStream, f.restockPoll, f.restockSweep]) {
      expect(built.onCodeKeys(fn)).toEqual([{ actions: ['kms:GenerateDataKey'], keys: [1], condition: CODES_ONLY }]);
    }
  });

  test('the functions that send or reveal codes open only: Decrypt, never GenerateDataKey', () => {
    for (const fn of [f.delivery, f.reveal]) expect(built.onCodeKeys(fn)).toEqual([{ actions: ['kms:Decrypt'], keys: [1], condition: CODES_ONLY }]);
  });

  test('every other function has no code key, no id key and no code key setting', () => {
    for (const fn of [f.webhook, f.writeBack, f.channelStatus!]) {
      expect(built.onCodeKeys(fn)).toEqual([]);
      const json = JSON.stringify(built.statementsOf(fn));
      expect(json).not.toContain(JSON.stringify(built.stack.resolve(built.stack.data.codeKeys.idKey.secret.secretArn)));
      expect(built.envOf(fn)).not.toHaveProperty('CODE_KEYS');
    }
  });

  test('no function holds a KMS action on "*"', () => {
    for (const fn of Object.values(f)) {
      if (!fn) continue;
      const onAnything = built.statementsOf(fn).filter((s) => [s.Resource].flat().includes('*'));
      expect(onAnything.flatMap((s) => [s.Action].flat()).filter((a) => String(a).startsWith('kms:'))).toEqual([]);
    }
  });
});

describe('code keys, rotated to version 2 (-c codeKeyVersions=1,2), with the legacy key kept', () => {
  const built = synth({ codeKeyVersions: '1,2', legacyCodeKeySecret: 'streamsync/code-key' });
  const f = fns(built.stack);

  test('new codes are sealed under version 2 only; both versions are opened; the settings name both', () => {
    for (const fn of [f.restockStream, f.restockPoll, f.restockSweep]) {
      expect(built.onCodeKeys(fn)).toEqual([{ actions: ['kms:GenerateDataKey'], keys: [2], condition: CODES_ONLY }]);
      expect(built.envOf(fn)).toMatchObject({ CODE_KEY_VERSION: '2' });
      expect(built.envOf(fn)).not.toHaveProperty('LEGACY_CODE_KEY_SECRET_NAME');
    }
    for (const fn of [f.delivery, f.reveal]) {
      expect(built.onCodeKeys(fn)).toEqual([{ actions: ['kms:Decrypt'], keys: [1, 2], condition: CODES_ONLY }]);
      expect(built.envOf(fn)).toMatchObject({ CODE_KEY_VERSION: '2', LEGACY_CODE_KEY_SECRET_NAME: 'streamsync/code-key' });
      const codeKeys = built.stack.resolve(built.envOf(fn).CODE_KEYS);
      expect(JSON.stringify(codeKeys)).toMatch(/^\{"Fn::Join":\["",\["1=",.*",2=",.*\]\]\}$/);
    }
    built.template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/streamsync-codes-v2' });
  });

  test('refuses versions that repeat or are not names', () => {
    expect(() => synth({ codeKeyVersions: '1,1' })).toThrow('codeKeyVersions must be distinct versions');
    expect(() => synth({ codeKeyVersions: '1,a.b' })).toThrow('codeKeyVersions must be distinct versions');
  });
});
