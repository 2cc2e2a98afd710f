// The WhatsApp status webhook behind the generic channel-status route: Meta's subscription check
// (hub.verify_token, compared in constant time) and signed status posts (X-Hub-Signature-256 over the
// raw bytes, keyed with the app secret). Both live in a secret of their own, not the sending token's.
import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidPayloadError } from '#core/errors';
import type { StatusWebhook } from '../channel-module';
import { SIGNATURE_HEADER, parseStatusCallbacks, verifyWhatsAppSignature } from './status-callbacks';
import { WHATSAPP_WEBHOOK_SECRET_NAME, parseWhatsAppWebhookSecret } from './whatsapp-secret';

const FORBIDDEN = { statusCode: 403, body: 'forbidden' };

/** Equal-length digests, so neither the length nor the first differing byte of the token leaks. */
const sameText = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

export const whatsappStatusWebhook: StatusWebhook = {
  secretName: WHATSAPP_WEBHOOK_SECRET_NAME,

  challenge(query, secret) {
    const expected = parseWhatsAppWebhookSecret(secret)?.verifyToken;
    const given = query['hub.verify_token'];
    const challenge = query['hub.challenge'];
    if (!expected || query['hub.mode'] !== 'subscribe' || typeof given !== 'string' || typeof challenge !== 'string' || !/^[\w-]{1,128}$/.test(challenge)) return FORBIDDEN;
    return sameText(given, expected) ? { statusCode: 200, body: challenge } : FORBIDDEN;
  },

  parse(rawBody, headers, secret) {
    const appSecret = parseWhatsAppWebhookSecret(secret)?.appSecret;
    if (!appSecret || !verifyWhatsAppSignature(rawBody, headers[SIGNATURE_HEADER], appSecret)) return 'UNAUTHORIZED';
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new InvalidPayloadError('WhatsApp webhook body is not JSON');
    }
    return parseStatusCallbacks(body);
  },
};
