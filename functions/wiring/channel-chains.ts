// Each store's channel chain: its settings from the table (read at most once a minute per container,
// a merchant's change takes effect within that), resolved against the channels this function has.
import { resolveChain, type ChainDefaults } from '#core/channel-chain';
import type { StoreSettings } from '#core/model';
import type { CatalogStore } from '#core/ports/catalog';
import type { ChannelChains, ChannelStep, DeliveryChannel } from '#core/ports/channel';

interface Cached {
  settings: Promise<StoreSettings | undefined>;
  readAt: number;
}

export class StoreChannelChains implements ChannelChains {
  private readonly cache = new Map<string, Cached>();
  private readonly defaults: ChainDefaults;

  constructor(
    private readonly channels: ReadonlyMap<string, DeliveryChannel>,
    private readonly catalog: Pick<CatalogStore, 'getStoreSettings'>,
    options: { linkChannels: readonly string[]; linksAvailable: boolean; cacheMs: number; now?: () => number },
  ) {
    this.defaults = { channels: [...channels.keys()], linkChannels: options.linkChannels, linksAvailable: options.linksAvailable };
    this.cacheMs = options.cacheMs;
    this.now = options.now ?? Date.now;
  }

  private readonly cacheMs: number;
  private readonly now: () => number;

  async chainFor(storeId: string): Promise<ChannelStep[]> {
    const settings = await this.settingsOf(storeId);
    return resolveChain(settings, this.defaults).map(({ name, link }) => ({ channel: this.channels.get(name)!, link }));
  }

  private settingsOf(storeId: string): Promise<StoreSettings | undefined> {
    const now = this.now();
    const hit = this.cache.get(storeId);
    if (hit && now - hit.readAt < this.cacheMs) return hit.settings;
    const entry: Cached = { settings: this.catalog.getStoreSettings(storeId), readAt: now };
    this.cache.set(storeId, entry);
    entry.settings.catch(() => {
      if (this.cache.get(storeId) === entry) this.cache.delete(storeId);
    });
    return entry.settings;
  }
}
