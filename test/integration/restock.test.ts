// Done-means 3: stock 5, threshold 3, reorder 50, 20 orders → all delivered after one restock from the
// (fake) supplier, no duplicate reorder while one is in flight, backorders filled oldest first.
import { DEMO_SALLA_STORE } from '#adapters/platforms/salla/local';
import { sampleSallaOrder } from '#adapters/platforms/salla/local';
import { seed } from '#local/seed';
import { drainQueue, eventually, expectNoCodeInLogs, partition, postWebhook, report, startTestPipeline, fakeReloadly } from './helpers';

jest.setTimeout(120_000);

const SKU = 'RESTOCK-1';
const ORDERS = 20;

async function unitsOf(pipeline: Awaited<ReturnType<typeof startTestPipeline>>, orderIds: string[]) {
  const items = await Promise.all(orderIds.map((id) => partition(pipeline, `ORDER#${DEMO_SALLA_STORE}#${id}`)));
  return items.flatMap((list) => list.filter((i) => i.sk.startsWith('UNIT#')));
}

describe('stream-driven restock', () => {
  let pipeline: Awaited<ReturnType<typeof startTestPipeline>>;

  beforeAll(async () => {
    // Supplier latency keeps the reorder in flight while orders keep coming: the lease is exercised.
    pipeline = await startTestPipeline({ suppliers: { reloadly: { latencyMs: 300 } }, deliveryConcurrency: 8 });
    await seed(pipeline.deps, {
      skus: [{ sku: SKU, threshold: 3, reorderQuantity: 50, supplier: 'reloadly', supplierProductId: '4001', unitPrice: 50 }],
      products: [{ storeId: DEMO_SALLA_STORE, productId: '720881993', sku: SKU, multiplier: 1 }],
      stock: 5,
    });
  });
  afterAll(async () => pipeline?.stop());

  it('delivers all 20 orders with exactly one reorder of 50, backorders oldest first', async () => {
    const orderIds = Array.from({ length: ORDERS }, (_, i) => String(800000000 + i));
    const started = Date.now();
    for (const id of orderIds) {
      const sample = sampleSallaOrder(id, { quantity: 1 });
      expect((await postWebhook(pipeline, 'salla', sample.raw, sample.headers)).status).toBe(200);
    }
    const units = await eventually(
      async () => {
        const all = await unitsOf(pipeline, orderIds);
        return all.length === ORDERS && all.every((u) => u.state === 'DELIVERED') && all;
      },
      60_000,
      'all 20 units delivered',
    );
    report(`restock: 20 orders delivered (one reorder of 50) in ${Date.now() - started} ms`);

    // Exactly one reorder: one reference (split by the adapter into sub-orders of ≤ 10), 50 cards bought.
    const stats = fakeReloadly(pipeline).stats();
    const references = new Set(Object.keys(stats.ordersByCustomIdentifier).map((id) => id.split(':')[0]));
    expect(references.size).toBe(1);
    expect(stats.cardsIssued).toBe(50);
    expect(Object.values(stats.ordersByCustomIdentifier).every((n) => n === 1)).toBe(true);
    const reorders = (await partition(pipeline, `SKU#${SKU}`)).filter((i) => i.sk.startsWith('REORDER#'));
    expect(reorders).toHaveLength(1);
    expect(reorders[0]).toMatchObject({ state: 'COMPLETED', quantity: 50 });

    // Oldest paid first: backordered units got their codes page by page (25, claimed side by side when
    // the stock covers the page) in the order they were paid.
    const backordered = units.filter((u) => u.backorderedAt);
    expect(backordered.length).toBeGreaterThan(0);
    const fifo = [...backordered].sort((a, b) => `${a.receivedAt}#${a.orderId}`.localeCompare(`${b.receivedAt}#${b.orderId}`));
    const pageOf = new Map(fifo.map((u, i) => [u.orderId, Math.floor(i / 25)]));
    const reservedPages = [...backordered].sort((a, b) => a.reservedAt.localeCompare(b.reservedAt)).map((u) => pageOf.get(u.orderId)!);
    expect(reservedPages).toEqual([...reservedPages].sort((a, b) => a - b));
    // FIFO entries go once their RESUME messages are out, which may be just after the delivery.
    await eventually(async () => (await partition(pipeline, `BACKORDER#${SKU}`)).length === 0, 10_000, 'backorder queue emptied');

    // Conservation: 5 seeded + 50 bought = 20 delivered + 35 available.
    expect(await pipeline.deps.stock.audit(SKU)).toEqual({ AVAILABLE: 35, RESERVED: 0, DELIVERED: 20, REVOKED: 0 });
    // The merchant heard about the stock-out.
    const alerts = (await drainQueue(pipeline, pipeline.resources.alertsInboxUrl)).map((b) => JSON.parse(b));
    expect(alerts.some((a) => a.type === 'OUT_OF_STOCK' && a.sku === SKU)).toBe(true);
  });

  it('never logs a code value', async () => {
    await expectNoCodeInLogs(pipeline, [SKU]);
    expect(pipeline.errors).toEqual([]);
  });
});
