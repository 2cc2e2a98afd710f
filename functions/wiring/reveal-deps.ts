// Composition of the reveal function: the grants, the code reader (so the code key) and a clock.
// Nothing else: the internet-facing page loads no queue, channel, supplier or alert topic.
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoRevealStore } from '#adapters/dynamo/reveal-store';
import { DynamoStockStore } from '#adapters/dynamo/stock-store';
import { revealTokens } from '#adapters/reveal/reveal-tokens';
import type { RevealDeps } from '#core/reveal-code';
import { createDynamoClient, createSecretReader } from './clients';
import { loadConfig, type Config } from './config';
import { memo } from './memo';
import { loadCodeVault } from './stores';

export async function createRevealDeps(config: Config, dynamo = createDynamoClient()): Promise<RevealDeps> {
  const db = createDocumentClient(dynamo);
  const vault = await loadCodeVault(config, createSecretReader(config));
  return {
    reveals: new DynamoRevealStore(db, config.TABLE_NAME),
    revealTokens,
    stock: new DynamoStockStore(db, config.TABLE_NAME, vault, { shards: config.AVAILABLE_SHARDS }),
    clock: { now: () => new Date() },
  };
}

/** The container's reveal dependencies, built on first use (the code key is a secret read). */
export const revealDeps = memo(() => createRevealDeps(loadConfig()));
