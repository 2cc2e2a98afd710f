// The readable table of a results file: bench/results/latest.md and the README's Performance section.
import { BUNDLE_BYTES_BUDGET } from '#lib/bundling';
import type { BenchResults } from './results';
import { burstHeadline, burstSection } from '../burst/report';
import { importHeadline, importSection } from '../import/report';
import type { RestockBenchResult } from '../restock/run-restock-bench';
import { scaleHeadline, scaleSection } from '../scale/report';
import { pathsHeadline, pathsSection } from '../paths/report';

const n = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: digits });
const pass = (ok: boolean) => (ok ? 'met' : '**missed**');
const table = (head: string[], rows: Array<Array<string | number>>) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function headline(results: BenchResults): string {
  const lines: string[] = [];
  const t = results.claimDetails?.targets;
  if (t) {
    lines.push(
      `- **Claim at 64 claimers:** ours ${n(t.at64.oursVsNaive)}× naive (target ≥ ${t.at64.thresholds.oursVsNaive}×), ` +
        `${n(t.at64.oursVsCeiling, 2)}× the ceiling (≥ ${t.at64.thresholds.oursVsCeiling}×), ${n(t.at64.wastedWritesPerClaim, 3)} wasted writes per claim ` +
        `(≤ ${t.at64.thresholds.wastedWritesPerClaim}); ${t.at64.noDoubleClaims ? 'no double claims outside `unsafe`' : '**double claims found**'}: ${pass(t.at64.pass)}.`,
    );
    if (t.at64.shardedKeysVsOnePartition !== undefined) {
      lines.push(
        `- **Code items sharded (16 partitions per SKU) vs under the SKU's one partition, same claim, side by side at 64 claimers:** ` +
          `${n(t.at64.shardedKeysVsOnePartition, 2)}× the claims per second (target: no worse, ≥ 0.95×: ${pass(t.at64.shardedKeysVsOnePartition >= 0.95)}).`,
      );
    }
    lines.push(`- **Growth:** claim p50 with 100× the stock is ${n(t.growth.p50Ratio, 2)}× (target ≤ ${t.growth.threshold}×), reads per claim ${n(t.growth.readsPerClaimRatio, 2)}×: ${pass(t.growth.pass)}.`);
  }
  const e = results.e2e;
  if (e) {
    const f = e.fixedRate;
    lines.push(
      `- **End to end at ${n(f.ordersPerMin, 0)} orders/min for ${n(f.durationS, 0)} s:** payment → customer message p50 ${n(f.p50Ms, 0)} ms, ` +
        `p99 ${n(f.p99Ms, 0)} ms, max ${n(f.maxMs, 0)} ms (target p99 < 1 s: ${pass(f.p99Ms < 1000)}); webhook ack p50 ${n(f.ackP50Ms, 0)} ms, p99 ${n(f.ackP99Ms, 0)} ms; ` +
        `${f.lost} lost, ${f.doubleSold} double-sold of ${n(f.orders, 0)} orders. Floor (bare calls) ${n(f.floorMs)} ms: p50 / floor = ${n(f.p50OverFloor, 2)}.`,
    );
    lines.push(`- **Highest sustained rate locally:** ${n(e.maxSustainedOrdersPerMin, 0)} orders/min with p99 ≤ 3 s (${n(e.maxOrdersPerMinP99Under1s, 0)} orders/min with p99 < 1 s; target ≥ 10,000 or explained). Bottleneck: ${e.bottleneck}. Why: ${e.limit.text}`);
  }
  if (results.requestsPerOrder) lines.push(pathsHeadline(results.requestsPerOrder));
  const burst = results.burst && burstHeadline(results.burst);
  if (burst) lines.push(burst);
  const r = results.restock;
  if (r) {
    const s = r.settings;
    const bursts = r.comparison.map(
      (c) => `${c.burst} orders p99 ${n(c.demandP99Ms / 1000, 1)} s vs ${n(c.baselineP99Ms / 1000, 1)} s, ${n(c.p99Ratio, 2)}× (target ≤ ${n(c.targetP99Ms / 1000, 1)} s: ${pass(c.demandP99Ms <= c.targetP99Ms)})`,
    );
    const demand = r.rows.filter((row) => row.mode === 'demand');
    const beyond = demand.map((row) => `${row.boughtBeyondDemand}${row.settled ? '' : '+'}`);
    lines.push(
      `- **Restock from 0 stock (fake ${s.supplier}, ${s.supplierLatencyMs} ms per call, ${s.subOrderLimit} cards per sub-order):** payment → code with demand sizing vs the fixed-quantity baseline: ` +
        `${bursts.join('; ')}; codes bought beyond demand ${beyond.join(' / ')} (target ≤ ${s.sku.threshold}: ${pass(demand.every((row) => row.meetsWasteTarget))}).` +
        (r.rows.some((row) => row.sizing === null) ? ' This build does not read REORDER_SIZING: both modes ran the fixed rule.' : ''),
    );
  }
  const imported = results.import && importHeadline(results.import);
  if (imported) lines.push(imported);
  if (results.functions?.length) {
    const worst = results.functions.reduce((a, b) => (a.bundleBytes > b.bundleBytes ? a : b));
    const slowest = results.functions.reduce((a, b) => (a.initMs > b.initMs ? a : b));
    lines.push(
      `- **Cold start:** largest bundle ${worst.name} ${n(worst.bundleBytes / 1024)} KB (target < ${n(BUNDLE_BYTES_BUDGET / 1024, 0)} KB: ${pass(worst.bundleBytes < BUNDLE_BYTES_BUDGET)}), ` +
        `slowest init ${slowest.name} ${n(slowest.initMs, 0)} ms (target < 150 ms: ${pass(slowest.initMs < 150)}).`,
    );
  }
  if (results.cost) {
    lines.push(
      `- **Cost on AWS (${results.cost.prices.region}, on-demand, prices as of ${results.cost.prices.asOf}):** ` +
        `$${n(results.cost.infraUsdPer1000Orders, 4)} of infrastructure per 1,000 orders (target ≤ $0.01: ${pass(results.cost.infraUsdPer1000Orders <= 0.01)}), ` +
        `plus ${n(results.cost.messageFees.messagesPerOrder, 2)} customer message(s) per order at the channel's price.`,
    );
  }
  if (results.scale) lines.push(scaleHeadline(results.scale));
  return lines.join('\n');
}

