// Merchants' platform API tokens in Secrets Manager, one secret per store: `<prefix><platform>/<storeId>`.
// Read straight from the service every time (no Powertools cache): the refresh lock is only worth
// something if its holder sees what the previous holder saved.
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { StoreTokenVault, StoredStoreTokens } from '#core/ports/store-tokens';

export const DEFAULT_TOKEN_SECRET_PREFIX = 'streamsync/store-tokens/';
const STORE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PLATFORM = /^[a-z0-9-]{1,32}$/;

export interface SecretsManagerTokenVaultOptions {
  client?: SecretsManagerClient;
  /** Default `streamsync/store-tokens/`. */
  prefix?: string;
  /** Customer-managed key for secrets this vault creates; default the account's aws/secretsmanager key. */
  kmsKeyId?: string;
}

/**
 * A vault call failed. The message names the operation, the secret and the service's error name only:
 * SDK errors and unreadable values are never quoted, as either could hold a token.
 */
export class TokenVaultError extends Error {
  constructor(message: string, readonly reason: string) {
    super(message);
    this.name = 'TokenVaultError';
  }
}

const errorName = (err: unknown): string => (err as { name?: string })?.name ?? typeof err;

export class SecretsManagerTokenVault implements StoreTokenVault {
  private readonly client: SecretsManagerClient;
  private readonly prefix: string;

  constructor(private readonly options: SecretsManagerTokenVaultOptions = {}) {
    this.client = options.client ?? new SecretsManagerClient({});
    this.prefix = options.prefix ?? DEFAULT_TOKEN_SECRET_PREFIX;
  }

  /** The secret's name; refuses ids that could reach outside the prefix. */
  secretName(platform: string, storeId: string): string {
    if (!PLATFORM.test(platform)) throw new TokenVaultError('token vault: refused platform name', 'BadPlatform');
    if (!STORE_ID.test(storeId)) throw new TokenVaultError('token vault: refused store id', 'BadStoreId');
    return `${this.prefix}${platform}/${storeId}`;
  }

  async read(platform: string, storeId: string): Promise<StoredStoreTokens | undefined> {
    const name = this.secretName(platform, storeId);
    let text: string | undefined;
    try {
      const answer = await this.client.send(new GetSecretValueCommand({ SecretId: name }));
      text = answer.SecretString ?? (answer.SecretBinary ? Buffer.from(answer.SecretBinary).toString('utf8') : undefined);
    } catch (err) {
      if (errorName(err) === 'ResourceNotFoundException') return undefined;
      throw new TokenVaultError(`token vault: read ${name} failed (${errorName(err)})`, errorName(err));
    }
    return parseStored(name, text);
  }

  async write(platform: string, storeId: string, tokens: StoredStoreTokens): Promise<void> {
    const name = this.secretName(platform, storeId);
    const value = JSON.stringify(tokens);
    try {
      await this.put(name, value);
    } catch (err) {
      if (errorName(err) !== 'ResourceNotFoundException') throw vaultWriteError(name, err);
      await this.create(name, value);
    }
  }

  private put(name: string, value: string): Promise<unknown> {
    return this.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
  }

  private async create(name: string, value: string): Promise<void> {
    try {
      await this.client.send(
        new CreateSecretCommand({
          Name: name,
          SecretString: value,
          Description: 'StreamSync: a store platform API token set (access and refresh tokens)',
          ...(this.options.kmsKeyId ? { KmsKeyId: this.options.kmsKeyId } : {}),
        }),
      );
    } catch (err) {
      // Two first writes raced: the other created it, so ours becomes the next version.
      if (errorName(err) !== 'ResourceExistsException') throw vaultWriteError(name, err);
      try {
        await this.put(name, value);
      } catch (again) {
        throw vaultWriteError(name, again);
      }
    }
  }
}

const vaultWriteError = (name: string, err: unknown) => new TokenVaultError(`token vault: write ${name} failed (${errorName(err)})`, errorName(err));

function parseStored(name: string, text: string | undefined): StoredStoreTokens {
  const unreadable = () => new TokenVaultError(`token vault: ${name} does not hold a token set`, 'Unreadable');
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw unreadable();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw unreadable();
  const record = value as Record<string, unknown>;
  if (typeof record.accessToken !== 'string' || record.accessToken === '') throw unreadable();
  for (const field of ['refreshToken', 'expiresAt', 'scope', 'authorization', 'updatedAt', 'brokenAt', 'brokenReason']) {
    if (record[field] !== undefined && typeof record[field] !== 'string') throw unreadable();
  }
  return { ...(record as unknown as StoredStoreTokens), updatedAt: typeof record.updatedAt === 'string' ? record.updatedAt : '' };
}
