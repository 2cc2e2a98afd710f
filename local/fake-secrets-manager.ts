// A local fake of Secrets Manager's JSON 1.1 protocol (POST /, `X-Amz-Target: secretsmanager.<Op>`),
// enough for the real SDK client: Create/Put/GetSecretValue, DescribeSecret, ListSecrets (name
// filters), DeleteSecret. Errors carry `__type` and HTTP 400, as the service answers them. Values stay
// in memory and are never logged.
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { closeServer, listenOnLocalhost, parseJsonObject, readBody } from './fake-http';
import { LOCAL_REGION } from './engines';

interface Version {
  id: string;
  value: string;
  stages: string[];
  created: number;
}

interface Secret {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  created: number;
  changed: number;
  versions: Version[];
}

export interface FakeSecretsManagerStats {
  /** Requests per operation, e.g. `GetSecretValue`. */
  requests: Record<string, number>;
  errors: Record<string, number>;
  secrets: number;
}

export interface FakeSecretsManager {
  endpoint: string;
  /** The next call of `op` fails with `type` (e.g. InternalServiceError), once per call of this. */
  failNext(op: string, type: string, status?: number): void;
  stop(): Promise<void>;
  stats(): FakeSecretsManagerStats;
}

class ServiceError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

const seconds = (ms: number) => ms / 1000;

export async function startFakeSecretsManager(options: { port?: number; region?: string; now?: () => number } = {}): Promise<FakeSecretsManager> {
  const now = options.now ?? Date.now;
  const region = options.region ?? LOCAL_REGION;
  const secrets = new Map<string, Secret>();
  const requests: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const injected: Array<{ op: string; type: string; status: number }> = [];

  const find = (id: unknown): Secret => {
    const key = String(id ?? '');
    const secret = secrets.get(key) ?? [...secrets.values()].find((s) => s.arn === key);
    if (!secret) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return secret;
  };

  const addVersion = (secret: Secret, value: string, token: unknown): Version => {
    const id = typeof token === 'string' && token ? token : randomUUID();
    const existing = secret.versions.find((v) => v.id === id);
    if (existing) {
      if (existing.value !== value) throw new ServiceError('ResourceExistsException', 'A version with this ClientRequestToken already exists with different content.');
      return existing;
    }
    for (const v of secret.versions) v.stages = v.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : v.stages.filter((s) => s !== 'AWSPREVIOUS');
    const version: Version = { id, value, stages: ['AWSCURRENT'], created: now() };
    secret.versions = [...secret.versions.filter((v) => v.stages.length > 0), version];
    secret.changed = version.created;
    return version;
  };

  const valueOf = (input: Record<string, unknown>): string => {
    if (typeof input.SecretString === 'string') return input.SecretString;
    if (typeof input.SecretBinary === 'string') return Buffer.from(input.SecretBinary, 'base64').toString('utf8');
    throw new ServiceError('InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
  };

  const describe = (s: Secret) => ({
    ARN: s.arn,
    Name: s.name,
    ...(s.description ? { Description: s.description } : {}),
    ...(s.kmsKeyId ? { KmsKeyId: s.kmsKeyId } : {}),
    CreatedDate: seconds(s.created),
    LastChangedDate: seconds(s.changed),
    VersionIdsToStages: Object.fromEntries(s.versions.map((v) => [v.id, v.stages])),
  });

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    CreateSecret(input) {
      const name = String(input.Name ?? '');
      if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) throw new ServiceError('InvalidParameterException', 'Invalid name.');
      if (secrets.has(name)) throw new ServiceError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
      const suffix = randomUUID().replace(/-/g, '').slice(0, 6);
      const at = now();
      const secret: Secret = {
        arn: `arn:aws:secretsmanager:${region}:000000000000:secret:${name}-${suffix}`,
        name,
        ...(typeof input.Description === 'string' ? { description: input.Description } : {}),
        ...(typeof input.KmsKeyId === 'string' ? { kmsKeyId: input.KmsKeyId } : {}),
        created: at,
        changed: at,
        versions: [],
      };
      const hasValue = input.SecretString !== undefined || input.SecretBinary !== undefined;
      const version = hasValue ? addVersion(secret, valueOf(input), input.ClientRequestToken) : undefined;
      secrets.set(name, secret);
      return { ARN: secret.arn, Name: name, ...(version ? { VersionId: version.id } : {}) };
    },
    PutSecretValue(input) {
      const secret = find(input.SecretId);
      const version = addVersion(secret, valueOf(input), input.ClientRequestToken);
      return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: version.stages };
    },
    GetSecretValue(input) {
      const secret = find(input.SecretId);
      const stage = typeof input.VersionStage === 'string' ? input.VersionStage : 'AWSCURRENT';
      const version = typeof input.VersionId === 'string' ? secret.versions.find((v) => v.id === input.VersionId) : secret.versions.find((v) => v.stages.includes(stage));
      if (!version) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: " + stage);
      return { ARN: secret.arn, Name: secret.name, VersionId: version.id, SecretString: version.value, VersionStages: version.stages, CreatedDate: seconds(version.created) };
    },
    DescribeSecret: (input) => describe(find(input.SecretId)),
    ListSecrets(input) {
      const filters = Array.isArray(input.Filters) ? (input.Filters as Array<{ Key?: string; Values?: string[] }>) : [];
      const prefixes = filters.filter((f) => f.Key === 'name').flatMap((f) => f.Values ?? []);
      const all = [...secrets.values()].filter((s) => prefixes.length === 0 || prefixes.some((p) => s.name.startsWith(p))).sort((a, b) => a.name.localeCompare(b.name));
      const start = Number(input.NextToken ?? 0) || 0;
      const max = Math.min(Number(input.MaxResults ?? 100) || 100, 100);
      const page = all.slice(start, start + max);
      return { SecretList: page.map(describe), ...(start + max < all.length ? { NextToken: String(start + max) } : {}) };
    },
    DeleteSecret(input) {
      const secret = find(input.SecretId);
      secrets.delete(secret.name);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: seconds(now()) };
    },
  };

  const answer = (res: ServerResponse, status: number, body: unknown, errorType?: string) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/x-amz-json-1.1',
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': randomUUID(),
      ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
    });
    res.end(text);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : '';
      requests[op || 'unknown'] = (requests[op || 'unknown'] ?? 0) + 1;
      const input = parseJsonObject(await readBody(req));
      try {
        const handler = operations[op];
        if (req.method !== 'POST' || !handler) throw new ServiceError('UnknownOperationException', `Unknown operation ${op || target}`);
        if (!input) throw new ServiceError('SerializationException', 'The request body is not a JSON object.');
        const fail = injected.findIndex((f) => f.op === op);
        if (fail >= 0) {
          const [f] = injected.splice(fail, 1);
          throw new ServiceError(f.type, 'Injected failure.', f.status);
        }
        answer(res, 200, handler(input));
      } catch (err) {
        const e = err instanceof ServiceError ? err : new ServiceError('InternalServiceError', 'Internal error.', 500);
        errors[e.type] = (errors[e.type] ?? 0) + 1;
        answer(res, e.status, { __type: e.type, message: e.message }, e.type);
      }
    })();
  });

  const endpoint = await listenOnLocalhost(server, options.port ?? 0);
  return {
    endpoint,
    failNext: (op, type, status = 400) => void injected.push({ op, type, status }),
    stop: () => closeServer(server),
    stats: () => ({ requests: { ...requests }, errors: { ...errors }, secrets: secrets.size }),
  };
}
