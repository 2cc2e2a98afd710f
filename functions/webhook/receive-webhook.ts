// From an HTTP request to an HTTP status: authenticate, interpret, ingest. No AWS types here.
import { AuthenticationError, InvalidPayloadError, QueueUnavailableError } from '#core/errors';
import { ingestWebhook, type IngestResult } from '#core/ingest-webhook';
import type { PlatformAdapter, WebhookRequest, WebhookSecretStore } from '#core/ports/platform';
import type { CatalogStore } from '#core/ports/catalog';
import type { OrderQueue } from '#core/ports/queues';

/** A platform as the webhook uses it: its adapter and the status it must be answered to retry later. */
export interface WebhookPlatform {
  adapter: PlatformAdapter;
  retryLaterStatus: number;
}

export interface WebhookDeps {
  platforms: Readonly<Record<string, WebhookPlatform>>;
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
    // Each platform's module says which status it retries on without holding it against the webhook.
    const retryLater = served.retryLaterStatus;
    if (err instanceof QueueUnavailableError) return reply(retryLater, err.message, { storeId });
    // Anything else (secret or table unreachable) is also "try again later", never a silent drop.
    return reply(retryLater, `temporarily unavailable: ${(err as Error).name}`, { storeId, failed: true });
  }
}
