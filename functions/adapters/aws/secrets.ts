// Secret values: Secrets Manager on AWS (cached by Powertools Parameters), a JSON map locally.
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';

export interface SecretReader {
  /** undefined when no such secret exists. */
  get(name: string): Promise<string | undefined>;
}

/** Powertools wraps the SDK error (GetParameterError, the original as `cause`). */
function isNotFound(err: unknown): boolean {
  for (let e = err as { name?: string; cause?: unknown } | undefined, depth = 0; e && depth < 3; e = e.cause as typeof e, depth++) {
    if (e.name === 'ResourceNotFoundException') return true;
  }
  return /can't find the specified secret|ResourceNotFoundException/.test(String((err as Error)?.message));
}

export class SecretsManagerReader implements SecretReader {
  constructor(private readonly maxAgeSeconds = 300) {}

  async get(name: string): Promise<string | undefined> {
    try {
      const value = await getSecret(name, { maxAge: this.maxAgeSeconds });
      return typeof value === 'string' ? value : value === undefined ? undefined : Buffer.from(value as Uint8Array).toString('utf8');
    } catch (err) {
      if (isNotFound(err)) return undefined;
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
