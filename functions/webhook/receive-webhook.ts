// From an HTTP request to an HTTP status: authenticate, interpret, ingest. No AWS types here.
import { createHash, randomBytes } from 'node:crypto';
import { AuthenticationError, InvalidPayloadError, QueueUnavailableError, StoreLookupThrottledError } from '#core/errors';
import { ingestWebhook, type IngestDeps, type IngestResult } from '#core/ingest-webhook';
import type { PlatformAdapter, WebhookRequest, WebhookSecretStore } from '#core/ports/platform';

/** A platform as the webhook uses it: its adapter and the status it must be answered to retry later. */
export interface WebhookPlatform {
  adapter: PlatformAdapter;
  retryLaterStatus: number;
}

export interface WebhookDeps extends IngestDeps {
  platforms: Readonly<Record<string, WebhookPlatform>>;
  secrets: WebhookSecretStore;
  maxBodyBytes: number;
}

/** One delivery's identity: the same bytes for the same store on the same platform are the same delivery. */
export const deliveryIdOf = (platform: string, storeId: string, rawBody: Buffer): string =>
  createHash('sha256').update(`${platform}\n${storeId}\n`).update(rawBody).digest('hex').slice(0, 40);

export interface WebhookResponse {
  statusCode: number;
  body: { ok: boolean; error?: string; detail?: string[]; result?: IngestResult };
  /** Why, for the log line. Never contains the body. */
  reason: string;
  storeId?: string;
  /** An unexpected failure (logged as an error). */
  failed?: boolean;
}

const reply = (statusCode: number, reason: string, extra: Partial<WebhookResponse> = {}): WebhookResponse => ({
  statusCode,
  body: statusCode < 300 ? { ok: true } : { ok: false, error: reason },
  reason,
  ...extra,
});

/**
 * Every authentication failure reads the same to the caller, so a 401 does not tell a configured store
 * from an unknown one (store enumeration) or which check failed; the log keeps the reason.
 */
export const UNAUTHORIZED = 'unauthorized';
/** Checked against when a store has no secret: random, so nothing ever passes it. */
const UNKNOWN_STORE_SECRET = { secret: randomBytes(32).toString('hex'), username: randomBytes(16).toString('hex'), password: randomBytes(32).toString('hex') };
const unauthorized = (reason: string, storeId: string): WebhookResponse => ({ statusCode: 401, body: { ok: false, error: UNAUTHORIZED }, reason, storeId });

const describe = (result: IngestResult): string => {
  switch (result.outcome) {
    case 'IGNORED':
      return `ignored: ${result.reason}`;
    case 'ENQUEUED':
      return `enqueued ${result.kind}`;
    case 'HELD':
      return `held: ${result.reason}`;
    case 'INSTALLED':
      return 'app installed: API tokens stored';
    case 'DUPLICATE':
      return `duplicate delivery (${result.state === 'DONE' ? 'already taken' : 'being taken'})`;
  }
};

export async function receiveWebhook(deps: WebhookDeps, platform: string, request: WebhookRequest): Promise<WebhookResponse> {
  const served = Object.hasOwn(deps.platforms, platform) ? deps.platforms[platform] : undefined;
  if (!served) return reply(404, 'no such webhook');
  if (request.rawBody.length > deps.maxBodyBytes) return reply(413, `body of ${request.rawBody.length} bytes exceeds ${deps.maxBodyBytes}`);
  const { adapter } = served;
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    return reply(400, 'body is not valid JSON');
  }
  const storeId = adapter.storeIdOf(body);
  if (!storeId) return reply(400, 'body names no store');
  try {
    const secret = await deps.secrets.get(platform, storeId);
    if (!secret) {
      // The same work as a wrong credential (an HMAC of the body), so timing does not tell the cases apart.
      adapter.verify(request, UNKNOWN_STORE_SECRET);
      throw new AuthenticationError('store is not configured');
    }
    if (!adapter.verify(request, secret)) throw new AuthenticationError("signature or credentials do not match (or not by the store's strategy)");
    const intent = adapter.interpret(body);
    // An install hands over API tokens: a replayable credential (a captured Token request) must not be enough.
    if (intent.type === 'AUTHORIZE' && !adapter.verifySignedBody?.(request, secret)) throw new AuthenticationError('an app install must be signed (Signature strategy)');
    const result = await ingestWebhook(deps, intent, deliveryIdOf(platform, storeId, request.rawBody));
    const response = reply(200, describe(result), { storeId });
    response.body.result = result;
    return response;
  } catch (err) {
    if (err instanceof AuthenticationError) return unauthorized(err.message, storeId);
    if (err instanceof InvalidPayloadError) {
      const response = reply(400, `${err.message}: ${err.issues.join('; ')}`, { storeId });
      response.body = { ok: false, error: err.message, detail: err.issues };
      return response;
    }
    // Each platform's module says which status it retries on without holding it against the webhook.
    const retryLater = served.retryLaterStatus;
    if (err instanceof StoreLookupThrottledError) return { statusCode: retryLater, body: { ok: false, error: 'try again later' }, reason: err.message, storeId };
    if (err instanceof QueueUnavailableError) return reply(retryLater, err.message, { storeId });
    // Anything else (secret or table unreachable) is also "try again later", never a silent drop.
    return reply(retryLater, `temporarily unavailable: ${(err as Error).name}`, { storeId, failed: true });
  }
}
