// One variant (a sizing mode × a burst) in a process of its own: the handlers read process.env at
// import, so each mode needs a fresh process, and a fresh table keeps one burst's stock and reorders
// apart from the next. Started by run-restock-bench.ts with fork(); the spec comes as JSON in argv[2].
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEMO_SALLA_STORE, demo as sallaDemo } from '#adapters/platforms/salla/local';
import type { ReorderSettings } from '#core/deps';
import { startPipeline } from '#local/pipeline';
import { seed } from '#local/seed';
import { sendAtRate } from '../e2e/load-generator';
import { OrderFactory } from '../e2e/phase';
import { preciseNow } from '../e2e/protocol';
import type { EffectiveSettings, FromVariant, VariantSpec } from './protocol';
import { watchSupplier } from './supplier-watch';
import { anyInFlight, firstBackorderAt, reordersOf } from './table-reads';
import { warmUp } from './warm-up';

const spec = JSON.parse(process.argv[2]) as VariantSpec;
/** Resolves once the message is handed to the IPC channel, so exiting right after cannot drop it. */
const send = (message: FromVariant) => new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** "As fast as possible": one order per microsecond of schedule, so the whole burst leaves in the first tick. */
const BURST_ORDERS_PER_MIN = 60_000_000;
/** The supplier must have been quiet this long before the SKU counts as at rest (a reorder may be starting). */
const QUIET_MS = 1_000;

async function main() {
  const { settings, mode, burst } = spec;
  const { sku } = settings;
  const errors: Array<{ source: string; message: string }> = [];
  const pipeline = await startPipeline({
    dynamoEndpoint: spec.dynamoEndpoint,
    sqsEndpoint: spec.sqsEndpoint,
    suppliers: { [settings.supplier]: { latencyMs: settings.supplierLatencyMs } },
    env: mode.env,
    logLevel: spec.logLevel,
    sweepIntervalMs: mode.sweepIntervalMs,
    reorderPollDelaySeconds: settings.reorderPollDelaySeconds,
    deliveryConcurrency: settings.deliveryConcurrency,
    onError: (source, err) => {
      if (errors.length < 20) errors.push({ source, message: (err as Error).message });
    },
  });
  try {
    // Imported only now, as the handlers were: the same memoised deps they use, with the env applied.
    const { restockDeps } = await import('#wiring/restock-deps');
    const used = (await restockDeps()).settings as Partial<ReorderSettings> & Pick<ReorderSettings, 'reorderCooldownSeconds' | 'reorderPollDelaySeconds'>;
    const effective: EffectiveSettings = { sizing: used.reorderSizing ?? null, cooldownSeconds: used.reorderCooldownSeconds, pollDelaySeconds: used.reorderPollDelaySeconds };
    // Codes by order id, warm-up orders included; the burst's own ids are picked out below.
    const codeAt = new Map<string, number>();
    const noticeAt = new Map<string, number>();
    pipeline.recorder.onMessage((message) => {
      const [store, orderId] = message.ref.split('/');
      if (store !== DEMO_SALLA_STORE) return;
      const seen = message.kind === 'CODE' ? codeAt : message.kind === 'BACKORDER' ? noticeAt : undefined;
      if (seen && !seen.has(orderId)) seen.set(orderId, preciseNow());
    });
    await warmUp(pipeline, settings.warmUpOrders, (orderId) => codeAt.has(orderId), BURST_ORDERS_PER_MIN);

    await seed(pipeline.deps, { skus: [sku], products: [{ storeId: DEMO_SALLA_STORE, productId: sallaDemo.productId, sku: sku.sku, multiplier: 1 }], stock: 0 });
    const watch = watchSupplier(pipeline.suppliers[settings.supplier]);
    const orders = new OrderFactory().prepare(burst);
    const delivered = () => orders.filter((o) => codeAt.has(o.orderId)).length;
    const load = await sendAtRate(pipeline.webhookUrl, orders, BURST_ORDERS_PER_MIN);
    const deadline = load.startedAt + settings.burstTimeoutMs;
    while (delivered() < burst && preciseNow() < deadline) await sleep(50);
    const finished = delivered() >= burst;
    void send({ type: 'progress', line: `${delivered()}/${burst} codes in ${((preciseNow() - load.startedAt) / 1000).toFixed(1)} s${finished ? '' : ' (timed out)'}` });

    // Rest: nothing in flight and stock back at the threshold, so no further reorder can start. The
    // cap covers a cooldown and one sweep, the longest today's rule waits before buying again.
    const db = DynamoDBDocumentClient.from(pipeline.clients.dynamo);
    const table = pipeline.resources.tableName;
    const settleUntil = preciseNow() + Math.min(settings.settleCapMs, effective.cooldownSeconds * 1000 + mode.sweepIntervalMs + 10_000);
    let settled = false;
    while (finished && preciseNow() < settleUntil) {
      const quiet = preciseNow() - watch.lastActivityAt() >= QUIET_MS;
      if (quiet && !anyInFlight(await reordersOf(db, table, sku.sku)) && (await pipeline.deps.stock.countAvailable(sku.sku, sku.threshold)) >= sku.threshold) {
        settled = true;
        break;
      }
      await sleep(250);
    }
    watch.stop();
    const notices = orders.flatMap((o) => noticeAt.get(o.orderId) ?? []);

    await send({
      type: 'result',
      raw: {
        mode: mode.mode,
        burst,
        effective,
        burstStartedAt: load.startedAt,
        orders: load.sent.map((s) => ({ sentAt: s.sentAt, acked: s.status === 200, ackAt: s.ackAt ?? null, codeAt: codeAt.get(s.orderId) ?? null })),
        firstBackorderAt: await firstBackorderAt(db, table),
        firstNoticeAt: notices.length ? Math.min(...notices) : null,
        supplier: watch.trace(),
        reorders: await reordersOf(db, table, sku.sku),
        settled,
        availableAfter: await pipeline.deps.stock.countAvailable(sku.sku, 100_000),
        errors,
      },
    });
  } finally {
    await pipeline.stop();
  }
}

// The benchmark owns this process: if it goes away, so do we.
process.on('disconnect', () => process.exit(0));
main()
  .then(() => process.exit(0))
  .catch(async (err) => {
    await send({ type: 'error', message: (err as Error).stack ?? String(err) });
    process.exit(1);
  });
