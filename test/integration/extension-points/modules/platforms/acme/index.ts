// Acme: webhooks carry the store's shared secret in X-Acme-Webhook-Secret; an order is paid when it says `paid: true`.
import * as z from 'zod/mini';
import { NO_CONFIG } from '#adapters/module-kit';
import { definePlatform } from '#adapters/platforms/platform-module';
import { AcmeAdapter } from './acme-adapter';

export const acme = definePlatform({
  name: 'acme',
  title: 'Acme',
  config: NO_CONFIG,
  webhookSecret: {
    schema: z.object({ secret: z.string().check(z.minLength(1)) }),
    example: '{"secret":"<Acme shared secret>"}',
  },
  create: (_config, shared) => new AcmeAdapter(shared.defaultLocale),
  // Acme retries 5xx answers with backoff and never disables a webhook for them.
  retryLaterStatus: 503,
  setup: {
    storeIdLabel: 'storeId',
    webhookUrlHelp: 'Paste into Acme admin → Settings → Webhooks, with the shared secret you stored',
    events: ['order.created', 'order.updated', 'order.cancelled', 'order.refunded'],
  },
  local: () => import('./local'),
});
