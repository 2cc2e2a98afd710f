// Cancellations and refunds: backordered units are cancelled and never delivered later; units already
// delivered are flagged on the order and reported to the merchant.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sallaSignatureHeaders } from '#adapters/platforms/salla/local';
import { zidBasicAuthHeaders } from '#adapters/platforms/zid/local';
import { DEMO_SALLA_SECRET, DEMO_SALLA_STORE } from '#adapters/platforms/salla/local';
import { DEMO_ZID_CREDENTIALS, DEMO_ZID_STORE } from '#adapters/platforms/zid/local';
import { demoCodes } from '#local/demo-data';
import { sampleSallaOrder } from '#adapters/platforms/salla/local';
import { sampleZidOrder } from '#adapters/platforms/zid/local';
import { seed } from '#local/seed';
import { awaitAlerts, drainQueue, eventually, expectNoCodeInLogs, partition, postWebhook, queueDepth, startTestPipeline } from './helpers';

jest.setTimeout(60_000);

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8'));
const SKU = 'CANCEL-1';

describe('cancel and refund', () => {
  let pipeline: Awaited<ReturnType<typeof startTestPipeline>>;
  const units = async (store: string, orderId: string) => (await partition(pipeline, `ORDER#${store}#${orderId}`)).filter((i) => i.sk.startsWith('UNIT#'));
  const meta = async (store: string, orderId: string) => (await partition(pipeline, `ORDER#${store}#${orderId}`)).find((i) => i.sk === 'META');
  const settled = () => eventually(async () => (await queueDepth(pipeline, pipeline.resources.ordersQueueUrl)) === 0, 15_000, 'orders queue drained');

  beforeAll(async () => {
    pipeline = await startTestPipeline();
    await seed(pipeline.deps, {
      skus: [{ sku: SKU, threshold: 0, reorderQuantity: 0 }],
      products: [
        { storeId: DEMO_SALLA_STORE, productId: '720881993', sku: SKU, multiplier: 1 },
        { storeId: DEMO_ZID_STORE, productId: '23edd6a6-3533-495d-8ffc-7f9e7c8c1f6a', sku: SKU, multiplier: 1 },
      ],
      stock: 1,
    });
  });
  afterAll(async () => pipeline?.stop());

  it('a cancelled backorder is never delivered, even when codes arrive', async () => {
    // 1 code in stock; order A (2 units) gets it and backorders one unit, order B backorders both.
    for (const id of ['500000001', '500000002']) {
      const sample = sampleSallaOrder(id, { quantity: 2 });
      expect((await postWebhook(pipeline, 'salla', sample.raw, sample.headers)).status).toBe(200);
      await settled();
    }
    expect((await units(DEMO_SALLA_STORE, '500000002')).map((u) => u.state)).toEqual(['BACKORDERED', 'BACKORDERED']);

    const cancel = fixture('salla/order-cancelled.json');
    cancel.merchant = Number(DEMO_SALLA_STORE);
    cancel.data.id = 500000002;
    const raw = JSON.stringify(cancel);
    expect((await postWebhook(pipeline, 'salla', raw, sallaSignatureHeaders(raw, DEMO_SALLA_SECRET))).status).toBe(200);
    await eventually(async () => (await units(DEMO_SALLA_STORE, '500000002')).every((u) => u.state === 'CANCELLED'), 10_000, 'units cancelled');

    // Codes land: order A's backordered unit is filled, the cancelled order gets nothing.
    await pipeline.deps.stock.addCodes(SKU, demoCodes(5), 'test');
    await eventually(async () => (await units(DEMO_SALLA_STORE, '500000001')).every((u) => u.state === 'DELIVERED'), 15_000, 'order A delivered');
    await settled();
    expect((await units(DEMO_SALLA_STORE, '500000002')).map((u) => u.state)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(pipeline.recorder.messages().filter((m) => m.kind === 'CODE' && m.ref.includes('/500000002/'))).toEqual([]);
    await eventually(async () => (await partition(pipeline, `BACKORDER#${SKU}`)).length === 0, 10_000, 'backorder queue emptied');
    expect(await pipeline.deps.stock.audit(SKU)).toEqual({ AVAILABLE: 4, RESERVED: 0, DELIVERED: 2, REVOKED: 0 });
  });

  it('a refund after delivery flags the units and alerts the merchant', async () => {
    const sample = sampleSallaOrder('500000003', { quantity: 1 });
    expect((await postWebhook(pipeline, 'salla', sample.raw, sample.headers)).status).toBe(200);
    await eventually(async () => (await units(DEMO_SALLA_STORE, '500000003'))[0]?.state === 'DELIVERED', 10_000, 'delivered');
    await drainQueue(pipeline, pipeline.resources.alertsInboxUrl);

    const refund = fixture('salla/order-refunded.json');
    refund.merchant = Number(DEMO_SALLA_STORE);
    refund.data.id = 500000003;
    const raw = JSON.stringify(refund);
    expect((await postWebhook(pipeline, 'salla', raw, sallaSignatureHeaders(raw, DEMO_SALLA_SECRET))).status).toBe(200);
    const flagged = await eventually(async () => (await meta(DEMO_SALLA_STORE, '500000003'))?.deliveredBeforeCancel, 10_000, 'order flagged');
    expect(flagged).toEqual(['91530271#1']);
    const alerts = await awaitAlerts(pipeline, 'merchant alert');
    expect(alerts).toEqual([expect.objectContaining({ type: 'REFUND_AFTER_DELIVERY', orderId: '500000003', storeId: DEMO_SALLA_STORE })]);
    expect((await units(DEMO_SALLA_STORE, '500000003'))[0].state).toBe('DELIVERED');
  });

  it('a Zid refund before the paid message arrives: the order is never delivered', async () => {
    const refund = fixture('zid/order-payment-status-update-refunded.json');
    refund.data.id = 41000077;
    const raw = JSON.stringify(refund);
    const auth = zidBasicAuthHeaders(DEMO_ZID_CREDENTIALS.username, DEMO_ZID_CREDENTIALS.password);
    expect((await postWebhook(pipeline, 'zid', raw, auth)).status).toBe(200);
    await eventually(async () => (await meta(DEMO_ZID_STORE, '41000077'))?.cancelledAt, 10_000, 'order marked cancelled');
    const paid = sampleZidOrder('41000077');
    expect((await postWebhook(pipeline, 'zid', paid.raw, paid.headers)).status).toBe(200);
    await eventually(async () => (await units(DEMO_ZID_STORE, '41000077')).length > 0 && (await units(DEMO_ZID_STORE, '41000077')), 10_000, 'units written');
    expect((await units(DEMO_ZID_STORE, '41000077')).every((u) => u.state === 'CANCELLED')).toBe(true);
    expect(pipeline.recorder.messages().filter((m) => m.ref.includes('/41000077'))).toEqual([]);
  });

  it('never logs a code value', async () => {
    await expectNoCodeInLogs(pipeline, [SKU]);
    expect(pipeline.errors).toEqual([]);
  });
});
