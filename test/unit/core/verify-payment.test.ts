// The payment check: which orders are asked about, how the store's answer is compared, and what the
// delivery does with each verdict (go, hold with one alert, wait, then hold on the last receive).
import { StoreApiError } from '#core/errors';
import type { OrderLine, SkuConfig } from '#core/model';
import type { StoreApi, StoreOrderSnapshot } from '#core/ports/store-api';
import { paymentGate, type PaymentGateDeps } from '#core/payment-gate';
import { compareLines, needsCheck, verifyPayment } from '#core/verify-payment';
import type { NewOrder, OrderRecord } from '#core/ports/orders';
import { harness } from '../../fakes/harness';

const line = (over: Partial<OrderLine> = {}): OrderLine => ({ lineId: 'L1', productId: 'P1', sku: 'CARD', quantity: 2, unitPrice: 100, ...over });
const snapshot = (over: Partial<StoreOrderSnapshot> = {}): StoreOrderSnapshot => ({ orderId: 'O1', paid: true, status: 'in_progress', lines: [{ lineId: 'L1', productId: 'P1', quantity: 2 }], ...over });
const skus = (entries: Array<[string, Partial<SkuConfig>]> = []) => new Map(entries.map(([sku, c]) => [sku, { sku, threshold: 0, reorderQuantity: 0, ...c } as SkuConfig]));

describe('needsCheck', () => {
  it('decides on the SKU price the merchant set: at or above the threshold, or no price at all, is checked', () => {
    expect(needsCheck([line()], 100, skus([['CARD', { unitPrice: 100 }]]))).toBe(true);
    expect(needsCheck([line({ unitPrice: 1 })], 100, skus([['CARD', { unitPrice: 99.99 }]]))).toBe(false);
    expect(needsCheck([line()], 100, skus([['CARD', {}]]))).toBe(true);
    expect(needsCheck([line()], 100, skus())).toBe(true);
    expect(needsCheck([line()], undefined, skus())).toBe(false);
    expect(needsCheck([line({ unitPrice: 1 })], undefined, skus([['CARD', { verifyPayment: 'always' }]]))).toBe(true);
    expect(needsCheck([line({ unitPrice: 1000 })], 0, skus([['CARD', { verifyPayment: 'never' }]]))).toBe(false);
  });

  it('a forged low price never skips the check; a webhook price at the threshold adds one', () => {
    expect(needsCheck([line({ unitPrice: 1 })], 500, skus([['CARD', { unitPrice: 600 }]]))).toBe(true);
    expect(needsCheck([line({ unitPrice: 1 })], 500, skus())).toBe(true);
    expect(needsCheck([line({ unitPrice: 700 })], 500, skus([['CARD', { unitPrice: 50 }]]))).toBe(true);
  });
});

describe('compareLines', () => {
  it('passes the same lines; names the first difference', () => {
    expect(compareLines([line()], snapshot())).toBeUndefined();
    expect(compareLines([line()], snapshot({ paid: false, status: 'payment_pending', paymentMethod: 'bank' }))).toBe('the store says the order is not paid (payment_pending, bank)');
    expect(compareLines([line({ lineId: 'L9' })], snapshot())).toBe('line L9 is not in the store\'s order');
    expect(compareLines([line({ productId: 'P2' })], snapshot())).toBe('line L1 is product P1 in the store, P2 in the webhook');
    expect(compareLines([line({ quantity: 5 })], snapshot())).toBe('line L1 has quantity 2 in the store, 5 in the webhook');
  });

  it('a variant must match: a cheap variant paid for does not pass as the dear one', () => {
    expect(compareLines([line({ variantId: 'V500' })], snapshot({ lines: [{ lineId: 'L1', productId: 'P1', variantId: 'V10', quantity: 2 }] }))).toBe('line L1 is variant V10 in the store, V500 in the webhook');
    expect(compareLines([line({ variantId: 'V10' })], snapshot({ lines: [{ lineId: 'L1', productId: 'P1', variantId: 'V10', quantity: 2 }] }))).toBeUndefined();
    expect(compareLines([line()], snapshot({ lines: [{ lineId: 'L1', productId: 'P1', variantId: 'V10', quantity: 2 }] }))).toBe('line L1 is variant V10 in the store, none in the webhook');
  });

  it('compares what was ordered, not the units a multi-pack maps to', () => {
    expect(compareLines([line({ quantity: 6, ordered: 2 })], snapshot())).toBeUndefined();
  });

  it('lines the store has and the webhook did not map (a T-shirt) are fine', () => {
    expect(compareLines([line()], snapshot({ lines: [{ lineId: 'L1', productId: 'P1', quantity: 2 }, { lineId: 'L2', productId: 'SHIRT', quantity: 1 }] }))).toBeUndefined();
  });
});

const apiAnswering = (answer: () => Promise<StoreOrderSnapshot>): StoreApi => ({ platform: 'salla', getOrder: jest.fn(answer), markDelivered: async () => ({ status: 201 }) });
const apis = (api: StoreApi) => ({ api: () => api, budget: () => ({ burst: 120, perSecond: 1 }) });

