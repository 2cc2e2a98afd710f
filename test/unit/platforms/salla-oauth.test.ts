// Salla OAuth against the local fake: a refresh rotates the pair once, reusing a refresh token is
// INVALID_GRANT and kills the chain; the Easy Mode app.store.authorize payload; no secret in errors.
import { InvalidPayloadError } from '#core/errors';
import { parseSallaAuthorizeEvent } from '#adapters/platforms/salla/api/authorize-event';
import { refreshSallaTokens, type SallaOAuthOptions } from '#adapters/platforms/salla/api/oauth';
import { SallaStoreApi } from '#adapters/platforms/salla/api/salla-api';
import { startFakeSalla, type FakeSalla } from '#adapters/platforms/salla/fake/fake-salla';
import { errorLog, jsonResponse, recordingFetch, serialised, storeErrorFrom, testClock } from './store-api-helpers';

const STORE = '1305146709';
const CLIENT = { clientId: 'test-salla-client', clientSecret: 'test-salla-client-secret' };
const PAID_RULE = { paidStatuses: ['completed', 'in_progress'], unpaidPaymentMethods: ['bank', 'cod'] };

let fake: FakeSalla;
const clock = testClock();
const secrets: string[] = [CLIENT.clientSecret];
const log = errorLog();

beforeEach(async () => {
  fake = await startFakeSalla({ ...CLIENT, now: clock.now });
});

afterEach(async () => {
  await fake.stop();
});

afterAll(() => {
  expect(log.count()).toBeGreaterThan(3);
  expect(log.leaks(secrets)).toEqual([]);
});

const oauth = (extra: Partial<SallaOAuthOptions> = {}): SallaOAuthOptions => ({ ...CLIENT, accountsUrl: fake.accountsUrl, now: clock.now, ...extra });
const failureOf = async (promise: Promise<unknown>) => log.keep(await storeErrorFrom(promise));
const keep = <T extends { accessToken: string; refreshToken: string }>(tokens: T): T => {
  secrets.push(tokens.accessToken, tokens.refreshToken);
  return tokens;
};

/** An order read with `accessToken`: resolves when Salla accepts the token. */
function readWith(accessToken: string) {
  const order = fake.createOrder(STORE, { lines: [{ productId: '1', quantity: 1 }] });
  const api = new SallaStoreApi({ tokens: { accessToken: async () => accessToken }, paidRule: PAID_RULE, baseUrl: fake.url, now: clock.now });
  return api.getOrder(STORE, order.id);
}

describe('refresh', () => {
  it('POSTs the form to /oauth2/token and returns the new pair with the absolute expiry', async () => {
    const installed = keep(fake.install(STORE).tokens);
    const { fetch, sent } = recordingFetch();
    const fresh = keep(await refreshSallaTokens(oauth({ fetch }), { refreshToken: installed.refreshToken, storeId: STORE }));

    expect(sent).toHaveLength(1);
    expect([sent[0].method, sent[0].url.pathname, sent[0].headers['content-type']]).toEqual(['POST', '/oauth2/token', 'application/x-www-form-urlencoded']);
    expect(Object.fromEntries(new URLSearchParams(sent[0].body))).toEqual({
      grant_type: 'refresh_token',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      refresh_token: installed.refreshToken,
    });
    expect(fresh).toEqual({
      accessToken: expect.stringMatching(/^salla-fake-access-/),
      refreshToken: expect.stringMatching(/^salla-fake-refresh-/),
      expiresAt: new Date(clock.now() + 14 * 24 * 3600 * 1000).toISOString(),
      scope: 'offline_access orders.read_write products.read_write',
    });
    expect(fresh.accessToken).not.toBe(installed.accessToken);
    expect(fresh.refreshToken).not.toBe(installed.refreshToken);
    // The new access token works, the replaced one does not.
    await expect(readWith(fresh.accessToken)).resolves.toMatchObject({ paid: true });
    await expect(failureOf(readWith(installed.accessToken))).resolves.toMatchObject({ kind: 'AUTH' });
  });

  it('a refresh token works once: reuse is INVALID_GRANT and kills the chain, the newest tokens included', async () => {
    const installed = keep(fake.install(STORE).tokens);
    const first = keep(await refreshSallaTokens(oauth(), { refreshToken: installed.refreshToken, storeId: STORE }));

    const reuse = await failureOf(refreshSallaTokens(oauth(), { refreshToken: installed.refreshToken, storeId: STORE }));
    expect(reuse).toMatchObject({ kind: 'INVALID_GRANT', retryable: false });
    expect(reuse.message).toBe(`salla: refresh token of store ${STORE}: HTTP 400 invalid_grant (the merchant must re-authorise the app)`);

    await expect(failureOf(refreshSallaTokens(oauth(), { refreshToken: first.refreshToken }))).resolves.toMatchObject({ kind: 'INVALID_GRANT' });
    await expect(failureOf(readWith(first.accessToken))).resolves.toMatchObject({ kind: 'AUTH' });
    expect(fake.stats()).toMatchObject({ refreshes: 1, invalidGrants: 2, requests: { 'POST /oauth2/token': 3 } });
  });

  it('two parallel refreshes with the same token: one wins, then the chain is dead for both', async () => {
    const installed = keep(fake.install(STORE).tokens);
    const results = await Promise.allSettled([1, 2].map(() => refreshSallaTokens(oauth(), { refreshToken: installed.refreshToken })));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ accessToken: string; refreshToken: string }>).value;
    keep(winner);
    log.keep((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason);
    await expect(failureOf(readWith(winner.accessToken))).resolves.toMatchObject({ kind: 'AUTH' });
  });

  it('reads expires_in when the answer has no absolute expires', async () => {
    const { fetch } = recordingFetch(() => jsonResponse(200, { access_token: 'salla-at-xyz-123456', refresh_token: 'salla-rt-xyz-123456', expires_in: 3600, token_type: 'bearer' }));
    await expect(refreshSallaTokens(oauth({ fetch }), { refreshToken: 'salla-rt-old-123456' })).resolves.toEqual({
      accessToken: 'salla-at-xyz-123456',
      refreshToken: 'salla-rt-xyz-123456',
      expiresAt: new Date(clock.now() + 3_600_000).toISOString(),
    });
  });

  it('a wrong client secret is AUTH, a 5xx UNAVAILABLE, a 2xx without tokens unreadable', async () => {
    const installed = keep(fake.install(STORE).tokens);
    const wrong = await failureOf(refreshSallaTokens(oauth({ clientSecret: 'wrong-secret-abcdef' }), { refreshToken: installed.refreshToken }));
    secrets.push('wrong-secret-abcdef');
    expect(wrong).toMatchObject({ kind: 'AUTH', retryable: false, message: 'salla: refresh token: HTTP 401 invalid_client' });

    const down = recordingFetch(() => jsonResponse(503, { error: 'temporarily_unavailable' }));
    await expect(failureOf(refreshSallaTokens(oauth({ fetch: down.fetch }), { refreshToken: installed.refreshToken }))).resolves.toMatchObject({ kind: 'UNAVAILABLE', retryable: true });
    const empty = recordingFetch(() => jsonResponse(200, { token_type: 'bearer' }));
    await expect(failureOf(refreshSallaTokens(oauth({ fetch: empty.fetch }), { refreshToken: installed.refreshToken }))).resolves.toMatchObject({
      kind: 'UNAVAILABLE',
      message: 'salla: refresh token: unreadable answer',
    });
  });
});

