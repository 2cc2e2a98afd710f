// The benchmark harness itself (reports, chart, cost arithmetic, README section) on synthetic results:
// the benchmarks never run in npm test, but the code that turns their figures into files does.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateCost, kmsRequestsPerOrder } from '#bench/cost/estimate';
import { INTAKE_UNITS_PER_CODE } from '#bench/cost/intake-units';
import { PRICES } from '#bench/cost/prices';
import { ownerOf } from '#bench/e2e/profile-summary';
import type { PhaseResult } from '#bench/e2e/phase';
import { explainLimit, nameBottleneck } from '#bench/e2e/bottleneck';
import { e2eSettings } from '#bench/e2e/run-e2e-bench';
import { renderChart } from '#bench/lib/chart';
import { renderMarkdown } from '#bench/lib/report';
import type { BenchResults } from '#bench/lib/results';
import { percentile, summarize } from '#bench/lib/stats';
import { README_END, README_START, updateReadme } from '#bench/readme-section';

const latency = (p50Ms: number, p99Ms: number) => ({ count: 100, p50Ms, p99Ms, maxMs: p99Ms, meanMs: p50Ms });

function phase(overrides: Partial<PhaseResult> = {}): PhaseResult {
  return {
    ordersPerMin: 1000,
    durationS: 60,
    orders: 1000,
    acked: 1000,
    ackErrors: 0,
    ack: latency(20, 80),
    paymentToOutbox: latency(100, 400),
    delivered: 1000,
    lost: 0,
    backordered: 0,
    deliveredPerMin: 1000,
    maxScheduleLagMs: 3,
    cpuCores: { pipeline: 0.4, dynamodbLocal: 0.6, sqsEmulator: 0.05, loadGenerator: 0.03 },
    eventLoopUtilization: 0.5,
    requests: {
      'webhook|SQS.SendMessage': { requests: 1000, readUnits: 0, writeUnits: 0 },
      'event-source|SQS.ReceiveMessage': { requests: 5000, readUnits: 0, writeUnits: 0 },
      'event-source|SQS.DeleteMessageBatch': { requests: 100, readUnits: 0, writeUnits: 0 },
      'delivery|DynamoDB.TransactWriteItems': { requests: 2000, readUnits: 0, writeUnits: 10_000 },
      'delivery|DynamoDB.Query': { requests: 2000, readUnits: 1000, writeUnits: 0 },
    },
    invocations: { webhook: { count: 1000, totalMs: 20_000 }, delivery: { count: 100, totalMs: 10_000 } },
    logBytes: 2_000_000,
    ...overrides,
  };
}

function results(): BenchResults {
  const fixed = phase();
  return {
    machine: { cpuModel: 'Test CPU', cores: 2, memoryGiB: 8, os: 'Linux', node: 'v20.0.0', java: 'openjdk 17' },
    commit: '0123456789abcdef',
    dirty: false,
    date: '2026-11-25T12:00:00.000Z',
    mode: 'full',
    sections: ['e2e', 'cold-start'],
    durationsMs: {},
    claim: [
      { strategy: 'naive', claimers: 64, stockSize: 5000, claims: 100, claimsPerSec: 50, p50Ms: 900, p99Ms: 2000, wastedWritesPerClaim: 12, readsPerClaim: 13, doubleClaims: 0 },
      { strategy: 'sharded', claimers: 64, stockSize: 5000, claims: 4000, claimsPerSec: 800, p50Ms: 70, p99Ms: 150, wastedWritesPerClaim: 0.01, readsPerClaim: 1.1, doubleClaims: 0 },
    ],
    e2e: {
      settings: e2eSettings(false),
      floor: { samples: 10, queueSendReceiveDeleteMs: 10, claimMs: 20, channelMs: 5, floorMs: 35 },
      fixedRate: {
        ...fixed,
        ...{ ackP50Ms: 20, ackP99Ms: 80, p50Ms: 100, p99Ms: 400, maxMs: 400, doubleSold: 0, floorMs: 35, p50OverFloor: 2.86 },
        stockIntake: { codes: 1000, requests: { 'event-source|DynamoDB.TransactWriteItems': { requests: 1000, readUnits: 0, writeUnits: 4000 } } },
      },
      ramp: [phase({ ordersPerMin: 5000 }), phase({ ordersPerMin: 10_000, paymentToOutbox: latency(2000, 9000), eventLoopUtilization: 0.97 })],
      maxSustainedOrdersPerMin: 5000,
      maxOrdersPerMinP99Under1s: 5000,
      bottleneck: 'test',
      limit: { cpuMsPerOrder: { pipeline: 20, dynamodbLocal: 30 }, cpuBoundOrdersPerMin: 2400, text: 'one order costs 50 ms of CPU' },
      sold: { unitsWithCode: 3000, distinctCodes: 3000, doubleSold: 0, codesDelivered: 3000 },
      pipelineErrors: [],
    },
    functions: [{ name: 'webhook', entry: 'functions/webhook/handler.ts', bundleBytes: 200 * 1024, initMs: 90, initSamplesMs: [88, 90, 95] }],
    cost: estimateCost(fixed),
  };
}

