// The whole pipeline on one machine: local engines, the real handlers (webhook, delivery, restock
// stream, reorder poll, sweep, reveal page, channel status) behind local event sources and the local
// HTTP API, and the stand-ins every registered adapter module brings (./stand-ins.ts).
// Used by `npm start`, the integration tests and the CLI's `--local`.
//
// Handlers read their configuration from process.env when first imported, so one process (or one
// jest test file) runs one pipeline.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { statusPath, type ChannelModule } from '#adapters/channels/channel-module';
import type { RunningFake } from '#adapters/module-kit';
import { CHANNELS } from '#adapters/channels/registry';
import { passesRestockFilters } from '#adapters/dynamo/stream-filter';
import { PLATFORMS } from '#adapters/platforms/registry';
import type { RunningSupplierFake } from '#adapters/suppliers/supplier-module';
import type { CoreDeps } from '#core/deps';
import { freshCodeKeySecrets } from './code-vault';
import { startHttpGateway } from './http-gateway';
import { lambdaContext } from './lambda-context';
import { startSqsPoller, type SqsHandler } from './pollers/sqs-poller';
import { startStreamPoller, type StreamHandler } from './pollers/stream-poller';
import { provision, type LocalResources } from './provision';
import { startRecorder, type Recorder } from './recorder';
import { startStandIns } from './stand-ins';
import { mirrored } from './store-mirror';
import type { PlatformModule, RunningStoreFake } from '#adapters/platforms/platform-module';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoLocal, startSqsSnsEmulator, type RunningEngine } from './engines';

export interface PipelineOptions {
  /** Reuse running engines (tests share one set); otherwise they are started and stopped here. */
  dynamoEndpoint?: string;
  sqsEndpoint?: string;
  /** Name prefix of the table, queues and topic. */
  prefix?: string;
  webhookPort?: number;
  recorderPort?: number;
  /** Knobs of each supplier's fake, by supplier name (latency, failure rate, pending fulfilment, stock, balance). */
  suppliers?: Record<string, Record<string, unknown>>;
  /** The channel modules deliveries go through, comma-separated in chain order. @default 'recorder' (the outbox) */
  channel?: string;
  /** Knobs of each channel's fake provider, by channel name (latency, failing recipients, statuses). */
  channelFakes?: Record<string, Record<string, unknown>>;
  /** Knobs of each platform's API fake, by platform name (latency, rateLimit, leakPerSecond, failureRate). */
  storeFakes?: Record<string, Record<string, unknown>>;
  /** Orders-queue visibility timeout: how long a failed record waits before its retry. */
  visibilityTimeoutSeconds?: number;
  /** A sender's hold on a unit; below the visibility timeout (default: 60% of it), above a send's duration. */
  sendLeaseSeconds?: number;
  /** More secrets for the functions (LOCAL_SECRETS_JSON), e.g. another store's webhook secret. */
  secrets?: Record<string, string>;
  /** Extra function settings (env vars of functions/wiring/config.ts), e.g. a short REORDER_MAX_AGE_SECONDS. */
  env?: Record<string, string>;
  deliveryConcurrency?: number;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** Emit Powertools metrics (CloudWatch EMF lines on stdout). Off by default: noise on a terminal. */
  metrics?: boolean;
  reorderPollDelaySeconds?: number;
  /** Run the minute sweep (off in tests that want to prove the stream path alone). */
  sweepIntervalMs?: number | false;
  onError?: (source: string, err: unknown) => void;
  /** Leave the event sources off (tests that inspect what the webhook enqueued). */
  pollers?: boolean;
  /** Records per SQS batch for the delivery function (Lambda's batchSize). */
  deliveryBatchSize?: number;
  /** The delivery event source's batching window (lib/delivery.ts DELIVERY_EVENT_SOURCE); 0 by default locally. */
  deliveryBatchingWindowMs?: number;
  /** Wraps each handler before the event sources get it (benchmarks time and attribute invocations). */
  wrapHandler?: HandlerWrapper;
}

