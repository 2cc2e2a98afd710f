// SecretsWebhookSecretStore: one secret per store, `<prefix><platform>/<storeId>`, never outside the prefix.
import { SecretsWebhookSecretStore } from '#adapters/aws/webhook-secrets';
import type { SecretReader } from '#adapters/aws/secrets';

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
