// BulkCodes: an API key, orders keyed by our reference, codes in the order's answer once fulfilled.
import * as z from 'zod/mini';
import { defineSupplier } from '#adapters/suppliers/supplier-module';
import { BulkCodesSupplier } from './bulkcodes-supplier';

export const bulkcodes = defineSupplier({
  name: 'bulkcodes',
  title: 'BulkCodes',
  credentials: z.object({ apiKey: z.string().check(z.trim(), z.minLength(1)) }),
  credentialsExample: '{"apiKey":"…"}',
  // Only the local runtime overrides the endpoint (its fake); the stack never sets it.
  config: z.object({ BULKCODES_BASE_URL: z._default(z.string(), 'https://api.bulkcodes.example/v1') }),
  create: (credentials, config) => new BulkCodesSupplier({ apiKey: credentials.apiKey, baseUrl: config.BULKCODES_BASE_URL }),
  local: () => import('./local'),
});
