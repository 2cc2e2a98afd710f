// The scale model: what one SKU on sale at a given rate asks of each hot partition key, of Lambda and of
// the API, against the limits it would meet on AWS. Pure arithmetic on its inputs: the per-order request
// mix (measured by the E2E section), the limits (limits.ts) and the key design (key-design.ts). Every
// load is linear in the rate, so a headroom read at one rate gives the rate a resource caps the SKU at.
import { placementOf, type KeyClass, type KeyDesign } from './key-design';
import type { Limits } from './limits';
import { REQUEST_MAP, splitCounts, type CallSite } from './request-map';
import { drainSpike, type SpikeResult } from './spike';

export interface RequestMix {
  /** `<function>|<service>.<operation>` → requests per order. */
  requestsPerOrder: Record<string, number>;
  lambdaPerOrder: Record<string, { invocations: number; avgDurationMs: number }>;
  /** The rate the mix was measured at. */
  measuredAtOrdersPerMin: number;
  /** What DynamoDB Local reported per order, beside the model's own units (a check of the mapping). */
  measuredUnitsPerOrder?: { read: number; write: number };
}

export interface ScaleInputs {
  mix: RequestMix;
  limits: Limits;
  design: KeyDesign;
  ratesPerMin: number[];
  /** Orders already queued when delivery starts scaling from idle. */
  spikeOrders: number;
  /** Stores the sale's orders come from: per-store keys share the load. 1 is one merchant's flash sale. */
  storesInSale: number;
  /** Where each request lands; REQUEST_MAP unless a test says otherwise. */
  requestMap?: Record<string, CallSite[]>;
}

export interface PartitionRow {
  key: string;
  index: 'table' | 'available';
  scope: 'sku' | 'store';
  /** How many keys carry this row's load each (the shards of one SKU). */
  keys: number;
  /** What lives under the key. */
  serves: string[];
  classes: KeyClass[];
  wcu: number;
  rcu: number;
  wcuHeadroom: number | null;
  rcuHeadroom: number | null;
}

export type LimitKind = 'partition' | 'warm-up' | 'quota' | 'setting';

export interface LimitRow {
  resource: string;
  service: 'dynamodb' | 'lambda' | 'api';
  /** partition: fixed per key; warm-up: lifted by pre-warming; quota: raised on request; setting: this stack's own. */
  kind: LimitKind;
  /** What waits when it throttles: the customers' codes, or only the status written back to the store. */
  delays: 'codes' | 'store status';
  load: number;
  limit: number;
  unit: string;
  /** limit / load; null when nothing loads it. */
  headroom: number | null;
  /** The rate of this SKU's orders at which the limit is reached (loads are linear in the rate). */
  capacityOrdersPerMin: number | null;
  /** A partition's key classes (what the key design moves). */
  classes?: KeyClass[];
}

export interface LambdaRow {
  fn: string;
  invocationsPerSecond: number;
  avgDurationMs: number;
  concurrency: number;
}

export interface RateResult {
  ordersPerMin: number;
  ordersPerSecond: number;
  partitions: PartitionRow[];
  lambda: LambdaRow[];
  /** Every limit, least headroom first. */
  limits: LimitRow[];
  /** The limit with least headroom among those that hold up codes. */
  firstLimit: LimitRow | null;
  /** The limit with least headroom among AWS's own (not this stack's settings) that hold up codes. */
  firstAwsLimit: LimitRow | null;
  /** The per-partition limit with least headroom that holds up codes (no quota request lifts it). */
  firstPartitionLimit: LimitRow | null;
  /** The limit with least headroom among those that hold up only the store's status. */
  firstStoreStatusLimit: LimitRow | null;
  /** From 5 concurrent batches to the concurrency this rate needs (or the cap, when it needs more). */
  deliveryScaleUpSeconds: number;
  deliveryKeepsUp: boolean;
  /** Delivery function time per order at which MaximumConcurrency would just keep up with this rate. */
  deliveryBudgetMsPerOrder: number;
  webhookScaleUpSeconds: number;
  table: { wcu: number; rcu: number; indexWcu: number; indexRcu: number };
}

export interface KeyLoad {
  key: KeyClass;
  pk: string;
  /** Units per order on the key class as a whole (before sharding), and on its first shard alone. */
  wcu: number;
  rcu: number;
  firstShardWcu: number;
  firstShardRcu: number;
}

export interface ScaleOutput {
  design: KeyDesign;
  perOrder: KeyLoad[];
  /** Units per order on the base table and on the available index, as modelled. */
  tablePerOrder: { wcu: number; rcu: number; indexWcu: number; indexRcu: number };
  rates: RateResult[];
  spike: SpikeResult[];
  /** DynamoDB request kinds of the mix with no known partition: not in any load. */
  unmapped: string[];
}

