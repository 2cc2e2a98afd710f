// Reloadly Gift Cards: OAuth2 client credentials, orders idempotent by customIdentifier, cards by transaction.
import * as z from 'zod/mini';
import { defineSupplier } from '../supplier-module';
import { ReloadlySupplier } from './reloadly-supplier';

const nonEmpty = () => z.string().check(z.trim(), z.minLength(1));

export const reloadly = defineSupplier({
  name: 'reloadly',
  title: 'Reloadly',
  credentials: z.object({
    clientId: nonEmpty(),
    clientSecret: nonEmpty(),
    /** Required, so production is never chosen by accident. */
    environment: z.enum(['sandbox', 'production']),
    /** Printed on Reloadly's receipt. */
    senderName: z.optional(z.string()),
    /** Where Reloadly e-mails a copy of the cards; omitted by default. */
    recipientEmail: z.optional(z.string()),
  }),
  credentialsExample: '{"clientId":"…","clientSecret":"…","environment":"sandbox|production"}',
  // Endpoint overrides: only the local runtime sets them (the fake), the stack never does.
  config: z.object({ RELOADLY_BASE_URL: z.optional(z.string()), RELOADLY_AUTH_URL: z.optional(z.string()) }),
  create: (credentials, config) =>
    new ReloadlySupplier({ ...credentials, baseUrl: config.RELOADLY_BASE_URL, authUrl: config.RELOADLY_AUTH_URL }),
  local: () => import('./local'),
});
