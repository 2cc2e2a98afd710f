// The scale model in words and tables: a headline line and a compact table (README and latest.md), and
// the full section of latest.md (every partition and limit, the spike, the shard search, the inputs).
import type { LimitRow, RateResult, ScaleOutput } from './model';
import type { ScaleBenchResult } from './run-scale-model';

const n = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: digits });
/** Rounded down: a headroom of 1.999 must not read as the 2× a target asks for. */
const x = (headroom: number | null | undefined) => {
  if (headroom === null || headroom === undefined) return '–';
  const digits = headroom < 0.1 ? 3 : headroom < 10 ? 2 : headroom < 100 ? 1 : 0;
  return `${n(Math.floor(headroom * 10 ** digits) / 10 ** digits, digits)}×`;
};
const table = (head: string[], rows: Array<Array<string | number>>) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const code = (key: string) => `\`${key}\``;
/** Keys in a resource's name as code: a bare `<sku>` is an HTML tag to a Markdown renderer, and vanishes. */
const res = (resource: string) => resource.replace(/\S*#\S*/g, (key) => code(key));

/** A limit as "resource 0.2× (19,987/min)": its headroom and the orders/min it caps the SKU at. */
const limitCell = (row: LimitRow | null) => (row ? `${res(row.resource)} ${x(row.headroom)} (${n(row.capacityOrdersPerMin, 0)}/min)` : '–');

const describe = (out: ScaleOutput) =>
  out.design.codeItemShards > 1
    ? `code items under \`CODES#<sku>#<shard>\` (${out.design.codeItemShards} shards), index ${out.design.availableShards} shards`
    : `code items under \`SKU#<sku>\`, index ${out.design.availableShards} shards`;

const codeRow = (rate: RateResult) => rate.partitions.find((p) => p.classes.includes('code'))!;
const partition = (rate: RateResult, klass: string) => rate.partitions.find((p) => p.classes.includes(klass as never));
/** The index shard with least headroom (shard 0 carries the stock count's walks). */
const hottestIndexShard = (rate: RateResult) =>
  rate.partitions.filter((p) => p.index === 'available').sort((a, b) => Math.min(a.wcuHeadroom ?? Infinity, a.rcuHeadroom ?? Infinity) - Math.min(b.wcuHeadroom ?? Infinity, b.rcuHeadroom ?? Infinity))[0];
const partitionCell = (p: RateResult['partitions'][number] | undefined) => {
  if (!p) return '–';
  const loads = [p.wcu > 0 ? `${n(p.wcu, 0)} W ${x(p.wcuHeadroom)}` : '', p.rcu > 0 ? `${n(p.rcu, 0)} R ${x(p.rcuHeadroom)}` : ''].filter(Boolean);
  return `${code(p.key)}${p.keys > 1 ? ` ×${p.keys}` : ''}: ${loads.join(', ') || 'no load'}`;
};

const rateOf = (out: ScaleOutput, ordersPerMin: number) => out.rates.find((r) => r.ordersPerMin === ordersPerMin)!;

export function scaleHeadline(scale: ScaleBenchResult): string {
  const [current, sharded] = scale.designs;
  const s = scale.settings;
  const [low, high] = [Math.min(...s.ratesPerMin), Math.max(...s.ratesPerMin)];
  const codeAt = (out: ScaleOutput, rate: number) => rateOf(out, rate).limits.find((l) => l.kind === 'partition' && l.classes?.includes('code') && l.resource.endsWith('writes'));
  const c = codeAt(current, high);
  const choice = scale.sharding;
  const blockers = choice.blockers.map((b) => `${res(b.resource)} ${x(b.headroom)}${b.delays === 'store status' ? ' (store statuses only)' : ''}`);
  const firsts = [current, sharded].flatMap((out) => s.ratesPerMin.map((r) => rateOf(out, r).firstLimit?.resource));
  const sameFirst = firsts.every((f) => f === firsts[0]);
  const delivery = s.ratesPerMin.map((r) => n(rateOf(current, r).lambda.find((l) => l.fn === 'delivery')?.concurrency, 0));
  const spike = (out: ScaleOutput) => out.spike.map((sp) => `${n(sp.drainSeconds, 0)} s`).join(' / ');
  return (
    `- **Scale model on AWS (one SKU, ${s.storesInSale} store; computed from the request mix measured locally at ${n(scale.source.measuredAtOrdersPerMin, 0)} orders/min, not measured on AWS):** ` +
    `before the key change, ${n(current.perOrder.find((l) => l.key === 'code')?.wcu, 2)} write units per order on the SKU's code partition \`SKU#<sku>\`, so one SKU is throttled from ${n(c?.capacityOrdersPerMin, 0)} orders/min ` +
    `(headroom ${x(codeAt(current, low)?.headroom)} at ${n(low, 0)}/min, ${x(c?.headroom)} at ${n(high, 0)}/min). ` +
    (choice.shards
      ? `Code items as built, in ${sharded.design.codeItemShards} partitions \`CODES#<sku>#<shard>\` (the search's smallest power of two with ≥ ${choice.targetHeadroom}× on the partitions sharding spreads at ${n(choice.atOrdersPerMin, 0)}/min is ${choice.shards}): ${x(codeAt(sharded, high)?.headroom)}` +
        (blockers.length ? `; still under ${choice.targetHeadroom}× there: ${blockers.join(', ')}. ` : ', and every partition ≥ the target. ')
      : `No power of two up to ${sharded.design.codeItemShards} shards reaches ${choice.targetHeadroom}×. `) +
    (sameFirst && firsts[0]
      ? `First limit at both rates in both designs: ${res(firsts[0])}, reached at ${n(rateOf(current, high).firstLimit?.capacityOrdersPerMin, 0)} orders/min. `
      : `First limits: ${[current, sharded].map((out) => `${out.design.name} ${s.ratesPerMin.map((r) => limitCell(rateOf(out, r).firstLimit)).join(' / ')}`).join('; ')}. `) +
    `Delivery needs ${delivery.join(' / ')} concurrent invocations at the ${n(durationPerOrderMs(scale), 0)} ms per order measured locally (an upper bound for AWS). ` +
    `A ${n(s.spikeOrders, 0)}-order spike drains in ${spike(current)} (one partition) and ${spike(sharded)} (sharded), with MaximumConcurrency / without.`
  );
}

/** Delivery function time per order, as the model uses it. */
const durationPerOrderMs = (scale: ScaleBenchResult) => {
  const d = scale.mix.lambdaPerOrder.delivery;
  return d ? d.invocations * d.avgDurationMs : NaN;
};

/** One row per design and rate: the compact table of the README and of latest.md. */
export function scaleTable(scale: ScaleBenchResult): string {
  const rows = scale.designs.flatMap((out) =>
    out.rates.map((rate) => {
      const code = codeRow(rate);
      const config = partition(rate, 'skuItems');
      return [
        out.design.codeItemShards === 1 ? 'one partition (before)' : `sharded (${out.design.codeItemShards}, built)`,
        n(rate.ordersPerMin, 0),
        partitionCell(code),
        config === code ? '(the same key)' : partitionCell(config),
        partitionCell(hottestIndexShard(rate)),
        partitionCell(partition(rate, 'backorder')),
        n(rate.lambda.find((l) => l.fn === 'delivery')?.concurrency, 0),
        limitCell(rate.firstLimit),
        limitCell(rate.firstAwsLimit),
        limitCell(rate.firstPartitionLimit),
      ];
    }),
  );
  return table(
    ['design', 'orders/min', 'code items (W/R units/s, headroom)', '`SKU#<sku>` config', 'hottest index shard', '`BACKORDER#<sku>`', 'delivery concurrency', 'first limit', 'first AWS limit', 'first partition limit'],
    rows,
  );
}

/** The full section of latest.md. */
export function scaleSection(scale: ScaleBenchResult): string[] {
  const s = scale.settings;
  const out: string[] = ['', `## Scale model (the deployed stack on AWS, one SKU: computed, not measured)`, ''];
  const src = scale.source;
  out.push(
    `Request mix from ${src.mix}${src.measuredOn ? `, measured ${src.measuredOn.slice(0, 10)}` : ''}${src.commit ? ` at commit \`${src.commit.slice(0, 7)}\`` : ''}, at ${n(src.measuredAtOrdersPerMin, 0)} orders/min. ` +
      `Rates ${s.ratesPerMin.map((r) => n(r, 0)).join(' and ')} orders/min on one SKU from ${s.storesInSale} store; headroom = limit ÷ load (under 1: throttled); "/min" = the rate at which that limit is reached. ` +
      'Measured: requests per order and Lambda invocations and durations. Assumed: which key each request hits (read off the code), units per request (AWS billing rules), and the list below.',
    '',
    scaleTable(scale),
  );
  for (const design of scale.designs) {
    out.push('', `### ${design.design.name}: ${describe(design)}`, '');
    out.push(
      table(
        ['partition key', 'keys', 'holds', ...s.ratesPerMin.flatMap((r) => [`W/s at ${n(r, 0)}`, `R/s at ${n(r, 0)}`, `headroom at ${n(r, 0)}`])],
        design.rates[0].partitions.map((p, i) => [
          code(p.key) + (p.index === 'available' ? ' (index)' : ''),
          p.keys,
          p.serves.join(', '),
          ...design.rates.flatMap((rate) => {
            const row = rate.partitions[i];
            return [n(row.wcu, 0), n(row.rcu, 0), `${x(row.wcuHeadroom)} W, ${x(row.rcuHeadroom)} R`];
          }),
        ]),
      ),
    );
    out.push('', 'Every limit, tightest first:', '');
    const resources = design.rates[0].limits.map((l) => l.resource);
    out.push(
      table(
        ['resource', 'kind', 'holds up', 'limit', ...s.ratesPerMin.flatMap((r) => [`load at ${n(r, 0)}`, `headroom at ${n(r, 0)}`]), 'reached at orders/min'],
        resources.map((resource) => {
          const at = design.rates.map((rate) => rate.limits.find((l) => l.resource === resource)!);
          return [res(resource), at[0].kind, at[0].delays, `${n(at[0].limit, 0)} ${at[0].unit}`, ...at.flatMap((l) => [n(l.load, 1), x(l.headroom)]), n(at[0].capacityOrdersPerMin, 0)];
        }),
      ),
    );
    out.push(
      '',
      design.rates
        .map(
          (rate) =>
            `At ${n(rate.ordersPerMin, 0)}/min: delivery ${rate.deliveryKeepsUp ? 'keeps up' : '**does not keep up**'} within MaximumConcurrency ${n(scale.limits.deliveryMaxConcurrency.value, 0)} ` +
            `(reached ${n(rate.deliveryScaleUpSeconds, 0)} s after the first batches; it would keep up below ${n(rate.deliveryBudgetMsPerOrder, 0)} ms of delivery time per order), ` +
            `the webhook scales to its concurrency in ${n(rate.webhookScaleUpSeconds, 0)} s; the table takes ${n(rate.table.wcu, 0)} write and ${n(rate.table.rcu, 0)} read units/s, the index ${n(rate.table.indexWcu, 0)} and ${n(rate.table.indexRcu, 0)}.`,
        )
        .join(' '),
    );
    if (design.unmapped.length) out.push('', `Requests with no known partition (not in any load): ${design.unmapped.map(code).join(', ')}.`);
  }

  const [current] = scale.designs;
  out.push('', '### Lambda (the same in both designs)', '');
  out.push(
    table(
      ['function', 'invocations per order', 'ms per invocation', ...s.ratesPerMin.map((r) => `concurrency at ${n(r, 0)}`)],
      current.rates[0].lambda.map((l, i) => [l.fn, n(scale.mix.lambdaPerOrder[l.fn].invocations, 3), n(l.avgDurationMs), ...current.rates.map((rate) => n(rate.lambda[i].concurrency, 1))]),
    ),
  );

  out.push('', `### A spike of ${n(s.spikeOrders, 0)} orders on idle delivery`, '');
  out.push(
    table(
      ['design', 'cap', 'concurrency reached', 'scale-up s', 'drain s', 'orders/s', 'limited by'],
      scale.designs.flatMap((d) => d.spike.map((sp) => [d.design.name, sp.cap, n(sp.concurrency, 0), n(sp.scaleUpSeconds, 1), n(sp.drainSeconds, 1), n(sp.ordersPerSecond, 0), res(sp.limitedBy)])),
    ),
  );
  const admit = current.spike[0]?.webhookAdmitSeconds;
  out.push(
    '',
    `From ${n(scale.limits.sqsInitialConcurrency.value, 0)} concurrent batches, +${n(scale.limits.sqsScaleUpPerMinute.value, 0)} per minute, each delivering at the measured ${n(durationPerOrderMs(scale), 0)} ms per order. ` +
      `The webhook stage throttle (${n(scale.limits.webhookStageRps.value, 0)}/s, burst ${n(scale.limits.webhookStageBurst.value, 0)}) needs ${n(admit, 1)} s to let the spike in; the platforms retry what it refuses.`,
  );

  const choice = scale.sharding;
  out.push('', `### Shard count: the smallest power of two with ≥ ${choice.targetHeadroom}× on the partitions it spreads, at ${n(choice.atOrdersPerMin, 0)}/min`, '');
  out.push(table(['shards', 'code items and index, least headroom', 'any partition, least headroom'], choice.tried.map((t) => [t.shards, x(t.spreadHeadroom), `${x(t.worstPartitionHeadroom)} ${res(t.worstPartition ?? '')}`])));
  out.push(
    '',
    choice.shards === null
      ? 'No shard count up to the index maximum reaches the target.'
      : `Chosen: ${choice.shards}. ` +
          (choice.meetsTargetOnEveryPartition
            ? 'Every partition then has the target headroom.'
            : `Still under ${choice.targetHeadroom}× at that count, and no shard count moves them: ${choice.blockers.map((b) => `${res(b.resource)} ${x(b.headroom)} (holds up ${b.delays})`).join('; ')}.`),
  );

  out.push('', '### Sold out: every order joins the backorder FIFO (read off the code, not measured)', '');
  out.push(table(['orders/min', 'key', 'W/s', 'R/s', 'headroom', 'reached at orders/min'], scale.soldOut.map((r) => [n(r.ordersPerMin, 0), code(r.key), n(r.wcu, 0), n(r.rcu, 0), x(r.headroom), n(r.capacityOrdersPerMin, 0)])));

  const measured = scale.mix.measuredUnitsPerOrder;
  out.push('', '### Units per order, by key (modelled)', '');
  out.push(table(['key', 'partition key (one partition, before)', 'W per order', 'R per order', 'R per order on shard 0 only'], current.perOrder.map((l) => [l.key, code(l.pk), n(l.wcu, 3), n(l.rcu, 3), n(l.firstShardRcu, 3)])));
  out.push(
    '',
    `Modelled per order: ${n(current.tablePerOrder.wcu, 2)} write and ${n(current.tablePerOrder.rcu, 2)} read units on the table, ${n(current.tablePerOrder.indexWcu, 2)} and ${n(current.tablePerOrder.indexRcu, 2)} on the index` +
      (measured ? `; DynamoDB Local reported ${n(measured.write, 2)} write and ${n(measured.read, 2)} read units (it reports nothing for index writes and 0 for a query that finds nothing).` : '.'),
  );

  out.push('', '### Inputs: limits and where they come from', '');
  out.push(table(['input', 'value', 'unit', 'source', 'note'], Object.entries(scale.limits).map(([name, l]) => [name, n(l.value, 0), l.unit, l.source, l.note ?? ''])));
  out.push('', 'Assumptions:', '', ...scale.assumptions.map((a) => `- ${a}`));
  return out;
}
