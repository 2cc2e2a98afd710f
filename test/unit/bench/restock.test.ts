// The restock section's arithmetic (targets, figures from raw timestamps, demand/baseline ratios) and
// its markdown, on synthetic variants: the benchmark itself never runs in npm test.
import type { BenchResults } from '#bench/lib/results';
import { renderMarkdown } from '#bench/lib/report';
import { compareModes, measuredFigures, sequentialSupplierCalls, targetP99Ms, withTargets } from '#bench/restock/figures';
import type { VariantRaw } from '#bench/restock/protocol';
import { restockFigures } from '#bench/restock/run-restock-bench';
import { restockSettings } from '#bench/restock/settings';

const T0 = 1_800_000_000_000;

function raw(overrides: Partial<VariantRaw> = {}, latenciesMs = [1000, 2000, 3000, 4000]): VariantRaw {
  return {
    mode: 'demand',
    burst: latenciesMs.length,
    effective: { sizing: 'demand', cooldownSeconds: 2, pollDelaySeconds: 2 },
    burstStartedAt: T0,
    orders: latenciesMs.map((ms, i) => ({ sentAt: T0 + i, acked: true, ackAt: T0 + i + 20, codeAt: Number.isFinite(ms) ? T0 + i + ms : null })),
    firstBackorderAt: T0 + 300,
    firstNoticeAt: T0 + 350,
    supplier: {
      firstRequestAt: T0 + 400,
      firstPostAt: T0 + 800,
      requests: { 'POST /oauth/token': 1, 'GET /reports/transactions': 1, 'POST /orders': 1, 'GET /orders/transactions/:id/cards': 1 },
      ordersPlaced: 1,
      cardsIssued: 9,
    },
    reorders: [{ quantity: 9, state: 'COMPLETED', createdAt: new Date(T0 + 400).toISOString(), codesReceived: 9 }],
    settled: true,
    availableAfter: 5,
    errors: [],
    ...overrides,
  };
}

describe('restock benchmark figures', () => {
  const settings = restockSettings(false);

  it('counts the token plus lookup, POST and cards read per sub-order of 10', () => {
    expect(sequentialSupplierCalls(40, 10)).toBe(13);
    expect(sequentialSupplierCalls(200, 10)).toBe(61);
    expect(sequentialSupplierCalls(25, 10)).toBe(10);
    // 200 ms × 13 calls + 3 s.
    expect(targetP99Ms(40, 200, 10)).toBe(5600);
  });

  it('derives latencies, first-call delays, supplier calls and codes beyond demand from the raw trace', () => {
    const row = measuredFigures(raw(), 60_000);
    expect(row.paymentToCode).toMatchObject({ count: 4, p50Ms: 2000, p99Ms: 4000, maxMs: 4000 });
    expect(row).toMatchObject({ firstBackorderMs: 300, backorderToFirstReorderMs: 100, backorderToFirstCallMs: 100, backorderToFirstPostMs: 500, supplierRequests: 4, supplierPosts: 1 });
    expect(row).toMatchObject({ cardsBought: 9, boughtBeyondDemand: 5, reorders: 1, reorderQuantities: [9], undelivered: 0, sweepIntervalS: 60, burstMs: 4003, lastAckMs: 23 });
    // No unit stamp: the "on its way" notice stands in for the first backorder.
    expect(measuredFigures(raw({ firstBackorderAt: null }), 60_000).backorderToFirstCallMs).toBe(50);
    expect(measuredFigures(raw({ supplier: { ...raw().supplier, firstRequestAt: null } }), 60_000).backorderToFirstCallMs).toBeNull();
  });

  it('holds p99 to the supplier time + 3 s with every order delivered, and waste to the threshold at rest', () => {
    const ok = withTargets(measuredFigures(raw(), 60_000), settings);
    expect(ok).toMatchObject({ sequentialCalls: 4, targetP99Ms: 3800, meetsLatencyTarget: false, meetsWasteTarget: true });
    const fast = withTargets(measuredFigures(raw({}, [500, 600, 700, 800]), 60_000), settings);
    expect(fast.meetsLatencyTarget).toBe(true);
    const undelivered = withTargets(measuredFigures(raw({}, [500, 600, 700, Infinity]), 60_000), settings);
    expect(undelivered).toMatchObject({ delivered: 3, undelivered: 1, meetsLatencyTarget: false });
    expect(withTargets(measuredFigures(raw({ settled: false }), 60_000), settings).meetsWasteTarget).toBe(false);
  });

  it('compares demand with the baseline per burst', () => {
    const demand = withTargets(measuredFigures(raw({}, [500, 600, 700, 800]), 60_000), settings);
    const baseline = withTargets(measuredFigures(raw({ mode: 'fixed' }, [1000, 2000, 3000, 4000]), 10_000), settings);
    const [line] = compareModes([baseline, demand]);
    expect(line).toMatchObject({ burst: 4, demandP99Ms: 800, baselineP99Ms: 4000, p99Ratio: 0.2, maxRatio: 0.2, demandMeetsTargets: true });
    expect(compareModes([demand])).toEqual([]);
    expect(restockFigures(settings, [baseline, demand]).pass).toBe(true);
  });

  it('renders the restock table and headline', () => {
    const rows = [withTargets(measuredFigures(raw({ mode: 'fixed', effective: { sizing: null, cooldownSeconds: 10, pollDelaySeconds: 2 } }), 10_000), settings), withTargets(measuredFigures(raw({}, [500, 600, 700, 800]), 60_000), settings)];
    const results: BenchResults = {
      machine: { cpuModel: 'Test CPU', cores: 2, memoryGiB: 8, os: 'Linux', node: 'v20.0.0', java: null },
      commit: '0123456789abcdef',
      dirty: false,
      date: '2027-01-15T08:00:00.000Z',
      mode: 'full',
      sections: ['restock'],
      durationsMs: {},
      restock: { settings, ...restockFigures(settings, rows), pipelineErrors: [] },
    };
    const md = renderMarkdown(results);
    expect(md).toContain('## Restock under a burst');
    expect(md).toContain('4 orders p99 0.8 s vs 4 s, 0.2× (target ≤ 3.8 s: met)');
    expect(md).toContain('codes bought beyond demand 5 (target ≤ 5: met)');
    expect(md).toContain('| demand sizing (60 s sweep, as on AWS) | 4 | 4 | 600 | 800 | 800 | 3,800 | 23 | 300 | 100 | 100 | 500 | 4 | 1 | 1 (9) | 9 | 5 | met / met |');
    expect(md).toContain('This build does not read REORDER_SIZING');
  });
});
