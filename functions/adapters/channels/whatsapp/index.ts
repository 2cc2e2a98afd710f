// WhatsApp through Meta's Cloud API over HTTPS: one UTILITY template message per code, reveal link or
// backorder notice. docs/channels.md says why the Cloud API rather than AWS End User Messaging Social.
import * as z from 'zod/mini';
import { defineChannel } from '../channel-module';
import { whatsappDeploy } from './deploy-binding';
import { whatsappStatusWebhook } from './status-webhook';
import { WhatsAppChannel } from './whatsapp-channel';
import { WHATSAPP_SECRET_NAME } from './whatsapp-secret';

const templateName = (fallback: string) => z._default(z.string().check(z.regex(/^[a-z0-9_]{1,512}$/)), fallback);

export const whatsapp = defineChannel({
  name: 'whatsapp',
  config: z.object({
    WHATSAPP_GRAPH_VERSION: z._default(z.string().check(z.regex(/^v[1-9]\d*\.0$/)), 'v26.0'),
    WHATSAPP_PHONE_NUMBER_ID: z.string().check(z.regex(/^\d{1,32}$/)),
    WHATSAPP_TEMPLATE_CODE_AR: templateName('streamsync_code'),
    WHATSAPP_TEMPLATE_CODE_EN: templateName('streamsync_code'),
    WHATSAPP_TEMPLATE_BACKORDER_AR: templateName('streamsync_backorder'),
    WHATSAPP_TEMPLATE_BACKORDER_EN: templateName('streamsync_backorder'),
    WHATSAPP_TEMPLATE_LINK_AR: templateName('streamsync_code_link'),
    WHATSAPP_TEMPLATE_LINK_EN: templateName('streamsync_code_link'),
    WHATSAPP_TOKEN_SECRET_NAME: z._default(z.string().check(z.minLength(1)), WHATSAPP_SECRET_NAME),
    /** Only the local runtime overrides it (the fake Graph API). */
    WHATSAPP_BASE_URL: z._default(z.string().check(z.regex(/^https?:\/\/[^\s/]+/)), 'https://graph.facebook.com'),
    /** Per request; the delivery function's timeout bounds a batch of them. */
    WHATSAPP_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100), z.maximum(30_000)), 10_000),
  }),
  create: (config, runtime) =>
    new WhatsAppChannel(
      {
        baseUrl: config.WHATSAPP_BASE_URL,
        graphVersion: config.WHATSAPP_GRAPH_VERSION,
        phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID,
        templates: {
          code: { ar: config.WHATSAPP_TEMPLATE_CODE_AR, en: config.WHATSAPP_TEMPLATE_CODE_EN },
          backorder: { ar: config.WHATSAPP_TEMPLATE_BACKORDER_AR, en: config.WHATSAPP_TEMPLATE_BACKORDER_EN },
          link: { ar: config.WHATSAPP_TEMPLATE_LINK_AR, en: config.WHATSAPP_TEMPLATE_LINK_EN },
        },
        tokenSecretName: config.WHATSAPP_TOKEN_SECRET_NAME,
        timeoutMs: config.WHATSAPP_TIMEOUT_MS,
      },
      runtime.secrets,
    ),
  statusWebhook: whatsappStatusWebhook,
  deploy: whatsappDeploy,
  local: () => import('./local'),
});
