import { SallaAdapter } from '#adapters/platforms/salla/salla-adapter';
import { sallaSignature } from '#adapters/platforms/salla/local';
import { InvalidPayloadError } from '#core/errors';
import type { WebhookIntent } from '#core/model';
import { fixture, invalidPayloadFrom, serialisedError } from './helpers';

const options = {
  paidStatuses: ['completed', 'in_progress', 'delivering', 'delivered', 'shipped'],
  unpaidPaymentMethods: ['bank', 'cod'],
  defaultLocale: 'ar' as const,
};
const adapter = new SallaAdapter(options);
const salla = (name: string) => fixture('salla', name);

describe('Salla fixtures → intents', () => {
  it.each([
    ['order-created-paid-credit-card.json', 'PAID_ORDER'],
    ['order-created-paid-mada-string-ids.json', 'PAID_ORDER'],
    ['order-created-bank-under-review.json', 'IGNORE'],
    ['order-status-updated-completed.json', 'PAID_ORDER'],
    ['order-cancelled.json', 'CANCEL'],
    ['order-refunded.json', 'CANCEL'],
    ['product-updated.json', 'IGNORE'],
  ])('%s → %s', (name, type) => {
    expect(adapter.interpret(salla(name)).type).toBe(type);
  });

  it('order.created paid by credit card → the full paid order', () => {
    expect(adapter.interpret(salla('order-created-paid-credit-card.json'))).toEqual<WebhookIntent>({
      type: 'PAID_ORDER',
      order: {
        platform: 'salla',
        storeId: '1305146709',
        orderId: '1820347562',
        reference: '73019284',
        locale: 'ar',
        customer: { name: 'عبدالله القحطاني', phone: '+966551234567', email: 'abdullah.alqahtani@example.sa' },
        lines: [
          { lineId: '91530271', productId: '720881993', sku: 'ITUNES-SA-50', quantity: 2, name: 'بطاقة آيتونز السعودية 50 ريال', unitPrice: 50 },
        ],
      },
    });
  });

  it('string ids, a string quantity and a spaced local mobile are normalised; the variant id is kept', () => {
    expect(adapter.interpret(salla('order-created-paid-mada-string-ids.json'))).toEqual<WebhookIntent>({
      type: 'PAID_ORDER',
      order: {
        platform: 'salla',
        storeId: '1305146709',
        orderId: '1955310428',
        reference: '73020517',
        locale: 'en',
        customer: { name: 'Sara Al-Harbi', phone: '+966509876543', email: 'sara.alharbi@example.com' },
        lines: [
          { lineId: '91544802', productId: '720881993', variantId: '1584721196', sku: 'ITUNES-SA-50', quantity: 1, name: 'iTunes Gift Card KSA 50 SAR' },
        ],
      },
    });
  });

  it('order.status.updated reads the order nested under data.order', () => {
    const intent = adapter.interpret(salla('order-status-updated-completed.json'));
    expect(intent).toEqual<WebhookIntent>({
      type: 'PAID_ORDER',
      order: {
        platform: 'salla',
        storeId: '1305146709',
        orderId: '2116149737',
        reference: '41027662',
        locale: 'en',
        customer: { name: 'Mohammed Ali', phone: '+966501806978', email: 'usertest@gmail.com' },
        lines: [{ lineId: '70815337', productId: '720881993', sku: 'ITUNES-SA-50', quantity: 1, name: 'iTunes Gift Card KSA 50 SAR' }],
      },
    });
  });

  it('a bank transfer under review is ignored with a reason', () => {
    const intent = adapter.interpret(salla('order-created-bank-under-review.json'));
    expect(intent).toEqual({ type: 'IGNORE', reason: 'order not paid: payment method bank needs confirmation' });
  });

  it('order.cancelled and order.refunded cancel by order id', () => {
    expect(adapter.interpret(salla('order-cancelled.json'))).toEqual<WebhookIntent>({
      type: 'CANCEL', platform: 'salla', storeId: '1305146709', orderId: '2116149737', reason: 'cancelled',
    });
    expect(adapter.interpret(salla('order-refunded.json'))).toEqual<WebhookIntent>({
      type: 'CANCEL', platform: 'salla', storeId: '1305146709', orderId: '1820347562', reason: 'refunded',
    });
  });

  it('other events are ignored without looking at their data', () => {
    expect(adapter.interpret(salla('product-updated.json'))).toEqual({ type: 'IGNORE', reason: 'event product.updated is not handled' });
    expect(adapter.interpret({ event: 'order.deleted', merchant: 1, data: 'anything' }).type).toBe('IGNORE');
  });
});

