import { SallaAdapter, verifySallaSignature } from '#adapters/platforms/salla/salla-adapter';
import { sallaSignature, sallaSignatureHeaders, sallaTokenHeaders } from '#adapters/platforms/salla/local';
import { toWebhookRequest } from '#local/webhook-signing';
import { rawFixture } from './helpers';

const SECRET = 'b6f1c2d0e8a94f3bb1a7c5d2e9f04a18';
const adapter = new SallaAdapter({ paidStatuses: ['completed'], unpaidPaymentMethods: ['bank', 'cod'], defaultLocale: 'ar' });
const raw = rawFixture('salla', 'order-created-paid-credit-card.json');
const goodSignature = sallaSignature(raw, SECRET);

/** A store whose secret pins the Token strategy. */
const TOKEN_STORE = { secret: SECRET, strategy: 'token' };

const request = (headers: Record<string, string | undefined>, body: Buffer = raw) => toWebhookRequest(body, headers);

describe('Salla signature strategy', () => {
  it('accepts the HMAC-SHA256 of the raw body keyed with the secret', () => {
    expect(adapter.verify(request(sallaSignatureHeaders(raw, SECRET)), { secret: SECRET })).toBe(true);
  });

  it.each(['Signature', 'signature', 'SIGNATURE', '  Signature  '])('reads the strategy header case-insensitively (%p)', (strategy) => {
    const headers = { 'x-salla-security-strategy': strategy, 'x-salla-signature': goodSignature };
    expect(adapter.verify(request(headers), { secret: SECRET })).toBe(true);
  });

  it('accepts upper-case hex', () => {
    const headers = { 'x-salla-security-strategy': 'Signature', 'x-salla-signature': goodSignature.toUpperCase() };
    expect(adapter.verify(request(headers), { secret: SECRET })).toBe(true);
  });

  it('accepts a valid signature when the strategy header is absent', () => {
    expect(adapter.verify(request({ 'x-salla-signature': goodSignature }), { secret: SECRET })).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    const headers = sallaSignatureHeaders(raw, 'another-secret');
    expect(adapter.verify(request(headers), { secret: SECRET })).toBe(false);
  });

  it('rejects a tampered body (one byte changed)', () => {
    const tampered = Buffer.from(raw);
    const at = tampered.indexOf('"quantity": 2');
    expect(at).toBeGreaterThan(0);
    tampered.write('"quantity": 9', at);
    expect(adapter.verify(request(sallaSignatureHeaders(raw, SECRET), tampered), { secret: SECRET })).toBe(false);
  });

  it('rejects the same JSON with different whitespace (the raw bytes are signed, not the JSON value)', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
    expect(reserialised.equals(raw)).toBe(false);
    expect(adapter.verify(request(sallaSignatureHeaders(raw, SECRET), reserialised), { secret: SECRET })).toBe(false);
  });

  it.each([
    ['63 hex chars', goodSignature.slice(0, 63)],
    ['65 hex chars', `${goodSignature}0`],
    ['128 hex chars', goodSignature + goodSignature],
    ['non-hex of the right length', 'z'.repeat(64)],
    ['hex with a prefix', `sha256=${goodSignature}`],
    ['base64 of the digest', Buffer.from(goodSignature, 'hex').toString('base64')],
    ['empty', ''],
  ])('rejects a malformed signature without throwing: %s', (_label, signature) => {
    const headers = { 'x-salla-security-strategy': 'Signature', 'x-salla-signature': signature };
    expect(() => adapter.verify(request(headers), { secret: SECRET })).not.toThrow();
    expect(adapter.verify(request(headers), { secret: SECRET })).toBe(false);
  });

  it('rejects a request without any credentials', () => {
    expect(adapter.verify(request({ 'content-type': 'application/json' }), { secret: SECRET })).toBe(false);
    expect(adapter.verify(request({ 'x-salla-security-strategy': 'Signature' }), { secret: SECRET })).toBe(false);
  });

  it('never accepts when the store has no secret, even against a signature made with an empty key', () => {
    const emptyKeySignature = sallaSignature(raw, '');
    const headers = { 'x-salla-security-strategy': 'Signature', 'x-salla-signature': emptyKeySignature };
    expect(adapter.verify(request(headers), { secret: '' })).toBe(false);
    expect(adapter.verify(request(headers), {})).toBe(false);
    expect(adapter.verify(request(headers), { username: 'u', password: 'p' })).toBe(false);
    expect(verifySallaSignature(raw, emptyKeySignature, '')).toBe(false);
  });

  it('rejects an unknown strategy even with a valid signature', () => {
    const headers = { 'x-salla-security-strategy': 'hmac', 'x-salla-signature': goodSignature };
    expect(adapter.verify(request(headers), { secret: SECRET })).toBe(false);
  });

  it('does not accept a token when the strategy says Signature', () => {
    const headers = { 'x-salla-security-strategy': 'Signature', authorization: SECRET };
    expect(adapter.verify(request(headers), { secret: SECRET })).toBe(false);
  });
});

