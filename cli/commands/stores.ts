// `stores channels` / `stores show`: how a store's customers are reached — its channel chain (tried in
// order, the next one only when the previous failed for good or timed out) and which channels send a
// one-time reveal link instead of the code.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CHANNELS } from '#adapters/channels/registry';
import type { StoreSettings } from '#core/model';
import { CliError, EXIT } from '../errors';
import { storeOption } from '../options';
import { renderFields } from '../output';
import type { GlobalOptions, Session } from '../session';
import { registerStoreApi } from './store-api';

interface ChannelsOptions extends GlobalOptions {
  store: string;
  chain: string[];
  links?: string[];
  codes?: boolean;
}

const KNOWN = CHANNELS.map((c) => c.name) as string[];

/** `whatsapp,sms,email`: registered channel names, each once. */
export const channelList = (value: string): string[] => {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !KNOWN.includes(name));
  if (names.length === 0) throw new InvalidArgumentError('name at least one channel');
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown channel ${unknown.join(', ')} (known: ${KNOWN.join(', ')})`);
  if (new Set(names).size !== names.length) throw new InvalidArgumentError('a channel is named twice');
  return names;
};

export function registerStores(program: Command, session: Session): void {
  const stores = program.command('stores').description("Each store: its API tokens, write-back and payment check, channel chain and reveal links");
  registerStoreApi(stores, session);

  storeOption(stores.command('channels').description("Set the store's channel chain and which of its channels send a reveal link instead of the code"))
    .requiredOption('--chain <names>', `channels in the order they are tried, comma-separated (${KNOWN.join(', ')})`, channelList)
    .option('--links <names>', 'channels of the chain that send a one-time reveal link instead of the code (default: the deployment\'s REVEAL_LINK_CHANNELS)', channelList)
    .addOption(new Option('--codes', 'every channel sends the code itself: no reveal links').conflicts('links'))
    .addHelpText(
      'after',
      `
The next channel is tried only when the previous one refused the message for good (not on WhatsApp,
invalid number, template rejected) or timed out, and when a provider reports an accepted message as
failed (WhatsApp status callbacks). The same code goes out each time: a channel failure never takes a
second code. Channels the deployment does not have are skipped; the function reads the settings at
most once a minute (STORE_SETTINGS_CACHE_SECONDS).

Example:
  $ npx tsx cli/streamsync.ts --local stores channels --store 1305146709 --chain whatsapp,sms,email --links whatsapp,email
`,
    )
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<ChannelsOptions>();
      if (options.links) {
        const outside = options.links.filter((name) => !options.chain.includes(name));
        if (outside.length > 0) throw new CliError(`--links names ${outside.join(', ')}, which is not in --chain: a link channel must be one the store uses.`, EXIT.USAGE);
      }
      const settings: StoreSettings = {
        storeId: options.store,
        channels: options.chain,
        ...(options.codes ? { linkChannels: [] } : options.links ? { linkChannels: options.links } : {}),
      };
      const deps = await (await session.connect(options)).deps();
      const existing = await deps.catalog.getStoreSettings(options.store);
      await deps.catalog.putStoreSettings({ ...existing, ...settings });
      if (options.json) session.json({ ...existing, ...settings });
      else session.out(`Store ${options.store}: ${describe({ ...existing, ...settings }).join('; ')}.`);
      // The functions skip channels they do not have (and use the deployment's chain if none is left).
      const deployed = process.env.CHANNEL?.split(',');
      const missing = deployed ? options.chain.filter((name) => !deployed.includes(name)) : [];
      if (missing.length > 0 && !options.json) {
        session.err(`Note: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not deployed (CHANNEL=${process.env.CHANNEL}): skipped until deployed.\n`);
      }
    });

  storeOption(stores.command('show').description("Show the store's channel settings"))
    .addHelpText('after', '\nExample:\n  $ npx tsx cli/streamsync.ts --local stores show --store 1305146709\n')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { store: string }>();
      const deps = await (await session.connect(options)).deps();
      const settings = await deps.catalog.getStoreSettings(options.store);
      if (options.json) session.json(settings ?? { storeId: options.store });
      else session.out(renderFields([['store', options.store], ['channels', settings?.channels?.join(' → ') ?? deploymentDefault('CHANNEL', ' → ')], ['reveal links', linksOf(settings)]]));
    });
}

/** What the functions use when the store says nothing, when this CLI's environment knows it (always with --local). */
const deploymentDefault = (key: 'CHANNEL' | 'REVEAL_LINK_CHANNELS', joiner: string): string => {
  const value = process.env[key];
  return value ? `${value.split(',').join(joiner)} (the deployment's ${key})` : `the deployment's (${key})`;
};

const linksOf = (settings: StoreSettings | undefined): string =>
  settings?.linkChannels === undefined ? deploymentDefault('REVEAL_LINK_CHANNELS', ', ') : settings.linkChannels.length === 0 ? 'none (codes in the messages)' : settings.linkChannels.join(', ');

const describe = (settings: StoreSettings): string[] => [`channels ${settings.channels?.join(' → ')}`, `reveal links: ${linksOf(settings)}`];
