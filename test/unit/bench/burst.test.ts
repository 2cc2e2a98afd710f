// The burst section's derived figure and its report, from rows (what --render recomputes).
import { burstHeadline, burstSection } from '#bench/burst/report';
import { burstFigures, type BurstRow } from '#bench/burst/run-burst-bench';
import { burstSettings } from '#bench/burst/settings';

const latency = (p99Ms: number) => ({ count: 1, p50Ms: p99Ms / 2, p99Ms, maxMs: p99Ms, meanMs: p99Ms / 2 });
const row = (kind: BurstRow['kind'], orders: number, p99Ms: number, withinLimit: boolean): BurstRow => ({
  kind,
  orders,
  connections: 50,
  sendMs: orders * 10,
  offeredPerMin: 6000,
  ack: latency(200),
  paymentToMessage: latency(p99Ms),
  delivered: kind === 'in-stock' ? orders : 0,
  notices: kind === 'no-stock' ? orders : 0,
  lost: 0,
  ackErrors: 0,
  withinLimit,
  cpuCores: {} as BurstRow['cpuCores'],
});

describe('burst benchmark figures', () => {
  it('names the largest in-stock burst within the limit, never a no-stock one', () => {
    const rows = [row('in-stock', 25, 900, true), row('in-stock', 100, 2_900, true), row('in-stock', 500, 9_000, false), row('no-stock', 500, 1_000, true)];
    expect(burstFigures(rows)).toEqual({ absorbed: { orders: 100, offeredPerMin: 6000, p99Ms: 2_900 } });
    expect(burstFigures([row('in-stock', 25, 4_000, false)])).toEqual({ absorbed: undefined });
  });

  it('reports the largest burst against the target, what was absorbed, and the notices without stock', () => {
    const rows = [row('in-stock', 25, 900, true), row('in-stock', 500, 9_000, false), row('no-stock', 500, 1_500, true)];
    const result = { settings: burstSettings(false), rows, ...burstFigures(rows), pipelineErrors: [] };
    const line = burstHeadline(result)!;
    expect(line).toContain('500 orders sent in 5 s');
    expect(line).toContain('**missed**');
    expect(line).toContain('was 25 orders');
    expect(line).toContain('"on its way" notice p50 0.8 s, p99 1.5 s');
    expect(burstSection(result).filter((l) => /^\| (in-stock|no-stock) /.test(l))).toHaveLength(3);
  });
});
