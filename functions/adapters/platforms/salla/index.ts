// Salla: webhooks signed with HMAC-SHA256 of the raw body (or the Token strategy), paid decided by status and payment method.
import * as z from 'zod/mini';
import { createSallaStoreApi } from './api/store-api';
import { definePlatform } from '../platform-module';
import { SallaAdapter } from './salla-adapter';

const csv = (fallback: string) =>
  z.pipe(
    z._default(z.string(), fallback),
    z.transform((s: string) => s.split(',').map((x) => x.trim()).filter(Boolean)),
  );

export const salla = definePlatform({
  name: 'salla',
  title: 'Salla',
  config: z.object({
    /** Status slugs that mean "paid". */
    SALLA_PAID_STATUSES: csv('completed,in_progress,delivering,delivered,shipped'),
    /** Payment methods that are never paid before review (bank transfer, cash on delivery). */
    SALLA_UNPAID_PAYMENT_METHODS: csv('bank,cod'),
    // Endpoint overrides: only the local runtime sets them (the fakes), the stack never does.
    /** Merchant API base. Default https://api.salla.dev/admin/v2. */
    SALLA_API_BASE_URL: z.optional(z.string()),
    /** OAuth server; the token endpoint is `<it>/oauth2/token`. Default https://accounts.salla.sa. */
    SALLA_ACCOUNTS_URL: z.optional(z.string()),
  }),
  webhookSecret: {
    schema: z.object({ secret: z.string().check(z.minLength(1)) }),
    example: '{"secret":"<Salla webhook secret>"}',
  },
  create: (config, shared) =>
    new SallaAdapter({ paidStatuses: config.SALLA_PAID_STATUSES, unpaidPaymentMethods: config.SALLA_UNPAID_PAYMENT_METHODS, defaultLocale: shared.defaultLocale }),
  // Salla retries any answer other than 200/201, three times about five minutes apart.
  retryLaterStatus: 503,
  setup: {
    storeIdLabel: 'merchantId',
    webhookUrlHelp: 'Paste into Salla Partners → your app → Webhooks (order events)',
    events: ['order.created', 'order.updated', 'order.status.updated', 'order.payment.updated', 'order.cancelled', 'order.refunded'],
  },
  storeApi: {
    create: (config, services) => createSallaStoreApi(config, services),
    // Salla Plus (the entry plan): 120 requests, then 1 a second leaks through; Pro and Special allow more (`stores set --api-burst`).
    budget: { burst: 120, perSecond: 1 },
  },
  local: () => import('./local'),
});