export interface Pipeline {
  webhookUrl: string;
  /** Origin of the reveal routes (`GET` and `POST /c/{token}`) on the same gateway: REVEAL_BASE_URL of the functions. */
  revealBaseUrl: string;
  recorder: Recorder;
  /** The running fake of every supplier module, by name. */
  suppliers: Record<string, RunningSupplierFake>;
  /** The running fake provider of every channel module that has one, by name. */
  channelFakes: Record<string, RunningFake>;
  /** Each platform's API fake (orders, statuses, OAuth), by platform name; the demo stores are installed. */
  storeFakes: Record<string, RunningStoreFake>;
  /**
   * Whether a paid webhook posted to the local API is first recorded in its store fake, as a real
   * store holds the order it reports (on by default; off to post a forged order the store never had).
   */
  mirrorWebhooks: { enabled: boolean };
  resources: LocalResources;
  endpoints: { dynamo: string; sqs: string };
  clients: { dynamo: DynamoDBClient; sqs: SQSClient; sns: SNSClient };
  /** The same dependencies the handlers use, for seeding and inspecting state. */
  deps: CoreDeps;
  /** Records the stream source gave up on (the on-failure destination). */
  streamFailures: unknown[];
  /** Env vars the adapter modules' fakes set (endpoints of the fake APIs). */
  fakeEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** The function environment of a running pipeline (endpoints, names, local secrets): what the CLI needs. */
export const RUNTIME_ENV_KEYS = [
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SQS',
  'AWS_ENDPOINT_URL_SNS',
  'TABLE_NAME',
  'ORDERS_QUEUE_URL',
  'REORDER_POLL_QUEUE_URL',
  'WRITE_BACK_QUEUE_URL',
  'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  'ALERTS_TOPIC_ARN',
  'LOCAL_SECRETS_JSON',
  'CODE_KEYS',
  'CODE_KEY_VERSION',
  'CHANNEL',
  'REVEAL_BASE_URL',
  'REVEAL_LINK_CHANNELS',
] as const;

export function localRuntimeEnv(pipeline: Pipeline): Record<string, string> {
  return {
    ...Object.fromEntries(RUNTIME_ENV_KEYS.map((key) => [key, process.env[key] ?? ''])),
    ...pipeline.fakeEnv,
    ORDERS_DLQ_URL: pipeline.resources.ordersDlqUrl,
    WEBHOOK_URL: pipeline.webhookUrl,
  };
}

const clientConfig = (endpoint: string) => ({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const res = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return res.Attributes!.QueueArn!;
}

export type LambdaHandler = (event: never, context: never) => Promise<unknown>;
export type HandlerWrapper = (functionName: string, handler: LambdaHandler) => LambdaHandler;

/** The module with its handler wrapped, or the module itself when nothing wraps. */
function wrapModule<M extends { handler: unknown }>(functionName: string, module: M, wrap: HandlerWrapper | undefined): M {
  return wrap ? { ...module, handler: wrap(functionName, module.handler as LambdaHandler) } : module;
}

export async function startPipeline(options: PipelineOptions = {}): Promise<Pipeline> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    let dynamoEndpoint = options.dynamoEndpoint;
    if (!dynamoEndpoint) {
      const engine: RunningEngine = await startDynamoLocal();
      stops.push(engine.stop);
      dynamoEndpoint = engine.endpoint;
    }
    let sqsEndpoint = options.sqsEndpoint;
    if (!sqsEndpoint) {
      const engine = await startSqsSnsEmulator();
      stops.push(engine.stop);
      sqsEndpoint = engine.endpoint;
    }
    const clients = {
      dynamo: new DynamoDBClient(clientConfig(dynamoEndpoint)),
      sqs: new SQSClient({ ...clientConfig(sqsEndpoint), useQueueUrlAsEndpoint: false }),
      sns: new SNSClient(clientConfig(sqsEndpoint)),
    };
    const streams = new DynamoDBStreamsClient(clientConfig(dynamoEndpoint));
    const prefix = options.prefix ?? `streamsync-${randomBytes(3).toString('hex')}`;
    const visibility = options.visibilityTimeoutSeconds ?? 30;
    const resources = await provision(clients, prefix, { visibilityTimeoutSeconds: visibility });

    const recorder = await startRecorder(options.recorderPort ?? 0);
    stops.push(recorder.stop);
    // Listening before the handlers are imported: the delivery function's links point at its URL, and
    // the channel fakes post their status callbacks to it.
    const gateway = await startHttpGateway({}, options.webhookPort ?? 0);
    stops.push(gateway.stop);
    const standIns = await startStandIns(recorder, { suppliers: options.suppliers, channelFakes: options.channelFakes, storeFakes: options.storeFakes, gatewayUrl: gateway.url }, stops);
    const { suppliers, channelFakes, storeFakes, env: fakeEnv } = standIns;
    // The codes' id key, and the master of the local stand-in for the KMS key (CODE_KEYS=1=local).
    const secrets: Record<string, string> = {
      ...freshCodeKeySecrets(),
      ...standIns.secrets,
      ...options.secrets,
    };
    const logLevel = options.logLevel ?? 'INFO';
    // Extra settings are this pipeline's only: the next one in the same process starts from the defaults.
    const overridden = Object.fromEntries(Object.keys(options.env ?? {}).map((key) => [key, process.env[key]]));
    stops.push(async () => {
      for (const [key, value] of Object.entries(overridden)) if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    });
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      AWS_ENDPOINT_URL_SNS: sqsEndpoint,
      TABLE_NAME: resources.tableName,
      ORDERS_QUEUE_URL: resources.ordersQueueUrl,
      REORDER_POLL_QUEUE_URL: resources.pollQueueUrl,
      WRITE_BACK_QUEUE_URL: resources.writeBackQueueUrl,
      ALERTS_TOPIC_ARN: resources.alertsTopicArn,
      CHANNEL: options.channel ?? 'recorder',
      REVEAL_BASE_URL: gateway.url,
      ...fakeEnv,
      LOCAL_SECRETS_JSON: JSON.stringify(secrets),
      CODE_KEYS: '1=local',
      CODE_KEY_VERSION: '1',
      REORDER_POLL_DELAY_SECONDS: String(options.reorderPollDelaySeconds ?? 2),
      // As on AWS, a lease shorter than the queue's visibility timeout: a crashed sender's message comes
      // back only after its lease ran out, so the retry takes the unit over.
      SEND_LEASE_SECONDS: String(options.sendLeaseSeconds ?? Math.max(1, Math.floor(visibility * 0.6))),
      RETRY_BASE_SECONDS: '1',
      ...options.env,
      POWERTOOLS_SERVICE_NAME: 'streamsync-local',
      POWERTOOLS_LOG_LEVEL: logLevel === 'SILENT' ? 'SILENT' : logLevel,
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_METRICS_NAMESPACE: 'StreamSync',
      POWERTOOLS_METRICS_DISABLED: options.metrics ? 'false' : 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });

    // Imported only now: the handlers parse process.env at import, as a Lambda cold start does.
    const webhook = wrapModule('webhook', await import('#functions/webhook/handler'), options.wrapHandler);
    const delivery = wrapModule('delivery', await import('#functions/delivery/handler'), options.wrapHandler);
    const restock = wrapModule('restock', await import('#functions/restock/stream-handler'), options.wrapHandler);
    const poll = wrapModule('reorder-poll', await import('#functions/restock/poll-handler'), options.wrapHandler);
    const sweepFn = wrapModule('sweep', await import('#functions/restock/sweep-handler'), options.wrapHandler);
    const reveal = wrapModule('reveal', await import('#functions/reveal/handler'), options.wrapHandler);
    const channelStatus = wrapModule('channel-status', await import('#functions/channel-status/handler'), options.wrapHandler);
    const writeBack = wrapModule('write-back', await import('#functions/write-back/handler'), options.wrapHandler);
    const { createCoreDeps } = await import('#wiring/core-deps');
    const { loadConfig } = await import('#wiring/config');
    const deps = await createCoreDeps(loadConfig(), clients);

    const report = (source: string) => (err: unknown) => options.onError?.(source, err);
    const streamFailures: unknown[] = [];
    // With pollers off only the webhook runs: what it enqueued stays in the queue for inspection.
    if (options.pollers !== false) {
      const ordersPoller = startSqsPoller({
        sqs: clients.sqs,
        queueUrl: resources.ordersQueueUrl,
        queueArn: await queueArn(clients.sqs, resources.ordersQueueUrl),
        region: LOCAL_REGION,
        functionName: 'delivery',
        handler: delivery.handler as unknown as SqsHandler,
        concurrency: options.deliveryConcurrency ?? 4,
        batchSize: options.deliveryBatchSize,
        batchingWindowMs: options.deliveryBatchingWindowMs,
        onError: report('delivery'),
      });
      stops.push(ordersPoller.stop);
      const pollPoller = startSqsPoller({
        sqs: clients.sqs,
        queueUrl: resources.pollQueueUrl,
        queueArn: await queueArn(clients.sqs, resources.pollQueueUrl),
        region: LOCAL_REGION,
        functionName: 'reorder-poll',
        handler: poll.handler as unknown as SqsHandler,
        // A SKU's reorders in flight (up to 6 lanes) call the supplier side by side, as on AWS (lib/inventory.ts).
        concurrency: 6,
        onError: report('reorder-poll'),
      });
      stops.push(pollPoller.stop);
      const writeBackPoller = startSqsPoller({
        sqs: clients.sqs,
        queueUrl: resources.writeBackQueueUrl,
        queueArn: await queueArn(clients.sqs, resources.writeBackQueueUrl),
        region: LOCAL_REGION,
        functionName: 'write-back',
        handler: writeBack.handler as unknown as SqsHandler,
        concurrency: 2,
        onError: report('write-back'),
      });
      stops.push(writeBackPoller.stop);
      const streamPoller = startStreamPoller({
        streams,
        streamArn: resources.streamArn,
        region: LOCAL_REGION,
        functionName: 'restock',
        handler: restock.handler as unknown as StreamHandler,
        filter: passesRestockFilters,
        onFailure: (records, err) => {
          streamFailures.push(...records);
          report('restock')(err);
        },
        onError: report('restock-stream'),
      });
      stops.push(streamPoller.stop);
      if (options.sweepIntervalMs !== false) {
        const timer = setInterval(() => {
          (sweepFn.handler as unknown as (e: unknown, c: unknown) => Promise<unknown>)({}, lambdaContext('sweep')).catch(report('sweep'));
        }, options.sweepIntervalMs ?? 60_000);
        stops.push(async () => clearInterval(timer));
      }
    }
    const mirrorWebhooks = { enabled: true };
    gateway.addRoutes({
      ...Object.fromEntries(PLATFORMS.map((p) => [`POST /webhooks/${p.name}`, mirrored(p as PlatformModule, storeFakes[p.name], mirrorWebhooks, webhook.handler as LambdaHandler) as never])),
      // Opening a link only looks (previews and scanners open it too); its page's button POSTs to show the code.
      'GET /c/{token}': reveal.handler as never,
      'POST /c/{token}': reveal.handler as never,
      ...Object.fromEntries(
        (CHANNELS as readonly ChannelModule[]).filter((c) => c.statusWebhook).flatMap((c) => ['GET', 'POST'].map((method) => [`${method} ${statusPath(c.name)}`, channelStatus.handler as never])),
      ),
    });
    stops.push(async () => {
      for (const client of [clients.dynamo, clients.sqs, clients.sns, streams]) client.destroy();
    });

    return {
      webhookUrl: gateway.url,
      revealBaseUrl: gateway.url,
      recorder,
      suppliers,
      channelFakes,
      storeFakes,
      mirrorWebhooks,
      resources,
      endpoints: { dynamo: dynamoEndpoint, sqs: sqsEndpoint },
      clients,
      deps,
      streamFailures,
      fakeEnv,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
