// How many shards the code items need: the smallest power of two at which every partition the shard
// count spreads (code items, index entries) has the target headroom at the target rate. Partitions it
// does not spread are reported as what stays in the way, not hidden by a larger count.
import { shardedDesign, type KeyClass } from './key-design';
import { scaleModel, type ScaleInputs } from './model';

/** AVAILABLE_SHARDS' maximum (functions/wiring/config.ts): the index cannot be cut finer. */
export const MAX_SHARDS = 64;

const SPREAD_BY_SHARDS: ReadonlySet<KeyClass> = new Set(['code', 'avail']);

export interface ShardChoice {
  atOrdersPerMin: number;
  targetHeadroom: number;
  /** null: no power of two up to MAX_SHARDS reaches the target on the partitions it spreads. */
  shards: number | null;
  meetsTargetOnEveryPartition: boolean;
  /** Partitions still under the target at the chosen count: the shard count does not spread them. */
  blockers: Array<{ resource: string; headroom: number; delays: 'codes' | 'store status' }>;
  tried: Array<{ shards: number; spreadHeadroom: number | null; worstPartitionHeadroom: number | null; worstPartition: string | null }>;
}

export function chooseShards(inputs: Omit<ScaleInputs, 'design' | 'ratesPerMin'>, atOrdersPerMin: number, targetHeadroom: number): ShardChoice {
  const tried: ShardChoice['tried'] = [];
  for (let shards = 1; shards <= MAX_SHARDS; shards *= 2) {
    const [rate] = scaleModel({ ...inputs, design: shardedDesign(shards), ratesPerMin: [atOrdersPerMin] }).rates;
    const partitions = rate.limits.filter((r) => r.kind === 'partition' && r.headroom !== null);
    const spread = partitions.filter((r) => r.classes?.some((c) => SPREAD_BY_SHARDS.has(c)));
    const spreadHeadroom = spread.length ? Math.min(...spread.map((r) => r.headroom!)) : null;
    const worst = partitions[0] ?? null;
    tried.push({ shards, spreadHeadroom, worstPartitionHeadroom: worst?.headroom ?? null, worstPartition: worst?.resource ?? null });
    if (spreadHeadroom === null || spreadHeadroom >= targetHeadroom) {
      const blockers = partitions.filter((r) => r.headroom! < targetHeadroom).map((r) => ({ resource: r.resource, headroom: r.headroom!, delays: r.delays }));
      return { atOrdersPerMin, targetHeadroom, shards, meetsTargetOnEveryPartition: blockers.length === 0, blockers, tried };
    }
  }
  return { atOrdersPerMin, targetHeadroom, shards: null, meetsTargetOnEveryPartition: false, blockers: [], tried };
}
