import { ZidAdapter } from '#adapters/platforms/zid/zid-adapter';
import { InvalidPayloadError } from '#core/errors';
import type { WebhookIntent } from '#core/model';
import { fixture, invalidPayloadFrom, serialisedError } from './helpers';

const adapter = new ZidAdapter({ defaultLocale: 'ar' });
const zid = (name: string) => fixture('zid', name);
const PSN = '23edd6a6-3533-495d-8ffc-7f9e7c8c1f6a';

describe('Zid fixtures → intents', () => {
  it.each([
    ['order-create-paid.json', 'PAID_ORDER'],
    ['order-payment-status-update-refunded.json', 'CANCEL'],
    ['order-create-unpaid-bank-transfer.json', 'IGNORE'],
    ['order-status-update-cancelled.json', 'CANCEL'],
  ])('%s → %s', (name, type) => {
    expect(adapter.interpret(zid(name)).type).toBe(type);
  });

  it('a paid order (bare order object) → the full paid order', () => {
    expect(adapter.interpret(zid('order-create-paid.json'))).toEqual<WebhookIntent>({
      type: 'PAID_ORDER',
      order: {
        platform: 'zid',
        storeId: '80123',
        orderId: '41277309',
        reference: 'Qk7TzP2mXa',
        locale: 'ar',
        customer: { name: 'نورة العتيبي', phone: '+966551234567', email: 'noura.alotaibi@example.sa' },
        lines: [{ lineId: '70211', productId: PSN, sku: 'PSN-SA-100', quantity: 1, name: 'بطاقة بلايستيشن السعودية 100 ريال', unitPrice: 100 }],
      },
    });
  });

  it('the same order in either envelope gives the same intent', () => {
    const bare = zid('order-create-paid.json');
    const expected = adapter.interpret(bare);
    expect(adapter.interpret({ event: 'order.create', store_id: 80123, data: bare })).toEqual(expected);
    expect(adapter.interpret({ event: 'order.create', order: bare })).toEqual(expected);
    expect(adapter.interpret({ event: 'order.payment_status.update', data: bare })).toEqual(expected);
  });

  it('refunded (envelope under data) → CANCEL refunded', () => {
    expect(adapter.interpret(zid('order-payment-status-update-refunded.json'))).toEqual<WebhookIntent>({
      type: 'CANCEL', platform: 'zid', storeId: '80123', orderId: '41277309', reason: 'refunded',
    });
  });

  it('cancelled order status → CANCEL cancelled', () => {
    expect(adapter.interpret(zid('order-status-update-cancelled.json'))).toEqual<WebhookIntent>({
      type: 'CANCEL', platform: 'zid', storeId: '80123', orderId: '41277455', reason: 'cancelled',
    });
  });

  it('a pending bank transfer (envelope under order) is ignored with a reason', () => {
    expect(adapter.interpret(zid('order-create-unpaid-bank-transfer.json'))).toEqual({
      type: 'IGNORE',
      reason: 'order not paid: payment_status pending',
    });
  });
});

describe('Zid paid/cancel rule', () => {
  const paid = () => zid('order-create-paid.json');

  it('voided → CANCEL voided; "canceled" spelling → CANCEL cancelled', () => {
    expect(adapter.interpret({ ...paid(), payment_status: 'voided' })).toMatchObject({ type: 'CANCEL', reason: 'voided' });
    expect(adapter.interpret({ ...paid(), order_status: { code: 'canceled' } })).toMatchObject({ type: 'CANCEL', reason: 'cancelled' });
    expect(adapter.interpret({ ...paid(), order_status: 'Cancelled' })).toMatchObject({ type: 'CANCEL', reason: 'cancelled' });
  });

  it('a cancelled order is cancelled even if its payment status still says paid', () => {
    expect(adapter.interpret({ ...paid(), order_status: { name: 'ملغي', code: 'cancelled' } })).toMatchObject({ type: 'CANCEL', reason: 'cancelled' });
  });

  it('payment status is compared case-insensitively and order status does not matter when paid', () => {
    for (const code of ['new', 'preparing', 'ready', 'indelivery', 'delivered']) {
      expect(adapter.interpret({ ...paid(), payment_status: 'PAID', order_status: { code } }).type).toBe('PAID_ORDER');
    }
  });

  it('"unpaid" on order.payment_status.update is a reversed payment; elsewhere it is just not paid', () => {
    const order = { ...paid(), payment_status: 'unpaid' };
    expect(adapter.interpret({ event: 'order.payment_status.update', data: order })).toMatchObject({ type: 'CANCEL', reason: 'voided', orderId: '41277309' });
    expect(adapter.interpret({ event: 'order.create', data: order }).type).toBe('IGNORE');
    expect(adapter.interpret(order).type).toBe('IGNORE');
  });

  it('a missing payment status is not paid', () => {
    const order = paid();
    delete order.payment_status;
    expect(adapter.interpret(order)).toEqual({ type: 'IGNORE', reason: 'order not paid: payment_status missing' });
  });

  it('ignores events other than the three order events, whatever they carry', () => {
    expect(adapter.interpret({ event: 'product.update', store_id: 80123, data: { id: PSN } })).toEqual({ type: 'IGNORE', reason: 'event product.update is not handled' });
    expect(adapter.interpret({ event: 'order.delete', data: paid() }).type).toBe('IGNORE');
    expect(adapter.interpret({ event: 'customer.create', data: 'x' }).type).toBe('IGNORE');
  });
});

