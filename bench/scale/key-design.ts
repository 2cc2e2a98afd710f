// The key design the scale model is run on: how many partition keys one SKU's code items and its
// available-index entries spread over. Everything else of the layout (functions/adapters/dynamo/keys.ts)
// is fixed here: only these two numbers change between the designs compared.
import { CODE_SHARDS } from '#adapters/dynamo/keys';
import { configDefault } from '#lib/config-contract';

export interface KeyDesign {
  name: string;
  /** Partition keys of one SKU's code items: 1 is `SKU#<sku>` (before sharding), N is `CODES#<sku>#<shard>`. */
  codeItemShards: number;
  /** Partition keys of one SKU in the `available` index, `AVAIL#<sku>#<shard>`. */
  availableShards: number;
}

/** The layout before code items were sharded: every code of a SKU under `SKU#<sku>`, beside its config, reorders and fill lease. */
export const onePartitionDesign = (): KeyDesign => ({ name: 'one partition', codeItemShards: 1, availableShards: configDefault('AVAILABLE_SHARDS') });

/** The layout built: code items in CODE_SHARDS partitions `CODES#<sku>#<shard>` (keys.ts), the index as deployed. */
export const builtDesign = (): KeyDesign => ({ name: 'sharded', codeItemShards: CODE_SHARDS, availableShards: configDefault('AVAILABLE_SHARDS') });

/** A candidate for the shard search: code items and index both in `shards` partitions. */
export const shardedDesign = (shards: number): KeyDesign => ({ name: 'sharded', codeItemShards: shards, availableShards: shards });

/**
 * What a request touches, by the kind of partition key. `sku` keys are shared by every order of the SKU
 * on sale, `store` keys by every order of one store; `unique` keys by one order (or one customer) only,
 * so they are never hot and count only towards the table's total.
 */
export type KeyClass = 'code' | 'skuItems' | 'avail' | 'backorder' | 'store' | 'pace' | 'order' | 'delivery' | 'velocity';

export interface KeyPlacement {
  /** The partition key as written in docs/architecture.md. */
  pk: string;
  index: 'table' | 'available';
  scope: 'sku' | 'store' | 'unique';
  /** How many such keys one SKU (or store) spreads this load over. */
  shards: number;
}

export function placementOf(key: KeyClass, design: KeyDesign): KeyPlacement {
  switch (key) {
    case 'code':
      // One shard is the SKU's own key: its code items then share a partition with its config.
      return design.codeItemShards > 1
        ? { pk: 'CODES#<sku>#<shard>', index: 'table', scope: 'sku', shards: design.codeItemShards }
        : { pk: 'SKU#<sku>', index: 'table', scope: 'sku', shards: 1 };
    case 'skuItems':
      return { pk: 'SKU#<sku>', index: 'table', scope: 'sku', shards: 1 };
    case 'avail':
      return { pk: 'AVAIL#<sku>#<shard>', index: 'available', scope: 'sku', shards: design.availableShards };
    case 'backorder':
      return { pk: 'BACKORDER#<sku>', index: 'table', scope: 'sku', shards: 1 };
    case 'store':
      return { pk: 'STORE#<store>', index: 'table', scope: 'store', shards: 1 };
    case 'pace':
      return { pk: 'PACE#<platform>#<store>', index: 'table', scope: 'store', shards: 1 };
    case 'order':
      return { pk: 'ORDER#<store>#<order>', index: 'table', scope: 'unique', shards: 1 };
    case 'delivery':
      return { pk: 'DELIVERY#<id>', index: 'table', scope: 'unique', shards: 1 };
    case 'velocity':
      return { pk: 'VELOCITY#<identity hash>', index: 'table', scope: 'unique', shards: 1 };
  }
}