export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const out: string[] = [
    `# StreamSync benchmark results (${results.mode})`,
    '',
    `${results.date} · commit \`${results.commit.slice(0, 12)}\`${results.dirty ? ' (with uncommitted changes)' : ''} · ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB · ${m.os} · Node ${m.node} · ${m.java ?? 'no java'}`,
    '',
    headline(results),
  ];
  if (results.claim?.length) {
    out.push('', '## Claim under contention (DynamoDB Local, one SKU)', '');
    out.push(
      table(
        ['strategy', 'claimers', 'stock', 'claims/s', 'p50 ms', 'p99 ms', 'wasted writes/claim', 'reads/claim', 'double claims'],
        results.claim.map((r) => [r.strategy, r.claimers, n(r.stockSize, 0), n(r.claimsPerSec, 0), n(r.p50Ms), n(r.p99Ms), n(r.wastedWritesPerClaim, 3), n(r.readsPerClaim, 2), r.doubleClaims]),
      ),
    );
    const growth = results.claimDetails?.growth ?? [];
    if (growth.length) {
      out.push('', 'Growth (ours, 64 claimers):', '');
      out.push(table(['stock', 'claims/s', 'p50 ms', 'p99 ms', 'reads/claim', 'wasted writes/claim'], growth.map((g) => [n(g.stockSize, 0), n(g.claimsPerSec, 0), n(g.p50Ms), n(g.p99Ms), n(g.readsPerClaim, 2), n(g.wastedWritesPerClaim, 3)])));
    }
  }
  if (results.e2e) {
    const e = results.e2e;
    out.push('', '## End to end (signed webhooks → local pipeline → outbox)', '');
    const phases = [{ name: 'fixed', step: e.fixedRate }, ...e.ramp.map((step) => ({ name: 'ramp', step }))];
    out.push(
      table(
        ['phase', 'orders/min', 's', 'orders', 'ack p50', 'ack p99', 'p50 ms', 'p99 ms', 'max ms', 'delivered/min', 'not delivered by cut-off', 'ack errors', 'CPU (cores)', 'event loop'],
        phases.map(({ name, step }) => [
          name,
          n(step.ordersPerMin, 0),
          n(step.durationS, 0),
          n(step.orders, 0),
          n(step.ack.p50Ms, 0),
          n(step.ack.p99Ms, 0),
          n(step.paymentToOutbox.p50Ms, 0),
          n(step.paymentToOutbox.p99Ms, 0),
          n(step.paymentToOutbox.maxMs, 0),
          n(step.deliveredPerMin, 0),
          step.lost,
          step.ackErrors,
          Object.entries(step.cpuCores).map(([k, v]) => `${k} ${n(v, 2)}`).join(', '),
          `${Math.round(step.eventLoopUtilization * 100)}%`,
        ]),
      ),
    );
    out.push('', `"Not delivered by cut-off": acknowledged orders with no customer message ${e.settings.fixed.drainMs / 1000} s (fixed rate) or ${e.settings.rampDrainMs / 1000} s (ramp) after the step's last send; the fixed-rate figure is the "lost" of the headline. A ramp step past saturation leaves a backlog that is still being delivered when the next check runs.`);
    out.push('', `Floor (median of ${e.floor.samples} sequential calls on the idle pipeline): queue send+receive+delete ${n(e.floor.queueSendReceiveDeleteMs)} ms + claim ${n(e.floor.claimMs)} ms + channel ${n(e.floor.channelMs)} ms = ${n(e.floor.floorMs)} ms.`);
    out.push('', `Sold check over the whole run: ${e.sold.unitsWithCode} units hold ${e.sold.distinctCodes} distinct codes (${e.sold.doubleSold} double-sold).`);
  }
  if (results.requestsPerOrder) out.push(...pathsSection(results.requestsPerOrder));
  if (results.burst) out.push(...burstSection(results.burst));
  if (results.restock) out.push(...restockSection(results.restock));
  if (results.import) out.push(...importSection(results.import));
  if (results.functions?.length) {
    out.push('', '## Cold start and size', '');
    out.push(table(['function', 'entry', 'bundle KB', 'init ms (median)', 'samples ms'], results.functions.map((f) => [f.name, `\`${f.entry}\``, n(f.bundleBytes / 1024), n(f.initMs, 0), f.initSamplesMs.map((s) => n(s, 0)).join(' ')])));
  }
  if (results.cost) {
    const c = results.cost;
    out.push('', `## Cost per 1,000 orders (${c.prices.region}, on-demand list prices as of ${c.prices.asOf})`, '');
    out.push(table(['service', 'US$ per 1,000 orders'], Object.entries(c.infraBreakdownUsdPer1000).map(([k, v]) => [k, n(v, 6)])));
    out.push('', `Total infrastructure: **$${n(c.infraUsdPer1000Orders, 5)}**. DynamoDB units per order: ${n(c.dynamodbUnitsPerOrder.write, 2)} write, ${n(c.dynamodbUnitsPerOrder.read, 2)} read. Logs ${n(c.logBytesPerOrder, 0)} bytes per order. ${c.messageFees.note}`);
    out.push('', 'Requests per order (`function|service.operation`):', '');
    out.push(table(['request', 'per order'], Object.entries(c.requestsPerOrder).sort().map(([k, v]) => [`\`${k}\``, n(v, 3)])));
  }
  if (results.scale) out.push(...scaleSection(results.scale));
  return out.join('\n') + '\n';
}

