// The scale model (bench/scale): its arithmetic on a hand-computed mix, the properties any mix must keep
// (headroom falls with the rate, N shards divide the code items' load by N, the first limit is the
// least headroom), the split of measured counts over call sites, and its tables in the reports.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { renderMarkdown } from '#bench/lib/report';
import type { BenchResults } from '#bench/lib/results';
import { updateReadme, README_END, README_START } from '#bench/readme-section';
import { chooseShards } from '#bench/scale/choose-shards';
import { onePartitionDesign as currentDesign, shardedDesign } from '#bench/scale/key-design';
import { defaultLimits, STACK_SETTINGS, type Limits } from '#bench/scale/limits';
import { scaleModel, type RequestMix, type ScaleInputs } from '#bench/scale/model';
import { REQUEST_MAP, isTableRequest, splitCounts } from '#bench/scale/request-map';
import { scaleTable } from '#bench/scale/report';
import { mixFromResultsFile, runScaleModel } from '#bench/scale/run-scale-model';
import { drainTime } from '#bench/scale/spike';

const ROOT = join(__dirname, '..', '..', '..');

/** One claim transaction and three updates (order, code, unit) per order; delivery 100 ms per order. */
const handMix = (): RequestMix => ({
  requestsPerOrder: { 'delivery|DynamoDB.TransactWriteItems': 1, 'delivery|DynamoDB.UpdateItem': 3, 'webhook|SQS.SendMessage': 1 },
  lambdaPerOrder: { delivery: { invocations: 1, avgDurationMs: 100 } },
  measuredAtOrdersPerMin: 1000,
});

const inputs = (overrides: Partial<ScaleInputs> = {}): ScaleInputs => ({
  mix: handMix(),
  limits: defaultLimits(),
  design: currentDesign(),
  ratesPerMin: [60_000],
  spikeOrders: 10_000,
  storesInSale: 1,
  ...overrides,
});

/** A mix with every mapped request kind at a random count, and the four functions at random cost. */
const arbMix: fc.Arbitrary<RequestMix> = fc.record({
  requestsPerOrder: fc.record(Object.fromEntries(Object.keys(REQUEST_MAP).map((kind) => [kind, fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 6, noNaN: true }))]))),
  lambdaPerOrder: fc.record({
    webhook: fc.record({ invocations: fc.double({ min: 0.1, max: 2, noNaN: true }), avgDurationMs: fc.double({ min: 1, max: 1000, noNaN: true }) }),
    delivery: fc.record({ invocations: fc.double({ min: 0.1, max: 2, noNaN: true }), avgDurationMs: fc.double({ min: 1, max: 1000, noNaN: true }) }),
    'write-back': fc.record({ invocations: fc.double({ min: 0.1, max: 2, noNaN: true }), avgDurationMs: fc.double({ min: 1, max: 1000, noNaN: true }) }),
  }),
  measuredAtOrdersPerMin: fc.constant(1000),
});

const arbLimits: fc.Arbitrary<Limits> = fc
  .record(Object.fromEntries(Object.keys(defaultLimits()).map((name) => [name, fc.double({ min: 0.25, max: 4, noNaN: true })])) as Record<keyof Limits, fc.Arbitrary<number>>)
  .map((scale) => Object.fromEntries(Object.entries(defaultLimits()).map(([name, value]) => [name, value * scale[name as keyof Limits]])) as Limits);

