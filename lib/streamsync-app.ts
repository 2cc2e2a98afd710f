// Builds the CDK app exactly as `cdk synth` does (bin/app.ts) so tests synthesize the same thing:
// one env-agnostic stack, checked by cdk-nag AwsSolutions (cdk-nag 3: a validation plugin, findings fail synth).
import { App, Tags, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StreamSyncStack } from './streamsync-stack';

export const STACK_NAME = 'StreamSync';

export interface StreamSyncApp {
  readonly app: App;
  readonly stack: StreamSyncStack;
}

export interface CreateAppOptions {
  /** Register cdk-nag AwsSolutionsChecks. @default true */
  readonly nag?: boolean;
}

/** Creates the app; `props.context` is for tests (the CLI passes cdk.json context itself). */
export function createApp(props: AppProps = {}, options: CreateAppOptions = {}): StreamSyncApp {
  const app = new App(props);
  const alertEmail: unknown = app.node.tryGetContext('alertEmail');
  const channel: unknown = app.node.tryGetContext('channel');
  const revealLinks: unknown = app.node.tryGetContext('revealLinks');
  const codeKeyVersions: unknown = app.node.tryGetContext('codeKeyVersions');
  const legacyCodeKeySecret: unknown = app.node.tryGetContext('legacyCodeKeySecret');
  const stack = new StreamSyncStack(app, STACK_NAME, {
    description: 'StreamSync: digital-goods delivery back office for Salla and Zid merchants',
    alertEmail: typeof alertEmail === 'string' ? alertEmail : undefined,
    channel: typeof channel === 'string' && channel !== '' ? channel : undefined,
    // `-c revealLinks=` (empty) sends every code itself; unset keeps REVEAL_LINK_CHANNELS' default.
    revealLinks: typeof revealLinks === 'string' ? revealLinks : undefined,
    codeKeyVersions: typeof codeKeyVersions === 'string' && codeKeyVersions !== '' ? codeKeyVersions.split(',').map((v) => v.trim()) : undefined,
    legacyCodeKeySecret: typeof legacyCodeKeySecret === 'string' && legacyCodeKeySecret !== '' ? legacyCodeKeySecret : undefined,
  });
  Tags.of(app).add('project', 'StreamSync');
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