describe('Salla token strategy (a store pinned to it)', () => {
  it('accepts Authorization equal to the secret', () => {
    expect(adapter.verify(request(sallaTokenHeaders(SECRET)), TOKEN_STORE)).toBe(true);
  });

  it.each(['Token', 'token', 'TOKEN'])('reads the strategy header case-insensitively (%p)', (strategy) => {
    const headers = { 'x-salla-security-strategy': strategy, authorization: SECRET };
    expect(adapter.verify(request(headers), TOKEN_STORE)).toBe(true);
  });

  it('tolerates a "Bearer " prefix', () => {
    const headers = { 'x-salla-security-strategy': 'Token', authorization: `Bearer ${SECRET}` };
    expect(adapter.verify(request(headers), TOKEN_STORE)).toBe(true);
  });

  it('accepts a valid token when the strategy header is absent', () => {
    expect(adapter.verify(request({ authorization: SECRET }), TOKEN_STORE)).toBe(true);
  });

  it.each([
    ['a different token of the same length', SECRET.replace(/.$/, 'x')],
    ['a prefix of the secret', SECRET.slice(0, 10)],
    ['the secret plus a suffix', `${SECRET}0`],
    ['empty', ''],
  ])('rejects %s', (_label, token) => {
    const headers = { 'x-salla-security-strategy': 'Token', authorization: token };
    expect(adapter.verify(request(headers), TOKEN_STORE)).toBe(false);
  });

  it('does not accept a signature when the strategy says Token', () => {
    const headers = { 'x-salla-security-strategy': 'Token', 'x-salla-signature': goodSignature };
    expect(adapter.verify(request(headers), TOKEN_STORE)).toBe(false);
  });

  it('rejects a missing Authorization header and a store without a secret', () => {
    expect(adapter.verify(request({ 'x-salla-security-strategy': 'Token' }), TOKEN_STORE)).toBe(false);
    expect(adapter.verify(request({ 'x-salla-security-strategy': 'Token', authorization: '' }), { secret: '', strategy: 'token' })).toBe(false);
  });
});

describe('Salla strategy pinned by the store, never chosen by the request', () => {
  it('a store without a strategy is pinned to Signature: a valid token is refused, with or without the header', () => {
    expect(adapter.verify(request(sallaTokenHeaders(SECRET)), { secret: SECRET })).toBe(false);
    expect(adapter.verify(request({ authorization: SECRET }), { secret: SECRET })).toBe(false);
    expect(adapter.verify(request({ authorization: SECRET }), { secret: SECRET, strategy: 'signature' })).toBe(false);
  });

  it('a token-pinned store refuses a valid signature, with or without the header', () => {
    expect(adapter.verify(request(sallaSignatureHeaders(raw, SECRET)), TOKEN_STORE)).toBe(false);
    expect(adapter.verify(request({ 'x-salla-signature': goodSignature }), TOKEN_STORE)).toBe(false);
  });

  it('a request declaring the other strategy is refused even when it also carries the pinned credential', () => {
    const both = { 'x-salla-signature': goodSignature, authorization: SECRET };
    expect(adapter.verify(request({ ...both, 'x-salla-security-strategy': 'Token' }), { secret: SECRET })).toBe(false);
    expect(adapter.verify(request({ ...both, 'x-salla-security-strategy': 'Signature' }), TOKEN_STORE)).toBe(false);
    expect(adapter.verify(request({ ...both, 'x-salla-security-strategy': 'Signature' }), { secret: SECRET })).toBe(true);
  });

  it('the strategy in the configuration is read case-insensitively; an unknown one accepts nothing', () => {
    expect(adapter.verify(request(sallaTokenHeaders(SECRET)), { secret: SECRET, strategy: ' TOKEN ' })).toBe(true);
    for (const strategy of ['hmac', 'either', 'signature,token']) {
      expect(adapter.verify(request(sallaSignatureHeaders(raw, SECRET)), { secret: SECRET, strategy })).toBe(false);
      expect(adapter.verify(request(sallaTokenHeaders(SECRET)), { secret: SECRET, strategy })).toBe(false);
    }
  });
});
