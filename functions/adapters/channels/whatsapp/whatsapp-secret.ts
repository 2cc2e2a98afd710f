// The WhatsApp secrets: the system-user token the channel sends with (`{"token":"…"}`, or the bare
// token string Meta's Business Settings page hands out), and, apart, what checks the status webhooks.
import * as z from 'zod/mini';

export const WHATSAPP_SECRET_NAME = 'streamsync/channel/whatsapp';

export const WHATSAPP_SECRET_EXAMPLE = '{"token":"<system-user access token>"}';

const secretSchema = z.object({
  token: z.string().check(z.trim(), z.minLength(1)),
});

export type WhatsAppSecret = z.infer<typeof secretSchema>;

/** The secret's fields, or undefined when the value is neither shape (the caller names the secret, never its value). */
export function parseWhatsAppSecret(value: string): WhatsAppSecret | undefined {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{')) return trimmed === '' || /\s/.test(trimmed) ? undefined : { token: trimmed };
  try {
    const parsed = secretSchema.safeParse(JSON.parse(trimmed));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A secret of its own for the status webhook: the internet-facing function that checks Meta's posts
 * needs the app secret and the verify token, never the token that sends messages as the merchant.
 */
export const WHATSAPP_WEBHOOK_SECRET_NAME = 'streamsync/channel/whatsapp-webhook';

export const WHATSAPP_WEBHOOK_SECRET_EXAMPLE = '{"appSecret":"<app secret: signs the status webhooks>","verifyToken":"<any long random string, typed into the webhook settings too>"}';

const webhookSecretSchema = z.object({
  appSecret: z.string().check(z.trim(), z.minLength(1)),
  /** What Meta sends back when the merchant subscribes the status webhook (hub.verify_token). */
  verifyToken: z.optional(z.string().check(z.trim(), z.minLength(1))),
});

export type WhatsAppWebhookSecret = z.infer<typeof webhookSecretSchema>;

export function parseWhatsAppWebhookSecret(value: string): WhatsAppWebhookSecret | undefined {
  try {
    const parsed = webhookSecretSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
