// Per-store OAuth tokens end to end: Secrets Manager (local fake, the real SDK client), the refresh
// lock on DynamoDB Local, and the Salla and Zid fakes whose refresh tokens are single-use (a second
// use is invalid_grant and kills the chain). 20 providers stand for 20 Lambda containers sharing
// the vault and the lock; every round of expiry must cost exactly one refresh and no invalid_grant.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SecretsManagerTokenVault } from '#adapters/aws/token-vault';
import { createDocumentClient } from '#adapters/dynamo/client';
import { storePk, tokenLockSk } from '#adapters/dynamo/keys';
import { DynamoTokenLock } from '#adapters/dynamo/token-lock';
import { SallaStoreApi } from '#adapters/platforms/salla/api/salla-api';
import { sallaTokenProvider } from '#adapters/platforms/salla/api/token-provider';
import { startFakeSalla, type FakeSalla } from '#adapters/platforms/salla/fake/fake-salla';
import type { LockedTokenProvider } from '#adapters/platforms/shared/locked-token-provider';
import { zidTokenProvider } from '#adapters/platforms/zid/api/token-provider';
import { ZidStoreApi, type ZidStoreTokens } from '#adapters/platforms/zid/api/zid-api';
import { startFakeZid, type FakeZid } from '#adapters/platforms/zid/fake/fake-zid';
import type { IssuedTokens } from '#adapters/platforms/shared/fake/token-registry';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/engines';
import { startFakeSecretsManager, type FakeSecretsManager } from '#local/fake-secrets-manager';
import { createTable } from '#local/provision';

jest.setTimeout(60_000);

const CONTAINERS = 20;
const ROUNDS = 5;
const SALLA_STORE = '1305146709';
const ZID_STORE = '80123';
const SALLA_CLIENT = { clientId: 'it-salla-client', clientSecret: 'it-salla-client-secret' };
const ZID_CLIENT = { clientId: 'it-zid-client', clientSecret: 'it-zid-client-secret' };
const PAID_RULE = { paidStatuses: ['completed', 'in_progress'], unpaidPaymentMethods: ['bank', 'cod'] };
const DAY = 24 * 3600_000;

// One clock for the fakes, the providers and the lock: moving it expires tokens everywhere at once.
let offset = 0;
const now = () => Date.now() + offset;

let dynamo: DynamoDBClient;
let db: DynamoDBDocumentClient;
let table: string;
let sm: FakeSecretsManager;
let smClient: SecretsManagerClient;
let salla: FakeSalla;
let zid: FakeZid;

