// The write-back use case against in-memory ports: once per order, paced, retried, alerted.
import { StoreApiError } from '#core/errors';
import type { StoreApi } from '#core/ports/store-api';
import type { BeginOutcome, RateBudget, StorePacer, WriteBackMessage, WriteBackRecord, WriteBackStore } from '#core/ports/write-back';
import { retryDelaySeconds, writeBackBudget, writeBackOrder, type WriteBackDeps } from '#core/write-back';
import { FakeClock } from '../../fakes/world';
import { RecordingAlerts, RecordingLog } from '../../fakes/recorders';

class MemoryWriteBacks implements WriteBackStore {
  records = new Map<string, WriteBackRecord & { owner?: string; leaseUntil?: number }>();
  async begin(storeId: string, orderId: string, owner: string, now: Date, leaseSeconds: number): Promise<BeginOutcome> {
    const key = `${storeId}/${orderId}`;
    const r = this.records.get(key);
    if (r && ['DONE', 'FAILED', 'SKIPPED'].includes(r.state)) return { started: false, reason: 'FINISHED', record: r };
    if (r?.leaseUntil && r.leaseUntil >= now.getTime()) return { started: false, reason: 'BUSY', leaseUntil: r.leaseUntil };
    this.records.set(key, { ...(r ?? { state: 'IN_PROGRESS', attempts: 0, at: now.toISOString() }), owner, leaseUntil: now.getTime() + leaseSeconds * 1000 });
    return { started: true, attempts: r?.attempts ?? 0 };
  }
  async finish(storeId: string, orderId: string, owner: string, record: WriteBackRecord) {
    if (this.records.get(`${storeId}/${orderId}`)?.owner === owner) this.records.set(`${storeId}/${orderId}`, record);
  }
  release = this.finish;
  async reopen() {
    return true;
  }
}

class StepPacer implements StorePacer {
  next = 0;
  holds: number[] = [];
  async reserve(_p: string, _s: string, _b: RateBudget, nowMs: number) {
    return Math.max(nowMs, this.next);
  }
  async holdUntil(_p: string, _s: string, _b: RateBudget, untilMs: number) {
    this.holds.push(untilMs);
  }
}

function setup(markDelivered: StoreApi['markDelivered']) {
  const clock = new FakeClock();
  const queue: Array<{ message: WriteBackMessage; delay?: number }> = [];
  const api: StoreApi = { platform: 'salla', getOrder: async () => { throw new Error('unused'); }, markDelivered: jest.fn(markDelivered) };
  const deps: WriteBackDeps = {
    writeBacks: new MemoryWriteBacks(),
    pacer: new StepPacer(),
    storeApis: { api: () => api, budget: () => ({ burst: 120, perSecond: 1 }) },
    writeBackQueue: { send: async (message, delay) => void queue.push({ message, delay }) },
    alerts: new RecordingAlerts(),
    catalog: { getStoreSettings: async () => undefined },
    clock,
    log: new RecordingLog(),
    writeBack: { leaseSeconds: 30, maxAttempts: 3, retryBaseSeconds: 10, budgetShare: { burst: 0.5, perSecond: 0.8 }, maxInlineWaitMs: 1000 },
    sleep: async () => undefined,
  };
  return { deps, api, queue, clock, writeBacks: deps.writeBacks as MemoryWriteBacks, pacer: deps.pacer as StepPacer, alerts: deps.alerts as RecordingAlerts };
}

const message: WriteBackMessage = { platform: 'salla', storeId: 'S1', orderId: 'O1', units: 2 };