describe('Salla app.store.authorize (Easy Mode install)', () => {
  it('becomes an AUTHORIZE intent with the tokens; a malformed one is refused naming paths only', () => {
    const intent = adapter.interpret({ event: 'app.store.authorize', merchant: 1305146709, created_at: '2026-12-02 08:00:00', data: { access_token: 'at-1', refresh_token: 'rt-1', expires: 1_800_000_000, scope: 'offline_access' } });
    expect(intent).toEqual({ type: 'AUTHORIZE', platform: 'salla', storeId: '1305146709', tokens: { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: new Date(1_800_000_000_000).toISOString(), scope: 'offline_access' } });
    let error: unknown;
    try {
      adapter.interpret({ event: 'app.store.authorize', merchant: 1, data: { access_token: 'secret-at' } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect(JSON.stringify(error) + String(error)).not.toContain('secret-at');
  });

  it('an install passes only by its signature, not by the Token strategy', () => {
    const raw = Buffer.from('{"event":"app.store.authorize"}');
    const secret = { secret: 'app-secret' };
    expect(adapter.verifySignedBody({ headers: { 'x-salla-signature': sallaSignature(raw, 'app-secret') }, rawBody: raw }, secret)).toBe(true);
    expect(adapter.verifySignedBody({ headers: { authorization: 'app-secret', 'x-salla-security-strategy': 'Token' }, rawBody: raw }, secret)).toBe(false);
  });
});

describe('Salla paid rule', () => {
  const created = (changes: Record<string, unknown>, event = 'order.created') => {
    const body = salla('order-created-paid-credit-card.json');
    body.event = event;
    Object.assign(body.data, changes);
    return body;
  };
  const status = (slug: string) => ({ status: { id: 1, name: slug, slug } });

  it.each(['completed', 'in_progress', 'delivering', 'delivered', 'shipped', 'COMPLETED'])('status %p is paid for any order event', (slug) => {
    for (const event of ['order.created', 'order.updated', 'order.status.updated', 'order.payment.updated']) {
      expect(adapter.interpret(created({ ...status(slug), payment_method: 'bank' }, event)).type).toBe('PAID_ORDER');
    }
  });

  it('a new order paid online is paid even before its status is a paid one', () => {
    for (const method of ['credit_card', 'mada', 'apple_pay', 'stc_pay']) {
      expect(adapter.interpret(created({ ...status('new_custom'), payment_method: method })).type).toBe('PAID_ORDER');
    }
  });

  it('…but only on order.created: a later event needs a paid status', () => {
    const intent = adapter.interpret(created({ ...status('new_custom'), payment_method: 'credit_card' }, 'order.updated'));
    expect(intent).toEqual({ type: 'IGNORE', reason: 'order not paid: status new_custom is not a paid status' });
  });

  it.each([
    ['payment_pending', 'credit_card'],
    ['waiting_for_payment_confirmation', 'mada'],
    ['payment_failed', 'credit_card'],
    ['under_review', 'credit_card'],
    ['new_custom', 'bank'],
    ['new_custom', 'COD'],
  ])('status %p with payment method %p is not paid', (slug, method) => {
    expect(adapter.interpret(created({ ...status(slug), payment_method: method })).type).toBe('IGNORE');
  });

  it('drafts, pending payments and orders without a payment method or status are not paid', () => {
    expect(adapter.interpret(created({ draft: true }))).toEqual({ type: 'IGNORE', reason: 'order not paid: draft order' });
    expect(adapter.interpret(created({ is_pending_payment: true }))).toEqual({ type: 'IGNORE', reason: 'order not paid: payment is pending' });
    expect(adapter.interpret(created({ ...status('new_custom'), payment_method: null }))).toEqual({ type: 'IGNORE', reason: 'order not paid: no payment method' });
    expect(adapter.interpret(created({ status: 'قيد التنفيذ' })).type).toBe('IGNORE');
  });

  it('is configurable, but never turns a review or pending status into paid', () => {
    const strict = new SallaAdapter({ ...options, paidStatuses: ['delivered', 'under_review'], unpaidPaymentMethods: ['bank', 'cod', 'credit_card'] });
    expect(strict.interpret(created({ ...status('in_progress'), payment_method: 'credit_card' })).type).toBe('IGNORE');
    expect(strict.interpret(created({ ...status('delivered'), payment_method: 'credit_card' })).type).toBe('PAID_ORDER');
    expect(strict.interpret(created({ ...status('under_review'), payment_method: 'mada' })).type).toBe('IGNORE');
  });

  it('a status update to canceled/restored is a cancellation', () => {
    expect(adapter.interpret(created(status('canceled'), 'order.status.updated'))).toMatchObject({ type: 'CANCEL', reason: 'cancelled', orderId: '1820347562' });
    expect(adapter.interpret(created(status('restored'), 'order.updated'))).toMatchObject({ type: 'CANCEL', reason: 'refunded' });
    const nested = salla('order-status-updated-completed.json');
    nested.data.order.status.slug = 'canceled';
    expect(adapter.interpret(nested)).toMatchObject({ type: 'CANCEL', reason: 'cancelled', orderId: '2116149737' });
  });

  it('an unpaid order is ignored even when it has no lines yet', () => {
    const body = salla('order-created-bank-under-review.json');
    delete body.data.items;
    delete body.data.customer;
    expect(adapter.interpret(body).type).toBe('IGNORE');
  });
});

describe('Salla order details', () => {
  const paid = () => salla('order-created-paid-credit-card.json');
  const order = (body: unknown) => {
    const intent = adapter.interpret(body);
    if (intent.type !== 'PAID_ORDER') throw new Error(`expected PAID_ORDER, got ${intent.type}`);
    return intent.order;
  };

  it('locale comes from the customer language, else the order, else the default', () => {
    const body = paid();
    body.data.customer.lang = 'en-US';
    expect(order(body).locale).toBe('en');
    delete body.data.customer.lang;
    expect(order(body).locale).toBe('ar');
    body.data.language = 'en';
    expect(order(body).locale).toBe('en');
    delete body.data.language;
    const english = new SallaAdapter({ ...options, defaultLocale: 'en' });
    expect(english.interpret(body)).toMatchObject({ order: { locale: 'en' } });
    body.data.customer.lang = 'fr';
    expect(english.interpret(body)).toMatchObject({ order: { locale: 'en' } });
  });

  it('falls back to item.product_id and the product sku/name when the item lacks them', () => {
    const body = paid();
    const item = body.data.items[0];
    item.product_id = item.product.id;
    item.product = null;
    expect(order(body).lines[0]).toEqual({ lineId: '91530271', productId: '720881993', sku: 'ITUNES-SA-50', quantity: 2, name: 'بطاقة آيتونز السعودية 50 ريال', unitPrice: 50 });

    const body2 = paid();
    body2.data.items[0].sku = '';
    body2.data.items[0].name = null;
    body2.data.items[0].product.sku = 'FROM-PRODUCT';
    expect(order(body2).lines[0]).toMatchObject({ sku: 'FROM-PRODUCT', name: 'بطاقة آيتونز السعودية 50 ريال' });
  });

  it('builds the customer from first/last name and omits missing or unusable contact fields', () => {
    const body = paid();
    delete body.data.customer.full_name;
    body.data.customer.email = '';
    body.data.customer.mobile = null;
    expect(order(body).customer).toEqual({ name: 'عبدالله القحطاني' });
    body.data.customer.mobile = 12;
    expect(order(body).customer.phone).toBeUndefined();
  });

  it('uses the mobile code of the customer (not only +966)', () => {
    const body = paid();
    body.data.customer.mobile = 501234567;
    body.data.customer.mobile_code = '+971';
    expect(order(body).customer.phone).toBe('+971501234567');
  });

  it('omits the reference when Salla sends none', () => {
    const body = paid();
    delete body.data.reference_id;
    expect(order(body)).not.toHaveProperty('reference');
  });
});

describe('Salla storeIdOf', () => {
  it('reads the top-level merchant as a string', () => {
    expect(adapter.storeIdOf(salla('order-created-paid-credit-card.json'))).toBe('1305146709');
    expect(adapter.storeIdOf(salla('order-created-paid-mada-string-ids.json'))).toBe('1305146709');
  });

  it.each([null, undefined, 'text', 42, [], {}, { merchant: null }, { merchant: -1 }, { merchant: 1.5 }, { merchant: '  ' }, { data: { merchant: 1 } }])(
    'is undefined for %p',
    (body) => {
      expect(adapter.storeIdOf(body)).toBeUndefined();
    },
  );
});

describe('Salla invalid payloads', () => {
  it.each([null, 'order.created', 42, [], true])('rejects a body that is not an object (%p)', (body) => {
    expect(() => adapter.interpret(body)).toThrow(InvalidPayloadError);
  });

  it('rejects an envelope without event or merchant, naming the paths', () => {
    const error = invalidPayloadFrom(() => adapter.interpret({ data: {} }));
    expect(error.code).toBe('INVALID_PAYLOAD');
    expect(error.message).toBe('Salla webhook envelope is invalid');
    expect(error.issues).toEqual(['event: expected string', 'merchant: expected number or string']);
  });

  it('names the path of a wrong item field and never echoes the value', () => {
    const body = salla('order-created-paid-credit-card.json');
    body.data.items[0].quantity = 'SECRET-CODE-7731-XK';
    const error = invalidPayloadFrom(() => adapter.interpret(body));
    expect(error.message).toBe('Salla order.created payload is invalid');
    expect(error.issues).toEqual(['data.items.0.quantity: expected number']);
    const logged = serialisedError(error);
    for (const value of ['SECRET-CODE-7731-XK', 'abdullah.alqahtani@example.sa', '551234567', 'عبدالله']) {
      expect(logged).not.toContain(value);
    }
  });

  it('reports every problem of a paid order with its path', () => {
    const body = salla('order-created-paid-credit-card.json');
    body.data.items.push({ id: { nested: 'x' }, quantity: 0, product: { id: null } });
    body.data.customer = 'Abdullah +966551234567';
    const error = invalidPayloadFrom(() => adapter.interpret(body));
    expect(error.issues).toEqual(
      expect.arrayContaining([
        'data.customer: expected object',
        'data.items.1.id: expected number or string',
        'data.items.1.quantity: must be > 0',
      ]),
    );
    expect(serialisedError(error)).not.toContain('+966551234567');
  });

  it('requires a product id on every line of a paid order', () => {
    const body = salla('order-created-paid-credit-card.json');
    delete body.data.items[0].product.id;
    const error = invalidPayloadFrom(() => adapter.interpret(body));
    expect(error.issues).toEqual(['data.items.0.product.id: required (or product_id)']);
  });

  it('requires lines on a paid order', () => {
    const body = salla('order-created-paid-credit-card.json');
    body.data.items = [];
    expect(invalidPayloadFrom(() => adapter.interpret(body)).issues).toEqual(['data.items: must have at least 1 item(s)']);
    delete body.data.items;
    expect(invalidPayloadFrom(() => adapter.interpret(body)).issues).toEqual(['data.items: expected array']);
  });

  it('prefixes nested order paths in order.status.updated', () => {
    const body = salla('order-status-updated-completed.json');
    body.data.order.items[0].quantity = null;
    expect(invalidPayloadFrom(() => adapter.interpret(body)).issues).toEqual(['data.order.items.0.quantity: expected number']);
  });

  it('rejects an order event without an order id, and a cancellation without one', () => {
    expect.assertions(4);
    const created = salla('order-created-paid-credit-card.json');
    delete created.data.id;
    expect(invalidPayloadFrom(() => adapter.interpret(created)).issues).toEqual(['data.id: expected number or string']);
    const cancelled = salla('order-cancelled.json');
    cancelled.data = [];
    const error = invalidPayloadFrom(() => adapter.interpret(cancelled));
    expect(error.message).toBe('Salla order.cancelled payload is invalid');
    expect(error.issues).toEqual(['data: expected object']);
    expect(() => adapter.interpret({ event: 'order.refunded', merchant: 1305146709 })).toThrow(InvalidPayloadError);
  });
});
