// Per-store webhook credentials: one secret per store, named `<prefix><platform>/<storeId>`.
import type { Platform } from '#core/model';
import type { StoreWebhookSecret, WebhookSecretStore } from '#core/ports/platform';
import type { SecretReader } from './secrets';

export class SecretsWebhookSecretStore implements WebhookSecretStore {
  /** `appPrefix`: where an app-wide secret lives (`<appPrefix><platform>`), used for a store without its own (Salla signs an app's webhooks with one secret). */
  constructor(private readonly secrets: SecretReader, private readonly prefix: string, private readonly appPrefix?: string) {}

  async get(platform: Platform, storeId: string): Promise<StoreWebhookSecret | undefined> {
    // Store ids come from an unauthenticated body: never let them reach outside the prefix.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(storeId)) return undefined;
    const raw = (await this.secrets.get(`${this.prefix}${platform}/${storeId}`)) ?? (this.appPrefix ? await this.secrets.get(`${this.appPrefix}${platform}`) : undefined);
    if (!raw) return undefined;
    // A JSON object holds the fields; any other value (plain text, digits) is the Salla secret itself.
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as StoreWebhookSecret;
    } catch {
      // not JSON
    }
    return { secret: raw };
  }
}
