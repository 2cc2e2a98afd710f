// Issue 11, write-back: a delivered order is marked in its store (Salla `completed`, Zid `delivered`)
// through the real write-back function, the platform API clients and the stores' fakes; a 300-order
// burst on one store is paced under its rate limit with no 429 and no write-back lost.
import { DEMO_SALLA_STORE, sampleSallaOrder } from '#adapters/platforms/salla/local';
import { DEMO_ZID_STORE, sampleZidOrder } from '#adapters/platforms/zid/local';
import { seed } from '#local/seed';
import { drainQueue, eventually, expectNoCodeInLogs, postWebhook, queueDepth, report, startTestPipeline } from './helpers';

jest.setTimeout(120_000);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

describe('write-back: the store hears the order was delivered', () => {
  let pipeline: Awaited<ReturnType<typeof startTestPipeline>>;
  // The burst's store plan, scaled so 300 write-backs take seconds, not minutes (Salla Plus is 120 + 1/s).
  const plan = { rateLimit: 40, leakPerSecond: 20 };

  beforeAll(async () => {
    pipeline = await startTestPipeline({ storeFakes: { salla: plan }, env: { WRITE_BACK_MAX_ATTEMPTS: '3', WRITE_BACK_RETRY_BASE_SECONDS: '1' } });
    await seed(pipeline.deps, { stock: 400 });
    // The merchant's plan, as `stores set` records it, before any traffic: the functions read a store's
    // settings at most once a minute, so a plan set mid-test would reach them only after that minute.
    // The pacer spends half its burst and 80% of its rate.
    await pipeline.deps.catalog.putStoreSettings({ storeId: DEMO_SALLA_STORE, apiBurst: plan.rateLimit, apiPerSecond: plan.leakPerSecond });
  });
  afterAll(async () => pipeline?.stop());

  const salla = () => pipeline.storeFakes.salla;
  const zid = () => pipeline.storeFakes.zid;

  it('marks a delivered Salla order completed, once, with a note without the code', async () => {
    const sample = sampleSallaOrder('710000001');
    expect((await postWebhook(pipeline, 'salla', sample.raw, sample.headers)).status).toBe(200);
    await eventually(async () => salla().statusOf(DEMO_SALLA_STORE, '710000001') === 'completed', 15_000, 'Salla order completed');
    const order = await eventually(async () => {
      const o = await pipeline.deps.orders.getOrder(DEMO_SALLA_STORE, '710000001');
      return o?.writeBack?.state === 'DONE' && o;
    }, 5_000, 'write-back DONE on the order');
    expect(order.writeBack).toMatchObject({ state: 'DONE', attempts: 1, httpStatus: 201, status: 'completed' });
    // A duplicate webhook (and so a second delivery run) sends no second status change.
    expect((await postWebhook(pipeline, 'salla', sample.raw, sample.headers)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(salla().statusChanges().filter((c) => c.orderId === '710000001')).toHaveLength(1);
    await expectNoCodeInLogs(pipeline, ['ITUNES-SA-50']);
  });

  it('marks a delivered Zid order delivered', async () => {
    const sample = sampleZidOrder('42000001');
    expect((await postWebhook(pipeline, 'zid', sample.raw, sample.headers)).status).toBe(200);
    await eventually(async () => zid().statusOf(DEMO_ZID_STORE, '42000001') === 'delivered', 15_000, 'Zid order delivered');
    const order = await eventually(async () => {
      const o = await pipeline.deps.orders.getOrder(DEMO_ZID_STORE, '42000001');
      return o?.writeBack?.state === 'DONE' && o;
    }, 5_000, 'write-back DONE');
    expect(order.writeBack).toMatchObject({ state: 'DONE', httpStatus: 200, status: 'delivered' });
  });

  it('a 300-order burst on one store: every order written back, paced under the limit, no 429', async () => {
    const before = salla().stats().rateLimited;
    const ids = Array.from({ length: 300 }, (_, i) => String(720_000_000 + i));
    const acked = new Map<string, number>();
    for (let i = 0; i < ids.length; i += 25) {
      await Promise.all(
        ids.slice(i, i + 25).map(async (id) => {
          const sample = sampleSallaOrder(id, { quantity: 1 });
          const res = await postWebhook(pipeline, 'salla', sample.raw, sample.headers);
          expect(res.status).toBe(200);
          acked.set(id, Date.now());
        }),
      );
    }
    const mine = () => salla().statusChanges().filter((c) => acked.has(c.orderId));
    await eventually(async () => mine().length >= ids.length, 90_000, '300 write-backs');
    const changes = mine();
    expect(new Set(changes.map((c) => c.orderId)).size).toBe(ids.length);
    expect(changes).toHaveLength(ids.length);
    expect(salla().stats().rateLimited - before).toBe(0);
    // Under the store's bucket in every window: at most `burst + rate × window` requests.
    const times = changes.map((c) => c.at).sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0; i < times.length; i++) {
      for (let j = i; j < times.length && times[j] - times[i] <= 5_000; j++) {
        const allowed = plan.rateLimit + (plan.leakPerSecond * (times[j] - times[i])) / 1000;
        worst = Math.max(worst, (j - i + 1) / allowed);
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
    const latencies = changes.map((c) => c.at - acked.get(c.orderId)!);
    const spanSeconds = (times[times.length - 1] - times[0]) / 1000;
    report(
      `write-back burst (300 orders, one Salla store, plan ${plan.rateLimit} + ${plan.leakPerSecond}/s): ack → store status p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, ` +
        `max ${Math.max(...latencies)} ms; 429s ${salla().stats().rateLimited - before}; ${(ids.length / spanSeconds).toFixed(1)} req/s over ${spanSeconds.toFixed(1)} s; peak use of the bucket ${(worst * 100).toFixed(0)}%`,
    );
    expect(await queueDepth(pipeline, pipeline.resources.writeBackDlqUrl)).toBe(0);
  });

  it('retries a failing store with backoff, then alerts WRITE_BACK_FAILED and keeps the delivery', async () => {
    await drainQueue(pipeline, pipeline.resources.alertsInboxUrl);
    zid().setOptions({ failureRate: 1, failureStatuses: [503] });
    try {
      const sample = sampleZidOrder('42000099');
      expect((await postWebhook(pipeline, 'zid', sample.raw, sample.headers)).status).toBe(200);
      const order = await eventually(async () => {
        const o = await pipeline.deps.orders.getOrder(DEMO_ZID_STORE, '42000099');
        return o?.writeBack?.state === 'FAILED' && o;
      }, 30_000, 'write-back FAILED after its retries');
      expect(order.writeBack?.attempts).toBe(3);
      expect(order.writeBack?.error).toMatch(/HTTP 503/);
      const units = await pipeline.deps.orders.listUnits(DEMO_ZID_STORE, '42000099');
      expect(units.every((u) => u.state === 'DELIVERED')).toBe(true);
      const alerts = (await drainQueue(pipeline, pipeline.resources.alertsInboxUrl)).map((b) => JSON.parse(b));
      expect(alerts.filter((a) => a.type === 'WRITE_BACK_FAILED' && a.orderId === '42000099')).toHaveLength(1);
    } finally {
      zid().setOptions({ failureRate: 0 });
    }
  });
});
