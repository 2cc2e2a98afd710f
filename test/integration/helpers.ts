// Shared by the integration tests: a pipeline on the shared engines, webhook posting, bounded waits.
import { codePartitions } from '#adapters/dynamo/keys';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#adapters/dynamo/client';
import { localCodeVault } from '#local/code-vault';
import type { PlatformName } from '#adapters/platforms/registry';
import type { FakeReloadly } from '#adapters/suppliers/reloadly/fake/fake-reloadly';
import { startPipeline, type Pipeline, type PipelineOptions } from '#local/pipeline';
import type { Contact } from '#core/model';
import { REVEAL_TOKEN_LENGTH } from '#functions/reveal/reveal-token';

export async function startTestPipeline(options: PipelineOptions = {}): Promise<Pipeline & { errors: Array<{ source: string; message: string }> }> {
  const endpointDynamo = process.env.TEST_DYNAMO_ENDPOINT;
  const endpointSqs = process.env.TEST_SQS_ENDPOINT;
  if (!endpointDynamo || !endpointSqs) throw new Error('Integration tests need the engines from test/integration/global-setup.ts');
  const errors: Array<{ source: string; message: string }> = [];
  const pipeline = await startPipeline({
    dynamoEndpoint: endpointDynamo,
    sqsEndpoint: endpointSqs,
    // DEBUG: the most log output there is, so the no-code-in-logs check sees everything.
    logLevel: 'DEBUG',
    metrics: true,
    sweepIntervalMs: false,
    visibilityTimeoutSeconds: 5,
    onError: (source, err) => errors.push({ source, message: (err as Error).message }),
    ...options,
    // The suites send hundreds of orders from one test customer: velocity limits only where a suite sets them.
    env: { VELOCITY_MAX_CODES: '0', ...options.env },
  });
  return Object.assign(pipeline, { errors });
}

/** The pipeline's fake Reloadly, with its knobs and counters. */
export const fakeReloadly = (pipeline: Pipeline): FakeReloadly => pipeline.suppliers.reloadly as unknown as FakeReloadly;

export async function postWebhook(pipeline: Pipeline, platform: PlatformName, raw: string, headers: Record<string, string>) {
  const res = await fetch(`${pipeline.webhookUrl}/webhooks/${platform}`, { method: 'POST', headers, body: raw });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error?: string; result?: { outcome: string; reason?: string } } };
}

/** Polls `probe` until it returns a truthy value, or fails after `timeoutMs` with the last value. */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Visible + in-flight + delayed messages of a queue. */
/** A queue's approximate counts: visible, in flight, delayed. */
export async function queueCounts(pipeline: Pipeline, queueUrl: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const res = await pipeline.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  const a = res.Attributes ?? {};
  return { visible: Number(a.ApproximateNumberOfMessages ?? 0), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0), delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0) };
}

/** Messages in the queue, in flight and delayed included. */
export async function queueDepth(pipeline: Pipeline, queueUrl: string): Promise<number> {
  const { visible, inFlight, delayed } = await queueCounts(pipeline, queueUrl);
  return visible + inFlight + delayed;
}

/** Drains a queue (e.g. the alerts inbox) and returns the bodies. */
export async function drainQueue(pipeline: Pipeline, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const res = await pipeline.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (!res.Messages?.length) return bodies;
    bodies.push(...res.Messages.map((m) => m.Body ?? ''));
  }
}

/**
 * Merchant alerts from the alerts inbox, gathered until `enough` holds: an alert is published after
 * the state it reports is written, so it may land a moment after a test sees that state.
 */
export async function awaitAlerts(pipeline: Pipeline, what: string, enough: (alerts: any[]) => boolean = (alerts) => alerts.length > 0, timeoutMs = 10_000): Promise<any[]> {
  const alerts: any[] = [];
  return eventually(async () => {
    alerts.push(...(await drainQueue(pipeline, pipeline.resources.alertsInboxUrl)).map((body) => JSON.parse(body)));
    return enough(alerts) && alerts;
  }, timeoutMs, what);
}

/** Every item of a partition (consistent read). */
export async function partition(pipeline: Pipeline, pk: string): Promise<Array<Record<string, any>>> {
  const db = createDocumentClient(pipeline.clients.dynamo);
  const items: Array<Record<string, any>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db.send(
      new QueryCommand({ TableName: pipeline.resources.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every code item of a SKU, from each partition that may hold one (the SKU's own, then its shards). */
export async function codeItems(pipeline: Pipeline, sku: string): Promise<Array<Record<string, any>>> {
  const partitions = await Promise.all(codePartitions(sku).map((pk) => partition(pipeline, pk)));
  return partitions.flat().filter((item) => String(item.sk).startsWith('CODE#'));
}

/** Plain code values (and PINs) of every code stored for the SKUs: what must never reach a log. */
export async function codeSecrets(pipeline: Pipeline, skus: string[]): Promise<string[]> {
  const vault = localCodeVault(JSON.parse(process.env.LOCAL_SECRETS_JSON!));
  const values: string[] = [];
  for (const sku of skus) {
    for (const item of await codeItems(pipeline, sku)) {
      if (!item.sealed) continue;
      const material = await vault.open(item.sealed, { sku, codeId: item.codeId ?? String(item.sk).slice('CODE#'.length) });
      values.push(material.code);
      if (material.pin && material.pin.length >= 6) values.push(material.pin);
    }
  }
  return values;
}

/** Prints past the log capture: for figures the closing notes quote, never an assertion. */
export const report = (text: string): void => ((globalThis as Record<string, unknown>).__report as (t: string) => void)(text);

export const capturedLogs = (): string => ((globalThis as Record<string, unknown>).__capturedLogs as () => string)();

const REVEAL_PATH = new RegExp(`/c/([A-Za-z0-9_-]{${REVEAL_TOKEN_LENGTH}})(?![A-Za-z0-9_-])`, 'g');

/** Tokens of the reveal links the outbox received: each opens a code, so none may reach a log either. */
export const revealTokens = (pipeline: Pipeline): string[] => pipeline.recorder.messages().flatMap((m) => [...m.body.matchAll(REVEAL_PATH)].map((match) => match[1]));

/** The assertion behind "no code value (nor a reveal link standing in for one) appears in any log line". */
export async function expectNoCodeInLogs(pipeline: Pipeline, skus: string[]): Promise<void> {
  const secrets = [...(await codeSecrets(pipeline, skus)), ...revealTokens(pipeline)];
  const logs = capturedLogs();
  expect(secrets.length).toBeGreaterThan(0);
  expect(logs.length).toBeGreaterThan(0);
  const leaked = secrets.filter((s) => logs.includes(s));
  expect(leaked).toEqual([]);
}

/** Puts a paid order straight on the orders queue, as the webhook would (for tests about delivery). */
export async function enqueueOrder(pipeline: Pipeline, order: { orderId: string; sku: string; quantity: number; storeId?: string; customer?: Contact }): Promise<void> {
  await pipeline.deps.orderQueue.send({
    kind: 'ORDER',
    platform: 'salla',
    storeId: order.storeId ?? 'S1',
    orderId: order.orderId,
    locale: 'en',
    customer: order.customer ?? { phone: '+966500000001' },
    lines: [{ lineId: 'L1', productId: 'P1', sku: order.sku, quantity: order.quantity }],
    receivedAt: new Date().toISOString(),
  });
}
