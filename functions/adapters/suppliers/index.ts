// Secondary adapters: the supplier registry. The restock function names a supplier (SkuConfig.supplier)
// and gets a `Supplier`; adding one is an adapter folder plus one line in `factories`.
import type { Supplier } from '#core/ports';
import { ReloadlySupplier } from './reloadly/index';

/** Endpoint overrides for local runs and tests (the fakes under local/). */
export interface SupplierOverrides {
  reloadlyBaseUrl?: string;
  reloadlyAuthUrl?: string;
}

type SupplierFactory = (credentials: Record<string, string>, overrides: SupplierOverrides) => Supplier;

const factories: Record<string, SupplierFactory> = {
  reloadly: (credentials, overrides) =>
    new ReloadlySupplier({
      clientId: required('reloadly', credentials, 'clientId'),
      clientSecret: required('reloadly', credentials, 'clientSecret'),
      environment: environmentOf(credentials),
      baseUrl: overrides.reloadlyBaseUrl,
      authUrl: overrides.reloadlyAuthUrl,
      senderName: credentials.senderName,
      recipientEmail: credentials.recipientEmail,
    }),
};

/** Names `createSupplier` accepts. */
export const supplierNames: readonly string[] = Object.keys(factories);

/**
 * The supplier adapter called `name`, configured from its credentials secret (a flat JSON object).
 * Reloadly: `{ "clientId", "clientSecret", "environment": "sandbox" | "production", "senderName"? }`.
 * Throws for an unknown name or missing credentials; the message never contains a credential value.
 */
export function createSupplier(name: string, credentials: Record<string, string>, overrides: SupplierOverrides = {}): Supplier {
  const factory = Object.prototype.hasOwnProperty.call(factories, name) ? factories[name] : undefined;
  if (!factory) {
    throw new Error(`Unknown supplier "${name}". Known suppliers: ${supplierNames.join(', ')}`);
  }
  return factory(credentials, overrides);
}

function required(supplier: string, credentials: Record<string, string>, key: string): string {
  const value = credentials[key];
  if (typeof value !== 'string' || !value.trim()) {
    throw new Error(`Supplier "${supplier}": credential "${key}" is missing`);
  }
  return value;
}

function environmentOf(credentials: Record<string, string>): 'sandbox' | 'production' {
  const value = credentials.environment;
  if (value === 'sandbox' || value === 'production') return value;
  throw new Error('Supplier "reloadly": credential "environment" must be "sandbox" or "production"');
}