describe('writeBackOrder', () => {
  it('marks the order delivered once, with a note that names no code, and records DONE', async () => {
    const t = setup(async () => ({ status: 201 }));
    expect(await writeBackOrder(t.deps, message, 'a')).toBe('DONE');
    expect(await writeBackOrder(t.deps, message, 'b')).toBe('ALREADY');
    expect(t.api.markDelivered).toHaveBeenCalledTimes(1);
    expect(t.api.markDelivered).toHaveBeenCalledWith('S1', 'O1', { note: 'StreamSync delivered 2 code(s) to the customer.' });
    expect(t.writeBacks.records.get('S1/O1')).toMatchObject({ state: 'DONE', attempts: 1, httpStatus: 201, status: 'completed' });
  });

  it('a slot beyond the inline wait goes back on the queue, delayed, holding its slot', async () => {
    const t = setup(async () => ({ status: 201 }));
    t.pacer.next = t.clock.now().getTime() + 7_500;
    expect(await writeBackOrder(t.deps, message, 'a')).toBe('PACED');
    expect(t.queue).toEqual([{ message: { ...message, slotAt: t.pacer.next }, delay: 8 }]);
    t.clock.advanceSeconds(8);
    expect(await writeBackOrder(t.deps, t.queue[0].message, 'b')).toBe('DONE');
  });

  it('429: the store is paced down by Retry-After, the attempt is not counted', async () => {
    const t = setup(async () => {
      throw new StoreApiError('salla: HTTP 429', 'RATE_LIMITED', true, 7);
    });
    expect(await writeBackOrder(t.deps, message, 'a')).toBe('RETRYING');
    expect(t.pacer.holds).toEqual([t.clock.now().getTime() + 7000]);
    expect(t.queue[0].delay).toBe(7);
    expect(t.queue[0].message.attempt).toBeUndefined();
    expect(t.writeBacks.records.get('S1/O1')).toMatchObject({ state: 'RETRYING', attempts: 0 });
  });

  it('retryable failures back off, then FAILED with one WRITE_BACK_FAILED alert naming the way out', async () => {
    const t = setup(async () => {
      throw new StoreApiError('salla: HTTP 503', 'UNAVAILABLE', true);
    });
    let next: WriteBackMessage = message;
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      outcomes.push(await writeBackOrder(t.deps, next, `w${i}`));
      if (t.queue.length) next = t.queue.shift()!.message;
      t.clock.advanceSeconds(60);
    }
    expect(outcomes).toEqual(['RETRYING', 'RETRYING', 'FAILED']);
    expect(t.writeBacks.records.get('S1/O1')).toMatchObject({ state: 'FAILED', attempts: 3 });
    expect(t.alerts.published.filter((a) => a.type === 'WRITE_BACK_FAILED')).toHaveLength(1);
    expect(t.alerts.published[0].message).toContain('orders writeback --store S1 --order O1');
  });

  it('a store that never installed the app is skipped without an alert', async () => {
    const t = setup(async () => {
      throw new StoreApiError('no API tokens stored for salla store S1', 'NO_TOKENS', false);
    });
    expect(await writeBackOrder(t.deps, message, 'a')).toBe('SKIPPED');
    expect(t.writeBacks.records.get('S1/O1')).toMatchObject({ state: 'SKIPPED', error: 'no API tokens stored for salla store S1' });
    expect(t.alerts.published).toEqual([]);
  });

  it('a refused token fails at once (no retry), with the reinstall hint', async () => {
    const t = setup(async () => {
      throw new StoreApiError('salla: invalid_grant', 'INVALID_GRANT', false);
    });
    expect(await writeBackOrder(t.deps, message, 'a')).toBe('FAILED');
    expect(t.alerts.published[0].message).toMatch(/re-install the app/);
  });

  it('a store with write-back off is skipped, and a concurrent holder makes a copy wait for its lease', async () => {
    const t = setup(async () => ({ status: 201 }));
    t.deps.catalog = { getStoreSettings: async () => ({ storeId: 'S1', writeBack: 'off' as const }) };
    expect(await writeBackOrder(t.deps, message, 'a')).toBe('SKIPPED');
    expect(t.api.markDelivered).not.toHaveBeenCalled();
    const u = setup(async () => ({ status: 201 }));
    await u.writeBacks.begin('S1', 'O1', 'other', u.clock.now(), 30);
    expect(await writeBackOrder(u.deps, message, 'a')).toBe('BUSY');
    expect(u.queue[0].delay).toBe(31);
  });

  it('the budget is a share of the store plan, and backoff doubles up to 15 minutes', () => {
    const settings = { leaseSeconds: 30, maxAttempts: 3, retryBaseSeconds: 30, budgetShare: { burst: 0.5, perSecond: 0.8 }, maxInlineWaitMs: 1000 };
    expect(writeBackBudget(settings, { burst: 120, perSecond: 1 })).toEqual({ burst: 60, perSecond: 0.8 });
    expect(writeBackBudget(settings, { burst: 120, perSecond: 1 }, { storeId: 'S', apiBurst: 360, apiPerSecond: 6 })).toMatchObject({ burst: 180, perSecond: expect.closeTo(4.8) });
    expect([1, 2, 3, 10].map((n) => retryDelaySeconds(settings, n))).toEqual([30, 60, 120, 900]);
  });
});
