// `stores add` / `stores list` / `stores set`: a store's platform API tokens (for Zid, or a Salla app in
// Custom Mode: Easy Mode stores them on install), their health, and how the store is written back to.
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { InvalidArgumentError, type Command } from 'commander';
import { SecretsManagerTokenVault, DEFAULT_TOKEN_SECRET_PREFIX } from '#adapters/aws/token-vault';
import { tokenHealth } from '#adapters/platforms/shared/locked-token-provider';
import { PLATFORMS } from '#adapters/platforms/registry';
import type { StoreSettings } from '#core/model';
import { CliError, EXIT } from '../errors';
import { storeOption, wholeNumber } from '../options';
import { renderFields, renderTable } from '../output';
import type { GlobalOptions, Session } from '../session';

const PLATFORM_NAMES = PLATFORMS.filter((p) => 'storeApi' in p).map((p) => p.name) as string[];

const platformName = (value: string): string => {
  if (!PLATFORM_NAMES.includes(value)) throw new InvalidArgumentError(`must be one of ${PLATFORM_NAMES.join(', ')}.`);
  return value;
};

const isoInstant = (value: string): string => {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new InvalidArgumentError('must be a date-time, e.g. 2027-01-15T10:00:00Z.');
  return new Date(ms).toISOString();
};

const amount = (value: string): number => {
  if (!/^\d+(\.\d+)?$/.test(value.trim())) throw new InvalidArgumentError('must be a number ≥ 0, e.g. 0 or 250.');
  return Number(value);
};

const prefix = () => process.env.STORE_TOKEN_SECRET_PREFIX || DEFAULT_TOKEN_SECRET_PREFIX;
const vault = () => new SecretsManagerTokenVault({ prefix: prefix() });

interface AddOptions extends GlobalOptions {
  platform: string;
  store: string;
  accessToken: string;
  refreshToken?: string;
  authorization?: string;
  expiresAt?: string;
}

