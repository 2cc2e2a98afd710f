// EZ PIN: a bearer token from client id + secret key, orders identified by our own UUID reference
// code (derived from the sub-reference), at most five cards per immediate order.
import * as z from 'zod/mini';
import { defineSupplier } from '../supplier-module';
import { EzpinSupplier } from './ezpin-supplier';

const nonEmpty = () => z.string().check(z.trim(), z.minLength(1));
/** A number in EZ PIN's panel: the secret may hold it as a JSON number or as a string of digits. */
const digits = () => z.union([z.string().check(z.trim(), z.regex(/^\d+$/)), z.int().check(z.nonnegative())]);

export const ezpin = defineSupplier({
  name: 'ezpin',
  title: 'EZ PIN',
  credentials: z.object({
    clientId: nonEmpty(),
    secretKey: nonEmpty(),
    /** Sub-user terminal and its PIN (EZ PIN panel → settings); sent with every order when set. */
    terminalId: z.optional(digits()),
    terminalPin: z.optional(digits()),
    /** For the merchant's records: EZ PIN has one host, a sandbox account differs by its keys. */
    environment: z.optional(z.enum(['sandbox', 'production'])),
  }),
  credentialsExample: '{"clientId":"…","secretKey":"…","terminalId":"… (optional)","terminalPin":"… (optional)"}',
  // Endpoint override: only the local runtime sets it (the fake), the stack never does.
  config: z.object({ EZPIN_BASE_URL: z.optional(z.string()) }),
  create: (credentials, config) => new EzpinSupplier({ ...credentials, baseUrl: config.EZPIN_BASE_URL }),
  local: () => import('./local'),
});
