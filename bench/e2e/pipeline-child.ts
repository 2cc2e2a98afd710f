// The pipeline under test, in its own process so its CPU and event loop can be measured apart from the
// load generator. Started by the E2E benchmark with fork(); settings come as JSON in argv[2].
import { performance } from 'node:perf_hooks';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEMO_SALLA_STORE, demo as sallaDemo } from '#adapters/platforms/salla/local';
import { demoCodes } from '#local/demo-data';
import { startPipeline } from '#local/pipeline';
import { seed } from '#local/seed';
import { currentFunction, installRequestMeter } from './request-meter';
import { preciseNow, type FromChild, type InvocationTotals, type OutboxEntry, type PipelineChildSettings, type SoldCheck, type ToChild } from './protocol';

const settings = JSON.parse(process.argv[2]) as PipelineChildSettings;
const send = (message: FromChild) => process.send?.(message);

/** Seeding runs many transactions at once: the store's own writer pool times a few parallel chunks. */
const SEED_CHUNKS = 4;
const OUTBOX_FLUSH_MS = 25;

async function main() {
  const meter = installRequestMeter();
  let invocations: Record<string, InvocationTotals> = {};
  const pipeline = await startPipeline({
    dynamoEndpoint: settings.dynamoEndpoint,
    sqsEndpoint: settings.sqsEndpoint,
    deliveryConcurrency: settings.deliveryConcurrency,
    deliveryBatchSize: settings.deliveryBatchSize,
    deliveryBatchingWindowMs: settings.deliveryBatchingWindowMs,
    logLevel: settings.logLevel,
    metrics: settings.metrics,
    ...(settings.env && { env: settings.env }),
    sweepIntervalMs: false,
    wrapHandler: (name, handler) => async (event, context) => {
      const started = performance.now();
      try {
        return await currentFunction.run(name, () => handler(event, context));
      } finally {
        const totals = (invocations[name] ??= { count: 0, totalMs: 0 });
        totals.count++;
        totals.totalMs += performance.now() - started;
      }
    },
    onError: (source, err) => send({ type: 'error', source, message: (err as Error).message }),
  });
  await seed(pipeline.deps, { stock: 0 });

  let pending: OutboxEntry[] = [];
  pipeline.recorder.onMessage((message) => pending.push([message.ref, message.kind, preciseNow()]));
  const flusher = setInterval(() => {
    if (pending.length === 0) return;
    send({ type: 'outbox', entries: pending });
    pending = [];
  }, OUTBOX_FLUSH_MS);

  let eluStart = performance.eventLoopUtilization();
  const db = DynamoDBDocumentClient.from(pipeline.clients.dynamo);

  const checkSold = async (): Promise<SoldCheck> => {
    const units: string[] = [];
    let codesDelivered = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({ TableName: pipeline.resources.tableName, ProjectionExpression: 'sk, codeId, #status', ExpressionAttributeNames: { '#status': 'status' }, ExclusiveStartKey }),
      );
      for (const item of page.Items ?? []) {
        if (String(item.sk).startsWith('UNIT#') && item.codeId) units.push(item.codeId as string);
        if (String(item.sk).startsWith('CODE#') && item.status === 'DELIVERED') codesDelivered++;
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const distinct = new Set(units).size;
    return { unitsWithCode: units.length, distinctCodes: distinct, doubleSold: units.length - distinct, codesDelivered };
  };

  process.on('message', async (message: ToChild) => {
    try {
      if (message.type === 'seed') {
        // Stock intake is metered on its own: every code an order takes was imported once.
        meter.reset();
        const chunk = Math.ceil(message.codes / SEED_CHUNKS);
        const results = await Promise.all(
          Array.from({ length: SEED_CHUNKS }, (_, i) => pipeline.deps.stock.addCodes(message.sku, demoCodes(Math.min(chunk, message.codes - i * chunk), 'BENCH'), 'bench')),
        );
        send({ type: 'seeded', inserted: results.reduce((sum, r) => sum + r.inserted, 0), requests: meter.snapshot() });
      } else if (message.type === 'phase-start') {
        meter.reset();
        invocations = {};
        eluStart = performance.eventLoopUtilization();
        send({ type: 'phase-started' });
      } else if (message.type === 'phase-end') {
        const elu = performance.eventLoopUtilization(eluStart).utilization;
        send({ type: 'phase-report', report: { requests: meter.snapshot(), invocations, eventLoopUtilization: Math.round(elu * 100) / 100 } });
      } else if (message.type === 'map-product') {
        const like = await pipeline.deps.catalog.getSkuConfig(message.like);
        if (message.sku !== message.like && !(await pipeline.deps.catalog.getSkuConfig(message.sku))) {
          const value = like?.value ?? like?.unitPrice;
          await pipeline.deps.catalog.putSkuConfig({ sku: message.sku, name: `Benchmark ${message.sku}`, threshold: 0, reorderQuantity: 0, ...(value !== undefined && { value }) });
        }
        await pipeline.deps.catalog.putProductMapping({ storeId: DEMO_SALLA_STORE, productId: sallaDemo.productId, sku: message.sku, multiplier: 1 });
        send({ type: 'mapped' });
      } else if (message.type === 'check-sold') {
        send({ type: 'sold', check: await checkSold() });
      } else if (message.type === 'stop') {
        clearInterval(flusher);
        await pipeline.stop();
        process.exit(0);
      }
    } catch (err) {
      send({ type: 'error', source: message.type, message: (err as Error).message });
    }
  });
  send({ type: 'ready', webhookUrl: pipeline.webhookUrl, recorderUrl: pipeline.recorder.url, tableName: pipeline.resources.tableName, ordersQueueUrl: pipeline.resources.ordersQueueUrl });
}

// The benchmark owns this process: if it goes away, so do we.
process.on('disconnect', () => process.exit(0));
main().catch((err) => {
  send({ type: 'error', source: 'startup', message: (err as Error).stack ?? String(err) });
  process.exit(1);
});
