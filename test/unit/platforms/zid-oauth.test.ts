// Zid OAuth against the local fake: the code exchange, a refresh that rotates all three tokens once,
// reuse as INVALID_GRANT that kills the chain, Passport-style refusals, no secret in errors.
import { exchangeZidCode, refreshZidTokens, type ZidOAuthOptions, type ZidTokens } from '#adapters/platforms/zid/api/oauth';
import { ZidStoreApi } from '#adapters/platforms/zid/api/zid-api';
import { startFakeZid, type FakeZid } from '#adapters/platforms/zid/fake/fake-zid';
import { errorLog, jsonResponse, recordingFetch, storeErrorFrom, testClock } from './store-api-helpers';

const STORE = '80123';
const CLIENT = { clientId: '1234', clientSecret: 'test-zid-client-secret', redirectUri: 'https://streamsync.example/zid/callback' };
const YEAR_MS = 365 * 24 * 3600 * 1000;

let fake: FakeZid;
const clock = testClock();
const secrets: string[] = [CLIENT.clientSecret];
const log = errorLog();

beforeEach(async () => {
  fake = await startFakeZid({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, now: clock.now });
});

afterEach(async () => {
  await fake.stop();
});

afterAll(() => {
  expect(log.count()).toBeGreaterThan(3);
  expect(log.leaks(secrets)).toEqual([]);
});

const oauth = (extra: Partial<ZidOAuthOptions> = {}): ZidOAuthOptions => ({ ...CLIENT, oauthUrl: fake.oauthUrl, now: clock.now, ...extra });
const failureOf = async (promise: Promise<unknown>) => log.keep(await storeErrorFrom(promise));
const keep = (tokens: ZidTokens): ZidTokens => {
  secrets.push(tokens.accessToken, tokens.authorization, tokens.refreshToken);
  return tokens;
};

/** An order read with the tokens: resolves when Zid accepts them. */
function readWith(tokens: ZidTokens) {
  const order = fake.createOrder(STORE, { lines: [{ productId: '23edd6a6-3533-495d-8ffc-7f9e7c8c1f6a', quantity: 1 }] });
  const api = new ZidStoreApi({ tokens: { accessToken: async () => ({ managerToken: tokens.accessToken, authorization: tokens.authorization }) }, baseUrl: fake.url, now: clock.now });
  return api.getOrder(STORE, order.id);
}

describe('authorization_code', () => {
  it('exchanges the code with a form POST to /oauth/token; the code works once', async () => {
    const code = fake.authorizationCode(STORE);
    const { fetch, sent } = recordingFetch();
    const tokens = keep(await exchangeZidCode(oauth({ fetch }), code));

    expect([sent[0].method, sent[0].url.pathname, sent[0].headers['content-type']]).toEqual(['POST', '/oauth/token', 'application/x-www-form-urlencoded']);
    expect(Object.fromEntries(new URLSearchParams(sent[0].body))).toEqual({
      grant_type: 'authorization_code',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      redirect_uri: CLIENT.redirectUri,
      code,
    });
    expect(tokens).toEqual({
      accessToken: expect.stringMatching(/^zid-fake-access-/),
      authorization: expect.stringMatching(/^zid-fake-authorization-/),
      refreshToken: expect.stringMatching(/^zid-fake-refresh-/),
      expiresAt: new Date(clock.now() + YEAR_MS).toISOString(),
    });
    await expect(readWith(tokens)).resolves.toMatchObject({ paid: true });
    await expect(failureOf(exchangeZidCode(oauth(), code))).resolves.toMatchObject({ kind: 'INVALID_GRANT', retryable: false });
  });
});

