// Per-store webhook credentials: one secret per store, named `<prefix><platform>/<storeId>`.
// The store id comes from an unauthenticated body, so what an unknown id may cost is bounded here:
// a miss is remembered, and lookups of ids this container has not seen are rate limited.
import { StoreLookupThrottledError } from '#core/errors';
import type { Platform } from '#core/model';
import type { StoreWebhookSecret, WebhookSecretStore } from '#core/ports/platform';
import type { SecretReader } from './secrets';

export interface SecretCacheOptions {
  /** How long a found secret is reused before it is read again (a rotated secret takes effect then). */
  hitTtlMs: number;
  /** How long "no such store" is remembered: a store configured meanwhile is accepted after it. */
  missTtlMs: number;
  /** Ids remembered at most (hits and misses); the oldest go first. */
  maxEntries: number;
  /** Lookups of ids not remembered: a burst, then so many per second. */
  lookupBurst: number;
  lookupsPerSecond: number;
}

/**
 * Secrets Manager charges per `GetSecretValue`, and a missing secret is not cached by Powertools: at the
 * API's 300 requests/s throttle, random store ids would cost about $130 a day. With these bounds a
 * container reads at most 20 ids it never found at once, then one per 5 s (docs/security.md has the cost).
 */
export const DEFAULT_SECRET_CACHE: SecretCacheOptions = { hitTtlMs: 300_000, missTtlMs: 60_000, maxEntries: 10_000, lookupBurst: 20, lookupsPerSecond: 0.2 };

/** `own`: the store's own secret was found (not the app-wide one every id falls back to). */
type Entry = { value: StoreWebhookSecret | undefined; own: boolean; expiresAt: number };

export class SecretsWebhookSecretStore implements WebhookSecretStore {
  private readonly entries = new Map<string, Entry>();
  private tokens: number;
  private refilledAt: number;
  /** Secret reads this store made (for tests and the cost figures). */
  lookups = 0;

  /** `appPrefix`: where an app-wide secret lives (`<appPrefix><platform>`), used for a store without its own (Salla signs an app's webhooks with one secret). */
  constructor(
    private readonly secrets: SecretReader,
    private readonly prefix: string,
    private readonly appPrefix?: string,
    private readonly cache: SecretCacheOptions = DEFAULT_SECRET_CACHE,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.tokens = cache.lookupBurst;
    this.refilledAt = nowMs();
  }

  async get(platform: Platform, storeId: string): Promise<StoreWebhookSecret | undefined> {
    // Store ids come from an unauthenticated body: never let them reach outside the prefix.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(storeId)) return undefined;
    const name = `${platform}/${storeId}`;
    const now = this.nowMs();
    const known = this.entries.get(name);
    if (known && known.expiresAt > now) return known.value;
    // A store whose own secret was found before is read again when its entry expires, outside the
    // budget: unknown ids spending it cannot lock out a store this container has been serving. Any id
    // "finds" the app-wide secret, so that alone earns nothing.
    if (!known?.own && !this.takeLookup(now)) throw new StoreLookupThrottledError('too many unknown stores looked up: try again later');
    const { value, own } = await this.read(platform, storeId);
    this.remember(name, { value, own, expiresAt: now + (value ? this.cache.hitTtlMs : this.cache.missTtlMs) });
    return value;
  }

  private async read(platform: Platform, storeId: string): Promise<{ value: StoreWebhookSecret | undefined; own: boolean }> {
    this.lookups++;
    const ownRaw = await this.secrets.get(`${this.prefix}${platform}/${storeId}`);
    const raw = ownRaw ?? (this.appPrefix ? await this.secrets.get(`${this.appPrefix}${platform}`) : undefined);
    return { value: parsed(raw), own: Boolean(ownRaw) };
  }

  private takeLookup(now: number): boolean {
    this.tokens = Math.min(this.cache.lookupBurst, this.tokens + ((now - this.refilledAt) / 1000) * this.cache.lookupsPerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private remember(name: string, entry: Entry): void {
    // Re-inserted last: a Map iterates in insertion order, so the first key is the oldest.
    this.entries.delete(name);
    this.entries.set(name, entry);
    if (this.entries.size > this.cache.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** A JSON object holds the fields; any other value (plain text, digits) is the Salla secret itself. */
function parsed(raw: string | undefined): StoreWebhookSecret | undefined {
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as StoreWebhookSecret;
  } catch {
    // not JSON
  }
  return { secret: raw };
}
