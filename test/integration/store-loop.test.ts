// Issue 11: the store's own word. A validly signed webhook for an order the store does not hold (or
// holds with other quantities) is held, no code taken; and one deployment serves two Salla stores and
// a Zid store from one SKU pool, each with its own secret, tokens, product map and write-back.
import { SecretsManagerTokenVault } from '#adapters/aws/token-vault';
import { DEMO_SALLA_STORE, sallaSignatureHeaders, sallaTokenHeaders, sampleSallaOrder } from '#adapters/platforms/salla/local';
import { DEMO_ZID_STORE, demo as zidDemo, sampleZidOrder } from '#adapters/platforms/zid/local';
import { seed } from '#local/seed';
import { drainQueue, eventually, codeItems, postWebhook, startTestPipeline } from './helpers';

jest.setTimeout(90_000);

const SECOND_SALLA = '2000000001';
const SECOND_SECRET = 'second-salla-webhook-secret';
const SKU = 'ITUNES-SA-50';
const APP_SECRET = 'salla-app-webhook-secret';
const INSTALLED_STORE = '3000000001';

/** The demo Salla order re-addressed to another merchant and signed with its secret. */
function sallaOrderFor(storeId: string, secret: string, orderId: string, quantity = 1) {
  const body = JSON.parse(sampleSallaOrder(orderId, { quantity }).raw);
  body.merchant = Number(storeId);
  const raw = JSON.stringify(body);
  return { raw, headers: sallaSignatureHeaders(raw, secret) };
}

