// SecretsManagerTokenVault: one secret per store, read uncached, created on the first write (and a
// create race settled by a put); no token ever in an error.
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerTokenVault, TokenVaultError } from '#adapters/aws/token-vault';
import type { StoredStoreTokens } from '#core/ports/store-tokens';

const sm = mockClient(SecretsManagerClient);
const notFound = () => new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });
const exists = () => new ResourceExistsException({ message: 'The operation failed because the secret already exists.', $metadata: {} });

const TOKENS: StoredStoreTokens = {
  accessToken: 'secret-access-token-1',
  refreshToken: 'secret-refresh-token-1',
  expiresAt: '2027-01-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};
const SECRETS = [TOKENS.accessToken, TOKENS.refreshToken as string];

const vault = (prefix?: string) => new SecretsManagerTokenVault({ client: new SecretsManagerClient({ region: 'me-south-1' }), ...(prefix ? { prefix } : {}) });

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

const leaks = (err: Error) => SECRETS.filter((s) => [err.message, String(err.stack), JSON.stringify(err)].join('\n').includes(s));

beforeEach(() => sm.reset());

describe('SecretsManagerTokenVault', () => {
  it('reads `<prefix><platform>/<storeId>` every time (no cache)', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(TOKENS) });
    const v = vault();
    await expect(v.read('salla', '123')).resolves.toEqual(TOKENS);
    await v.read('salla', '123');
    const calls = sm.commandCalls(GetSecretValueCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0].args[0].input.SecretId).toBe('streamsync/store-tokens/salla/123');
  });

  it('a missing secret reads as undefined', async () => {
    sm.on(GetSecretValueCommand).rejects(notFound());
    await expect(vault('p/').read('zid', '9')).resolves.toBeUndefined();
  });

  it('writes a new version with PutSecretValue when the secret exists', async () => {
    sm.on(PutSecretValueCommand).resolves({});
    await vault().write('salla', '123', TOKENS);
    expect(sm.commandCalls(PutSecretValueCommand)[0].args[0].input).toEqual({ SecretId: 'streamsync/store-tokens/salla/123', SecretString: JSON.stringify(TOKENS) });
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });

  it('creates the secret on the first write', async () => {
    sm.on(PutSecretValueCommand).rejects(notFound());
    sm.on(CreateSecretCommand).resolves({});
    await new SecretsManagerTokenVault({ client: new SecretsManagerClient({ region: 'me-south-1' }), kmsKeyId: 'alias/streamsync' }).write('zid', '77', TOKENS);
    const input = sm.commandCalls(CreateSecretCommand)[0].args[0].input;
    expect(input).toMatchObject({ Name: 'streamsync/store-tokens/zid/77', SecretString: JSON.stringify(TOKENS), KmsKeyId: 'alias/streamsync' });
  });

  it('a create race (ResourceExistsException) becomes a put', async () => {
    sm.on(PutSecretValueCommand).rejectsOnce(notFound()).resolves({});
    sm.on(CreateSecretCommand).rejects(exists());
    await vault().write('salla', '123', TOKENS);
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(2);
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(1);
  });

  it('refuses store ids that could leave the prefix, without a call', async () => {
    for (const id of ['../other', 'a/b', '', 'x'.repeat(65), '1 2']) {
      await expect(vault().read('salla', id)).rejects.toBeInstanceOf(TokenVaultError);
      await expect(vault().write('salla', id, TOKENS)).rejects.toBeInstanceOf(TokenVaultError);
    }
    expect(sm.calls()).toHaveLength(0);
  });

  it('never quotes a token: failed writes, failed reads, unreadable values', async () => {
    const echo = Object.assign(new Error(`denied for ${JSON.stringify(TOKENS)}`), { name: 'AccessDeniedException' });
    sm.on(PutSecretValueCommand).rejects(echo);
    const write = await failure(vault().write('salla', '123', TOKENS));
    expect(write.message).toBe('token vault: write streamsync/store-tokens/salla/123 failed (AccessDeniedException)');

    sm.on(PutSecretValueCommand).rejects(notFound());
    sm.on(CreateSecretCommand).rejects(echo);
    const create = await failure(vault().write('salla', '123', TOKENS));

    sm.on(GetSecretValueCommand).rejects(echo);
    const read = await failure(vault().read('salla', '123'));

    sm.on(GetSecretValueCommand).resolves({ SecretString: `not json ${TOKENS.accessToken}` });
    const unreadable = await failure(vault().read('salla', '123'));
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ ...TOKENS, expiresAt: 5 }) });
    const wrongShape = await failure(vault().read('salla', '123'));

    for (const err of [write, create, read, unreadable, wrongShape]) {
      expect(err).toBeInstanceOf(TokenVaultError);
      expect(leaks(err)).toEqual([]);
    }
    expect(unreadable.message).toBe('token vault: streamsync/store-tokens/salla/123 does not hold a token set');
  });
});
