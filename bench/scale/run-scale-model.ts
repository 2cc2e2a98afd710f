// The `scale` section: the scale model on today's key design and on the sharded one, side by side, from
// the request mix the E2E section measured (this run's, or the one in a results file). Pure computation:
// it measures nothing and takes milliseconds.
import { existsSync, readFileSync } from 'node:fs';
import type { CostEstimate } from '../cost/estimate';
import { chooseShards, type ShardChoice } from './choose-shards';
import { builtDesign, onePartitionDesign } from './key-design';
import { defaultLimits, LIMIT_INPUTS, type LimitInput, type LimitName, type Limits } from './limits';
import { scaleModel, type RequestMix, type ScaleOutput } from './model';
import { soldOutLoad, type SoldOutRow } from './sold-out';

export const SCALE_SETTINGS = {
  ratesPerMin: [10_000, 100_000],
  /** The sharded design must give at least this headroom on every partition at this rate. */
  targetHeadroom: 2,
  targetOrdersPerMin: 100_000,
  spikeOrders: 10_000,
  storesInSale: 1,
};

export type ScaleSettings = typeof SCALE_SETTINGS;

export interface ScaleSource {
  /** Where the request mix came from, in words. */
  mix: string;
  measuredAtOrdersPerMin: number;
  /** Date and commit of the run that measured it. */
  measuredOn?: string;
  commit?: string;
}

export interface ScaleBenchResult {
  source: ScaleSource;
  settings: ScaleSettings;
  limits: Record<LimitName, LimitInput>;
  mix: RequestMix;
  /** `one partition` (before the key change) first, then `sharded` (as built). */
  designs: ScaleOutput[];
  sharding: ShardChoice;
  soldOut: SoldOutRow[];
  assumptions: string[];
}

/** The model's inputs that are not measured, in words (also written into the results). */
export const SCALE_ASSUMPTIONS = [
  'Requests per order and Lambda invocations and durations are measured (the E2E fixed-rate phase, local engines); which partition key each request hits is read off the code (bench/scale/request-map.ts).',
  'Units per request follow AWS billing by consistency and item size (written items ≤ 1 KB, read items ≤ 4 KB, the code item with its sealed value included), not what DynamoDB Local reports: it reports 0 for a query that finds nothing and nothing for index writes.',
  'A consistent query that finds nothing (the backorder check of every order) is charged 1 read unit.',
  "The claim's removal of the code from the available index is 1 write unit on the index (an ordinary write, not doubled by the transaction).",
  'Loads are linear in the rate. The restock stream reads the SKU config and counts stock once per stream batch; scaled with the order rate as measured at the E2E rate, an upper bound (batches grow with the rate).',
  'Lambda concurrency = orders/s × invocations per order × duration, both measured locally on 2 shared cores: an upper bound for AWS, where batches also fill up (10 per delivery invocation) at these rates.',
  "One store sells the SKU: its per-store keys (STORE#, PACE#) carry the sale's whole load (settings.storesInSale).",
  "Shards share the load evenly (a code's shard is bits of its HMAC id); the stock count's walk always starts at shard 0.",
  'Stock is loaded before the sale: an import during it adds a 2-unit transactional put per code on its code-item partition, plus an index write.',
  'The spike is already queued and delivery idle when it starts; the table is pre-warmed (a new on-demand table serves 4,000 write units/s at once).',
  'Sold-out loads are read off the code (the E2E phase always had stock).',
];

export function mixFromCost(cost: CostEstimate): RequestMix {
  return {
    requestsPerOrder: cost.requestsPerOrder,
    lambdaPerOrder: cost.lambdaPerOrder,
    measuredAtOrdersPerMin: cost.fromPhase.ordersPerMin,
    measuredUnitsPerOrder: cost.dynamodbUnitsPerOrder,
  };
}

export function runScaleModel(mix: RequestMix, source: ScaleSource, settings: ScaleSettings = SCALE_SETTINGS, limits: Limits = defaultLimits()): ScaleBenchResult {
  const common = { mix, limits, spikeOrders: settings.spikeOrders, storesInSale: settings.storesInSale };
  const sharding = chooseShards(common, settings.targetOrdersPerMin, settings.targetHeadroom);
  // Before and after the key change; the search says whether the built shard count is enough.
  const designs = [onePartitionDesign(), builtDesign()].map((design) => scaleModel({ ...common, design, ratesPerMin: settings.ratesPerMin }));
  return {
    source,
    settings,
    limits: Object.fromEntries(Object.entries(LIMIT_INPUTS).map(([name, input]) => [name, { ...input, value: limits[name as LimitName] }])) as Record<LimitName, LimitInput>,
    mix,
    designs,
    sharding,
    soldOut: soldOutLoad(settings.ratesPerMin, limits),
    assumptions: SCALE_ASSUMPTIONS,
  };
}

/** The request mix of a results file, when it has one (its E2E section's cost figures). */
export function mixFromResultsFile(path: string, label = path): { mix: RequestMix; source: ScaleSource } | undefined {
  if (!existsSync(path)) return undefined;
  const results = JSON.parse(readFileSync(path, 'utf8')) as { cost?: CostEstimate; date?: string; commit?: string };
  if (!results.cost) return undefined;
  return {
    mix: mixFromCost(results.cost),
    source: { mix: `${label} (its E2E section)`, measuredAtOrdersPerMin: results.cost.fromPhase.ordersPerMin, measuredOn: results.date, commit: results.commit },
  };
}
