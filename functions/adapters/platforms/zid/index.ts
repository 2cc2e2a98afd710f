// Zid: webhooks authenticated with the Basic Auth credentials set on the subscription; paid = payment_status "paid".
import * as z from 'zod/mini';
import { definePlatform } from '../platform-module';
import { ZidAdapter } from './zid-adapter';

export const zid = definePlatform({
  name: 'zid',
  title: 'Zid',
  config: z.object({
    /** Country code for mobiles sent without one ("05…"). */
    ZID_DEFAULT_COUNTRY_CODE: z._default(z.string().check(z.regex(/^\d{1,3}$/)), '966'),
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
  local: () => import('./local'),
});
