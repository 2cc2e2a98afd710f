// Per-store webhook credentials: one secret per store, named `<prefix><platform>/<storeId>`.
import type { Platform } from '../../core/model';
import type { StoreWebhookSecret, WebhookSecretStore } from '../../core/ports';
import type { SecretReader } from './secrets';

export class SecretsWebhookSecretStore implements WebhookSecretStore {
  constructor(private readonly secrets: SecretReader, private readonly prefix: string) {}

  async get(platform: Platform, storeId: string): Promise<StoreWebhookSecret | undefined> {
    // Store ids come from an unauthenticated body: never let them reach outside the prefix.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(storeId)) return undefined;
    const raw = await this.secrets.get(`${this.prefix}${platform}/${storeId}`);
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as StoreWebhookSecret;
      return typeof parsed === 'object' && parsed ? parsed : undefined;
    } catch {
      // A plain string secret is the Salla webhook secret itself.
      return { secret: raw };
    }
  }
}
