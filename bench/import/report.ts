// The import section of latest.md and its README line.
import type { ImportBenchResult } from './run-import-bench';

const n = (v: number | undefined, digits = 1) => (v === undefined || !Number.isFinite(v) ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: digits }));
const pass = (ok: boolean) => (ok ? 'met' : '**missed**');
const requests = (perCode: Record<string, number>) =>
  Object.entries(perCode)
    .map(([op, v]) => `${op.replace('DynamoDB.', '')} ${n(v, 3)}`)
    .join(', ') || '–';

export function importHeadline(r: ImportBenchResult): string | undefined {
  if (!r.target) return undefined;
  const t = r.target;
  const largest = r.rows.find((row) => row.mode === 'batched' && row.codes === t.codes)!;
  const ratio = r.comparison ? ` (${n(r.comparison.speedup, 2)}× the per-code intake at ${n(r.comparison.codes, 0)} codes, same run)` : '';
  return (
    `- **Bulk import of ${n(t.codes, 0)} codes:** ${n(t.seconds, 1)} s, ${n(largest.codesPerSec, 0)} codes/s${ratio} (target ≤ ${t.targetSeconds} s for 100,000: ${pass(t.met)}); ` +
    `${n(largest.billedWriteUnitsPerCode, 1)} WRU per code; the restock function reacted ${n(largest.restockPer1000.invocations, 1)} times per 1,000 codes.`
  );
}

export function importSection(r: ImportBenchResult): string[] {
  const s = r.settings;
  const out = ['', `## Bulk import (CSV parsed as \`import\` does, written in chunks of ${n(s.cliChunk, 0)} on the local pipeline)`, ''];
  const head = ['intake', 'codes', 'parse ms', 'write ms', 'codes/s', 'requests per code', 'WRU per code (billed)', 'WRU reported locally', 'restock invocations / 1,000', 'restock requests / 1,000', 're-run codes/s', 're-run requests per code'];
  out.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
  for (const row of r.rows) {
    const restock = Object.entries(row.restockPer1000.requests).map(([op, v]) => `${op.replace('DynamoDB.', '')} ${n(v, 1)}`).join(', ') || '–';
    const cells = [row.mode, n(row.codes, 0), n(row.parseMs, 0), n(row.writeMs, 0), n(row.codesPerSec, 0), requests(row.requestsPerCode), n(row.billedWriteUnitsPerCode, 1), n(row.writeUnitsPerCode, 2), n(row.restockPer1000.invocations, 1), restock, n(row.rerun?.codesPerSec, 0), row.rerun ? requests(row.rerun.requestsPerCode) : '–'];
    out.push(`| ${cells.join(' | ')} |`);
  }
  if (r.comparison) out.push('', `Batched ÷ per code at ${n(r.comparison.codes, 0)} codes: **${n(r.comparison.speedup, 2)}×** the codes per second, ${n(r.comparison.writeUnitsRatio, 2)}× the billed write units.`);
  out.push(
    '',
    `Batched: the guards of ${s.codesPerTransaction} codes read in one consistent BatchGetItem, then one TransactWriteItems of a guard and a code item per new code; per code: one transaction per code, the intake before batching. ` +
      'Billed WRU per code = 2 per item of a transaction (guard and code item) + 1 for the available-index entry; DynamoDB Local reports transactions inconsistently (6 for a 2-item transaction, 4 per code for a 100-item one), so the reported figure is shown beside it, not used. ' +
      `Before the runs, ${n(s.warmUpCodes, 0)} codes warm the engine. The re-run imports the first ${n(s.rerunCodes, 0)} codes again: all already held.`,
  );
  return out;
}