const KEY_LABEL: Record<KeyClass, string> = {
  code: 'code items',
  skuItems: 'SKU config, reorders, fill lease',
  avail: 'available index',
  backorder: 'backorder FIFO',
  store: 'product map, store settings',
  pace: 'write-back pacer',
  order: 'order and units',
  delivery: 'webhook delivery marker',
  velocity: 'velocity counter',
};

const ratio = (limit: number, load: number) => (load > 0 ? limit / load : null);
const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Units per order on each key class, from the measured counts and where the code sends them. */
export function perOrderLoads(mix: RequestMix, design: KeyDesign, requestMap: Record<string, CallSite[]> = REQUEST_MAP): { loads: KeyLoad[]; unmapped: string[] } {
  const { sites, unmapped } = splitCounts(mix.requestsPerOrder, requestMap);
  const byKey = new Map<KeyClass, KeyLoad>();
  for (const { site, perOrder } of sites) {
    for (const touch of site.touches) {
      const load = byKey.get(touch.key) ?? { key: touch.key, pk: placementOf(touch.key, design).pk, wcu: 0, rcu: 0, firstShardWcu: 0, firstShardRcu: 0 };
      byKey.set(touch.key, load);
      if (touch.firstShard) {
        load.firstShardWcu += perOrder * (touch.wcu ?? 0);
        load.firstShardRcu += perOrder * (touch.rcu ?? 0);
      } else {
        load.wcu += perOrder * (touch.wcu ?? 0);
        load.rcu += perOrder * (touch.rcu ?? 0);
      }
    }
  }
  return { loads: [...byKey.values()], unmapped };
}

interface KeyGroup {
  pk: string;
  index: 'table' | 'available';
  scope: 'sku' | 'store';
  shards: number;
  classes: KeyClass[];
  /** Per order, spread over the shards / on shard 0 alone. */
  wcu: number;
  rcu: number;
  firstWcu: number;
  firstRcu: number;
}

/** Key classes that land on the same partition key under this design share its limit. */
function groupByPartition(loads: KeyLoad[], design: KeyDesign): KeyGroup[] {
  const groups = new Map<string, KeyGroup>();
  for (const load of loads) {
    const place = placementOf(load.key, design);
    if (place.scope === 'unique') continue;
    const id = `${place.index}|${place.pk}`;
    const group = groups.get(id) ?? { pk: place.pk, index: place.index, scope: place.scope, shards: place.shards, classes: [], wcu: 0, rcu: 0, firstWcu: 0, firstRcu: 0 };
    groups.set(id, group);
    group.classes.push(load.key);
    group.wcu += load.wcu;
    group.rcu += load.rcu;
    group.firstWcu += load.firstShardWcu;
    group.firstRcu += load.firstShardRcu;
  }
  return [...groups.values()];
}

function partitionRows(groups: KeyGroup[], ordersPerSecond: number, inputs: ScaleInputs): PartitionRow[] {
  const rows: PartitionRow[] = [];
  for (const g of groups) {
    const perKeyRate = ordersPerSecond / (g.scope === 'store' ? inputs.storesInSale : 1);
    const row = (key: string, keys: number, wcuPerOrder: number, rcuPerOrder: number): PartitionRow => {
      const wcu = perKeyRate * wcuPerOrder;
      const rcu = perKeyRate * rcuPerOrder;
      return {
        key,
        index: g.index,
        scope: g.scope,
        keys,
        serves: g.classes.map((c) => KEY_LABEL[c]),
        classes: g.classes,
        wcu,
        rcu,
        wcuHeadroom: ratio(inputs.limits.partitionWcu, wcu),
        rcuHeadroom: ratio(inputs.limits.partitionRcu, rcu),
      };
    };
    const shardOnly = g.firstWcu > 0 || g.firstRcu > 0;
    if (g.shards === 1) rows.push(row(g.pk.replace('<shard>', '0'), 1, g.wcu + g.firstWcu, g.rcu + g.firstRcu));
    else if (!shardOnly) rows.push(row(g.pk, g.shards, g.wcu / g.shards, g.rcu / g.shards));
    else {
      // Shard 0 carries the walks that start there on top of its share of the rest.
      rows.push(row(g.pk.replace('<shard>', '0'), 1, g.wcu / g.shards + g.firstWcu, g.rcu / g.shards + g.firstRcu));
      rows.push(row(g.pk.replace('<shard>', `<1…${g.shards - 1}>`), g.shards - 1, g.wcu / g.shards, g.rcu / g.shards));
    }
  }
  return rows;
}

