// Zid: webhooks authenticated with the Basic Auth credentials set on the subscription; paid = payment_status "paid".
import * as z from 'zod/mini';
import { createZidStoreApi } from './api/store-api';
import { definePlatform } from '../platform-module';
import { ZidAdapter } from './zid-adapter';

export const zid = definePlatform({
  name: 'zid',
  title: 'Zid',
  config: z.object({
    /** Country code for mobiles sent without one ("05…"). */
    ZID_DEFAULT_COUNTRY_CODE: z._default(z.string().check(z.regex(/^\d{1,3}$/)), '966'),
    // Endpoint overrides: only the local runtime sets them (the fakes), the stack never does.
    /** Manager API base. Default https://api.zid.sa/v1. */
    ZID_API_BASE_URL: z.optional(z.string()),
    /** OAuth server; the token endpoint is `<it>/oauth/token`. Default https://oauth.zid.sa. */
    ZID_OAUTH_URL: z.optional(z.string()),
  }),
  webhookSecret: {
    schema: z.object({ username: z.string().check(z.minLength(1)), password: z.string().check(z.minLength(1)) }),
    example: '{"username":"…","password":"…"}',
  },
  create: (config, shared) => new ZidAdapter({ defaultLocale: shared.defaultLocale, defaultCountryCode: config.ZID_DEFAULT_COUNTRY_CODE }),
  // Zid does not count 429 as a failed delivery; 30 failures in an hour would disable the webhook.
  retryLaterStatus: 429,
  setup: {
    storeIdLabel: 'storeId',
    webhookUrlHelp: 'Paste into the Zid webhook subscription (order events), with the Basic Auth username/password you stored',
    events: ['order.create', 'order.status.update', 'order.payment_status.update'],
  },
  storeApi: {
    create: (config, services) => createZidStoreApi(config, services),
    // 60 requests a minute per app per store, as a leaky bucket.
    budget: { burst: 60, perSecond: 1 },
  },
  local: () => import('./local'),
});
