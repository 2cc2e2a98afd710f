// What simulated deliveries look like on the request path (the per-platform headers live with each
// platform's local hooks, functions/adapters/platforms/<name>/local.ts).
import type { WebhookRequest } from '#core/ports/platform';

/** What our simulated deliveries call themselves; the real Salla/Zid user agents are not documented. */
export const SIMULATOR_USER_AGENT = 'StreamSync-Webhook-Simulator/1.0';

/** A `WebhookRequest` as the webhook function builds it: header names lower-cased, body as raw bytes. */
export function toWebhookRequest(rawBody: string | Buffer, headers: Record<string, string | undefined>): WebhookRequest {
  const lower: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  return { headers: lower, rawBody: typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody };
}
