// The webhook Lambda as API Gateway calls it, for the fuzz properties: the real handler module with
// its deps built from the environment as at a cold start (platform modules from the registry, store
// secrets through SecretsWebhookSecretStore over LOCAL_SECRETS_JSON), and the AWS SDK answered in
// memory: an orders queue that enforces what SQS enforces, and a product map.
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { productSk, storePk } from '#adapters/dynamo/keys';
import { DEMO_SALLA_SECRET, DEMO_SALLA_STORE } from '#adapters/platforms/salla/local';
import { DEMO_ZID_CREDENTIALS, DEMO_ZID_STORE } from '#adapters/platforms/zid/local';
import type { ProductMapping } from '#core/model';
import type { StoreWebhookSecret } from '#core/ports/platform';
import { toApiGatewayEvent } from '#local/http-gateway';

export type FuzzPlatform = 'salla' | 'zid';

/** SQS refuses a message body over 256 KiB. */
export const SQS_MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * Per platform, the demo store (whose deliveries the fuzz signs) and a neighbour store, configured
 * too, whose valid credentials must not open the demo store.
 */
export const STORES = {
  salla: {
    demo: { storeId: DEMO_SALLA_STORE, secret: { secret: DEMO_SALLA_SECRET } },
    neighbour: { storeId: '1305146710', secret: { secret: 'neighbour-salla-webhook-secret' } },
  },
  zid: {
    demo: { storeId: DEMO_ZID_STORE, secret: DEMO_ZID_CREDENTIALS },
    neighbour: { storeId: '80124', secret: { username: 'neighbour-store', password: 'neighbour-zid-webhook-password' } },
  },
} as const satisfies Record<FuzzPlatform, Record<'demo' | 'neighbour', { storeId: string; secret: StoreWebhookSecret }>>;

/** The fixtures' products (and a 3-pack of each) mapped for the demo stores. */
export const MAPPED_PRODUCTS: Record<FuzzPlatform, { single: string; variant?: string; threePack: string }> = {
  salla: { single: '720881993', variant: '1584721196', threePack: '720881994' },
  zid: { single: '23edd6a6-3533-495d-8ffc-7f9e7c8c1f6a', threePack: '5d0c2b7e-9a41-4f1e-8c3d-2b6f0e7a9c11' },
};

const MAPPINGS: ProductMapping[] = (Object.keys(MAPPED_PRODUCTS) as FuzzPlatform[]).flatMap((platform) => {
  const { single, variant, threePack } = MAPPED_PRODUCTS[platform];
  const storeId = STORES[platform].demo.storeId;
  const sku = platform === 'salla' ? 'ITUNES-SA-50' : 'PSN-SA-100';
  return [
    { storeId, productId: single, sku, multiplier: 1 },
    ...(variant ? [{ storeId, productId: variant, variant: true, sku: `${sku}-KSA`, multiplier: 1 }] : []),
    { storeId, productId: threePack, sku, multiplier: 3 },
  ];
});

const TABLE_NAME = 'streamsync-fuzz';
const SECRET_PREFIX = 'streamsync/webhook/';

const ENV: Record<string, string> = {
  AWS_REGION: 'me-south-1',
  TABLE_NAME,
  ORDERS_QUEUE_URL: 'https://sqs.me-south-1.amazonaws.com/000000000000/orders',
  REORDER_POLL_QUEUE_URL: 'https://sqs.me-south-1.amazonaws.com/000000000000/polls',
  ALERTS_TOPIC_ARN: 'arn:aws:sns:me-south-1:000000000000:alerts',
  WEBHOOK_SECRET_PREFIX: SECRET_PREFIX,
  // Thousands of generated unknown stores in one container: each must be answered 401, not throttled.
  WEBHOOK_STORE_LOOKUP_BURST: '100000',
  LOCAL_SECRETS_JSON: JSON.stringify(
    Object.fromEntries(
      (Object.keys(STORES) as FuzzPlatform[]).flatMap((platform) =>
        Object.values(STORES[platform]).map((store) => [`${SECRET_PREFIX}${platform}/${store.storeId}`, JSON.stringify(store.secret)]),
      ),
    ),
  ),
  POWERTOOLS_SERVICE_NAME: 'webhook-fuzz',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
};

/** Every configured credential string: none may ever appear in a message or a response. */
export const CONFIGURED_CREDENTIALS: readonly string[] = (Object.keys(STORES) as FuzzPlatform[]).flatMap((platform) =>
  Object.values(STORES[platform]).flatMap((store) => Object.values(store.secret as StoreWebhookSecret).filter((v): v is string => typeof v === 'string' && v.length >= 8)),
);

/** One HTTP request as a platform (or an attacker) sends it. */
export interface Delivery {
  method?: string;
  path: string;
  /** Header names in any case; Node lower-cases them, as it does for a real request. */
  headers: Record<string, string>;
  body: Buffer;
}

/** What the caller got back, and what the request made the function send to SQS and read from DynamoDB. */
export interface Answer {
  statusCode: number;
  contentType: string | undefined;
  text: string;
  /** Message bodies SQS accepted. */
  enqueued: string[];
  /** Why SQS (or the message checks) refused a message the function tried to send. */
  refused: string[];
  catalogReads: number;
}

