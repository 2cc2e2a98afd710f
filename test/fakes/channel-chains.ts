// In-memory ChannelChains: one chain for every store unless a test gives a store its own.
import type { ChannelChains, ChannelStep, DeliveryChannel } from '#core/ports/channel';

export class FakeChannelChains implements ChannelChains {
  private readonly perStore = new Map<string, ChannelStep[]>();

  constructor(private fallback: ChannelStep[]) {}

  static of(...channels: DeliveryChannel[]): FakeChannelChains {
    return new FakeChannelChains(channels.map((channel) => ({ channel, link: false })));
  }

  /** The chain of every store without its own. */
  setDefault(steps: ChannelStep[]): void {
    this.fallback = steps;
  }

  setStore(storeId: string, steps: ChannelStep[]): void {
    this.perStore.set(storeId, steps);
  }

  async chainFor(storeId: string): Promise<ChannelStep[]> {
    return this.perStore.get(storeId) ?? this.fallback;
  }
}
