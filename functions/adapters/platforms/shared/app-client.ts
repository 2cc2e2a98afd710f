// The platform app's OAuth client, which every refresh needs: missing, it is a configuration fault
// the merchant must fix, never a reason to spend a refresh token.
import { StoreApiError } from '#core/errors';
import type { StoreApiServices } from '../platform-module';

export async function appClientOf(services: StoreApiServices, platform: string): Promise<{ clientId: string; clientSecret: string }> {
  const client = await services.appCredentials();
  if (!client) throw new StoreApiError(`${platform}: the app's OAuth client is not configured (secret ${platform} app credentials missing)`, 'AUTH', false);
  return client;
}
