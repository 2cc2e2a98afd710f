import { parseBasicAuth } from '#adapters/platforms/zid/basic-auth';
import { ZidAdapter } from '#adapters/platforms/zid/zid-adapter';
import { toWebhookRequest } from '#local/webhook-signing';
import { zidBasicAuthHeaders } from '#adapters/platforms/zid/local';
import { rawFixture } from './helpers';

const adapter = new ZidAdapter({ defaultLocale: 'ar' });
const raw = rawFixture('zid', 'order-create-paid.json');
const CREDENTIALS = { username: 'streamsync-80123', password: 'Zq9!vR2#pL7@wX4m' };
const basic = (value: string) => `Basic ${Buffer.from(value, 'utf8').toString('base64')}`;
const verify = (authorization: string | undefined, secret = CREDENTIALS) =>
  adapter.verify(toWebhookRequest(raw, { 'content-type': 'application/json', authorization }), secret);

describe('Zid Basic Auth', () => {
  it('accepts the configured username and password', () => {
    const headers = zidBasicAuthHeaders(CREDENTIALS.username, CREDENTIALS.password);
    expect(adapter.verify(toWebhookRequest(raw, headers), CREDENTIALS)).toBe(true);
  });

  it('accepts any case of the scheme name', () => {
    expect(verify(basic(`${CREDENTIALS.username}:${CREDENTIALS.password}`).replace('Basic', 'basic'))).toBe(true);
    expect(verify(basic(`${CREDENTIALS.username}:${CREDENTIALS.password}`).replace('Basic', 'BASIC'))).toBe(true);
  });

  it('splits at the first colon, so passwords may contain colons', () => {
    const secret = { username: 'zid', password: 'a:b:c' };
    expect(verify(basic('zid:a:b:c'), secret)).toBe(true);
    expect(parseBasicAuth(basic('zid:a:b:c'))).toEqual({ username: 'zid', password: 'a:b:c' });
  });

  it('handles non-ASCII credentials', () => {
    const secret = { username: 'متجر', password: 'كلمة-سر-١٢٣' };
    expect(verify(basic('متجر:كلمة-سر-١٢٣'), secret)).toBe(true);
  });

  it.each([
    ['a wrong password', basic(`${CREDENTIALS.username}:wrong-password`)],
    ['a wrong username', basic(`someone-else:${CREDENTIALS.password}`)],
    ['swapped username and password', basic(`${CREDENTIALS.password}:${CREDENTIALS.username}`)],
    ['the password with a suffix', basic(`${CREDENTIALS.username}:${CREDENTIALS.password}x`)],
    ['an empty password', basic(`${CREDENTIALS.username}:`)],
  ])('rejects %s', (_label, header) => {
    expect(verify(header)).toBe(false);
  });

  it.each([
    ['no header', undefined],
    ['empty header', ''],
    ['a Bearer token', `Bearer ${CREDENTIALS.password}`],
    ['the scheme without credentials', 'Basic'],
    ['invalid base64', 'Basic !!!not-base64!!!'],
    ['base64 with bad padding', 'Basic abc'],
    ['credentials without a colon', basic(`${CREDENTIALS.username}${CREDENTIALS.password}`)],
    ['unencoded credentials', `Basic ${CREDENTIALS.username}:${CREDENTIALS.password}`],
    ['two credentials', `${basic('a:b')} ${basic('c:d')}`],
  ])('rejects a malformed header without throwing: %s', (_label, header) => {
    expect(() => verify(header)).not.toThrow();
    expect(verify(header)).toBe(false);
  });

  it('never accepts when the store has no (complete) credentials', () => {
    const header = basic(':');
    expect(verify(header, { username: '', password: '' })).toBe(false);
    expect(adapter.verify(toWebhookRequest(raw, { authorization: basic('a:b') }), { username: 'a' })).toBe(false);
    expect(adapter.verify(toWebhookRequest(raw, { authorization: basic('a:b') }), { secret: 'a:b' })).toBe(false);
    expect(adapter.verify(toWebhookRequest(raw, { authorization: basic('a:b') }), {})).toBe(false);
  });
});
