// Issue 12, velocity limits on DynamoDB Local and the local pipeline: the counter is one conditional
// write that many concurrent deliveries cannot push past the limit, a retried order is counted once,
// and over the limit a paid order is held (no code taken), the merchant alerted, and released by them.
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoVelocityLedger, identityHash } from '#adapters/dynamo/velocity-ledger';
import { releaseOrder } from '#core/hold-order';
import type { VelocityCharge } from '#core/ports/velocity';
import { demoCatalogue } from '#local/demo-data';
import { awaitAlerts, drainQueue, enqueueOrder, eventually, expectNoCodeInLogs, partition, report, startTestPipeline } from './helpers';

jest.setTimeout(60_000);

describe('velocity limits', () => {
  let pipeline: Awaited<ReturnType<typeof startTestPipeline>>;
  const SKU = 'VELO-TEST-50';

  beforeAll(async () => {
    pipeline = await startTestPipeline({ env: { VELOCITY_MAX_CODES: '3', VELOCITY_WINDOW_HOURS: '24' } });
    const [template] = (await demoCatalogue()).skus;
    await pipeline.deps.catalog.putSkuConfig({ ...template, sku: SKU, supplier: undefined, alternates: undefined, threshold: 0, reorderQuantity: 0 } as typeof template);
    await pipeline.deps.stock.addCodes(SKU, Array.from({ length: 10 }, (_, i) => ({ code: `VELO-CODE-${String(i).padStart(4, '0')}`, format: 'text' as const })), 'test');
  });
  afterAll(async () => pipeline?.stop());

  const ledger = () => new DynamoVelocityLedger(createDocumentClient(pipeline.clients.dynamo), pipeline.resources.tableName);
  const charge = (orderKey: string, over: Partial<VelocityCharge> = {}): VelocityCharge => ({
    identity: 'phone:+966511111111',
    sku: 'LEDGER-SKU',
    windowStart: 1_700_000_000_000,
    windowHours: 24,
    expiresAtSeconds: 1_700_172_800,
    orderKey,
    units: 1,
    maxCodes: 20,
    ...over,
  });

  it('60 concurrent one-unit charges against a limit of 20: exactly 20 counted; a retried order counts nothing', async () => {
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => ledger().charge(charge(`S1/race-${i}`))));
    const charged = results.filter((r) => r.result === 'CHARGED').length;
    expect(charged).toBe(20);
    expect(results.filter((r) => r.result === 'OVER')).toHaveLength(40);
    const winner = results.findIndex((r) => r.result === 'CHARGED');
    expect(await ledger().charge(charge(`S1/race-${winner}`))).toEqual({ result: 'ALREADY_CHARGED' });
    const [item] = await partition(pipeline, `VELOCITY#${identityHash('phone:+966511111111')}`);
    // The key and the item carry a hash, never the phone number; the counter expires with its window.
    expect(item).toMatchObject({ sk: 'LEDGER-SKU#1700000000000', codes: 20, expiresAt: 1_700_172_800 });
    expect(JSON.stringify(item)).not.toContain('966511111111');
    expect(item.orders.size).toBe(20);
    report(`velocity ledger: 60 concurrent charges at a limit of 20 → ${charged} counted, ${60 - charged} over`);
  });

  it('an order over the limit of one unit on its own never writes', async () => {
    expect(await ledger().charge(charge('S1/big', { identity: 'email:big@example.sa', units: 21 }))).toEqual({ result: 'OVER', count: 0 });
    expect(await partition(pipeline, `VELOCITY#${identityHash('email:big@example.sa')}`)).toEqual([]);
  });

  it('over the limit a paid order is held with one alert and no code taken; the release delivers it', async () => {
    const customer = { phone: '+966522222222', email: 'Velo.Customer+shop@gmail.com' };
    await drainQueue(pipeline, pipeline.resources.alertsInboxUrl);
    await enqueueOrder(pipeline, { orderId: 'velo-1', sku: SKU, quantity: 2, customer });
    await eventually(async () => (await pipeline.deps.orders.listUnits('S1', 'velo-1')).filter((u) => u.state === 'DELIVERED').length === 2, 15_000, 'first order delivered');
    // Another order from the same phone with another e-mail address: 2 + 2 > 3.
    await enqueueOrder(pipeline, { orderId: 'velo-2', sku: SKU, quantity: 2, customer: { phone: customer.phone, email: 'other@example.sa' } });
    const held = await eventually(async () => (await pipeline.deps.orders.getOrder('S1', 'velo-2'))?.hold, 15_000, 'second order held');
    expect(held).toMatchObject({ reason: 'VELOCITY_LIMIT' });
    expect(held.detail).toContain('with 2 already in this 24 h window (the limit is 3 per customer)');
    expect(await pipeline.deps.orders.listUnits('S1', 'velo-2')).toEqual([]);
    const alerts = await awaitAlerts(pipeline, 'merchant alert');
    expect(alerts.filter((a: { type: string; orderId: string }) => a.type === 'ORDER_HELD' && a.orderId === 'velo-2')).toHaveLength(1);
    // One unit is still within the limit: a one-unit order from the same e-mail (folded) goes through.
    await enqueueOrder(pipeline, { orderId: 'velo-3', sku: SKU, quantity: 1, customer: { phone: '+966533333333', email: 'velocustomer@gmail.com' } });
    await eventually(async () => (await pipeline.deps.orders.listUnits('S1', 'velo-3'))[0]?.state === 'DELIVERED', 15_000, 'third order delivered');

    expect((await releaseOrder(pipeline.deps, 'S1', 'velo-2')).orderReleased).toBe(true);
    await eventually(async () => (await pipeline.deps.orders.listUnits('S1', 'velo-2')).filter((u) => u.state === 'DELIVERED').length === 2, 15_000, 'released order delivered');
    // One message per delivered unit: 2 + 1 + the 2 released.
    expect(pipeline.recorder.messages().filter((m) => m.ref.startsWith('S1/velo-'))).toHaveLength(5);
    expect(await pipeline.deps.stock.audit(SKU)).toMatchObject({ AVAILABLE: 5, DELIVERED: 5 });
    await expectNoCodeInLogs(pipeline, [SKU]);
  });
});
