// Pure translation between EZ PIN's wire shapes and the port: references, orders, cards, errors.
import { SupplierError } from '#core/errors';
import { EzpinCallError, isUnknownOrder, outcomeUnknown, readErrorBody, toSupplierError } from '#adapters/suppliers/ezpin/ezpin-errors';
import { tokenLifetimeMs } from '#adapters/suppliers/ezpin/ezpin-http';
import {
  classifyOrder,
  formatPrice,
  pickBalance,
  readBalances,
  readCards,
  readOrder,
  splitIntoSubOrders,
  terminalValue,
  toCodeMaterial,
} from '#adapters/suppliers/ezpin/ezpin-mapping';
import { referenceCodeFor } from '#adapters/suppliers/ezpin/ezpin-reference';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('referenceCodeFor', () => {
  it('is pinned: changing the derivation would buy every reorder in flight again', () => {
    expect(referenceCodeFor('reorder-1:1')).toBe('a52e9d52-bda7-452e-b1d2-7de9aed053b4');
    expect(referenceCodeFor('reorder-1:2')).toBe('70c4d3b3-f902-4a01-abd7-0c6b5c58f2d0');
    expect(referenceCodeFor('SKU-1-20261201T000000000-abcd1234:1')).toBe('9f7ce97b-0548-45f5-b7e6-417f8d950180');
  });

  it('is a v4-shaped UUID, distinct per sub-reference, case-sensitive like our ids', () => {
    const codes = ['a:1', 'a:2', 'A:1', 'a:10', 'a:1 ', 'رقم:1'].map(referenceCodeFor);
    for (const code of codes) expect(code).toMatch(V4);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('splitIntoSubOrders', () => {
  it.each([
    [12, 5, [5, 5, 2]],
    [5, 5, [5]],
    [1, 5, [1]],
    [9, 3, [3, 3, 3]],
  ])('splits %p by %p into %p', (quantity, max, sizes) => {
    const parts = splitIntoSubOrders('r', quantity, max);
    expect(parts.map((p) => p.quantity)).toEqual(sizes);
    expect(parts.map((p) => p.reference)).toEqual(sizes.map((_, i) => `r:${i + 1}`));
    expect(parts.map((p) => p.referenceCode)).toEqual(sizes.map((_, i) => referenceCodeFor(`r:${i + 1}`)));
  });
});

describe('orders', () => {
  it('reads the OpenAPI order, with numeric strings and string booleans', () => {
    expect(readOrder({ order_id: 89, reference_code: 'x', status: 1, status_text: 'accept', is_completed: true, count: 3 })).toEqual({
      orderId: '89',
      referenceCode: 'x',
      status: 1,
      statusText: 'accept',
      isCompleted: true,
      count: 3,
    });
    expect(readOrder({ status: '0', is_completed: 'false' })).toMatchObject({ status: 0, isCompleted: false });
    expect(readOrder({ detail: 'Not found.' })).toBeUndefined();
    expect(readOrder([{ status: 1 }])).toBeUndefined();
  });

  it.each([
    [1, 'accepted'],
    [0, 'pending'],
    [-1, 'rejected'],
    [-5, 'pending'],
    [2, 'pending'],
  ])('classifies status %p as %p', (status, expected) => {
    expect(classifyOrder({ status, isCompleted: false })).toBe(expected);
  });
});

describe('cards', () => {
  it('reads the { results } page and a bare list', () => {
    const card = { card_number: 'A', pin_code: 'B', claim_url: 'https://vc.example/x' };
    expect(readCards({ results: [card] })).toEqual([card]);
    expect(readCards([card, null])).toEqual([card]);
    expect(() => readCards({ items: [] })).toThrow();
  });

  it('maps cards to code material', () => {
    expect(toCodeMaterial({ card_number: 'ABC-123', pin_code: '0042', claim_url: 'https://vc.example/x' })).toEqual({ code: 'ABC-123', pin: '0042', format: 'text' });
    expect(toCodeMaterial({ card_number: 'ABC-123', pin_code: '' })).toEqual({ code: 'ABC-123', format: 'text' });
    expect(toCodeMaterial({ card_number: '', pin_code: null, claim_url: 'https://vc.example/x' })).toEqual({ code: 'https://vc.example/x', format: 'url' });
    expect(toCodeMaterial({})).toBeUndefined();
  });
});

describe('balance', () => {
  it('reads one row per currency, balances as decimal strings', () => {
    const rows = readBalances([
      { currency: { symbol: '$', code: 'USD', currency: 'Dollar' }, balance: '123.45' },
      { currency: { code: 'sar' }, balance: 7 },
      { currency: { code: 'EUR' }, balance: 'n/a' },
    ]);
    expect(rows).toEqual([
      { amount: 123.45, currency: 'USD' },
      { amount: 7, currency: 'SAR' },
    ]);
    expect(readBalances({ results: [{ currency: 'AED', balance: '1' }] })).toEqual([{ amount: 1, currency: 'AED' }]);
    expect(pickBalance(rows, 'sar')).toEqual({ amount: 7, currency: 'SAR' });
    expect(pickBalance(rows, 'EUR')).toEqual({ amount: 123.45, currency: 'USD' });
    expect(pickBalance([], 'USD')).toEqual({ amount: 0, currency: 'USD' });
  });
});

describe('request values', () => {
  it('formats prices as decimal strings without float noise', () => {
    expect([25, 9.99, 0.1 + 0.2, 100.5].map(formatPrice)).toEqual(['25', '9.99', '0.3', '100.5']);
  });

  it('sends terminal values as numbers unless a number would drop a leading zero', () => {
    expect([terminalValue('45'), terminalValue(45), terminalValue('0042'), terminalValue('0')]).toEqual([45, 45, '0042', 0]);
  });

  it.each([
    [312_645, 312_645],
    ['60000', 60_000],
    [Date.UTC(2030, 0, 1), Date.UTC(2030, 0, 1) - Date.UTC(2029, 11, 31, 23)],
    [undefined, 300_000],
    [-5, 0],
  ])('reads expire %p as a lifetime of %p ms', (expire, lifetime) => {
    expect(tokenLifetimeMs(expire, Date.UTC(2029, 11, 31, 23))).toBe(lifetime);
  });
});

describe('errors', () => {
  const http = (status: number, code?: number, detail?: string, stage: 'api' | 'token' = 'api') => new EzpinCallError('op', 'http', stage, status, code, detail);

  it('reads { code, detail }, a string code, and DRF field errors', () => {
    expect(readErrorBody('{"code": 610, "detail": "Insufficient balance."}')).toEqual({ code: 610, detail: 'Insufficient balance.' });
    expect(readErrorBody('{"code": "614", "message": "gone"}')).toEqual({ code: 614, detail: 'gone' });
    expect(readErrorBody('{"reference_code": ["Must be a valid UUID."]}')).toEqual({ detail: 'reference_code: Must be a valid UUID.' });
    expect(readErrorBody('{"detail": "Given token not valid", "code": "token_not_valid"}')).toEqual({ detail: 'Given token not valid' });
    expect(readErrorBody('<html>502</html>')).toEqual({});
  });

  it.each<[EzpinCallError | Error, string, boolean]>([
    [http(400, 603), 'UNAVAILABLE', true],
    [http(400, 606), 'UNAVAILABLE', true],
    [http(400, 609), 'UNAVAILABLE', true],
    [http(400, 621, 'Some error happened. Please try again later.'), 'UNAVAILABLE', true],
    [http(400, 610), 'INSUFFICIENT_BALANCE', false],
    [http(400, 612), 'PRICE_CHANGED', false],
    [http(400, 614), 'PRODUCT_UNAVAILABLE', false],
    [http(400, 615, 'user not found', 'token'), 'AUTH', false],
    [http(406, 617, 'wrong pin or terminal'), 'AUTH', false],
    [http(500), 'UNAVAILABLE', true],
    [http(503, undefined, 'down'), 'UNAVAILABLE', true],
    [http(429), 'RATE_LIMITED', true],
    [http(401, undefined, 'Access token is missing or invalid'), 'AUTH', false],
    [http(400, undefined, 'Insufficient balance in USD'), 'INSUFFICIENT_BALANCE', false],
    [http(400, undefined, 'Price of this product has changed.'), 'PRICE_CHANGED', false],
    [http(400, undefined, 'This catalog is not available.'), 'PRODUCT_UNAVAILABLE', false],
    [http(400, undefined, 'quantity: A valid integer is required.'), 'INVALID_REQUEST', false],
    [http(400, 699, 'something new'), 'INVALID_REQUEST', false],
    [new EzpinCallError('op', 'timeout', 'api'), 'UNAVAILABLE', true],
    [new EzpinCallError('op', 'network', 'token'), 'UNAVAILABLE', true],
    [new TypeError('boom'), 'UNKNOWN', false],
  ])('%# %p → %p, retryable %p', (error, kind, retryable) => {
    const mapped = toSupplierError(error);
    expect(mapped).toBeInstanceOf(SupplierError);
    expect(mapped).toMatchObject({ kind, retryable });
  });

  it.each<[EzpinCallError, boolean]>([
    [new EzpinCallError('op', 'timeout', 'api'), true],
    [new EzpinCallError('op', 'network', 'api'), true],
    [new EzpinCallError('op', 'unreadable', 'api'), true],
    [http(500, undefined, 'Internal Server Error'), true],
    [http(429, undefined, 'Request was throttled.'), true],
    [http(400, 603), true],
    [http(400, 609, 'Provider timeout'), true],
    [http(400, undefined, 'Order with this reference code already exists.'), true],
    [http(400), true], // no EZ PIN body: a proxy answered, the order may exist
    [http(400, 610, 'Insufficient balance.'), false],
    [http(400, 612), false],
    [http(400, 614), false],
    [http(406, 617, 'wrong pin or terminal'), false],
    [http(400, undefined, 'quantity: A valid integer is required.'), false],
  ])('outcome unknown after a POST failure %#: %p', (error, expected) => {
    expect(outcomeUnknown(error)).toBe(expected);
  });

  it.each<[EzpinCallError, boolean]>([
    [http(404, undefined, 'Not found.'), true],
    [http(404), true],
    [http(400, 640, 'Order does not exist'), true],
    [http(400, undefined, 'user not found', 'token'), false],
    [http(400, undefined, 'reference_code: Must be a valid UUID.'), false],
    [http(500), false],
  ])('an unknown reference on lookup %#: %p', (error, expected) => {
    expect(isUnknownOrder(error)).toBe(expected);
  });
});
