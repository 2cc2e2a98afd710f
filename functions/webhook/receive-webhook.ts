// From an HTTP request to an HTTP status: authenticate, interpret, ingest. No AWS types here.
import { AuthenticationError, InvalidPayloadError, QueueUnavailableError } from '#core/errors';
import { ingestWebhook, type IngestResult } from '#core/ingest-webhook';
import type { Platform } from '#core/model';
import type { PlatformAdapter, WebhookRequest, WebhookSecretStore } from '#core/ports';
import type { CatalogStore, OrderQueue } from '#core/store-ports';

export interface WebhookDeps {
  adapters: Record<Platform, PlatformAdapter>;
  secrets: WebhookSecretStore;
  catalog: CatalogStore;
  orderQueue: OrderQueue;
  maxBodyBytes: number;
  now: () => Date;
}

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

export async function receiveWebhook(deps: WebhookDeps, platform: Platform, request: WebhookRequest): Promise<WebhookResponse> {
  if (request.rawBody.length > deps.maxBodyBytes) return reply(413, `body of ${request.rawBody.length} bytes exceeds ${deps.maxBodyBytes}`);
  const adapter = deps.adapters[platform];
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
    if (!secret) throw new AuthenticationError('store is not configured');
    if (!adapter.verify(request, secret)) throw new AuthenticationError('signature or credentials do not match');
    const intent = adapter.interpret(body);
    const result = await ingestWebhook({ catalog: deps.catalog, orderQueue: deps.orderQueue, now: deps.now }, intent);
    const response = reply(200, result.outcome === 'IGNORED' ? `ignored: ${result.reason}` : `enqueued ${result.kind}`, { storeId });
    response.body.result = result;
    return response;
  } catch (err) {
    if (err instanceof AuthenticationError) return reply(401, err.message, { storeId });
    if (err instanceof InvalidPayloadError) {
      const response = reply(400, `${err.message}: ${err.issues.join('; ')}`, { storeId });
      response.body = { ok: false, error: err.message, detail: err.issues };
      return response;
    }
    // Zid does not count 429 as a failed delivery (30 failures stop the webhook); Salla retries any non-2xx.
    const retryLater = platform === 'zid' ? 429 : 503;
    if (err instanceof QueueUnavailableError) return reply(retryLater, err.message, { storeId });
    // Anything else (secret or table unreachable) is also "try again later", never a silent drop.
    return reply(retryLater, `temporarily unavailable: ${(err as Error).name}`, { storeId, failed: true });
  }
}
