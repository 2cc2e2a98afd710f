// Run by extension-points.test.ts inside its copy of the project: synthesizes the app exactly as
// `cdk synth` does (default channel, local esbuild bundling, cdk-nag), then a delivery construct with the
// channel named by CHANNEL, because the stack offers no way to choose one. Writes what the templates say
// to RESULT_FILE for the test to judge.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { ChannelModule } from '#adapters/channels/channel-module';
import { CHANNELS } from '#adapters/channels/registry';
import { findModule } from '#adapters/module-kit';
import { Data } from '#lib/data';
import { DELIVERY_TIMEOUT, Delivery } from '#lib/delivery';
import { RESTOCK_TIMEOUT } from '#lib/inventory';
import { Observability } from '#lib/observability';
import { Queues } from '#lib/queues';
import { createApp } from '#lib/streamsync-app';
import type { StreamSyncFunction } from '#lib/streamsync-function';

/** A function as the template has it: its environment and every statement its role's policies grant. */
export interface FunctionView {
  env: Record<string, unknown>;
  statements: Array<Record<string, unknown>>;
}

export interface SynthProof {
  app: {
    routes: string[];
    outputs: Record<string, unknown>;
    parameters: string[];
    delivery: FunctionView;
    /** The bundled index.js of each function, by function id. */
    bundles: Record<string, string>;
  };
  chosen: { channel: string; parameters: string[]; delivery: FunctionView };
  /** Error of each attempt to deploy a channel without a deploy binding ("accepted" if there was none). */
  refusals: Record<string, string>;
}

type TemplateJson = { Resources: Record<string, { Type: string; Properties: Record<string, any> }>; Outputs?: Record<string, { Value: unknown }>; Parameters?: Record<string, unknown> };

const context = JSON.parse(readFileSync('cdk.json', 'utf8')).context as Record<string, unknown>;

function functionView(stack: Stack, template: TemplateJson, fn: StreamSyncFunction): FunctionView {
  const id = (construct: StreamSyncFunction | StreamSyncFunction['executionRole']) => stack.getLogicalId(construct.node.defaultChild as never);
  const role = id(fn.executionRole);
  const statements = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: role })))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);
  return { env: template.Resources[id(fn)].Properties.Environment.Variables, statements };
}

/** A stack holding what the delivery construct needs, never bundled (its template is all we read). */
function deliveryScaffold() {
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'ChannelProbe');
  const data = new Data(stack, 'Data');
  const queues = new Queues(stack, 'Queues', { ordersConsumerTimeout: DELIVERY_TIMEOUT, reorderPollConsumerTimeout: RESTOCK_TIMEOUT });
  const observability = new Observability(stack, 'Observability');
  const resources = { table: data.table, ordersQueue: queues.orders, reorderPollQueue: queues.reorderPoll, alertsTopic: observability.alertsTopic };
  return { stack, props: { resources, codeKeys: data.codeKeys } };
}

const outcome = (attempt: () => unknown): string => {
  try {
    attempt();
    return 'accepted';
  } catch (err) {
    return (err as Error).message;
  }
};

function main(): void {
  const channel = process.env.CHANNEL;
  const resultFile = process.env.RESULT_FILE;
  if (!channel || !resultFile) throw new Error('CHANNEL and RESULT_FILE are required');

  // cdk-nag 3 findings make synth throw: getting past this line is the nag check.
  const { app, stack } = createApp({ context, outdir: join(process.cwd(), 'cdk.out') });
  const assembly = app.synth();
  const template = Template.fromStack(stack).toJSON() as TemplateJson;
  const functions: Record<string, StreamSyncFunction> = {
    webhook: stack.ingest.handler,
    delivery: stack.delivery.handler,
    restockStream: stack.inventory.streamHandler,
    restockPoll: stack.inventory.pollHandler,
    restockSweep: stack.inventory.sweepHandler,
  };
  const bundleOf = (fn: StreamSyncFunction) => {
    const key = template.Resources[stack.getLogicalId(fn.node.defaultChild as never)].Properties.Code.S3Key as string;
    return join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`, 'index.js');
  };

  const scaffold = deliveryScaffold();
  const module = findModule(CHANNELS as readonly ChannelModule[], 'channel', channel);
  const chosen = new Delivery(scaffold.stack, 'Delivery', { ...scaffold.props, channel });
  const chosenTemplate = Template.fromStack(scaffold.stack).toJSON() as TemplateJson;

  const refusals: Record<string, string> = {
    [`${channel} without its deploy binding`]: outcome(() => chosen.handler.bindChannels([{ ...module, deploy: undefined }])),
  };
  for (const local of (CHANNELS as readonly ChannelModule[]).filter((c) => !c.deploy)) {
    refusals[local.name] = outcome(() => {
      const other = deliveryScaffold();
      return new Delivery(other.stack, 'Delivery', { ...other.props, channel: local.name });
    });
  }

  const proof: SynthProof = {
    app: {
      routes: Object.values(template.Resources)
        .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
        .map((r) => r.Properties.RouteKey as string),
      outputs: Object.fromEntries(Object.entries(template.Outputs ?? {}).map(([name, output]) => [name, output.Value])),
      parameters: Object.keys(template.Parameters ?? {}),
      delivery: functionView(stack, template, stack.delivery.handler),
      bundles: Object.fromEntries(Object.entries(functions).map(([name, fn]) => [name, bundleOf(fn)])),
    },
    chosen: { channel, parameters: Object.keys(chosenTemplate.Parameters ?? {}), delivery: functionView(scaffold.stack, chosenTemplate, chosen.handler) },
    refusals,
  };
  writeFileSync(resultFile, JSON.stringify(proof, null, 2));
}

main();
