// Builds the headers a real Salla / Zid delivery carries, for the local runtime, demos and tests.
// Not used on the request path in AWS.
import type { WebhookRequest } from '#core/ports';
import { sallaSignatureOf } from '#adapters/platforms/salla/salla-adapter';

/** What our simulated deliveries call themselves; the real Salla/Zid user agents are not documented. */
export const SIMULATOR_USER_AGENT = 'StreamSync-Webhook-Simulator/1.0';

/** Hex `X-Salla-Signature` of `rawBody` (the exact bytes that will be sent). */
export function sallaSignature(rawBody: string | Buffer, secret: string): string {
  return sallaSignatureOf(rawBody, secret).toString('hex');
}

/** Headers of a Salla delivery with the Signature strategy (the default strategy). */
export function sallaSignatureHeaders(rawBody: string | Buffer, secret: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': `Salla (${SIMULATOR_USER_AGENT})`,
    'X-Salla-Security-Strategy': 'Signature',
    'X-Salla-Signature': sallaSignature(rawBody, secret),
  };
}

/** Headers of a Salla delivery with the Token strategy: the secret itself in `Authorization`. */
export function sallaTokenHeaders(secret: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': `Salla (${SIMULATOR_USER_AGENT})`,
    'X-Salla-Security-Strategy': 'Token',
    Authorization: secret,
  };
}

/** Headers of a Zid delivery: HTTP Basic Auth with the credentials given when the webhook was created. */
export function zidBasicAuthHeaders(username: string, password: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': `Zid (${SIMULATOR_USER_AGENT})`,
    Authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`,
  };
}

/** A `WebhookRequest` as the webhook function builds it: header names lower-cased, body as raw bytes. */
export function toWebhookRequest(rawBody: string | Buffer, headers: Record<string, string | undefined>): WebhookRequest {
  const lower: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  return { headers: lower, rawBody: typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody };
}
