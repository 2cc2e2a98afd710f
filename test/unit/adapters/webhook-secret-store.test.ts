// SecretsWebhookSecretStore: one secret per store, `<prefix><platform>/<storeId>`, never outside the prefix.
import { SecretsWebhookSecretStore } from '#adapters/aws/webhook-secrets';
import type { SecretReader } from '#adapters/aws/secrets';
import { StoreLookupThrottledError } from '#core/errors';

const PREFIX = 'streamsync/webhook/';

function reader(values: Record<string, string>) {
  const get = jest.fn(async (name: string) => values[name]);
  return { reader: { get } satisfies SecretReader, get };
}

describe('SecretsWebhookSecretStore', () => {
  it('reads a JSON secret (Zid username + password) under <prefix><platform>/<storeId>', async () => {
    const { reader: r, get } = reader({ [`${PREFIX}zid/1234`]: '{"username":"zid-hook","password":"p4ss"}' });
    await expect(new SecretsWebhookSecretStore(r, PREFIX).get('zid', '1234')).resolves.toEqual({ username: 'zid-hook', password: 'p4ss' });
    expect(get).toHaveBeenCalledWith('streamsync/webhook/zid/1234');
  });

  it('reads a JSON secret with the Salla secret', async () => {
    const { reader: r } = reader({ [`${PREFIX}salla/S_1`]: '{"secret":"abc123"}' });
    await expect(new SecretsWebhookSecretStore(r, PREFIX).get('salla', 'S_1')).resolves.toEqual({ secret: 'abc123' });
  });

  it('takes a plain-string secret as the Salla webhook secret itself', async () => {
    const { reader: r } = reader({ [`${PREFIX}salla/987654`]: 'f3c9a1b7d2e84c56' });
    await expect(new SecretsWebhookSecretStore(r, PREFIX).get('salla', '987654')).resolves.toEqual({ secret: 'f3c9a1b7d2e84c56' });
  });

  it('undefined for a store with no secret (and for an empty one)', async () => {
    const { reader: r } = reader({ [`${PREFIX}salla/empty`]: '' });
    const store = new SecretsWebhookSecretStore(r, PREFIX);
    await expect(store.get('salla', 'nobody')).resolves.toBeUndefined();
    await expect(store.get('salla', 'empty')).resolves.toBeUndefined();
  });

  it.each(['', '../code-key', 'a/b', '..', 'store 1', 'store.1', 'ستور', 'x'.repeat(65), 'S1\n', '%2e%2e'])(
    'never looks up a store id outside [A-Za-z0-9_-]{1,64}: %p',
    async (storeId) => {
      const { reader: r, get } = reader({});
      await expect(new SecretsWebhookSecretStore(r, PREFIX).get('salla', storeId)).resolves.toBeUndefined();
      expect(get).not.toHaveBeenCalled();
    },
  );

  it('accepts a 64-character id', async () => {
    const { reader: r, get } = reader({});
    await new SecretsWebhookSecretStore(r, PREFIX).get('zid', 'a'.repeat(64));
    expect(get).toHaveBeenCalledTimes(1);
  });

  it.each(['20240101123456', '1234e5', 'true', 'false', 'null', '"quoted"', '[1,2]'])(
    'takes a secret that is JSON but not an object (%s) as the Salla secret itself',
    async (raw) => {
      const { reader: r } = reader({ [`${PREFIX}salla/987654`]: raw });
      await expect(new SecretsWebhookSecretStore(r, PREFIX).get('salla', '987654')).resolves.toEqual({ secret: raw });
    },
  );
});

