// Stock-out recovery at supplier speed, on the local pipeline against the fake Reloadly and EZ PIN:
// a burst on an empty SKU is bought by demand (follow-ups while the first reorder is out), a SKU that
// keeps no stock buys per order, a failing supplier hands over to the next one, a supplier handing
// back a code held for another SKU is refused and topped up. The sweep is off: nothing waits for it.
import type { FakeEzpin } from '#adapters/suppliers/ezpin/fake/fake-ezpin';
import { demoCodes } from '#local/demo-data';
import { seed } from '#local/seed';
import { drainQueue, enqueueOrder, eventually, expectNoCodeInLogs, fakeReloadly, partition, startTestPipeline } from './helpers';

jest.setTimeout(120_000);

const reloadly = { supplier: 'reloadly', supplierProductId: '3001', unitPrice: 50 };

describe('stock-out recovery', () => {
  let pipeline: Awaited<ReturnType<typeof startTestPipeline>>;
  const fakeEzpin = () => pipeline.suppliers.ezpin as unknown as FakeEzpin;
  const unitsOf = async (orderIds: string[]) => (await Promise.all(orderIds.map((id) => partition(pipeline, `ORDER#S1#${id}`)))).flat().filter((i) => i.sk.startsWith('UNIT#'));
  const reorders = async (sku: string) => (await partition(pipeline, `SKU#${sku}`)).filter((i) => i.sk.startsWith('REORDER#'));
  const allDelivered = (orderIds: string[], what: string) =>
    eventually(async () => {
      const units = await unitsOf(orderIds);
      return units.length === orderIds.length && units.every((u) => u.state === 'DELIVERED') && units;
    }, 60_000, what);
  const orders = (prefix: string, count: number) => Array.from({ length: count }, (_, n) => `${prefix}-${n + 1}`);

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      reorderPollDelaySeconds: 1,
      suppliers: { reloadly: { latencyMs: 50 }, ezpin: { latencyMs: 50 } },
      env: { REORDER_COOLDOWN_SECONDS: '1', SUPPLIER_BALANCE_CACHE_SECONDS: '0' },
    });
    await seed(pipeline.deps, {
      skus: [
        { sku: 'BURST-1', threshold: 5, reorderQuantity: 20, ...reloadly },
        { sku: 'PER-ORDER-1', threshold: 0, reorderQuantity: 20, ...reloadly },
        { sku: 'FAILOVER-1', threshold: 2, reorderQuantity: 5, supplier: 'reloadly', supplierProductId: '3002', unitPrice: 100, alternates: [{ supplier: 'ezpin', productId: '1001', unitPrice: 25 }] },
        { sku: 'DUP-HELD', threshold: 0, reorderQuantity: 1 },
        { sku: 'DUP-1', threshold: 0, reorderQuantity: 5, ...reloadly },
      ],
      products: [],
      stock: 0,
    });
  });
  afterAll(async () => pipeline?.stop());

  it('a burst of 40 orders on an empty SKU is bought by demand: follow-ups while the first reorder is out, nothing bought twice', async () => {
    const before = fakeReloadly(pipeline).stats().cardsIssued;
    const ids = orders('B', 40);
    await Promise.all(ids.map((orderId) => enqueueOrder(pipeline, { orderId, sku: 'BURST-1', quantity: 1 })));
    await allDelivered(ids, '40 burst orders delivered');
    const bought = fakeReloadly(pipeline).stats().cardsIssued - before;
    // Every customer served, and no more bought than the demand plus the threshold the SKU keeps.
    expect(bought).toBeGreaterThanOrEqual(40);
    expect(bought).toBeLessThanOrEqual(45);
    const records = await reorders('BURST-1');
    expect(records.every((r) => r.state === 'COMPLETED')).toBe(true);
    expect(records.reduce((sum, r) => sum + r.quantity, 0)).toBe(bought);
    expect(await pipeline.deps.stock.audit('BURST-1')).toEqual({ AVAILABLE: bought - 40, RESERVED: 0, DELIVERED: 40, REVOKED: 0 });
  });

  it('a SKU that keeps no stock buys exactly what waits', async () => {
    const before = fakeReloadly(pipeline).stats().cardsIssued;
    const ids = orders('P', 3);
    for (const orderId of ids) await enqueueOrder(pipeline, { orderId, sku: 'PER-ORDER-1', quantity: 1 });
    await allDelivered(ids, '3 per-order units delivered');
    // Settle: any late decision would buy now.
    await new Promise((r) => setTimeout(r, 2500));
    expect(fakeReloadly(pipeline).stats().cardsIssued - before).toBe(3);
    expect(await pipeline.deps.stock.audit('PER-ORDER-1')).toMatchObject({ AVAILABLE: 0, DELIVERED: 3 });
  });

  it('a supplier out of balance hands the reorder to the next one; the merchant alert names both', async () => {
    await drainQueue(pipeline, pipeline.resources.alertsInboxUrl);
    // 100 × 5 cannot be paid from 120: the balance check sends the reorder to EZ PIN before anything fails.
    fakeReloadly(pipeline).setOptions({ balance: 120 });
    const ezpinBefore = fakeEzpin().stats().cardsIssued;
    const reloadlyPosts = fakeReloadly(pipeline).stats().requests['POST /orders'] ?? 0;
    const ids = orders('F', 3);
    for (const orderId of ids) await enqueueOrder(pipeline, { orderId, sku: 'FAILOVER-1', quantity: 1 });
    await allDelivered(ids, 'failover orders delivered');
    expect(fakeEzpin().stats().cardsIssued - ezpinBefore).toBeGreaterThanOrEqual(3);
    expect((fakeReloadly(pipeline).stats().requests['POST /orders'] ?? 0) - reloadlyPosts).toBe(0);
    const alerts = (await drainQueue(pipeline, pipeline.resources.alertsInboxUrl)).map((b) => JSON.parse(b));
    expect(alerts.filter((a) => a.type === 'LOW_BALANCE')).toEqual([expect.objectContaining({ sku: 'FAILOVER-1', details: expect.objectContaining({ supplier: 'reloadly', balance: 120 }) })]);
    expect((await reorders('FAILOVER-1')).every((r) => r.supplier === 'ezpin')).toBe(true);

    // A fatal answer at order time (the product sold out at Reloadly): the reorder moves to EZ PIN under a new reference.
    fakeReloadly(pipeline).setOptions({ balance: 1_000_000, stock: { '3002': 0 } });
    const more = orders('F2', 4);
    for (const orderId of more) await enqueueOrder(pipeline, { orderId, sku: 'FAILOVER-1', quantity: 1 });
    await allDelivered(more, 'orders after the fatal error delivered');
    const records = await reorders('FAILOVER-1');
    // One Reloadly reorder, or two when a follow-up started before the first came back refused: each fails over.
    const failedIds = new Set(records.filter((r) => r.state === 'FAILED' && r.supplier === 'reloadly').map((r) => r.reorderId));
    const failed = records.find((r) => failedIds.has(r.reorderId));
    expect(failed).toBeDefined();
    // The replacement is the failed reorder's own follow-on (failoverFrom) or, when a decision of the
    // stream got there first with Reloadly already paused, that one: either way EZ PIN, after the failure.
    const replacement = records.find((r) => r.supplier === 'ezpin' && r.state === 'COMPLETED' && r.createdAt >= failed!.createdAt);
    expect(replacement).toBeDefined();
    expect(records.filter((r) => r.failoverFrom !== undefined).every((r) => failedIds.has(r.failoverFrom!) && r.supplier === 'ezpin')).toBe(true);
    // One alert per failed reorder, naming both suppliers.
    const failover = (await drainQueue(pipeline, pipeline.resources.alertsInboxUrl)).map((b) => JSON.parse(b)).filter((a) => a.type === 'SUPPLIER_FAILOVER');
    expect(failover.map((a) => a.details.reorderId).sort()).toEqual([...failedIds].sort());
    expect(failover.every((a) => a.sku === 'FAILOVER-1' && a.details.supplier === 'reloadly' && a.details.failoverTo === 'ezpin')).toBe(true);
    fakeReloadly(pipeline).setOptions({ stock: {} });
  });

  it('a code the supplier hands back that is held for another SKU is refused, reported, and topped up', async () => {
    const [held] = demoCodes(1, 'HELD');
    await pipeline.deps.stock.addCodes('DUP-HELD', [held], 'test');
    await drainQueue(pipeline, pipeline.resources.alertsInboxUrl);
    fakeReloadly(pipeline).setOptions({ reissueCards: [{ cardNumber: held.code, pinCode: held.pin! }] });
    const ids = orders('D', 2);
    for (const orderId of ids) await enqueueOrder(pipeline, { orderId, sku: 'DUP-1', quantity: 1 });
    await allDelivered(ids, 'orders on DUP-1 delivered with fresh codes');
    expect(await pipeline.deps.stock.audit('DUP-HELD')).toEqual({ AVAILABLE: 1, RESERVED: 0, DELIVERED: 0, REVOKED: 0 });
    const short = (await drainQueue(pipeline, pipeline.resources.alertsInboxUrl)).map((b) => JSON.parse(b)).filter((a) => a.type === 'SUPPLIER_SHORT');
    expect(short).toEqual([expect.objectContaining({ sku: 'DUP-1', details: expect.objectContaining({ alreadyInStock: 1 }) })]);
  });

  it('never logs a code value', async () => {
    await expectNoCodeInLogs(pipeline, ['BURST-1', 'PER-ORDER-1', 'FAILOVER-1', 'DUP-HELD', 'DUP-1']);
    expect(pipeline.errors).toEqual([]);
  });
});