describe('Zid order details', () => {
  const order = (body: unknown) => {
    const intent = adapter.interpret(body);
    if (intent.type !== 'PAID_ORDER') throw new Error(`expected PAID_ORDER, got ${intent.type}`);
    return intent.order;
  };

  it.each([
    ['966551234567', '+966551234567'],
    ['+966551234567', '+966551234567'],
    ['0551234567', '+966551234567'],
    ['551234567', '+966551234567'],
    ['00966551234567', '+966551234567'],
    ['+966 55 123 4567', '+966551234567'],
  ])('normalises mobile %p to %p', (mobile, phone) => {
    const body = zid('order-create-paid.json');
    body.customer.mobile = mobile;
    expect(order(body).customer.phone).toBe(phone);
  });

  it('locale from the order language, else the default', () => {
    const body = zid('order-create-paid.json');
    body.language = 'en';
    expect(order(body).locale).toBe('en');
    delete body.language;
    expect(order(body).locale).toBe('ar');
    expect(new ZidAdapter({ defaultLocale: 'en' }).interpret(body)).toMatchObject({ order: { locale: 'en' } });
  });

  it('accepts i18n product names and numeric-string quantities', () => {
    const body = zid('order-create-paid.json');
    body.products[0].name = { ar: 'بطاقة بلايستيشن', en: 'PSN card' };
    body.products[0].quantity = '3';
    expect(order(body).lines).toEqual([{ lineId: '70211', productId: PSN, sku: 'PSN-SA-100', quantity: 3, name: 'بطاقة بلايستيشن', unitPrice: 100 }]);
  });
});

describe('Zid storeIdOf', () => {
  it('reads store_id at the top level or inside the order, as a string', () => {
    expect(adapter.storeIdOf(zid('order-create-paid.json'))).toBe('80123');
    expect(adapter.storeIdOf(zid('order-payment-status-update-refunded.json'))).toBe('80123');
    expect(adapter.storeIdOf(zid('order-create-unpaid-bank-transfer.json'))).toBe('80123');
    expect(adapter.storeIdOf(zid('order-status-update-cancelled.json'))).toBe('80123');
    expect(adapter.storeIdOf({ event: 'order.create', data: { id: 1, store_id: '77' } })).toBe('77');
  });

  it.each([null, 'x', [], {}, { store_id: null }, { event: 'order.create' }, { data: { id: 1 } }])('is undefined for %p', (body) => {
    expect(adapter.storeIdOf(body)).toBeUndefined();
  });
});

describe('Zid invalid payloads', () => {
  it.each([null, 'order', 7, [], false])('rejects a body that is not an object (%p)', (body) => {
    expect(() => adapter.interpret(body)).toThrow(InvalidPayloadError);
  });

  it('rejects a non-string event and an order event without an order', () => {
    expect.assertions(3);
    expect(invalidPayloadFrom(() => adapter.interpret({ event: 5, data: {} })).issues).toEqual(['event: expected string']);
    const error = invalidPayloadFrom(() => adapter.interpret({ event: 'order.create', store_id: 80123 }));
    expect(error.issues).toEqual(['data: expected object']);
    expect(error.message).toBe('Zid webhook body is invalid');
  });

  it('requires a store id', () => {
    const body = zid('order-create-paid.json');
    delete body.store_id;
    const error = invalidPayloadFrom(() => adapter.interpret(body));
    expect(error.issues).toEqual(['store_id: required']);
  });

  it('names the paths inside the envelope and never echoes values', () => {
    const body = zid('order-payment-status-update-refunded.json');
    body.data.payment_status = 'paid';
    body.data.products[0].order_product_id = null;
    body.data.products[0].quantity = 'PIN 4411-2290';
    body.data.customer = 'نورة +966551234567';
    const error = invalidPayloadFrom(() => adapter.interpret(body));
    expect(error.message).toBe('Zid order.payment_status.update payload is invalid');
    expect(error.issues).toEqual(
      expect.arrayContaining([
        'data.customer: expected object',
        'data.products.0.order_product_id: expected number or string',
        'data.products.0.quantity: expected number',
      ]),
    );
    const logged = serialisedError(error);
    for (const value of ['PIN 4411-2290', '+966551234567', 'نورة']) expect(logged).not.toContain(value);
  });

  it('requires products on a paid bare order, with root-relative paths', () => {
    const body = zid('order-create-paid.json');
    delete body.products;
    expect(invalidPayloadFrom(() => adapter.interpret(body)).issues).toEqual(['products: expected array']);
    body.products = [];
    expect(invalidPayloadFrom(() => adapter.interpret(body)).issues).toEqual(['products: must have at least 1 item(s)']);
  });

  it('rejects an order without an id', () => {
    const body = zid('order-create-unpaid-bank-transfer.json');
    delete body.order.id;
    const error = invalidPayloadFrom(() => adapter.interpret(body));
    expect(error.issues).toEqual(['order.id: expected number or string']);
  });
});