describe('SecretsWebhookSecretStore: what unknown stores may cost', () => {
  const CACHE = { hitTtlMs: 300_000, missTtlMs: 60_000, maxEntries: 100, lookupBurst: 3, lookupsPerSecond: 0.2 };

  function clocked(values: Record<string, string>, cache = CACHE) {
    let now = 1_000_000;
    const { reader: r, get } = reader(values);
    const store = new SecretsWebhookSecretStore(r, PREFIX, undefined, cache, () => now);
    return { store, get, advance: (ms: number) => (now += ms) };
  }

  it('remembers a miss for a minute: the same unknown store is read once', async () => {
    const { store, get, advance } = clocked({});
    for (let i = 0; i < 50; i++) await expect(store.get('salla', 'ghost')).resolves.toBeUndefined();
    expect(get).toHaveBeenCalledTimes(1);
    advance(60_001);
    await store.get('salla', 'ghost');
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('rate limits lookups of ids it never found: a burst, then one per 5 s, then "try again later"', async () => {
    const { store, get, advance } = clocked({});
    for (let i = 0; i < 3; i++) await store.get('salla', `random-${i}`);
    await expect(store.get('salla', 'random-3')).rejects.toBeInstanceOf(StoreLookupThrottledError);
    advance(5000);
    await expect(store.get('salla', 'random-4')).resolves.toBeUndefined();
    await expect(store.get('salla', 'random-5')).rejects.toBeInstanceOf(StoreLookupThrottledError);
    expect(get).toHaveBeenCalledTimes(4);
    // 10,000 random ids over a minute cost what the budget allows, not 10,000 reads.
    for (let i = 0; i < 10_000; i++) {
      advance(6);
      await store.get('salla', `flood-${i}`).catch(() => undefined);
    }
    expect(get.mock.calls.length - 4).toBeLessThanOrEqual(Math.ceil((10_000 * 6 * 0.2) / 1000) + 1);
  });

  it('a store it found keeps working while unknown ids spend the budget (read again outside it when its entry expires)', async () => {
    const { store, get, advance } = clocked({ [`${PREFIX}salla/real`]: 's3cret' });
    await expect(store.get('salla', 'real')).resolves.toEqual({ secret: 's3cret' });
    for (let i = 0; i < 10; i++) await store.get('salla', `random-${i}`).catch(() => undefined);
    await expect(store.get('salla', 'real')).resolves.toEqual({ secret: 's3cret' });
    advance(300_001);
    for (let i = 10; i < 20; i++) await store.get('salla', `random-${i}`).catch(() => undefined);
    await expect(store.get('salla', 'real')).resolves.toEqual({ secret: 's3cret' });
    expect(get.mock.calls.filter(([name]) => name === `${PREFIX}salla/real`)).toHaveLength(2);
  });

  it('with an app-wide secret every id "exists": those ids stay inside the budget when their entries expire', async () => {
    let now = 1_000_000;
    const { reader: r, get } = reader({ 'streamsync/webhook-app/salla': 'app-secret', [`${PREFIX}salla/real`]: 's3cret' });
    const store = new SecretsWebhookSecretStore(r, PREFIX, 'streamsync/webhook-app/', CACHE, () => now);
    await store.get('salla', 'real');
    await store.get('salla', 'random-1');
    await store.get('salla', 'random-2');
    now += 300_001;
    for (let i = 3; i < 6; i++) await store.get('salla', `random-${i}`);
    // The budget (3) is spent again: a random id is refused when its entry expires, the store's own secret is read again.
    await expect(store.get('salla', 'random-1')).rejects.toBeInstanceOf(StoreLookupThrottledError);
    await expect(store.get('salla', 'real')).resolves.toEqual({ secret: 's3cret' });
    expect(get.mock.calls.filter(([name]) => name === `${PREFIX}salla/random-1`)).toHaveLength(1);
  });

  it('keeps at most maxEntries ids, the oldest dropped first', async () => {
    const { store, get } = clocked({}, { ...CACHE, maxEntries: 2, lookupBurst: 100 });
    await store.get('zid', 'a');
    await store.get('zid', 'b');
    await store.get('zid', 'c');
    await store.get('zid', 'c');
    await store.get('zid', 'b');
    expect(get).toHaveBeenCalledTimes(3);
    await store.get('zid', 'a');
    expect(get).toHaveBeenCalledTimes(4);
  });
});
