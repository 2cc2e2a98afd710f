// Salla's admin API with each merchant's tokens from the vault, refreshed under the per-merchant lock.
import type { StoreApi } from '#core/ports/store-api';
import type { StoreApiServices } from '../../platform-module';
import { appClientOf } from '../../shared/app-client';
import { SallaStoreApi } from './salla-api';
import { sallaTokenProvider } from './token-provider';

export interface SallaApiConfig {
  SALLA_PAID_STATUSES: string[];
  SALLA_UNPAID_PAYMENT_METHODS: string[];
  SALLA_API_BASE_URL?: string;
  SALLA_ACCOUNTS_URL?: string;
}

export function createSallaStoreApi(config: SallaApiConfig, services: StoreApiServices): StoreApi {
  const tokens = sallaTokenProvider({
    vault: services.vault,
    lock: services.lock,
    owner: services.owner,
    oauth: async () => ({ ...(await appClientOf(services, 'salla')), accountsUrl: config.SALLA_ACCOUNTS_URL }),
  });
  return new SallaStoreApi({ tokens, paidRule: { paidStatuses: config.SALLA_PAID_STATUSES, unpaidPaymentMethods: config.SALLA_UNPAID_PAYMENT_METHODS }, baseUrl: config.SALLA_API_BASE_URL });
}
