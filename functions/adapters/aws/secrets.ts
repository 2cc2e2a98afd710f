// Secret values: Secrets Manager on AWS (cached by Powertools Parameters), a JSON map locally.
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';

export interface SecretReader {
  /** undefined when no such secret exists. */
  get(name: string): Promise<string | undefined>;
}

export class SecretsManagerReader implements SecretReader {
  constructor(private readonly maxAgeSeconds = 300) {}

  async get(name: string): Promise<string | undefined> {
    try {
      const value = await getSecret(name, { maxAge: this.maxAgeSeconds });
      return typeof value === 'string' ? value : value === undefined ? undefined : Buffer.from(value as Uint8Array).toString('utf8');
    } catch (err) {
      if (String((err as Error).message).includes('ResourceNotFoundException') || (err as { name?: string }).name === 'ResourceNotFoundException') {
        return undefined;
      }
      throw err;
    }
  }
}

/** For the local runtime and tests: `{ "<secret name>": "<value>" }`. */
export class StaticSecretReader implements SecretReader {
  constructor(private readonly values: Record<string, string>) {}

  async get(name: string): Promise<string | undefined> {
    return this.values[name];
  }
}
