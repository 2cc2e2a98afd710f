// Does a claim get slower as stock grows? The project's strategy at 64 claimers on 1k vs 100k codes,
// the two sizes alternated (small, large, small, large, ...) so machine drift cannot bias the ratio.
import { median, round } from '../lib/stats';
import { runStep, type ClaimStepRow } from './measure';
import { seedCodes } from './seed';
import { createStrategy, type StrategyContext } from './strategies';

export interface GrowthSettings {
  claimers: number;
  smallStock: number;
  largeStock: number;
  /** Alternating (small, large) pairs. */
  pairs: number;
  /** Each run stops starting claims after this many succeeded (a fixed count, not a duration); the claims in flight then finish and count too. */
  claimsPerRun: number;
}

export interface GrowthRow {
  strategy: 'sharded';
  claimers: number;
  stockSize: number;
  /** Medians over the runs of this size. */
  p50Ms: number;
  p99Ms: number;
  readsPerClaim: number;
  wastedWritesPerClaim: number;
  claimsPerSec: number;
  engineCpuMsPerClaim?: number;
  /** Seeding time of one SKU of this size (the large one is seeded once, a fresh small SKU per run; median). */
  seedMs: number;
  seedCodesPerSec: number;
  runs: Array<Pick<ClaimStepRow, 'claims' | 'claimsPerSec' | 'p50Ms' | 'p99Ms' | 'readsPerClaim' | 'wastedWritesPerClaim' | 'doubleClaims' | 'errors' | 'engineCpuMsPerClaim'>>;
}

export interface GrowthResult {
  rows: GrowthRow[];
  /** median p50 at the large stock / median p50 at the small stock. */
  p50Ratio: number;
  readsPerClaimRatio: number;
  seeded: { codes: number; ms: number };
}

export async function runGrowth(
  ctx: Pick<StrategyContext, 'db' | 'table' | 'cipher' | 'shards' | 'storeOptions'> & { enginePid?: number; log: (line: string) => void },
  settings: GrowthSettings,
): Promise<GrowthResult> {
  // Everything is seeded before the first measurement, so no run follows its own seeding.
  const seedOne = (sku: string, count: number) => seedCodes(ctx.db, ctx.table, ctx.cipher, sku, count, { shards: ctx.shards, parallelism: 8 });
  const large = await seedOne(`GROWTH-${settings.largeStock}`, settings.largeStock);
  ctx.log(`claim/growth: seeded ${settings.largeStock} codes in ${Math.round(large.ms)} ms (${Math.round(settings.largeStock / (large.ms / 1000))}/s)`);
  const smalls = [];
  for (let run = 0; run < settings.pairs; run++) smalls.push(await seedOne(`GROWTH-${settings.smallStock}-${run}`, settings.smallStock));
  const smallSeedMs = smalls.map((s) => s.ms);
  await new Promise((r) => setTimeout(r, 1000));
  const runs: { small: ClaimStepRow[]; large: ClaimStepRow[] } = { small: [], large: [] };

  const measure = async (size: 'small' | 'large', sku: string, run: number) => {
    const stockSize = size === 'small' ? settings.smallStock : settings.largeStock;
    const { row } = await runStep({
      strategy: createStrategy('sharded', { ...ctx, sku, codeIds: [] }),
      sku,
      stockSize,
      claimers: settings.claimers,
      durationMs: 120_000,
      maxClaims: settings.claimsPerRun,
      runId: `growth-${size}-${run}`,
      enginePid: ctx.enginePid,
    });
    if (row.doubleClaims > 0 || row.errors > 0) throw new Error(`growth ${size} run ${run}: ${row.doubleClaims} double claims, ${row.errors} errors (${row.firstError})`);
    runs[size].push(row);
    ctx.log(`claim/growth: stock ${stockSize} run ${run}: p50 ${row.p50Ms} ms, ${row.readsPerClaim} reads/claim, ${row.wastedWritesPerClaim} wasted/claim, ${row.claimsPerSec} claims/s, java ${row.engineCpuMsPerClaim} ms/claim`);
  };

  for (let run = 0; run < settings.pairs; run++) {
    await measure('small', smalls[run].sku, run);
    await measure('large', large.sku, run);
  }

  const rowOf = (size: 'small' | 'large', stockSize: number, seedMs: number): GrowthRow => {
    const list = runs[size];
    const med = (pick: (r: ClaimStepRow) => number) => round(median(list.map(pick)), 3);
    return {
      strategy: 'sharded',
      claimers: settings.claimers,
      stockSize,
      p50Ms: med((r) => r.p50Ms),
      p99Ms: med((r) => r.p99Ms),
      readsPerClaim: med((r) => r.readsPerClaim),
      wastedWritesPerClaim: med((r) => r.wastedWritesPerClaim),
      claimsPerSec: med((r) => r.claimsPerSec),
      ...(list.every((r) => r.engineCpuMsPerClaim !== undefined) ? { engineCpuMsPerClaim: med((r) => r.engineCpuMsPerClaim!) } : {}),
      seedMs: Math.round(seedMs),
      seedCodesPerSec: Math.round(stockSize / (seedMs / 1000)),
      runs: list.map(({ claims, claimsPerSec, p50Ms, p99Ms, readsPerClaim, wastedWritesPerClaim, doubleClaims, errors, engineCpuMsPerClaim }) => ({
        engineCpuMsPerClaim,
        claims,
        claimsPerSec,
        p50Ms,
        p99Ms,
        readsPerClaim,
        wastedWritesPerClaim,
        doubleClaims,
        errors,
      })),
    };
  };
  const smallRow = rowOf('small', settings.smallStock, median(smallSeedMs));
  const largeRow = rowOf('large', settings.largeStock, large.ms);
  return {
    rows: [smallRow, largeRow],
    p50Ratio: round(largeRow.p50Ms / smallRow.p50Ms, 3),
    readsPerClaimRatio: round(largeRow.readsPerClaim / smallRow.readsPerClaim, 3),
    seeded: { codes: settings.largeStock + settings.smallStock * settings.pairs, ms: large.ms + smallSeedMs.reduce((a, b) => a + b, 0) },
  };
}
