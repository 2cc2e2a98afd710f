// The local stand-ins every registered adapter module brings: supplier APIs, channel providers (each
// writing what it accepts into the outbox, posting provider statuses to the local status route) and
// the demo stores' webhook secrets. What they need from the functions comes back as env vars and secrets.
import { statusPath, type ChannelModule, type OutboxSink } from '#adapters/channels/channel-module';
import { CHANNELS } from '#adapters/channels/registry';
import type { RunningFake } from '#adapters/module-kit';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerTokenVault } from '#adapters/aws/token-vault';
import type { PlatformModule, RunningStoreFake } from '#adapters/platforms/platform-module';
import { startFakeSecretsManager, type FakeSecretsManager } from './fake-secrets-manager';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './engines';
import { PLATFORMS } from '#adapters/platforms/registry';
import { SUPPLIERS } from '#adapters/suppliers/registry';
import type { RunningSupplierFake, SupplierModule } from '#adapters/suppliers/supplier-module';

export interface StandInOptions {
  /** Knobs of each supplier's fake, by supplier name. */
  suppliers?: Record<string, Record<string, unknown>>;
  /** Knobs of each channel's fake provider, by channel name. */
  channelFakes?: Record<string, Record<string, unknown>>;
  /** Where the local HTTP API listens (the channel fakes' status callbacks go there). */
  gatewayUrl: string;
  /** Knobs of each platform's API fake, by platform name (latency, rate limit, failure rate). */
  storeFakes?: Record<string, Record<string, unknown>>;
}

export interface StandIns {
  suppliers: Record<string, RunningSupplierFake>;
  channelFakes: Record<string, RunningFake>;
  /** Env vars that point the adapters at the fakes. */
  env: Record<string, string>;
  /** Secret values by name, for LOCAL_SECRETS_JSON. */
  secrets: Record<string, string>;
  /** Each platform's API fake, by platform name: the demo store is installed in it. */
  storeFakes: Record<string, RunningStoreFake>;
  /** Secrets Manager as the functions that write secrets (the store tokens) use it. */
  secretsManager: FakeSecretsManager;
}

/** Starts every module's stand-in; `stops` gets each one's stop, so a failure halfway still cleans up. */
export async function startStandIns(outbox: OutboxSink, options: StandInOptions, stops: Array<() => Promise<void>>): Promise<StandIns> {
  const secretsManager = await startFakeSecretsManager();
  stops.push(secretsManager.stop);
  const running: StandIns = { suppliers: {}, channelFakes: {}, env: { AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint }, secrets: {}, storeFakes: {}, secretsManager };
  for (const module of SUPPLIERS as readonly SupplierModule[]) {
    if (!module.local) continue;
    const fake = await (await module.local()).startFake(options.suppliers?.[module.name]);
    stops.push(fake.stop);
    running.suppliers[module.name] = fake;
    Object.assign(running.env, fake.env);
    running.secrets[`streamsync/supplier/${module.name}`] = JSON.stringify(fake.credentials);
  }
  for (const module of CHANNELS as readonly ChannelModule[]) {
    if (!module.local) continue;
    const callback = module.statusWebhook ? { callbackUrl: `${options.gatewayUrl}${statusPath(module.name)}` } : {};
    const fake = await (await module.local()).startFake(outbox, { ...callback, ...options.channelFakes?.[module.name] });
    stops.push(fake.stop);
    running.channelFakes[module.name] = fake;
    Object.assign(running.env, fake.env);
    Object.assign(running.secrets, fake.secrets);
  }
  const vault = new SecretsManagerTokenVault({
    client: new SecretsManagerClient({ endpoint: secretsManager.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  });
  for (const module of PLATFORMS as readonly PlatformModule[]) {
    const local = await module.local?.();
    const demo = local?.demo;
    if (demo) running.secrets[`streamsync/webhook/${module.name}/${demo.storeId}`] = JSON.stringify(demo.secret);
    if (!local?.startStoreFake) continue;
    const fake = await local.startStoreFake(options.storeFakes?.[module.name]);
    stops.push(fake.stop);
    running.storeFakes[module.name] = fake;
    Object.assign(running.env, fake.env);
    running.secrets[`streamsync/platform-app/${module.name}`] = JSON.stringify(fake.client);
    // The demo store has the app installed, as after a merchant's install: its tokens are in the vault.
    if (demo) await vault.write(module.name, demo.storeId, { ...fake.install(demo.storeId), updatedAt: new Date().toISOString() });
  }
  return running;
}
