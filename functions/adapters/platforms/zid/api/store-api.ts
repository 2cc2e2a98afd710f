// Zid's manager API with each store's two tokens from the vault, refreshed under the per-store lock.
import type { StoreApi } from '#core/ports/store-api';
import type { StoreApiServices } from '../../platform-module';
import { appClientOf } from '../../shared/app-client';
import { zidTokenProvider } from './token-provider';
import { ZidStoreApi } from './zid-api';

export interface ZidApiConfig {
  ZID_API_BASE_URL?: string;
  ZID_OAUTH_URL?: string;
}

export function createZidStoreApi(config: ZidApiConfig, services: StoreApiServices): StoreApi {
  const tokens = zidTokenProvider({
    vault: services.vault,
    lock: services.lock,
    owner: services.owner,
    oauth: async () => ({ ...(await appClientOf(services, 'zid')), oauthUrl: config.ZID_OAUTH_URL }),
  });
  return new ZidStoreApi({ tokens, baseUrl: config.ZID_API_BASE_URL });
}