export function registerStoreApi(stores: Command, session: Session): void {
  storeOption(stores.command('add').description("Store a store's platform API tokens (Zid, or a Salla app in Custom Mode), so it is written back to and its payments can be checked"))
    .requiredOption('--platform <name>', PLATFORM_NAMES.join(' or '), platformName)
    .requiredOption('--access-token <token>', "the merchant's access token (Zid: the manager token)")
    .option('--refresh-token <token>', 'the refresh token (single-use: StreamSync rotates it from now on; do not use it elsewhere)')
    .option('--authorization <token>', 'Zid only: the authorization token of the same OAuth answer')
    .option('--expires-at <time>', 'when the access token expires (ISO 8601)', isoInstant)
    .addHelpText(
      'after',
      `
The tokens go to Secrets Manager (${DEFAULT_TOKEN_SECRET_PREFIX}<platform>/<store>), replacing any stored
before (a new install starts a new chain). A Salla app in Easy Mode needs none of this: its
app.store.authorize webhook stores them. Tokens are never printed.

Example:
  $ npm run cli -- stores add --platform zid --store 80123 --access-token <manager token> --authorization <token> --refresh-token <token> --expires-at 2027-12-01T00:00:00Z
`,
    )
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<AddOptions>();
      if (options.platform === 'zid' && !options.authorization) throw new CliError('Zid needs --authorization too (both tokens of the OAuth answer).', EXIT.USAGE);
      await session.connect(options);
      await vault().write(options.platform, options.store, {
        accessToken: options.accessToken,
        ...(options.refreshToken ? { refreshToken: options.refreshToken } : {}),
        ...(options.authorization ? { authorization: options.authorization } : {}),
        ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
        updatedAt: new Date().toISOString(),
      });
      const health = tokenHealth(await vault().read(options.platform, options.store), Date.now());
      if (options.json) session.json({ platform: options.platform, storeId: options.store, tokens: health });
      else session.out(`Stored ${options.platform} store ${options.store}'s API tokens: ${health.state}${health.expiresAt ? `, expires ${health.expiresAt}` : ''}.`);
    });

  stores
    .command('list')
    .description('Stores with API tokens, and the health of each: OK, EXPIRING (refreshed at the next call), EXPIRED, NEEDS_REINSTALL')
    .addHelpText('after', '\nExample:\n  $ npm run cli -- --local stores list\n')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const deps = await (await session.connect(options)).deps();
      const names: string[] = [];
      const client = new SecretsManagerClient({});
      for (let token: string | undefined, first = true; first || token; first = false) {
        const page = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix()] }], NextToken: token }));
        names.push(...(page.SecretList ?? []).map((s) => s.Name ?? '').filter((n) => n.startsWith(prefix())));
        token = page.NextToken;
      }
      const rows = await Promise.all(
        names.sort().map(async (name) => {
          const [platform, storeId] = name.slice(prefix().length).split('/');
          const health = tokenHealth(await vault().read(platform, storeId), Date.now());
          return { platform, storeId, ...health, settings: await deps.catalog.getStoreSettings(storeId) };
        }),
      );
      if (options.json) return session.json(rows.map(({ settings, ...r }) => ({ ...r, writeBack: settings?.writeBack ?? 'on', verifyPaymentAbove: settings?.verifyPaymentAbove })));
      if (rows.length === 0) return session.out('No store has API tokens yet: install the app in the store (Salla Easy Mode) or run stores add.\n');
      session.out(
        renderTable(rows, [
          { header: 'PLATFORM', value: (r) => r.platform },
          { header: 'STORE', value: (r) => r.storeId },
          { header: 'TOKENS', value: (r) => r.state },
          { header: 'EXPIRES', value: (r) => r.expiresAt },
          { header: 'UPDATED', value: (r) => r.updatedAt },
          { header: 'WRITE-BACK', value: (r) => (r.settings?.writeBack === 'off' ? 'off' : (r.settings?.writeBackStatus ?? 'on')) },
          { header: 'CHECK PAID ABOVE', value: (r) => (r.settings?.verifyPaymentAbove ?? deploymentThreshold()) },
        ]),
      );
    });

  storeOption(stores.command('set').description('How the store is written back to and checked: status, API plan, payment check threshold'))
    .option('--write-back <on|off>', 'tell the store when an order is delivered', (v: string) => {
      if (v !== 'on' && v !== 'off') throw new InvalidArgumentError('must be on or off.');
      return v;
    })
    .option('--write-back-status <status>', "the status a delivered order gets instead of the platform's (Salla: a slug or custom status id; Zid: a status code)")
    .option('--api-burst <n>', "the store's API plan: requests in a burst (Salla Plus 120, Pro 360, Special 720; Zid 60)", wholeNumber(1, 100_000))
    .option('--api-per-second <n>', "the store's API plan: requests a second after the burst (1 on every documented plan)", wholeNumber(1, 1000))
    .option('--verify-payment-above <amount>', 'ask the store whether an order is paid before a code leaves when the SKU of a line is worth at least this (sku set --value or --price), or says nothing (0: every order)', amount)
    .addHelpText('after', '\nExample:\n  $ npm run cli -- stores set --store 1305146709 --api-burst 360 --verify-payment-above 200\n')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { store: string; writeBack?: 'on' | 'off'; writeBackStatus?: string; apiBurst?: number; apiPerSecond?: number; verifyPaymentAbove?: number }>();
      const deps = await (await session.connect(options)).deps();
      const existing = await deps.catalog.getStoreSettings(options.store);
      const changes: Partial<StoreSettings> = Object.fromEntries(
        Object.entries({ writeBack: options.writeBack, writeBackStatus: options.writeBackStatus, apiBurst: options.apiBurst, apiPerSecond: options.apiPerSecond, verifyPaymentAbove: options.verifyPaymentAbove }).filter(([, v]) => v !== undefined),
      );
      const settings = { ...existing, ...changes, storeId: options.store };
      await deps.catalog.putStoreSettings(settings);
      if (options.json) session.json(settings);
      else
        session.out(
          renderFields([
            ['store', options.store],
            ['write-back', settings.writeBack === 'off' ? 'off' : `on (${settings.writeBackStatus ?? "the platform's delivered status"})`],
            ['API plan', settings.apiBurst || settings.apiPerSecond ? `${settings.apiBurst ?? 'default'} + ${settings.apiPerSecond ?? 'default'}/s` : "the platform's entry plan"],
            ['check payment above', settings.verifyPaymentAbove ?? deploymentThreshold()],
          ]),
        );
    });
}

const deploymentThreshold = (): string => `${process.env.VERIFY_PAYMENT_ABOVE ?? 500} (the deployment's VERIFY_PAYMENT_ABOVE)`;
