// The write-back's two DynamoDB stores against DynamoDB Local, under concurrency: the order's
// write-back lease (one holder, final once finished) and the per-store GCRA pacer (no more than the
// burst at once, then the rate, whatever number of containers reserve together).
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoStorePacer } from '#adapters/dynamo/store-pacer';
import { DynamoWriteBackStore } from '#adapters/dynamo/write-back-store';
import { startTestPipeline } from './helpers';

jest.setTimeout(60_000);

describe('write-back stores on DynamoDB Local', () => {
  let pipeline: Awaited<ReturnType<typeof startTestPipeline>>;
  let store: DynamoWriteBackStore;
  let pacer: DynamoStorePacer;

  beforeAll(async () => {
    pipeline = await startTestPipeline({ pollers: false });
    const db = createDocumentClient(pipeline.clients.dynamo);
    store = new DynamoWriteBackStore(db, pipeline.resources.tableName);
    pacer = new DynamoStorePacer(db, pipeline.resources.tableName);
  });
  afterAll(async () => pipeline?.stop());

  const order = (orderId: string) =>
    pipeline.deps.orders.ensureOrder({ platform: 'salla', storeId: 'S1', orderId, locale: 'ar', customer: {}, receivedAt: new Date().toISOString() });

  it('of 10 concurrent copies exactly one takes the lease; a finished write-back is final', async () => {
    await order('O1');
    const now = new Date();
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => store.begin('S1', 'O1', `w${i}`, now, 30)));
    expect(outcomes.filter((o) => o.started)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.started && o.reason === 'BUSY')).toHaveLength(9);
    const winner = `w${outcomes.findIndex((o) => o.started)}`;
    // A loser's finish changes nothing; the winner's ends it.
    await store.finish('S1', 'O1', 'w-other', { state: 'FAILED', attempts: 9, at: now.toISOString() });
    await store.finish('S1', 'O1', winner, { state: 'DONE', attempts: 1, at: now.toISOString(), httpStatus: 201 });
    expect((await pipeline.deps.orders.getOrder('S1', 'O1'))?.writeBack).toEqual({ state: 'DONE', attempts: 1, at: now.toISOString(), httpStatus: 201 });
    expect(await store.begin('S1', 'O1', 'late', new Date(now.getTime() + 60_000), 30)).toMatchObject({ started: false, reason: 'FINISHED' });
    expect(await store.reopen('S1', 'O1', now.toISOString())).toBe(false);
  });

  it('an expired lease is taken over with the attempts so far; a missing order is NO_ORDER; FAILED can be reopened', async () => {
    await order('O2');
    const t0 = new Date();
    expect(await store.begin('S1', 'O2', 'a', t0, 30)).toEqual({ started: true, attempts: 0 });
    await store.release('S1', 'O2', 'a', { state: 'RETRYING', attempts: 2, at: t0.toISOString(), error: 'HTTP 503' });
    expect(await store.begin('S1', 'O2', 'b', t0, 30)).toEqual({ started: true, attempts: 2 });
    // b crashes: its lease runs out and c takes over.
    expect(await store.begin('S1', 'O2', 'c', new Date(t0.getTime() + 10_000), 30)).toMatchObject({ started: false, reason: 'BUSY' });
    expect(await store.begin('S1', 'O2', 'c', new Date(t0.getTime() + 31_000), 30)).toEqual({ started: true, attempts: 2 });
    await store.finish('S1', 'O2', 'c', { state: 'FAILED', attempts: 3, at: t0.toISOString() });
    expect(await store.reopen('S1', 'O2', t0.toISOString())).toBe(true);
    expect(await store.begin('S1', 'O2', 'd', new Date(t0.getTime() + 40_000), 30)).toEqual({ started: true, attempts: 0 });
    expect(await store.begin('S1', 'missing', 'a', t0, 30)).toEqual({ started: false, reason: 'NO_ORDER' });
  });

  it('40 concurrent reservations: the burst goes at once, the rest one interval apart', async () => {
    const now = Date.now();
    const budget = { burst: 5, perSecond: 10 };
    const slots = (await Promise.all(Array.from({ length: 40 }, () => pacer.reserve('salla', 'PACED', budget, now)))).sort((a, b) => a - b);
    expect(slots.slice(0, 5)).toEqual([now, now, now, now, now]);
    slots.slice(5).forEach((slot, i) => expect(Math.abs(slot - (now + (i + 1) * 100))).toBeLessThanOrEqual(1));
    // In any window, at most burst + rate × window.
    for (let i = 0; i < slots.length; i++) for (let j = i; j < slots.length; j++) expect(j - i + 1).toBeLessThanOrEqual(budget.burst + ((slots[j] - slots[i]) * budget.perSecond) / 1000 + 1e-9);
  });

  it('an idle bucket refills; a 429 holds the store until Retry-After, with no burst right after', async () => {
    const budget = { burst: 3, perSecond: 1 };
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) expect(await pacer.reserve('zid', 'IDLE', budget, t0)).toBe(t0);
    expect(await pacer.reserve('zid', 'IDLE', budget, t0)).toBe(t0 + 1000);
    // Ten seconds idle: a full burst again.
    for (let i = 0; i < 3; i++) expect(await pacer.reserve('zid', 'IDLE', budget, t0 + 10_000)).toBe(t0 + 10_000);
    await pacer.holdUntil('zid', 'IDLE', budget, t0 + 30_000);
    expect(await pacer.reserve('zid', 'IDLE', budget, t0 + 11_000)).toBe(t0 + 30_000);
    expect(await pacer.reserve('zid', 'IDLE', budget, t0 + 11_000)).toBe(t0 + 31_000);
  });
});