/** API Gateway's answer when the function throws instead of returning a response. */
const INTEGRATION_FAILURE: APIGatewayProxyStructuredResultV2 = {
  statusCode: 500,
  headers: { 'content-type': 'application/json' },
  body: '{"message":"Internal Server Error"}',
};

/** Strings of a request that carry a credential: long enough to mean something if they turned up elsewhere. */
export function credentialStrings(delivery: Delivery): string[] {
  const found = [...CONFIGURED_CREDENTIALS];
  for (const [name, value] of Object.entries(delivery.headers)) {
    const header = name.toLowerCase();
    if (header !== 'authorization' && header !== 'x-salla-signature') continue;
    found.push(value.trim());
    const basic = /^\s*basic\s+(\S+)/i.exec(value);
    if (basic) found.push(...Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':'));
  }
  return [...new Set(found.filter((s) => s.length >= 8))];
}

class OrdersQueue {
  enqueued: string[] = [];
  refused: string[] = [];
  private forbidden: string[] = [];

  begin(forbidden: string[]): void {
    this.enqueued = [];
    this.refused = [];
    this.forbidden = forbidden;
  }

  /** The checks SQS makes (size), and ours (no credential in a message body). */
  offer(body: string | undefined): { MessageId: string } {
    const text = body ?? '';
    const bytes = Buffer.byteLength(text, 'utf8');
    const leaked = this.forbidden.filter((s) => text.includes(s));
    if (leaked.length > 0) this.refused.push(`message carries ${leaked.length} credential string(s)`);
    if (bytes > SQS_MAX_MESSAGE_BYTES) {
      this.refused.push(`message of ${bytes} bytes exceeds SQS's ${SQS_MAX_MESSAGE_BYTES}`);
      // As SQS answers, so the function reacts as it would in production.
      throw Object.assign(new Error(`Message must be shorter than ${SQS_MAX_MESSAGE_BYTES} bytes.`), { name: 'InvalidParameterValue' });
    }
    this.enqueued.push(text);
    return { MessageId: `fuzz-${this.enqueued.length}` };
  }
}

/** Header names and values as Node's HTTP parser hands them over: names lower-cased, values without surrounding blanks. */
function parsedHeaders(headers: Record<string, string>): Record<string, string> {
  const parsed: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    // The parser refuses such a request before any handler runs: a generator that makes one is wrong.
    if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(value)) throw new Error(`header ${name} holds characters no HTTP request can carry`);
    parsed[name.toLowerCase()] = value.replace(/^[ \t]+|[ \t]+$/g, '');
  }
  return parsed;
}

export interface WebhookUnderTest {
  deliver(delivery: Delivery): Promise<Answer>;
  maxBodyBytes: number;
  stop(): void;
}

/**
 * Sets the function environment, mocks the SDK clients and imports the handler module (its deps are
 * built at import, as at a cold start). Call once per test file, in beforeAll.
 *
 * Requests go to the exported `rawHandler`, each in a metrics scope of its own as `instrument()` gives
 * it. Not through `handler` itself: its middy layers add nothing to the answer, and publishing the
 * scope warns on stdout for every request that records no metric (the 404s).
 */
