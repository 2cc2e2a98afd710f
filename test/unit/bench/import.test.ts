// The import section's derived figures and its report, from rows (what --render recomputes).
import { importHeadline, importSection } from '#bench/import/report';
import { importFigures, type ImportRow } from '#bench/import/run-import-bench';
import { importSettings } from '#bench/import/settings';

const row = (mode: ImportRow['mode'], codes: number, totalMs: number): ImportRow => ({
  mode,
  codes,
  parseMs: 10,
  writeMs: totalMs - 10,
  totalMs,
  codesPerSec: Math.round(codes / (totalMs / 1000)),
  inserted: codes,
  requestsPerCode: mode === 'batched' ? { 'DynamoDB.BatchGetItem': 0.02, 'DynamoDB.TransactWriteItems': 0.02 } : { 'DynamoDB.TransactWriteItems': 1 },
  writeUnitsPerCode: 4,
  readUnitsPerCode: 0,
  billedWriteUnitsPerCode: 5,
  restockPer1000: { invocations: 20, requests: { 'DynamoDB.Query': 20 } },
});

describe('import benchmark figures', () => {
  const settings = importSettings(false);

  it('compares batched with per-code at the same size, and judges the target on the 100,000-code file only', () => {
    const slow = [row('per-code', 5_000, 50_000), row('batched', 5_000, 10_000), row('batched', 100_000, 190_000)];
    expect(importFigures(settings, slow)).toEqual({
      comparison: { codes: 5_000, speedup: 5, writeUnitsRatio: 1 },
      target: { codes: 100_000, seconds: 190, targetSeconds: 60, met: false },
    });
    expect(importFigures(settings, [row('batched', 100_000, 59_000)]).target).toMatchObject({ met: true });
    expect(importFigures(settings, [row('batched', 10_000, 5_000)]).target).toMatchObject({ met: false });
    expect(importFigures(settings, []).comparison).toBeUndefined();
  });

  it('reports the target, the ratio and every row', () => {
    const rows = [row('per-code', 5_000, 50_000), row('batched', 5_000, 10_000), row('batched', 100_000, 190_000)];
    const result = { settings: { ...settings, codesPerTransaction: 50, cliChunk: 1000 }, rows, ...importFigures(settings, rows) };
    expect(importHeadline(result)).toContain('100,000 codes:** 190 s');
    expect(importHeadline(result)).toContain('**missed**');
    const section = importSection(result).join('\n');
    expect(section).toContain('**5×**');
    expect(section.match(/^\| (per-code|batched) /gm)).toHaveLength(3);
  });
});