describe('refresh_token', () => {
  it('rotates all three tokens once; reuse is INVALID_GRANT and kills the chain', async () => {
    const installed = keep(await exchangeZidCode(oauth(), fake.authorizationCode(STORE)));
    const { fetch, sent } = recordingFetch();
    const fresh = keep(await refreshZidTokens(oauth({ fetch }), { refreshToken: installed.refreshToken, storeId: STORE }));

    expect(Object.fromEntries(new URLSearchParams(sent[0].body))).toEqual({
      grant_type: 'refresh_token',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      redirect_uri: CLIENT.redirectUri,
      refresh_token: installed.refreshToken,
    });
    for (const field of ['accessToken', 'authorization', 'refreshToken'] as const) expect(fresh[field]).not.toBe(installed[field]);
    await expect(readWith(fresh)).resolves.toMatchObject({ orderId: expect.any(String) });
    await expect(failureOf(readWith(installed))).resolves.toMatchObject({ kind: 'AUTH' });

    const reuse = await failureOf(refreshZidTokens(oauth(), { refreshToken: installed.refreshToken, storeId: STORE }));
    expect(reuse).toMatchObject({ kind: 'INVALID_GRANT', retryable: false, message: `zid: refresh token of store ${STORE}: HTTP 400 invalid_grant (the merchant must re-authorise the app)` });
    await expect(failureOf(readWith(fresh))).resolves.toMatchObject({ kind: 'AUTH' });
    await expect(failureOf(refreshZidTokens(oauth(), { refreshToken: fresh.refreshToken }))).resolves.toMatchObject({ kind: 'INVALID_GRANT' });
    expect(fake.stats()).toMatchObject({ tokensIssued: 1, refreshes: 1, invalidGrants: 2 });
  });

  it('reads `Authorization` when Zid capitalises it; a Passport "refresh token is invalid" is INVALID_GRANT', async () => {
    const answers = [
      jsonResponse(200, { token_type: 'Bearer', expires_in: 86_400, access_token: 'zid-at-1234567890', Authorization: 'zid-auth-1234567890', refresh_token: 'zid-rt-1234567890' }),
      jsonResponse(401, { error: 'invalid_request', error_description: 'The refresh token is invalid.', hint: 'Token has been revoked', message: 'The refresh token is invalid.' }),
      jsonResponse(400, { error: 'invalid_request', error_description: 'The request is missing a required parameter.' }),
    ];
    const { fetch } = recordingFetch((_sent, i) => answers[i]);
    await expect(refreshZidTokens(oauth({ fetch }), { refreshToken: 'zid-rt-old-1234567' })).resolves.toEqual({
      accessToken: 'zid-at-1234567890',
      authorization: 'zid-auth-1234567890',
      refreshToken: 'zid-rt-1234567890',
      expiresAt: new Date(clock.now() + 86_400_000).toISOString(),
    });
    await expect(failureOf(refreshZidTokens(oauth({ fetch }), { refreshToken: 'zid-rt-old-1234567' }))).resolves.toMatchObject({ kind: 'INVALID_GRANT' });
    await expect(failureOf(refreshZidTokens(oauth({ fetch }), { refreshToken: 'zid-rt-old-1234567' }))).resolves.toMatchObject({
      kind: 'INVALID_REQUEST',
      message: 'zid: refresh token: HTTP 400 invalid_request',
    });
  });

  it('a wrong client secret is AUTH; a timeout is UNAVAILABLE (the old token may be spent)', async () => {
    const installed = keep(await exchangeZidCode(oauth(), fake.authorizationCode(STORE)));
    secrets.push('wrong-zid-secret-123');
    await expect(failureOf(refreshZidTokens(oauth({ clientSecret: 'wrong-zid-secret-123' }), { refreshToken: installed.refreshToken }))).resolves.toMatchObject({
      kind: 'AUTH',
      retryable: false,
    });
    fake.setOptions({ latencyMs: 300 });
    await expect(failureOf(refreshZidTokens(oauth({ timeoutMs: 50 }), { refreshToken: installed.refreshToken }))).resolves.toMatchObject({
      kind: 'UNAVAILABLE',
      retryable: true,
      message: 'zid: refresh token: timeout',
    });
  });
});
