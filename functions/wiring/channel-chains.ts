// Each store's channel chain: its settings from the table (read at most once a minute per container,
// a merchant's change takes effect within that), resolved against the channels this function has.
import { resolveChain, type ChainDefaults } from '#core/channel-chain';
import type { StoreSettings } from '#core/model';
import type { CatalogStore } from '#core/ports/catalog';
import type { ChannelChains, ChannelStep, DeliveryChannel } from '#core/ports/channel';
import { ttlCache } from './ttl-cache';

export class StoreChannelChains implements ChannelChains {
  private readonly defaults: ChainDefaults;
  /** The store's settings as this container last read them (also what the payment check uses). */
  readonly settingsFor: (storeId: string) => Promise<StoreSettings | undefined>;

  constructor(
    private readonly channels: ReadonlyMap<string, DeliveryChannel>,
    private readonly catalog: Pick<CatalogStore, 'getStoreSettings'>,
    options: { linkChannels: readonly string[]; linksAvailable: boolean; cacheMs: number; now?: () => number },
  ) {
    this.defaults = { channels: [...channels.keys()], linkChannels: options.linkChannels, linksAvailable: options.linksAvailable };
    this.settingsFor = ttlCache((storeId) => this.catalog.getStoreSettings(storeId), options.cacheMs, options.now);
  }

  async chainFor(storeId: string): Promise<ChannelStep[]> {
    const settings = await this.settingsFor(storeId);
    return resolveChain(settings, this.defaults).map(({ name, link }) => ({ channel: this.channels.get(name)!, link }));
  }
}