describe('verifyPayment', () => {
  const order = { platform: 'salla', storeId: 'S1', orderId: 'O1' };
  it('maps the store API errors: no tokens → skipped, 404 → mismatch, 5xx → unavailable (retryable)', async () => {
    const failing = (err: StoreApiError) => apis(apiAnswering(async () => Promise.reject(err)));
    expect(await verifyPayment(failing(new StoreApiError('no API tokens stored', 'NO_TOKENS', false)), order, [line()])).toMatchObject({ result: 'SKIPPED' });
    expect(await verifyPayment(failing(new StoreApiError('404', 'NOT_FOUND', false)), order, [line()])).toEqual({ result: 'MISMATCH', detail: 'the store has no such order' });
    expect(await verifyPayment(failing(new StoreApiError('salla: HTTP 503', 'UNAVAILABLE', true)), order, [line()])).toEqual({ result: 'UNAVAILABLE', detail: 'salla: HTTP 503', retryable: true });
    expect(await verifyPayment(apis(apiAnswering(async () => snapshot())), order, [line()])).toEqual({ result: 'VERIFIED' });
  });
});

describe('paymentGate', () => {
  const message: NewOrder = { kind: 'ORDER', platform: 'salla', storeId: 'S1', orderId: 'O1', locale: 'ar', customer: { phone: '+966500000001' }, lines: [line()], receivedAt: '2025-03-01T10:00:00.000Z' };
  const setup = (api: StoreApi, threshold = 0) => {
    const h = harness();
    const deps: PaymentGateDeps = { ...h.deps, payments: { apis: apis(api), settings: { defaultAbove: threshold }, storeSettings: async () => undefined, skuConfig: async () => undefined } };
    return { h, deps };
  };
  const record = async (deps: PaymentGateDeps): Promise<OrderRecord> => deps.orders.ensureOrder(message);

  it('a mismatch holds the order once, with one ORDER_HELD alert naming the release command', async () => {
    const { h, deps } = setup(apiAnswering(async () => snapshot({ paid: false, status: 'payment_pending' })));
    const order = await record(deps);
    expect(await paymentGate(deps, order, message, false)).toBe('HELD');
    expect(await paymentGate(deps, order, message, false)).toBe('HELD');
    expect((await deps.orders.getOrder('S1', 'O1'))?.hold).toMatchObject({ reason: 'PAYMENT_MISMATCH', lines: message.lines });
    expect(h.alerts.published.filter((a) => a.type === 'ORDER_HELD')).toHaveLength(1);
    expect(h.alerts.published[0].message).toContain('orders release --store S1 --order O1');
  });

  it('an unreachable store makes the order wait, and on the last receive holds it PAYMENT_UNVERIFIED', async () => {
    const { deps } = setup(apiAnswering(async () => Promise.reject(new StoreApiError('salla: HTTP 503', 'UNAVAILABLE', true))));
    const order = await record(deps);
    expect(await paymentGate(deps, order, message, false)).toBe('WAIT');
    expect(await paymentGate(deps, order, message, true)).toBe('HELD');
    expect((await deps.orders.getOrder('S1', 'O1'))?.hold?.reason).toBe('PAYMENT_UNVERIFIED');
  });

  it('below the threshold the store is not asked; after a release from a payment hold it is not asked again', async () => {
    const api = apiAnswering(async () => snapshot({ paid: false }));
    const { deps } = setup(api, 500);
    deps.payments!.skuConfig = async (sku) => ({ sku, threshold: 0, reorderQuantity: 0, unitPrice: 50 });
    expect(await paymentGate(deps, await record(deps), message, false)).toBe('GO');
    const strict = setup(api, 0);
    expect(await paymentGate(strict.deps, { ...(await record(strict.deps)), releasedAt: '2025-03-01T11:00:00.000Z', releasedFrom: 'PAYMENT_MISMATCH' }, message, false)).toBe('GO');
    expect(api.getOrder).not.toHaveBeenCalled();
  });

  it('checks go before write-backs: a spent plan makes the order wait without calling the store', async () => {
    const api = apiAnswering(async () => snapshot());
    const { deps } = setup(api, 0);
    const reserved: Array<{ burst: number; perSecond: number }> = [];
    let slot = 0;
    deps.payments!.pacer = { reserve: async (_p, _s, budget, now) => (reserved.push(budget), now + slot), holdUntil: async () => undefined };
    deps.payments!.storeSettings = async () => ({ storeId: 'S1', apiBurst: 360 });
    expect(await paymentGate(deps, await record(deps), message, false)).toBe('GO');
    // The whole plan (the store's own burst), not the write-back's share.
    expect(reserved).toEqual([{ burst: 360, perSecond: 1 }]);
    slot = 5_000;
    expect(await paymentGate(deps, await record(deps), message, false)).toBe('WAIT');
    expect(api.getOrder).toHaveBeenCalledTimes(1);
  });

  it('a release from another hold (a corrected phone) does not skip the check', async () => {
    const api = apiAnswering(async () => snapshot({ paid: false }));
    const { deps } = setup(api, 0);
    expect(await paymentGate(deps, { ...(await record(deps)), releasedAt: '2025-03-01T11:00:00.000Z', releasedFrom: 'NO_CONTACT' }, message, false)).toBe('HELD');
    expect(api.getOrder).toHaveBeenCalledTimes(1);
  });
});