export async function startWebhook(): Promise<WebhookUnderTest> {
  const savedEnv = { ...process.env };
  Object.assign(process.env, ENV);

  const queue = new OrdersQueue();
  const sqs = mockClient(SQSClient);
  sqs.on(SendMessageCommand).callsFake((input: { MessageBody?: string }) => queue.offer(input.MessageBody));
  sqs.on(SendMessageBatchCommand).rejects(new Error('the webhook sends one message per delivery'));

  const table = new Map(MAPPINGS.map((m) => [`${storePk(m.storeId)}|${productSk(m.productId)}`, { pk: storePk(m.storeId), sk: productSk(m.productId), ...m }]));
  let catalogReads = 0;
  const dynamo = mockClient(DynamoDBDocumentClient);
  dynamo.on(BatchGetCommand).callsFake((input: { RequestItems?: Record<string, { Keys?: Array<Record<string, unknown>> }> }) => {
    catalogReads++;
    const keys = input.RequestItems?.[TABLE_NAME]?.Keys ?? [];
    const items = keys.flatMap((k) => table.get(`${String(k.pk)}|${String(k.sk)}`) ?? []);
    return { Responses: { [TABLE_NAME]: items }, UnprocessedKeys: {} };
  });

  // The edge dedupe's delivery markers, with the conditions of adapters/dynamo/delivery-dedupe.ts: a
  // replay of a delivery that was taken finds its marker DONE.
  const markers = new Map<string, { state: string; until?: number }>();
  dynamo.on(UpdateCommand).callsFake((input: { Key: { pk: string }; ExpressionAttributeValues: Record<string, unknown> }) => {
    const key = input.Key.pk;
    const values = input.ExpressionAttributeValues;
    if (values[':done'] !== undefined) {
      markers.set(key, { state: 'DONE' });
      return {};
    }
    const marker = markers.get(key);
    if (marker && (marker.state === 'DONE' || (marker.until ?? 0) >= (values[':now'] as number))) {
      throw Object.assign(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }), { Item: marshall({ pk: key, ...marker }) });
    }
    markers.set(key, { state: 'IN_PROGRESS', until: values[':until'] as number });
    return {};
  });
  dynamo.on(DeleteCommand).callsFake((input: { Key: { pk: string } }) => {
    markers.delete(input.Key.pk);
    return {};
  });

  const { rawHandler } = await import('#functions/webhook/handler');
  const { newMetrics, withMetrics } = await import('#wiring/powertools');
  const { loadConfig } = await import('#wiring/config');
  const maxBodyBytes = loadConfig().MAX_WEBHOOK_BYTES;
  // One never-connected socket: toApiGatewayEvent only asks it for the peer address.
  const socket = new Socket();

  return {
    maxBodyBytes,
    async deliver(delivery) {
      queue.begin(credentialStrings(delivery));
      catalogReads = 0;
      const method = delivery.method ?? 'POST';
      const req = new IncomingMessage(socket);
      req.method = method;
      req.url = delivery.path;
      req.httpVersion = '1.1';
      req.headers = parsedHeaders(delivery.headers);
      const event = toApiGatewayEvent(req, delivery.body, `${method} ${new URL(delivery.path, 'http://localhost').pathname}`);
      const result = await withMetrics(newMetrics(), () => rawHandler(event)).catch(() => INTEGRATION_FAILURE);
      const headers = (result.headers ?? {}) as Record<string, unknown>;
      return {
        statusCode: result.statusCode ?? 200,
        contentType: typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined,
        text: result.body ?? '',
        enqueued: queue.enqueued,
        refused: queue.refused,
        catalogReads,
      };
    },
    stop() {
      sqs.restore();
      dynamo.restore();
      socket.destroy();
      for (const key of Object.keys(ENV)) delete process.env[key];
      Object.assign(process.env, savedEnv);
    },
  };
}

/** The response body every answer has: `result` on a 2xx that ingested, `error` on a 4xx. */
export interface AnswerBody {
  ok: boolean;
  error?: string;
  result?: { outcome?: string };
}

const STACK_FRAME = /\bat\s+[^\s()]+\s+\([^)]*:\d+:\d+\)|\bat\s+[^\s()]+:\d+:\d+/;
const FILE_PATH = /(?:[\w.-]*\/)+[\w.-]+\.(?:ts|js|mjs|cjs)\b|node:internal|node_modules/;
const ERROR_CLASS = /\b[A-Z]\w*(?:Error|Exception)\b/;

/**
 * The answer every request must get: 2xx or 4xx, a JSON object `{ ok, … }` that agrees with the
 * status, nothing that tells how the function is built, no echo of the body or the credentials, and
 * one message at most, only on success. Returns the parsed body.
 */
export function expectSafeAnswer(answer: Answer, delivery: Delivery, planted: string): AnswerBody {
  const { statusCode, text } = answer;
  const fail = (why: string): never => {
    throw new Error(`${why} (status ${statusCode}, body ${text.slice(0, 300)})`);
  };
  if (!Number.isInteger(statusCode) || statusCode >= 500) fail('a 5xx answer');
  if (!((statusCode >= 200 && statusCode < 300) || (statusCode >= 400 && statusCode < 500))) fail('neither 2xx nor 4xx');
  // 429 is Zid's "retry later": only a failing dependency may cause it, and none fails here.
  if (statusCode === 429) fail('a retry-later answer although every dependency is up');
  if (answer.contentType !== 'application/json') fail('not labelled application/json');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    fail('a body that is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail('a body that is not a JSON object');
  const parsed = body as { ok?: unknown; error?: unknown; result?: { outcome?: string } };
  if (parsed.ok !== statusCode < 300) fail('`ok` disagrees with the status');
  if (STACK_FRAME.test(text)) fail('a stack frame in the body');
  if (FILE_PATH.test(text)) fail('a file path in the body');
  if (ERROR_CLASS.test(text)) fail('an error class in the body');
  if (/temporarily unavailable/.test(text)) fail('an unexpected failure dressed as an answer');
  if (text.includes(planted)) fail('the planted marker echoed');
  if (credentialStrings(delivery).some((s) => text.includes(s))) fail('a credential echoed');
  if (answer.refused.length > 0) fail(`the queue was offered a message it must not take: ${answer.refused.join('; ')}`);
  // One message per delivery at most, and only for a 2xx; the outcome says whether there is one
  // (an outcome this harness does not know, such as HELD, may go either way).
  const outcome = parsed.result?.outcome;
  const expected = statusCode >= 300 || outcome === 'IGNORED' ? [0] : outcome === 'ENQUEUED' ? [1] : [0, 1];
  if (!expected.includes(answer.enqueued.length)) fail(`${answer.enqueued.length} message(s) for outcome ${String(outcome)}`);
  return parsed as AnswerBody;
}