describe('scale model, hand-computed', () => {
  const [rate] = scaleModel(inputs()).rates;

  it('puts the claim (2) and the delivered mark (1) on the SKU key: 3,000 write units/s at 1,000 orders/s', () => {
    const sku = rate.partitions.find((p) => p.key === 'SKU#<sku>')!;
    expect(sku.wcu).toBe(3000);
    expect(sku.wcuHeadroom).toBeCloseTo(1 / 3, 3);
    expect(rate.firstPartitionLimit).toMatchObject({ resource: 'SKU#<sku> writes', capacityOrdersPerMin: 20_000 });
  });

  it('spreads the index deletes over the 8 shards', () => {
    const avail = rate.partitions.find((p) => p.index === 'available')!;
    expect(avail).toMatchObject({ key: 'AVAIL#<sku>#<shard>', keys: 8, wcu: 125 });
    expect(avail.wcuHeadroom).toBe(8);
  });

  it('gives delivery 1,000 orders/s × 0.1 s = 100 concurrent invocations, 5× its MaximumConcurrency of 20: the first limit', () => {
    expect(rate.lambda).toEqual([{ fn: 'delivery', invocationsPerSecond: 1000, avgDurationMs: 100, concurrency: 100 }]);
    expect(rate.firstLimit).toMatchObject({ resource: 'delivery concurrency, MaximumConcurrency', headroom: 0.2, capacityOrdersPerMin: 12_000 });
    expect(rate.deliveryKeepsUp).toBe(false);
    expect(rate.deliveryBudgetMsPerOrder).toBe(20);
  });

  it('counts 6 write units on the order (2+2 in the claim, 1+1 updates), 3 on the SKU key and 1 on the index per order, and ignores SQS', () => {
    const out = scaleModel(inputs());
    expect(out.tablePerOrder).toEqual({ wcu: 9, rcu: 0, indexWcu: 1, indexRcu: 0 });
    expect(out.unmapped).toEqual([]);
  });

  it('drains a 10,000 spike in 3 s of ramp (5 → 20) and 48.1 s at 20: 51.1 s', () => {
    // Ramp: (5·3 + 5·3²/2) / 0.1 = 375 orders; the other 9,625 at 20 / 0.1 = 200 orders/s.
    const [capped] = scaleModel(inputs()).spike;
    expect(capped).toMatchObject({ concurrency: 20, scaleUpSeconds: 3, drainSeconds: 51.1, ordersPerSecond: 200 });
  });

  it('without MaximumConcurrency the SKU key holds the drain at 333 orders/s', () => {
    const [, open] = scaleModel(inputs()).spike;
    expect(open.limitedBy).toBe('SKU#<sku> writes');
    expect(open.ordersPerSecond).toBeCloseTo(333.3, 1);
  });

  it('needs 16 code-item shards for 2× at 100,000 orders/min: 5,000 units/s over 10 shards would be exactly 500', () => {
    const choice = chooseShards({ mix: handMix(), limits: defaultLimits(), spikeOrders: 10_000, storesInSale: 1 }, 100_000, 2);
    expect(choice.shards).toBe(16);
    expect(choice.tried.map((t) => t.shards)).toEqual([1, 2, 4, 8, 16]);
    expect(choice.meetsTargetOnEveryPartition).toBe(true);
    const [rate16] = scaleModel(inputs({ design: shardedDesign(16), ratesPerMin: [100_000] })).rates;
    expect(rate16.partitions.find((p) => p.classes.includes('code'))!.wcuHeadroom).toBeCloseTo(3.2, 2);
  });
});

