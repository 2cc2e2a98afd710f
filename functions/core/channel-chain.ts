// Which channels reach a store's customers, in which order, and which of them send a reveal link:
// the store's settings where it has them, the deployment's defaults otherwise, always limited to the
// channels deployed (a store naming one that is not simply skips it).
import type { Contact, StoreSettings } from './model';
import type { ChannelStep } from './ports/channel';

export interface ChainDefaults {
  /** The deployed channels in their default order: every store may use these and no others. */
  channels: readonly string[];
  /** Channels that send a link by default. */
  linkChannels: readonly string[];
  /** Whether links can be issued at all (the reveal route is deployed). */
  linksAvailable: boolean;
}

export interface ChainLink {
  name: string;
  link: boolean;
}

export function resolveChain(settings: StoreSettings | undefined, defaults: ChainDefaults): ChainLink[] {
  const deployed = new Set(defaults.channels);
  const wanted = settings?.channels?.filter((name) => deployed.has(name)) ?? [];
  const names = wanted.length > 0 ? wanted : defaults.channels;
  const links = new Set(settings?.linkChannels ?? defaults.linkChannels);
  return [...new Set(names)].map((name) => ({ name, link: defaults.linksAvailable && links.has(name) }));
}

/** The steps that can reach this contact at all, in chain order. */
export const reachableSteps = (chain: readonly ChannelStep[], to: Contact): ChannelStep[] => chain.filter((step) => step.channel.canReach(to));

export const chainLabel = (chain: readonly ChannelStep[]): string => chain.map((step) => step.channel.name).join(' → ') || 'no channel';