describe('the store has the last word, and one pool serves several stores', () => {
  let pipeline: Awaited<ReturnType<typeof startTestPipeline>>;

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      secrets: { [`streamsync/webhook/salla/${SECOND_SALLA}`]: JSON.stringify({ secret: SECOND_SECRET }), 'streamsync/webhook-app/salla': JSON.stringify({ secret: APP_SECRET }) },
    });
    await seed(pipeline.deps, { stock: 30 });
    // The second Salla store installed the app too; its product maps to the same SKU.
    await new SecretsManagerTokenVault().write('salla', SECOND_SALLA, { ...pipeline.storeFakes.salla.install(SECOND_SALLA), updatedAt: new Date().toISOString() });
    await pipeline.deps.catalog.putProductMapping({ storeId: SECOND_SALLA, productId: '720881993', sku: SKU, multiplier: 1 });
    // The Zid store sells the same card under its own product.
    await pipeline.deps.catalog.putProductMapping({ storeId: DEMO_ZID_STORE, productId: zidDemo.productId, sku: SKU, multiplier: 1 });
  });
  afterAll(async () => pipeline?.stop());

  const claimedFor = async (storeId: string, orderId: string) =>
    (await codeItems(pipeline, SKU)).filter((c) => c.orderPk === `ORDER#${storeId}#${orderId}`);

  describe('payment verification', () => {
    beforeAll(async () => pipeline.deps.catalog.putStoreSettings({ storeId: DEMO_SALLA_STORE, verifyPaymentAbove: 0 }));
    afterAll(async () => {
      pipeline.mirrorWebhooks.enabled = true;
      await pipeline.deps.catalog.putStoreSettings({ storeId: DEMO_SALLA_STORE });
    });

    it('a forged but authenticated webhook (the store has no such order) is held: no code, one alert', async () => {
      await drainQueue(pipeline, pipeline.resources.alertsInboxUrl);
      pipeline.mirrorWebhooks.enabled = false;
      const forged = sampleSallaOrder('730000001');
      expect((await postWebhook(pipeline, 'salla', forged.raw, forged.headers)).status).toBe(200);
      const order = await eventually(async () => {
        const o = await pipeline.deps.orders.getOrder(DEMO_SALLA_STORE, '730000001');
        return o?.hold && o;
      }, 15_000, 'order held');
      expect(order.hold).toMatchObject({ reason: 'PAYMENT_MISMATCH', detail: expect.stringContaining('the store has no such order') });
      expect(await pipeline.deps.orders.listUnits(DEMO_SALLA_STORE, '730000001')).toEqual([]);
      expect(await claimedFor(DEMO_SALLA_STORE, '730000001')).toEqual([]);
      expect(pipeline.recorder.messages().filter((m) => m.ref.startsWith(`${DEMO_SALLA_STORE}/730000001/`))).toEqual([]);
      const alerts = (await drainQueue(pipeline, pipeline.resources.alertsInboxUrl)).map((b) => JSON.parse(b));
      expect(alerts.filter((a) => a.type === 'ORDER_HELD' && a.orderId === '730000001')).toHaveLength(1);
    });

    it('a webhook asking for more units than the store order holds is held', async () => {
      pipeline.mirrorWebhooks.enabled = false;
      pipeline.storeFakes.salla.placeOrder(DEMO_SALLA_STORE, { orderId: '730000002', lines: [{ lineId: '91530271', productId: '720881993', quantity: 1 }] });
      const tampered = sampleSallaOrder('730000002', { quantity: 5 });
      expect((await postWebhook(pipeline, 'salla', tampered.raw, tampered.headers)).status).toBe(200);
      const order = await eventually(async () => (await pipeline.deps.orders.getOrder(DEMO_SALLA_STORE, '730000002'))?.hold, 15_000, 'order held');
      expect(order).toMatchObject({ reason: 'PAYMENT_MISMATCH', detail: expect.stringContaining('quantity 1 in the store, 5 in the webhook') });
      expect(await claimedFor(DEMO_SALLA_STORE, '730000002')).toEqual([]);
    });

    it('a store API that stays down: the order waits (no code) through its retries, then is held PAYMENT_UNVERIFIED', async () => {
      pipeline.mirrorWebhooks.enabled = true;
      pipeline.storeFakes.salla.setOptions({ failureRate: 1, failureStatuses: [503] });
      try {
        const sample = sampleSallaOrder('730000004');
        expect((await postWebhook(pipeline, 'salla', sample.raw, sample.headers)).status).toBe(200);
        const hold = await eventually(async () => (await pipeline.deps.orders.getOrder(DEMO_SALLA_STORE, '730000004'))?.hold, 45_000, 'held after the last receive');
        expect(hold).toMatchObject({ reason: 'PAYMENT_UNVERIFIED', detail: expect.stringContaining('HTTP 503') });
        expect(await claimedFor(DEMO_SALLA_STORE, '730000004')).toEqual([]);
      } finally {
        pipeline.storeFakes.salla.setOptions({ failureRate: 0 });
      }
    });

    it('the genuine order is verified and delivered', async () => {
      pipeline.mirrorWebhooks.enabled = true;
      const genuine = sampleSallaOrder('730000003');
      expect((await postWebhook(pipeline, 'salla', genuine.raw, genuine.headers)).status).toBe(200);
      await pipeline.recorder.waitFor((m) => m.filter((x) => x.ref.startsWith(`${DEMO_SALLA_STORE}/730000003/`)).length === 2, 15_000);
      expect(await claimedFor(DEMO_SALLA_STORE, '730000003')).toHaveLength(2);
      expect(pipeline.storeFakes.salla.stats().requests['GET /admin/v2/orders/:id']).toBeGreaterThanOrEqual(3);
    });
  });

  it('two Salla stores and a Zid store share one SKU pool; each store hears of its own orders', async () => {
    const orders = [
      { platform: 'salla' as const, storeId: DEMO_SALLA_STORE, orderId: '740000001', ...sampleSallaOrder('740000001', { quantity: 1 }) },
      { platform: 'salla' as const, storeId: SECOND_SALLA, orderId: '740000002', ...sallaOrderFor(SECOND_SALLA, SECOND_SECRET, '740000002') },
      { platform: 'zid' as const, storeId: DEMO_ZID_STORE, orderId: '44000001', ...sampleZidOrder('44000001') },
    ];
    // The second store's secret does not open the first store.
    const wrong = sallaOrderFor(DEMO_SALLA_STORE, SECOND_SECRET, '740000009');
    expect((await postWebhook(pipeline, 'salla', wrong.raw, wrong.headers)).status).toBe(401);
    for (const o of orders) expect((await postWebhook(pipeline, o.platform, o.raw, o.headers)).status).toBe(200);
    for (const o of orders) {
      const codes = await eventually(async () => {
        const c = await claimedFor(o.storeId, o.orderId);
        return c.length === 1 && c.every((x) => x.status === 'DELIVERED') && c;
      }, 15_000, `${o.storeId}/${o.orderId} delivered from ${SKU}`);
      expect(codes).toHaveLength(1);
      const fake = pipeline.storeFakes[o.platform];
      await eventually(async () => fake.statusOf(o.storeId, o.orderId) === (o.platform === 'salla' ? 'completed' : 'delivered'), 15_000, `${o.storeId}/${o.orderId} written back`);
    }
    // Each write-back went to its own store, with that store's token.
    const changes = [...pipeline.storeFakes.salla.statusChanges(), ...pipeline.storeFakes.zid.statusChanges()].filter((c) => orders.some((o) => o.orderId === c.orderId));
    expect(changes.map((c) => `${c.storeId}/${c.orderId}`).sort()).toEqual(orders.map((o) => `${o.storeId}/${o.orderId}`).sort());
  });

  it('Easy Mode: app.store.authorize (signed with the app secret) stores the tokens; the store is then written back', async () => {
    const tokens = pipeline.storeFakes.salla.install(INSTALLED_STORE);
    const event = {
      event: 'app.store.authorize',
      merchant: Number(INSTALLED_STORE),
      created_at: '2026-12-02 08:00:00',
      data: { access_token: tokens.accessToken, refresh_token: tokens.refreshToken, expires: Math.floor(Date.parse(tokens.expiresAt!) / 1000), scope: 'offline_access orders.read_write' },
    };
    const raw = JSON.stringify(event);
    // The Token strategy is a replayable credential: an install is taken only signed.
    const byToken = await postWebhook(pipeline, 'salla', raw, { ...sallaTokenHeaders(APP_SECRET) });
    expect(byToken.status).toBe(401);
    expect(await new SecretsManagerTokenVault().read('salla', INSTALLED_STORE)).toBeUndefined();
    const res = await postWebhook(pipeline, 'salla', raw, sallaSignatureHeaders(raw, APP_SECRET));
    expect(res.status).toBe(200);
    expect(res.body.result?.outcome).toBe('INSTALLED');
    expect(await new SecretsManagerTokenVault().read('salla', INSTALLED_STORE)).toMatchObject({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
    await pipeline.deps.catalog.putProductMapping({ storeId: INSTALLED_STORE, productId: '720881993', sku: SKU, multiplier: 1 });
    const order = sallaOrderFor(INSTALLED_STORE, APP_SECRET, '750000001');
    expect((await postWebhook(pipeline, 'salla', order.raw, order.headers)).status).toBe(200);
    await eventually(async () => pipeline.storeFakes.salla.statusOf(INSTALLED_STORE, '750000001') === 'completed', 15_000, 'installed store written back');
    // A forged install signed with another store's secret changes nothing.
    const forgedRaw = JSON.stringify({ ...event, data: { ...event.data, access_token: 'attacker' } });
    expect((await postWebhook(pipeline, 'salla', forgedRaw, sallaSignatureHeaders(forgedRaw, SECOND_SECRET))).status).toBe(401);
    expect((await new SecretsManagerTokenVault().read('salla', INSTALLED_STORE))?.accessToken).toBe(tokens.accessToken);
  });
});
