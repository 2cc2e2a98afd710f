// The four ways of taking one code from a contended SKU that the claim benchmark compares. Each returns
// the claimed code id (never its value) and counts its index reads and its wasted (lost) writes.
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoClaimStore, type ClaimStoreOptions } from '#adapters/dynamo/claim-store';
import type { CodeVault } from '#adapters/crypto/code-vault';
import { candidateOf, type Candidate } from '#adapters/dynamo/claim-candidates';
import { codeKeyOf, newCodeKeyOf } from '#adapters/dynamo/items';
import { availPk } from '#adapters/dynamo/keys';
import { AVAILABLE_INDEX } from '#adapters/dynamo/table-schema';
import { tryClaimCode, type BenchUnit } from './claim-transaction';

export const STRATEGIES = ['naive', 'unsafe', 'sharded', 'ceiling'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export const STRATEGY_NOTES: Record<StrategyName, string> = {
  naive:
    'Query the available GSI for the first code (Limit 1, shards walked from 0 in order, no random start), then the same ' +
    '3-item claim transaction as sharded; on a lost race (condition failed or TransactionConflict) read again and retry.',
  unsafe:
    'Same read as naive, then the same 3-item transaction with NO condition on the code (read-then-write, as WooCommerce ' +
    'license plugins do); retried only when DynamoDB cancels it for a TransactionConflict.',
  sharded:
    'The real DynamoClaimStore.claim(unit, "NEW"), built as functions/wiring/stores.ts builds it, one store instance per claimer ' +
    '(one Lambda container each): sharded available GSI, random shard, start key and walk direction, candidatesPerRead per read; ' +
    'the candidates a claim did not need stay spare (spareTtlMs) for the same claimer\'s next claims, dropped at the first one found taken.',
  ceiling: 'The same 3-item claim transaction on code ids handed out in advance from memory: no read, no contention.',
};

/** What `sharded:one-partition` is (a row beside the four strategies). */
export const ONE_PARTITION_NOTE =
  'sharded on a SKU whose code items are all under its one partition key SKU#<sku>, as every code was stored before code items were ' +
  'sharded (CODES#<sku>#<0-15> since): the side-by-side baseline of that key change.';

export interface ClaimStrategy {
  /** The strategy, or `sharded:<variant>` for a store built with other options (investigation only). */
  readonly name: string;
  /**
   * Claims one code for `unit` on behalf of claimer `worker`: its id, or undefined when it gave up
   * between attempts because the step is over.
   */
  claim(unit: BenchUnit, stop: () => boolean, worker: number): Promise<string | undefined>;
  /** Totals since the strategy was created. */
  counters(): { reads: number; wastedWrites: number };
}

export interface StrategyContext {
  db: DynamoDBDocumentClient;
  table: string;
  cipher: CodeVault;
  sku: string;
  shards: number;
  /** Overrides of the store's defaults (investigation only; none = production configuration). */
  storeOptions?: Partial<Omit<ClaimStoreOptions, 'shards'>>;
  /** Name of the variant these overrides make, e.g. `sharded:nospares`. */
  variant?: string;
  /** Ids of the SKU's seeded codes (the ceiling hands them out). */
  codeIds: readonly string[];
  /** The SKU's codes were seeded under its one partition, as before sharding (the ceiling must know where they are). */
  legacyKeys?: boolean;
}

/** Where a seeded code's item is: its shard, or the SKU's one partition for the baseline. */
const seededCandidate = (ctx: StrategyContext, codeId: string): Candidate => ({
  codeId,
  codeKey: (ctx.legacyKeys ? codeKeyOf({ sku: ctx.sku, codeId }) : newCodeKeyOf(ctx.sku, codeId)).pk,
});

/** The store exactly as functions/shared/container.ts builds it (plus optional overrides). */
export function productionStore(ctx: Pick<StrategyContext, 'db' | 'table' | 'shards' | 'storeOptions'>): DynamoClaimStore {
  return new DynamoClaimStore(ctx.db, ctx.table, { ...ctx.storeOptions, shards: ctx.shards });
}

/** The store's effective claim settings, for the record of settings. */
export function claimSettingsOf(store: DynamoClaimStore): { candidatesPerRead: number; maxReads: number; spareTtlMs: number } {
  return store.settings;
}

/** Each claimer gets its own store, as each concurrent claimer in production is its own Lambda container. */
function sharded(ctx: StrategyContext): ClaimStrategy {
  const stores: DynamoClaimStore[] = [];
  return {
    name: ctx.variant ?? 'sharded',
    async claim(unit, _stop, worker) {
      const store = (stores[worker] ??= productionStore(ctx));
      const outcome = await store.claim(unit, 'NEW');
      if (outcome.result !== 'CLAIMED') throw new Error(`sharded claim ended ${outcome.result}`);
      return outcome.codeId;
    },
    counters: () => ({
      reads: stores.reduce((sum, store) => sum + (store?.stats.indexReads ?? 0), 0),
      wastedWrites: stores.reduce((sum, store) => sum + (store?.stats.lostRaces ?? 0), 0),
    }),
  };
}

/** First available code id in index order: shard 0 first, the lowest sort key first. */
async function firstAvailable(ctx: StrategyContext, count: () => void): Promise<Candidate> {
  for (let shard = 0; shard < ctx.shards; shard++) {
    const res = await ctx.db.send(
      new QueryCommand({
        TableName: ctx.table,
        IndexName: AVAILABLE_INDEX.name,
        KeyConditionExpression: 'availPk = :p',
        ExpressionAttributeValues: { ':p': availPk(ctx.sku, shard) },
        Limit: 1,
      }),
    );
    count();
    const item = res.Items?.[0];
    if (item) return candidateOf(item);
  }
  throw new Error(`SKU ${ctx.sku} ran out of stock during the step`);
}

function readThenWrite(ctx: StrategyContext, name: 'naive' | 'unsafe'): ClaimStrategy {
  let reads = 0;
  let wastedWrites = 0;
  return {
    name,
    async claim(unit, stop) {
      for (;;) {
        const candidate = await firstAvailable(ctx, () => reads++);
        if ((await tryClaimCode(ctx.db, ctx.table, unit, candidate, name === 'naive')) === 'CLAIMED') return candidate.codeId;
        wastedWrites++;
        if (stop()) return undefined;
      }
    },
    counters: () => ({ reads, wastedWrites }),
  };
}

function ceiling(ctx: StrategyContext): ClaimStrategy {
  const pool = [...ctx.codeIds];
  let wastedWrites = 0;
  return {
    name: 'ceiling',
    async claim(unit) {
      for (let codeId = pool.pop(); codeId !== undefined; codeId = pool.pop()) {
        if ((await tryClaimCode(ctx.db, ctx.table, unit, seededCandidate(ctx, codeId))) === 'CLAIMED') return codeId;
        wastedWrites++;
      }
      throw new Error('ceiling: the handed-out codes ran out during the step');
    },
    counters: () => ({ reads: 0, wastedWrites }),
  };
}

export function createStrategy(name: StrategyName, ctx: StrategyContext): ClaimStrategy {
  switch (name) {
    case 'naive':
    case 'unsafe':
      return readThenWrite(ctx, name);
    case 'sharded':
      return sharded(ctx);
    case 'ceiling':
      return ceiling(ctx);
  }
}
