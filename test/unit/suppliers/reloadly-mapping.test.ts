// Pure translation between Reloadly's wire shapes and the port.
import { SupplierError } from '#core/errors';
import { outcomeUnknown, ReloadlyCallError, toSupplierError } from '#adapters/suppliers/reloadly/reloadly-errors';
import { classifyStatus, matchingTransactions, quoteNumericCardFields, readCards, splitIntoSubOrders, toCodeMaterial } from '#adapters/suppliers/reloadly/reloadly-mapping';

describe('splitIntoSubOrders', () => {
  it.each([
    [25, 10, [10, 10, 5]],
    [10, 10, [10]],
    [1, 10, [1]],
    [21, 7, [7, 7, 7]],
  ])('splits %p by %p into %p', (quantity, max, sizes) => {
    const parts = splitIntoSubOrders('r', quantity, max);
    expect(parts.map((p) => p.quantity)).toEqual(sizes);
    expect(parts.map((p) => p.reference)).toEqual(sizes.map((_, i) => `r:${i + 1}`));
  });
});

describe('transaction report', () => {
  const row = (customIdentifier: string, status = 'SUCCESSFUL') => ({ transactionId: 1, customIdentifier, status });

  it('reads a Spring page and a bare list, keeping exact identifier matches only', () => {
    expect(matchingTransactions({ content: [row('a:1'), row('A:1')] }, 'a:1')).toEqual([row('a:1')]);
    expect(matchingTransactions([row('a:1'), row('a:10')], 'a:1')).toEqual([row('a:1')]);
  });

  it('refuses an answer that is neither', () => {
    expect(() => matchingTransactions({ items: [] }, 'a:1')).toThrow();
  });

  it.each([
    ['SUCCESSFUL', 'done'],
    ['PENDING', 'pending'],
    ['PROCESSING', 'pending'],
    ['FAILED', 'failed'],
    ['REFUNDED', 'failed'],
    ['SOMETHING_NEW', 'pending'],
  ])('classifies %p as %p', (status, expected) => {
    expect(classifyStatus(status)).toBe(expected);
  });
});

describe('cards', () => {
  it('keeps long numeric card numbers exact', () => {
    const text = '[{"cardNumber": 6120200345149064123, "pinCode": 5821}]';
    expect(readCards(JSON.parse(quoteNumericCardFields(text)))).toEqual([{ cardNumber: '6120200345149064123', pinCode: '5821' }]);
  });

  it('maps cards to code material', () => {
    expect(toCodeMaterial({ cardNumber: 'ABC-123', pinCode: '0042' })).toEqual({ code: 'ABC-123', pin: '0042', format: 'text' });
    expect(toCodeMaterial({ cardNumber: 'ABC-123', pinCode: null })).toEqual({ code: 'ABC-123', format: 'text' });
    expect(toCodeMaterial({ redemptionUrl: 'https://redeem.example/x' })).toEqual({ code: 'https://redeem.example/x', format: 'url' });
    expect(toCodeMaterial({})).toBeUndefined();
  });

  it('accepts a single card object', () => {
    expect(readCards({ cardNumber: 'X', pinCode: 'Y' })).toEqual([{ cardNumber: 'X', pinCode: 'Y' }]);
  });
});

describe('toSupplierError', () => {
  const http = (status: number, errorCode?: string, message?: string) =>
    toSupplierError(new ReloadlyCallError('op', 'http', status, errorCode, message));

  it.each([
    [http(500), 'UNAVAILABLE', true],
    [http(503), 'UNAVAILABLE', true],
    [http(429), 'RATE_LIMITED', true],
    [toSupplierError(new ReloadlyCallError('op', 'timeout')), 'UNAVAILABLE', true],
    [toSupplierError(new ReloadlyCallError('op', 'network')), 'UNAVAILABLE', true],
    [http(401, 'INVALID_TOKEN'), 'AUTH', false],
    [http(403), 'AUTH', false],
    [http(400, 'INSUFFICIENT_BALANCE', 'Insufficient balance'), 'INSUFFICIENT_BALANCE', false],
    [http(400, undefined, 'Invalid price, please ensure you selected the right price.'), 'PRICE_CHANGED', false],
    [http(400, undefined, 'The requested product is currently out of stock'), 'PRODUCT_UNAVAILABLE', false],
    [http(404, 'PRODUCT_NOT_FOUND', 'Product not found'), 'PRODUCT_UNAVAILABLE', false],
    [http(400, 'INVALID_INPUT_PROVIDED', 'Missing required field senderName'), 'INVALID_REQUEST', false],
    [toSupplierError(new TypeError('boom')), 'UNKNOWN', false],
  ])('%#: maps to %p (retryable %p)', (error, kind, retryable) => {
    expect(error).toBeInstanceOf(SupplierError);
    expect(error).toMatchObject({ kind, retryable });
  });
});

describe('outcomeUnknown', () => {
  const http = (status: number, errorCode?: string, message?: string) => new ReloadlyCallError('op', 'http', status, errorCode, message);

  it.each([
    [new ReloadlyCallError('op', 'timeout'), true],
    [new ReloadlyCallError('op', 'network'), true],
    [new ReloadlyCallError('op', 'unreadable'), true],
    [http(500, undefined, 'Internal Server Error'), true],
    [http(429, undefined, 'Too Many Requests'), true],
    [http(400, 'CUSTOM_IDENTIFIER_ALREADY_USED', 'Custom identifier x has already been used'), true],
    [http(400), true], // no Reloadly body: a proxy answered, the order may exist
    [http(400, 'INSUFFICIENT_BALANCE', 'Insufficient balance'), false],
    [http(400, undefined, 'Invalid price, please ensure you selected the right price.'), false],
    [http(401, 'INVALID_TOKEN', 'Full authentication is required to access this resource'), false],
  ])('%#', (error, expected) => {
    expect(outcomeUnknown(error)).toBe(expected);
  });
});