describe('Easy Mode: app.store.authorize', () => {
  it('parses the tokens the fake delivers, and they work against the API', async () => {
    const { tokens, authorizeEvent } = fake.install(STORE);
    keep(tokens);
    const parsed = parseSallaAuthorizeEvent(authorizeEvent);
    expect(parsed).toEqual({
      storeId: STORE,
      tokens: {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: new Date(tokens.expiresAt * 1000).toISOString(),
        scope: 'offline_access orders.read_write products.read_write',
      },
    });
    await expect(readWith(parsed.tokens.accessToken)).resolves.toMatchObject({ orderId: expect.any(String) });
  });

  it('parses the documented payload (string expires, extra fields pass)', () => {
    const body = {
      event: 'app.store.authorize',
      merchant: 1234509876,
      created_at: '2022-12-31 12:31:25',
      data: {
        id: 1911645512,
        app_name: 'app name',
        app_description: 'desc',
        app_type: 'app',
        app_scopes: ['settings.read', 'offline_access'],
        access_token: 'KSPkwd8Ii3hzFNNGHDIiHdq8b9gPjs9nLmUk4Z6u',
        expires: '1634819484',
        refresh_token: 'fWcceFWF9eFH4yPVOCaYHy-UolnU7iJNDH-dnZwakUE',
        scope: 'settings.read offline_access',
        token_type: 'bearer',
      },
    };
    expect(parseSallaAuthorizeEvent(body)).toEqual({
      storeId: '1234509876',
      tokens: {
        accessToken: 'KSPkwd8Ii3hzFNNGHDIiHdq8b9gPjs9nLmUk4Z6u',
        refreshToken: 'fWcceFWF9eFH4yPVOCaYHy-UolnU7iJNDH-dnZwakUE',
        expiresAt: '2021-10-21T12:31:24.000Z',
        scope: 'settings.read offline_access',
      },
    });
  });

  it('a wrong shape throws InvalidPayloadError naming paths, never the tokens', () => {
    const access = 'salla-at-must-not-leak-1234567890';
    const cases: Array<[unknown, string[]]> = [
      [{ event: 'app.store.authorize', merchant: 1, data: { access_token: access, expires: 1634819484 } }, ['data.refresh_token: expected string']],
      [{ event: 'app.installed', merchant: 1, data: { access_token: access, refresh_token: access, expires: 1 } }, ['event: invalid value']],
      [{ event: 'app.store.authorize', merchant: 1, data: { access_token: access, refresh_token: access, expires: 'soon' } }, ['data.expires: expected number']],
    ];
    for (const [body, issues] of cases) {
      let caught: unknown;
      try {
        parseSallaAuthorizeEvent(body);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidPayloadError);
      const error = caught as InvalidPayloadError;
      expect(error.issues).toEqual(issues);
      expect([serialised(error), ...error.issues].join('\n')).not.toContain(access);
    }
  });
});
