// The platforms' admin APIs for a function that calls them (write-back, payment checks): tokens in
// Secrets Manager, the refresh lock in the table, each app's OAuth client from its secret.
import { randomUUID } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretReader } from '#adapters/aws/secrets';
import { SecretsManagerTokenVault } from '#adapters/aws/token-vault';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoTokenLock } from '#adapters/dynamo/token-lock';
import type { StoreApiServices } from '#adapters/platforms/platform-module';
import { RegisteredStoreApis } from '#adapters/platforms/store-apis';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StoreTokenVault } from '#core/ports/store-tokens';
import { traced } from './clients';
import type { Config } from './config';

export const createTokenVault = (config: Pick<Config, 'STORE_TOKEN_SECRET_PREFIX'>): StoreTokenVault =>
  new SecretsManagerTokenVault({ client: traced(new SecretsManagerClient({})), prefix: config.STORE_TOKEN_SECRET_PREFIX });

export function createStoreApis(config: Pick<Config, 'TABLE_NAME' | 'STORE_TOKEN_SECRET_PREFIX' | 'PLATFORM_APP_SECRET_PREFIX'>, dynamo: DynamoDBClient, secrets: SecretReader): RegisteredStoreApis {
  const vault = createTokenVault(config);
  const lock = new DynamoTokenLock(createDocumentClient(dynamo), config.TABLE_NAME);
  const owner = randomUUID();
  const services = (platform: string): StoreApiServices => ({
    vault,
    lock,
    owner,
    appCredentials: async () => {
      const raw = await secrets.get(`${config.PLATFORM_APP_SECRET_PREFIX}${platform}`);
      if (!raw) return undefined;
      const parsed = JSON.parse(raw) as { clientId?: unknown; clientSecret?: unknown };
      return typeof parsed.clientId === 'string' && typeof parsed.clientSecret === 'string' ? { clientId: parsed.clientId, clientSecret: parsed.clientSecret } : undefined;
    },
  });
  return new RegisteredStoreApis(services);
}