describe('benchmark harness', () => {
  it('uses nearest-rank percentiles', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 99)).toBe(4);
    expect(summarize([3, 1, 2])).toMatchObject({ count: 3, p50Ms: 2, maxMs: 3 });
  });

  it('models KMS under data-key caching: a few requests per 1,000 orders, not two per order', () => {
    // 1,000/min: 22 opening containers × 2 data keys in use / 15 min + 3 sealers / 5 min = 3.53 a minute.
    expect(kmsRequestsPerOrder(1000)).toBeCloseTo((22 * 2) / 15 / 1000 + 3 / 5 / 1000, 9);
    expect(kmsRequestsPerOrder(1000) * 1000).toBeLessThan(5);
    expect(estimateCost(phase()).infraBreakdownUsdPer1000.kms).toBeLessThan(0.0001);
  });

  it('prices the counted requests per 1,000 orders, with the local poller idle receives replaced by one per batch', () => {
    const cost = estimateCost(phase());
    // 10,000 write units for 1,000 orders = 10 per order.
    expect(cost.dynamodbUnitsPerOrder).toEqual({ read: 1, write: 10 });
    expect(cost.infraBreakdownUsdPer1000.dynamodbWrites).toBeCloseTo(10 * PRICES.dynamodbOnDemand.usdPerMillionWriteUnits * 1e-3, 9);
    // 1,000 sends + 100 deletes + 100 receives (one per delivery invocation), not the 5,000 local long polls.
    expect(cost.infraBreakdownUsdPer1000.sqs).toBeCloseTo(1200 * PRICES.sqsStandard.usdPerMillionRequests * 1e-6, 9);
    expect(cost.infraBreakdownUsdPer1000.apiGateway).toBeCloseTo(PRICES.apiGatewayHttpApi.usdPerMillionRequests * 1e-3, 9);
    expect(cost.requestsPerOrder['delivery|DynamoDB.TransactWriteItems']).toBe(2);
    expect(cost.infraBreakdownUsdPer1000.stockIntake).toBeUndefined();
    // Importing the stock, one code per order: DynamoDB Local reports 4 write units per code and no reads,
    // below what AWS bills for the guard read and the index entry, so the billed floor (5 + 1 read) is used.
    const withIntake = estimateCost({ ...phase(), stockIntake: { codes: 500, requests: { 'x|DynamoDB.TransactWriteItems': { requests: 500, readUnits: 0, writeUnits: 2000 } } } });
    const billed = INTAKE_UNITS_PER_CODE.write * PRICES.dynamodbOnDemand.usdPerMillionWriteUnits + INTAKE_UNITS_PER_CODE.read * PRICES.dynamodbOnDemand.usdPerMillionReadUnits;
    expect(withIntake.infraBreakdownUsdPer1000.stockIntake).toBeCloseTo(billed * 1e-3, 9);
    // A measured figure above the floor is kept.
    const heavier = estimateCost({ ...phase(), stockIntake: { codes: 500, requests: { 'x|DynamoDB.TransactWriteItems': { requests: 500, readUnits: 1000, writeUnits: 4000 } } } });
    expect(heavier.infraBreakdownUsdPer1000.stockIntake).toBeCloseTo((8 * PRICES.dynamodbOnDemand.usdPerMillionWriteUnits + 2 * PRICES.dynamodbOnDemand.usdPerMillionReadUnits) * 1e-3, 9);
    expect(cost.infraUsdPer1000Orders).toBeCloseTo(Object.values(cost.infraBreakdownUsdPer1000).reduce((a, b) => a + b, 0), 5);
  });

  it('renders every section into the markdown table and the chart', () => {
    const md = renderMarkdown(results());
    expect(md).toContain('commit `0123456789ab`');
    expect(md).toContain('| sharded | 64 | 5,000 | 800 |');
    expect(md).toContain('Highest sustained rate locally:** 5,000 orders/min with p99 ≤ 3 s (5,000 orders/min with p99 < 1 s');
    expect(md).toContain('no customer message 30 s (fixed rate) or 15 s (ramp)');
    expect(md).toMatch(/Cost on AWS \(eu-central-1/);
    const svg = renderChart(results());
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('promise: 3 s');
    expect(svg).toContain('budget: 325 KB');
    expect((svg.match(/<rect /g) ?? []).length).toBeGreaterThan(8);
  });

  it('rewrites only the README text between the bench markers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-readme-'));
    const readme = join(dir, 'README.md');
    writeFileSync(readme, `# Title\n\n## Performance\n\n${README_START}\nold figures\n${README_END}\n\n## Next\n`);
    expect(updateReadme(readme, results(), 'bench/results/latest.svg')).toBe(true);
    const text = readFileSync(readme, 'utf8');
    expect(text).not.toContain('old figures');
    expect(text).toContain('![Benchmark chart](bench/results/latest.svg)');
    expect(text.startsWith('# Title')).toBe(true);
    expect(text.endsWith('## Next\n')).toBe(true);
  });

  it('names the saturated event loop, or the busiest process when the cores ran out', () => {
    expect(nameBottleneck(phase({ eventLoopUtilization: 0.95 }), 2)).toMatch(/^pipeline process/);
    const cores = nameBottleneck(phase({ cpuCores: { pipeline: 0.8, dynamodbLocal: 1.05, sqsEmulator: 0.1, loadGenerator: 0.05 } }), 2);
    expect(cores).toMatch(/2 cores.*DynamoDB Local/);
  });

  it('turns CPU shares into CPU per order and the rate the cores allow', () => {
    // 60 s at 1,000/min: 0.4 cores = 24 s of CPU over 1,000 orders = 24 ms each.
    const limit = explainLimit(phase(), 2);
    expect(limit.cpuMsPerOrder).toEqual({ pipeline: 24, dynamodbLocal: 36, sqsEmulator: 3 });
    // 2 cores / 63 ms = 1,905/min; one event loop / 24 ms = 2,500/min: the cores bind first.
    expect(limit.cpuBoundOrdersPerMin).toBe(Math.round((2000 / 63) * 60));
    expect(limit.text).toContain('2 cores cap');
    const loopBound = explainLimit(phase({ cpuCores: { pipeline: 0.9, dynamodbLocal: 0.3, sqsEmulator: null, loadGenerator: 0.1 } }), 2);
    expect(loopBound.cpuBoundOrdersPerMin).toBe(Math.round((1000 / 54) * 60));
    expect(loopBound.text).toContain("single event loop");
  });

  it('attributes profile samples to packages and project folders', () => {
    expect(ownerOf('file:///app/node_modules/@smithy/core/dist-cjs/index.js', 'f')).toBe('@smithy/core');
    expect(ownerOf('file:///app/node_modules/zod/index.js', 'f')).toBe('zod');
    expect(ownerOf('file:///app/functions/core/deliver-order.ts', 'f')).toBe('functions/core');
    expect(ownerOf('', '(garbage collector)')).toBe('((garbage collector))');
  });
});
