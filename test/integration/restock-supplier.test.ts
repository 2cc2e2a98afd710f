// The reorder rules against a misbehaving supplier: asynchronous fulfilment is polled (no waiting),
// a lost POST answer is reconciled by reference (never bought twice), a fatal error alerts once.
import { seed } from '#local/seed';
import { drainQueue, enqueueOrder, eventually, expectNoCodeInLogs, partition, startTestPipeline, fakeReloadly } from './helpers';

jest.setTimeout(90_000);

const config = (sku: string, productId: string) => ({ sku, threshold: 2, reorderQuantity: 10, supplier: 'reloadly', supplierProductId: productId, unitPrice: 10 });

describe('reorders against a misbehaving supplier', () => {
  let pipeline: Awaited<ReturnType<typeof startTestPipeline>>;
  const units = async (orderId: string) => (await partition(pipeline, `ORDER#S1#${orderId}`)).filter((i) => i.sk.startsWith('UNIT#'));
  const reorders = async (sku: string) => (await partition(pipeline, `SKU#${sku}`)).filter((i) => i.sk.startsWith('REORDER#'));

  beforeAll(async () => {
    pipeline = await startTestPipeline({ reorderPollDelaySeconds: 1 });
    await seed(pipeline.deps, { skus: [config('ASYNC-1', '5001'), config('LOST-1', '5002'), config('BROKE-1', '5003')], products: [], stock: 2 });
  });
  afterAll(async () => pipeline?.stop());

  it('polls a pending supplier order and delivers the backorder when its codes arrive', async () => {
    fakeReloadly(pipeline).setOptions({ partialFulfilment: { initialStatus: 'PENDING', afterMs: 1500 } });
    await enqueueOrder(pipeline, { orderId: 'A1', sku: 'ASYNC-1', quantity: 3 });
    const delivered = await eventually(async () => {
      const list = await units('A1');
      return list.length === 3 && list.every((u) => u.state === 'DELIVERED') && list;
    }, 30_000, 'all 3 units delivered');
    expect(delivered.filter((u) => u.backorderedAt)).toHaveLength(1);
    const [reorder] = await reorders('ASYNC-1');
    expect(reorder).toMatchObject({ state: 'COMPLETED', codesReceived: 10 });
    // The reorder was looked up again later (polled), not waited for.
    expect(fakeReloadly(pipeline).stats().requests['GET /reports/transactions']).toBeGreaterThan(1);
    fakeReloadly(pipeline).setOptions({ partialFulfilment: false });
  });

  it('reconciles a POST whose answer was lost instead of buying twice', async () => {
    const before = fakeReloadly(pipeline).stats();
    fakeReloadly(pipeline).setOptions({ failNextPostAfterCommit: 'http500' });
    await enqueueOrder(pipeline, { orderId: 'L1', sku: 'LOST-1', quantity: 1 });
    await eventually(async () => (await reorders('LOST-1'))[0]?.state === 'COMPLETED', 30_000, 'reorder completed');
    const after = fakeReloadly(pipeline).stats();
    expect(after.cardsIssued - before.cardsIssued).toBe(10);
    const mine = Object.entries(after.ordersByCustomIdentifier).filter(([id]) => id.startsWith('LOST-1'));
    expect(mine).toHaveLength(1);
    expect(mine[0][1]).toBe(1);
    expect(await pipeline.deps.stock.audit('LOST-1')).toEqual({ AVAILABLE: 11, RESERVED: 0, DELIVERED: 1, REVOKED: 0 });
  });

  it('alerts the merchant once on a fatal supplier error and keeps the backorders visible', async () => {
    await drainQueue(pipeline, pipeline.resources.alertsInboxUrl);
    fakeReloadly(pipeline).setOptions({ balance: 0 });
    const postsBefore = fakeReloadly(pipeline).stats().requests['POST /orders'] ?? 0;
    await enqueueOrder(pipeline, { orderId: 'B1', sku: 'BROKE-1', quantity: 1 });
    await eventually(async () => (await reorders('BROKE-1'))[0]?.state === 'FAILED', 30_000, 'reorder failed');
    // More sales while the supplier is broken: the last code goes, then backorders, but no new purchase attempt.
    await enqueueOrder(pipeline, { orderId: 'B2', sku: 'BROKE-1', quantity: 2 });
    await eventually(async () => (await units('B2')).length === 2, 10_000, 'B2 processed');
    await new Promise((r) => setTimeout(r, 1000));
    expect((fakeReloadly(pipeline).stats().requests['POST /orders'] ?? 0) - postsBefore).toBe(1);
    expect((await units('B2')).map((u) => u.state)).toEqual(['DELIVERED', 'BACKORDERED']);
    const alerts = (await drainQueue(pipeline, pipeline.resources.alertsInboxUrl)).map((b) => JSON.parse(b));
    const failures = alerts.filter((a) => a.type === 'SUPPLIER_FAILED');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ sku: 'BROKE-1' });
    expect(failures[0].message).toContain('INSUFFICIENT_BALANCE');
    expect(alerts.some((a) => a.type === 'OUT_OF_STOCK' && a.sku === 'BROKE-1')).toBe(true);
  });

  it('never logs a code value', async () => {
    await expectNoCodeInLogs(pipeline, ['ASYNC-1', 'LOST-1', 'BROKE-1']);
    expect(pipeline.errors).toEqual([]);
  });
});