function restockSection(r: RestockBenchResult): string[] {
  const s = r.settings;
  const modeOf = (mode: string) => s.modes.find((m) => m.mode === mode)?.label ?? mode;
  const out = ['', `## Restock under a burst (one SKU at 0 stock, fake ${s.supplier} at ${s.supplierLatencyMs} ms per call)`, ''];
  out.push(
    table(
      ['mode', 'orders', 'delivered', 'p50 ms', 'p99 ms', 'max ms', 'target p99 ms', 'last ack ms', '1st backorder ms', 'backorder → 1st reorder ms', '→ 1st supplier call ms', '→ 1st POST ms', 'supplier requests', 'POST /orders', 'reorders (quantities)', 'bought', 'beyond demand', 'met'],
      r.rows.map((row) => [
        `${modeOf(row.mode)}${row.sizing === null ? ' ¹' : ''}`,
        row.orders,
        row.delivered,
        n(row.paymentToCode.p50Ms, 0),
        n(row.paymentToCode.p99Ms, 0),
        n(row.paymentToCode.maxMs, 0),
        n(row.targetP99Ms, 0),
        n(row.lastAckMs, 0),
        n(row.firstBackorderMs, 0),
        n(row.backorderToFirstReorderMs, 0),
        n(row.backorderToFirstCallMs, 0),
        n(row.backorderToFirstPostMs, 0),
        row.supplierRequests,
        row.supplierPosts,
        `${row.reorders} (${row.reorderQuantities.join(', ')})`,
        row.cardsBought,
        `${row.boughtBeyondDemand}${row.settled ? '' : ' (not at rest)'}`,
        `${pass(row.meetsLatencyTarget)} / ${pass(row.meetsWasteTarget)}`,
      ]),
    ),
  );
  if (r.comparison.length) {
    out.push('', 'Demand sizing ÷ baseline (below 1 is faster):', '');
    out.push(table(['orders', 'p99 demand ms', 'p99 baseline ms', 'p99 ratio', 'max ratio'], r.comparison.map((c) => [c.burst, n(c.demandP99Ms, 0), n(c.baselineP99Ms, 0), n(c.p99Ratio, 3), n(c.maxRatio, 3)])));
  }
  const cooldowns = r.rows.map((row) => `${row.mode} ${row.cooldownSeconds} s`).filter((v, i, all) => all.indexOf(v) === i);
  out.push(
    '',
    `Each row is a fresh pipeline (own process, table and queues, on DynamoDB Local and SQS engines of its own) with the SKU at 0 stock: threshold ${s.sku.threshold}, reorder quantity ${s.sku.reorderQuantity}, ` +
      `max reorder quantity ${s.sku.maxReorderQuantity ?? '–'}; after ${s.warmUpOrders} warm-up orders of another, stocked SKU, a burst of paid one-unit orders sent at once as signed webhooks. Payment = webhook sent, code = the code message in the outbox; "last ack" and "1st backorder" are counted from the first payment (the last webhook's 200: how long the machine took just to take the burst in), the next three columns from the first backorder (1st reorder: the reorder record's createdAt, the decision to buy). ` +
      `Supplier: the fake ${s.supplier} answers every call after ${s.supplierLatencyMs} ms and takes at most ${s.subOrderLimit} cards per sub-order. ` +
      `Target p99 = ${s.supplierLatencyMs} ms × sequential supplier calls + 3 s, the calls being 1 token + 3 per sub-order (lookup, POST, cards) for the burst's units in sub-orders of ${s.subOrderLimit}; ` +
      `"met" is latency (every order delivered, p99 within target) / beyond demand (≤ threshold ${s.sku.threshold}, counted at rest: nothing in flight, stock back at the threshold).`,
    '',
    `Settings: ${s.modes.map((m) => `${m.label}: ${Object.entries(m.env).map(([k, v]) => `${k}=${v}`).join(' ')}`).join('; ')}. Cooldown used: ${cooldowns.join(', ')}; ` +
      `reorder poll delay ${s.reorderPollDelaySeconds} s; delivery concurrency ${s.deliveryConcurrency}; burst timeout ${s.burstTimeoutMs / 1000} s. ` +
      `The baseline runs with a ${(s.modes.find((m) => m.mode === 'fixed')?.sweepIntervalMs ?? NaN) / 1000} s sweep; on AWS the sweep is every 60 s, so the baseline is slower still there.`,
  );
  if (r.rows.some((row) => row.sizing === null)) out.push('', '¹ This build does not read REORDER_SIZING: the mode ran the fixed rule whatever it was asked.');
  if (r.pipelineErrors.length) out.push('', `Pipeline errors: ${r.pipelineErrors.map((e) => `${e.variant} ${e.source}: ${e.message}`).join('; ')}`);
  return out;
}
