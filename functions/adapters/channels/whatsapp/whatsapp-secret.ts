// The WhatsApp secret: the system-user token the channel sends with, and the app secret that signs
// status webhooks. JSON `{"token":"…","appSecret":"…","verifyToken":"…"}`; a bare token string is accepted too, as it is
// what Meta's Business Settings page hands out.
import * as z from 'zod/mini';

export const WHATSAPP_SECRET_NAME = 'streamsync/channel/whatsapp';

export const WHATSAPP_SECRET_EXAMPLE =
  '{"token":"<system-user access token>","appSecret":"<app secret, signs status webhooks>","verifyToken":"<any long random string, typed into the webhook settings too>"}';

const secretSchema = z.object({
  token: z.string().check(z.trim(), z.minLength(1)),
  appSecret: z.optional(z.string().check(z.trim(), z.minLength(1))),
  /** What Meta sends back when the merchant subscribes the status webhook (hub.verify_token). */
  verifyToken: z.optional(z.string().check(z.trim(), z.minLength(1))),
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