/** Time for Lambda's SQS poller to go from its first batches to `target` concurrent invocations. */
export const sqsScaleUpSeconds = (target: number, limits: Limits) => Math.max(0, (target - limits.sqsInitialConcurrency) / (limits.sqsScaleUpPerMinute / 60));

/** Synchronous invocations (the webhook): the first 1,000 at once, then 1,000 more every 10 s. */
export const syncScaleUpSeconds = (target: number, limits: Limits) => Math.max(0, Math.ceil(target / limits.lambdaScalePer10s) - 1) * 10;

export function scaleModel(inputs: ScaleInputs): ScaleOutput {
  const { mix, limits, design } = inputs;
  const { loads, unmapped } = perOrderLoads(mix, design, inputs.requestMap);
  const groups = groupByPartition(loads, design);
  const tablePerOrder = { wcu: 0, rcu: 0, indexWcu: 0, indexRcu: 0 };
  for (const load of loads) {
    const onIndex = placementOf(load.key, design).index === 'available';
    tablePerOrder[onIndex ? 'indexWcu' : 'wcu'] += load.wcu + load.firstShardWcu;
    tablePerOrder[onIndex ? 'indexRcu' : 'rcu'] += load.rcu + load.firstShardRcu;
  }
  const fnSeconds = (fn: string) => (mix.lambdaPerOrder[fn] ? (mix.lambdaPerOrder[fn].invocations * mix.lambdaPerOrder[fn].avgDurationMs) / 1000 : 0);

  const rates = inputs.ratesPerMin.map((ordersPerMin): RateResult => {
    const ordersPerSecond = ordersPerMin / 60;
    const partitionsRaw = partitionRows(groups, ordersPerSecond, inputs);
    const lambda = Object.entries(mix.lambdaPerOrder).map(([fn, l]) => ({
      fn,
      invocationsPerSecond: ordersPerSecond * l.invocations,
      avgDurationMs: l.avgDurationMs,
      concurrency: ordersPerSecond * fnSeconds(fn),
    }));
    const rows: Array<Omit<LimitRow, 'headroom' | 'capacityOrdersPerMin'>> = [];
    for (const p of partitionsRaw) {
      const delays = p.classes.every((c) => c === 'pace') ? 'store status' : 'codes';
      const where = p.index === 'available' ? ' (index)' : '';
      const base = { service: 'dynamodb', kind: 'partition', delays, classes: p.classes } as const;
      if (p.wcu > 0) rows.push({ ...base, resource: `${p.key}${where} writes`, load: p.wcu, limit: limits.partitionWcu, unit: 'write units/s' });
      if (p.rcu > 0) rows.push({ ...base, resource: `${p.key}${where} reads`, load: p.rcu, limit: limits.partitionRcu, unit: 'read units/s' });
    }
    const table = {
      wcu: ordersPerSecond * tablePerOrder.wcu,
      rcu: ordersPerSecond * tablePerOrder.rcu,
      indexWcu: ordersPerSecond * tablePerOrder.indexWcu,
      indexRcu: ordersPerSecond * tablePerOrder.indexRcu,
    };
    rows.push(
      { resource: 'table writes, new on-demand table', service: 'dynamodb', kind: 'warm-up', delays: 'codes', load: table.wcu, limit: limits.tableColdWcu, unit: 'write units/s' },
      { resource: 'table reads, new on-demand table', service: 'dynamodb', kind: 'warm-up', delays: 'codes', load: table.rcu, limit: limits.tableColdRcu, unit: 'read units/s' },
      { resource: 'table writes, table quota', service: 'dynamodb', kind: 'quota', delays: 'codes', load: table.wcu, limit: limits.tableQuotaWcu, unit: 'write units/s' },
      { resource: 'table reads, table quota', service: 'dynamodb', kind: 'quota', delays: 'codes', load: table.rcu, limit: limits.tableQuotaRcu, unit: 'read units/s' },
    );
    const concurrencyOf = (fn: string) => lambda.find((l) => l.fn === fn)?.concurrency ?? 0;
    if (mix.lambdaPerOrder.delivery) {
      const load = concurrencyOf('delivery');
      rows.push(
        { resource: 'delivery concurrency, MaximumConcurrency', service: 'lambda', kind: 'setting', delays: 'codes', load, limit: limits.deliveryMaxConcurrency, unit: 'concurrent invocations' },
        { resource: 'delivery concurrency, SQS event source maximum', service: 'lambda', kind: 'quota', delays: 'codes', load, limit: limits.sqsMaxConcurrency, unit: 'concurrent invocations' },
      );
    }
    if (mix.lambdaPerOrder['write-back']) {
      rows.push({ resource: 'write-back concurrency, MaximumConcurrency', service: 'lambda', kind: 'setting', delays: 'store status', load: concurrencyOf('write-back'), limit: limits.writeBackMaxConcurrency, unit: 'concurrent invocations' });
    }
    const allConcurrency = lambda.reduce((sum, l) => sum + l.concurrency, 0);
    rows.push(
      { resource: 'Lambda account concurrency (all functions)', service: 'lambda', kind: 'quota', delays: 'codes', load: allConcurrency, limit: limits.lambdaAccountConcurrency, unit: 'concurrent executions' },
      { resource: 'webhook stage throttle', service: 'api', kind: 'setting', delays: 'codes', load: ordersPerSecond, limit: limits.webhookStageRps, unit: 'requests/s' },
      { resource: 'API Gateway account throttle', service: 'api', kind: 'quota', delays: 'codes', load: ordersPerSecond, limit: limits.apiGatewayAccountRps, unit: 'requests/s' },
    );
    const limitRows = rows
      .map((r) => {
        const headroom = ratio(r.limit, r.load);
        return { ...r, load: round(r.load, 1), headroom: headroom === null ? null : round(headroom), capacityOrdersPerMin: headroom === null ? null : Math.round(ordersPerMin * headroom) };
      })
      .sort((a, b) => (a.headroom ?? Infinity) - (b.headroom ?? Infinity));
    const least = (keep: (r: LimitRow) => boolean) => limitRows.find((r) => r.headroom !== null && keep(r)) ?? null;
    const firstLimit = least((r) => r.delays === 'codes');
    const deliveryNeeds = concurrencyOf('delivery');
    return {
      ordersPerMin,
      ordersPerSecond: round(ordersPerSecond, 1),
      partitions: partitionsRaw.map((p) => ({ ...p, wcu: round(p.wcu, 1), rcu: round(p.rcu, 1), wcuHeadroom: p.wcuHeadroom && round(p.wcuHeadroom), rcuHeadroom: p.rcuHeadroom && round(p.rcuHeadroom) })),
      lambda: lambda.map((l) => ({ ...l, invocationsPerSecond: round(l.invocationsPerSecond, 1), concurrency: round(l.concurrency, 1) })),
      limits: limitRows,
      firstLimit,
      firstAwsLimit: least((r) => r.delays === 'codes' && r.kind !== 'setting'),
      firstPartitionLimit: least((r) => r.delays === 'codes' && r.kind === 'partition'),
      firstStoreStatusLimit: least((r) => r.delays === 'store status'),
      deliveryScaleUpSeconds: round(sqsScaleUpSeconds(Math.min(deliveryNeeds, limits.deliveryMaxConcurrency), limits), 1),
      deliveryKeepsUp: deliveryNeeds <= limits.deliveryMaxConcurrency,
      deliveryBudgetMsPerOrder: round((limits.deliveryMaxConcurrency / ordersPerSecond) * 1000, 1),
      webhookScaleUpSeconds: syncScaleUpSeconds(concurrencyOf('webhook'), limits),
      table: { wcu: round(table.wcu, 1), rcu: round(table.rcu, 1), indexWcu: round(table.indexWcu, 1), indexRcu: round(table.indexRcu, 1) },
    };
  });

  // A spike already waits in the queue: besides delivery's concurrency only the partitions its orders
  // write can hold up the drain (the table is assumed pre-warmed for a planned sale).
  const dynamoCap = rates[0]?.limits.find((r) => r.kind === 'partition' && r.delays === 'codes' && r.capacityOrdersPerMin !== null);
  const spike = drainSpike({
    orders: inputs.spikeOrders,
    secondsPerOrder: fnSeconds('delivery'),
    caps: [
      { label: `MaximumConcurrency ${limits.deliveryMaxConcurrency} (stack setting)`, concurrency: limits.deliveryMaxConcurrency },
      { label: 'no MaximumConcurrency (event-source maximum within the account)', concurrency: Math.min(limits.sqsMaxConcurrency, limits.lambdaAccountConcurrency) },
    ],
    dynamoCap: dynamoCap ? { resource: dynamoCap.resource, ordersPerSecond: dynamoCap.capacityOrdersPerMin! / 60 } : undefined,
    limits,
  });
  return {
    design,
    tablePerOrder: { wcu: round(tablePerOrder.wcu), rcu: round(tablePerOrder.rcu), indexWcu: round(tablePerOrder.indexWcu), indexRcu: round(tablePerOrder.indexRcu) },
    perOrder: loads.map((l) => ({ ...l, wcu: round(l.wcu), rcu: round(l.rcu), firstShardWcu: round(l.firstShardWcu), firstShardRcu: round(l.firstShardRcu) })),
    rates,
    spike,
    unmapped,
  };
}