beforeAll(async () => {
  dynamo = new DynamoDBClient({ endpoint: process.env.TEST_DYNAMO_ENDPOINT, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  db = createDocumentClient(dynamo);
  table = `tokens-${randomBytes(3).toString('hex')}`;
  await createTable(dynamo, table);
  sm = await startFakeSecretsManager();
  smClient = new SecretsManagerClient({ endpoint: sm.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  salla = await startFakeSalla({ ...SALLA_CLIENT, now, rateLimit: 100_000, latencyMs: 20 });
  zid = await startFakeZid({ ...ZID_CLIENT, now, rateLimit: 100_000, latencyMs: 20 });
});

afterAll(async () => {
  await Promise.all([salla?.stop(), zid?.stop(), sm?.stop()]);
  smClient?.destroy();
  dynamo?.destroy();
});

/** A container's view: its own vault and lock objects over the shared secret store and table. */
const vault = () => new SecretsManagerTokenVault({ client: smClient });
const lock = () => new DynamoTokenLock(db, table, { now });

async function storeInstall(platform: 'salla' | 'zid', storeId: string, issued: IssuedTokens): Promise<void> {
  await vault().write(platform, storeId, {
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
    ...(issued.authorization ? { authorization: issued.authorization } : {}),
    expiresAt: new Date(issued.expiresAt * 1000).toISOString(),
    updatedAt: new Date(now()).toISOString(),
  });
}

const lockItem = async (platform: string, storeId: string) =>
  (await db.send(new GetCommand({ TableName: table, Key: { pk: storePk(storeId), sk: tokenLockSk(platform) }, ConsistentRead: true }))).Item;

describe('Salla: 20 containers, one refresh per expiry', () => {
  let providers: Array<LockedTokenProvider<string>>;
  let apis: SallaStoreApi[];
  let orderId: string;

  beforeAll(async () => {
    await storeInstall('salla', SALLA_STORE, salla.install(SALLA_STORE).tokens);
    orderId = salla.createOrder(SALLA_STORE, { lines: [{ productId: '1', quantity: 1 }] }).id;
    providers = Array.from({ length: CONTAINERS }, () => sallaTokenProvider({ vault: vault(), lock: lock(), oauth: { ...SALLA_CLIENT, accountsUrl: salla.accountsUrl }, now }));
    apis = providers.map((tokens) => new SallaStoreApi({ tokens, paidRule: PAID_RULE, baseUrl: salla.url, now }));
    // Every container has read and cached the installed token.
    await Promise.all(apis.map((api) => api.getOrder(SALLA_STORE, orderId)));
  });

  it(`${ROUNDS} rounds of expiry: each exactly one refresh, no invalid_grant, the same new token everywhere`, async () => {
    const seen = new Set<string>();
    for (let round = 1; round <= ROUNDS; round++) {
      const before = salla.stats();
      offset += 15 * DAY; // past the 14-day access token
      const tokens = await Promise.all(providers.map((p) => p.accessToken(SALLA_STORE)));
      expect(new Set(tokens).size).toBe(1);
      expect(seen.has(tokens[0])).toBe(false);
      seen.add(tokens[0]);
      const orders = await Promise.all(apis.map((api) => api.getOrder(SALLA_STORE, orderId)));
      expect(orders.every((o) => o.orderId === orderId)).toBe(true);
      const after = salla.stats();
      expect({ round, refreshes: after.refreshes - before.refreshes, invalidGrants: after.invalidGrants, unauthorized: after.unauthorized - before.unauthorized }).toEqual({
        round,
        refreshes: 1,
        invalidGrants: 0,
        unauthorized: 0,
      });
      expect((await vault().read('salla', SALLA_STORE))?.accessToken).toBe(tokens[0]);
      expect(await lockItem('salla', SALLA_STORE)).toBeUndefined();
    }
    expect(salla.stats().refreshes).toBe(ROUNDS);
  });

  it('a 401 (token refused before its expiry) in one container: invalidate, one refresh, the call succeeds', async () => {
    const before = salla.stats();
    salla.expireAccessTokens(SALLA_STORE);
    await expect(apis[0].getOrder(SALLA_STORE, orderId)).resolves.toMatchObject({ orderId });
    const after = salla.stats();
    expect({ refreshes: after.refreshes - before.refreshes, unauthorized: after.unauthorized - before.unauthorized, invalidGrants: after.invalidGrants }).toEqual({ refreshes: 1, unauthorized: 1, invalidGrants: 0 });
  });

  it('the other 19 containers, holding the replaced token: one 401 each, the saved token from the vault, no refresh', async () => {
    const before = salla.stats();
    await Promise.all(apis.slice(1).map((api) => api.getOrder(SALLA_STORE, orderId)));
    const after = salla.stats();
    expect({ refreshes: after.refreshes - before.refreshes, unauthorized: after.unauthorized - before.unauthorized }).toEqual({ refreshes: 0, unauthorized: CONTAINERS - 1 });
  });

  it('a 401 in all 20 containers at once: one refresh between them, every call succeeds', async () => {
    const before = salla.stats();
    salla.expireAccessTokens(SALLA_STORE);
    const orders = await Promise.all(apis.map((api) => api.getOrder(SALLA_STORE, orderId)));
    expect(orders).toHaveLength(CONTAINERS);
    const after = salla.stats();
    expect({ refreshes: after.refreshes - before.refreshes, invalidGrants: after.invalidGrants }).toEqual({ refreshes: 1, invalidGrants: 0 });
    expect(await lockItem('salla', SALLA_STORE)).toBeUndefined();
  });

  it('the vault wrote one new version per refresh, and the secret holds the whole set', async () => {
    const stored = await vault().read('salla', SALLA_STORE);
    expect(stored).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresAt: expect.any(String), scope: expect.stringContaining('offline_access') });
    expect(stored?.brokenAt).toBeUndefined();
    // The install's write (a put refused as missing, then a create) plus one put per refresh.
    expect(salla.stats().refreshes).toBe(ROUNDS + 2);
    expect(sm.stats().requests).toMatchObject({ CreateSecret: 1, PutSecretValue: 1 + ROUNDS + 2 });
  });
});

describe('Zid: 20 containers, one refresh per expiry', () => {
  it('one round: exactly one refresh, no invalid_grant, both tokens rotated, every call succeeds', async () => {
    await storeInstall('zid', ZID_STORE, zid.install(ZID_STORE));
    const orderId = zid.createOrder(ZID_STORE, { lines: [{ productId: '1', quantity: 1 }] }).id;
    const providers = Array.from({ length: CONTAINERS }, () => zidTokenProvider({ vault: vault(), lock: lock(), oauth: { ...ZID_CLIENT, oauthUrl: zid.oauthUrl }, now }));
    const apis = providers.map((tokens) => new ZidStoreApi({ tokens, baseUrl: zid.url, now }));
    await Promise.all(apis.map((api) => api.getOrder(ZID_STORE, orderId)));
    const installed = await vault().read('zid', ZID_STORE);

    offset += 366 * DAY; // past Zid's year
    const tokens: ZidStoreTokens[] = await Promise.all(providers.map((p) => p.accessToken(ZID_STORE)));
    expect(new Set(tokens.map((t) => `${t.managerToken} ${t.authorization}`)).size).toBe(1);
    expect(tokens[0].managerToken).not.toBe(installed?.accessToken);
    expect(tokens[0].authorization).not.toBe(installed?.authorization);
    const orders = await Promise.all(apis.map((api) => api.getOrder(ZID_STORE, orderId)));
    expect(orders.every((o) => o.orderId === orderId)).toBe(true);
    expect(zid.stats()).toMatchObject({ refreshes: 1, invalidGrants: 0 });
    expect(await lockItem('zid', ZID_STORE)).toBeUndefined();
  });
});
