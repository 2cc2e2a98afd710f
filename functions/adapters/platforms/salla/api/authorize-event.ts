// Salla "Easy Mode": the merchant's tokens arrive in the `app.store.authorize` webhook event instead
// of an OAuth callback (on install and again on every app update). Parsed into the refresh's shape.
import * as z from 'zod/mini';
import { parseOrThrow } from '../../shared/issues';
import { idSchema, optionalText } from '../../shared/schema';
import type { SallaTokens } from './oauth';

const token = z.string().check(z.trim(), z.minLength(1));

/** Epoch seconds, as a number or a numeric string. */
const epochSeconds = z.pipe(
  z.transform((v: unknown) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v)),
  z.number().check(z.int(), z.positive()),
);

export const sallaAuthorizeEventSchema = z.looseObject({
  event: z.literal('app.store.authorize'),
  merchant: idSchema,
  created_at: z.optional(z.unknown()),
  data: z.looseObject({
    access_token: token,
    refresh_token: token,
    /** Absolute Unix time (seconds), not a duration. */
    expires: epochSeconds,
    scope: optionalText,
    token_type: optionalText,
  }),
});

/**
 * `{ storeId, tokens }` of an `app.store.authorize` delivery (already authenticated by the webhook
 * check). A wrong shape throws InvalidPayloadError naming paths only, never the tokens.
 */
export function parseSallaAuthorizeEvent(body: unknown): { storeId: string; tokens: SallaTokens } {
  const event = parseOrThrow(sallaAuthorizeEventSchema, body, 'Salla app.store.authorize payload is invalid');
  const { access_token, refresh_token, expires, scope } = event.data;
  return {
    storeId: event.merchant,
    tokens: {
      accessToken: access_token,
      refreshToken: refresh_token,
      expiresAt: new Date(expires * 1000).toISOString(),
      ...(scope ? { scope } : {}),
    },
  };
}