describe('scale model, properties', () => {
  it('headroom never rises with the rate, for every limit', () => {
    fc.assert(
      fc.property(arbMix, arbLimits, fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 1, max: 200_000 }), (mix, limits, a, b) => {
        const [low, high] = [Math.min(a, b), Math.max(a, b)];
        const [atLow, atHigh] = scaleModel(inputs({ mix, limits, ratesPerMin: [low, high] })).rates;
        for (const row of atHigh.limits) {
          const before = atLow.limits.find((r) => r.resource === row.resource)!;
          if (row.headroom !== null && before.headroom !== null) expect(row.headroom).toBeLessThanOrEqual(before.headroom + 1e-9);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('N code-item shards carry 1/N of the code items’ load each', () => {
    fc.assert(
      fc.property(arbMix, fc.integer({ min: 2, max: 64 }), fc.integer({ min: 1000, max: 200_000 }), (mix, shards, ordersPerMin) => {
        const whole = scaleModel(inputs({ mix, design: shardedDesign(1), ratesPerMin: [ordersPerMin] }));
        const split = scaleModel(inputs({ mix, design: shardedDesign(shards), ratesPerMin: [ordersPerMin] }));
        const codeLoad = whole.perOrder.find((l) => l.key === 'code');
        const row = split.rates[0].partitions.find((p) => p.classes.includes('code'));
        if (!codeLoad) return expect(row).toBeUndefined();
        const perSecond = ordersPerMin / 60;
        // Rows are rounded to 0.1 unit/s and per-order loads to 0.001 unit.
        expect(Math.abs(row!.wcu - (perSecond * codeLoad.wcu) / shards)).toBeLessThanOrEqual(0.05 + (perSecond * 0.0005) / shards);
        expect(Math.abs(row!.rcu - (perSecond * codeLoad.rcu) / shards)).toBeLessThanOrEqual(0.05 + (perSecond * 0.0005) / shards);
        expect(row!.keys).toBe(shards);
      }),
      { numRuns: 60 },
    );
  });

  it('names as first limit the least headroom of what holds up codes, and as first partition limit the least among partitions', () => {
    fc.assert(
      fc.property(arbMix, arbLimits, fc.integer({ min: 1, max: 200_000 }), fc.boolean(), (mix, limits, ordersPerMin, sharded) => {
        const [rate] = scaleModel(inputs({ mix, limits, ratesPerMin: [ordersPerMin], design: sharded ? shardedDesign(16) : currentDesign() })).rates;
        const least = (rows: typeof rate.limits) => Math.min(...rows.map((r) => r.headroom ?? Infinity));
        const codes = rate.limits.filter((r) => r.delays === 'codes');
        expect(rate.firstLimit!.headroom).toBe(least(codes));
        expect(rate.firstLimit!.delays).toBe('codes');
        const partitions = codes.filter((r) => r.kind === 'partition' && r.headroom !== null);
        if (partitions.length) expect(rate.firstPartitionLimit!.headroom).toBe(least(partitions));
        expect(rate.firstAwsLimit!.kind).not.toBe('setting');
      }),
      { numRuns: 60 },
    );
  });

  it('the closed-form drain matches stepping the ramp second by second in small steps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50_000 }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.integer({ min: 2, max: 1000 }),
        (orders, secondsPerOrder, cMax) => {
          const { seconds } = drainTime(orders, secondsPerOrder, 5, 5, cMax);
          let done = 0;
          let t = 0;
          const dt = Math.max(0.001, seconds / 20_000);
          while (done < orders) {
            done += (Math.min(cMax, 5 + 5 * (t + dt / 2)) / secondsPerOrder) * dt;
            t += dt;
          }
          expect(Math.abs(seconds - t)).toBeLessThanOrEqual(Math.max(2 * dt, seconds * 0.002));
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('measured counts over call sites', () => {
  it('gives each fixed site at most what was measured and the open site the rest', () => {
    const { sites } = splitCounts({ 'delivery|DynamoDB.Query': 2.256, 'delivery|DynamoDB.UpdateItem': 1.5 });
    const perSite = Object.fromEntries(sites.map((s) => [s.site.what.split(':')[0], s.perOrder]));
    expect(perSite.hasBackorders).toBe(1);
    expect(perSite.listUnits).toBe(1);
    expect(sites.find((s) => s.site.source.endsWith('claim-candidates.ts find'))!.perOrder).toBeCloseTo(0.256, 9);
    // 1.5 updates: ensureOrder and half the code mark, nothing invented for the rest.
    expect(sites.filter((s) => s.kind === 'delivery|DynamoDB.UpdateItem').map((s) => s.perOrder)).toEqual([1, 0.5, 0, 0]);
  });

  it('lists DynamoDB requests it cannot place, and leaves SQS and Streams out', () => {
    const { sites, unmapped } = splitCounts({ 'reveal|DynamoDB.GetItem': 1, 'event-source|SQS.ReceiveMessage': 5, 'event-source|DynamoDB Streams.GetRecords': 1 });
    expect(sites).toEqual([]);
    expect(unmapped).toEqual(['reveal|DynamoDB.GetItem']);
  });

  it('has one open site at most per kind', () => {
    for (const sites of Object.values(REQUEST_MAP)) expect(sites.filter((s) => s.perOrder === undefined).length).toBeLessThanOrEqual(1);
  });

  it('places every DynamoDB request of the committed results file', () => {
    const found = mixFromResultsFile(join(ROOT, 'bench', 'results', 'latest.json'));
    if (!found) return;
    const kinds = Object.keys(found.mix.requestsPerOrder).filter(isTableRequest);
    expect(kinds.filter((kind) => !REQUEST_MAP[kind])).toEqual([]);
    expect(splitCounts(found.mix.requestsPerOrder).unmapped).toEqual([]);
  });
});

describe('scale model inputs', () => {
  it("keeps delivery's MaximumConcurrency equal to lib/delivery.ts", () => {
    const source = readFileSync(join(ROOT, 'lib', 'delivery.ts'), 'utf8');
    expect(Number(/maxConcurrency: props\.maxConcurrency \?\? (\d+)/.exec(source)?.[1])).toBe(STACK_SETTINGS.deliveryMaxConcurrency.value);
  });

  it("names AWS's documentation or this stack's lib/ as every limit's source", () => {
    for (const limit of Object.values(defaultLimits())) expect(Number.isFinite(limit)).toBe(true);
    const sources = Object.values(runScaleModel(handMix(), { mix: 'test', measuredAtOrdersPerMin: 1000 }).limits).map((l) => l.source);
    for (const source of sources) expect(source).toMatch(/^(https:\/\/docs\.aws\.amazon\.com\/|lib\/)/);
  });
});

describe('scale model in the reports', () => {
  const scale = runScaleModel(handMix(), { mix: 'a test mix', measuredAtOrdersPerMin: 1000 });
  const results: BenchResults = {
    machine: { cpuModel: 'Test CPU', cores: 2, memoryGiB: 8, os: 'Linux', node: 'v20.0.0', java: null },
    commit: '0123456789abcdef',
    dirty: false,
    date: '2026-11-25T12:00:00.000Z',
    mode: 'full',
    sections: ['scale'],
    durationsMs: {},
    scale,
  };

  it('compares both designs at both rates in one table', () => {
    const rows = scaleTable(scale).split('\n').slice(2);
    expect(rows.map((r) => r.split(' | ').slice(0, 2).join(' | '))).toEqual(['| one partition (before) | 10,000', '| one partition (before) | 100,000', '| sharded (16, built) | 10,000', '| sharded (16, built) | 100,000']);
  });

  it('writes the section and the headline into latest.md, and the table into the README block', () => {
    const md = renderMarkdown(results);
    expect(md).toContain('## Scale model');
    expect(md).toContain('**Scale model on AWS');
    expect(md).toContain('Chosen: 16.');
    const dir = mkdtempSync(join(tmpdir(), 'scale-readme-'));
    const readme = join(dir, 'README.md');
    writeFileSync(readme, `# x\n\n${README_START}\nold\n${README_END}\n`);
    expect(updateReadme(readme, results, 'chart.svg')).toBe(true);
    const block = readFileSync(readme, 'utf8');
    expect(block).toContain(scaleTable(scale));
    expect(block).not.toContain('old');
  });

  it('reads headroom rounded down: 1.999 is not shown as the 2× a target asks for', () => {
    const [rate] = scaleModel(inputs({ ratesPerMin: [10_005] })).rates;
    expect(rate.firstPartitionLimit!.headroom).toBeLessThan(2);
    expect(scaleTable(runScaleModel(handMix(), { mix: 'x', measuredAtOrdersPerMin: 1000 }, { ratesPerMin: [10_005, 100_000], targetHeadroom: 2, targetOrdersPerMin: 100_000, spikeOrders: 10_000, storesInSale: 1 }))).toContain('1.99×');
  });
});
