// One measured step: N async claimers on one SKU for a fixed time (or until a claim cap), then the
// figures of a ClaimRow and a double-claim check both in memory and by reading the table back.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readCodeRows } from '#cli/table-reads';
import { orderPk, unitSk } from '#adapters/dynamo/keys';
import { median, round, summarize } from '../lib/stats';
import type { ClaimRow } from '../lib/types';
import type { BenchUnit } from './claim-transaction';
import { cpuMeter } from './cpu';
import type { ClaimStrategy } from './strategies';

export interface StepSpec {
  strategy: ClaimStrategy;
  sku: string;
  stockSize: number;
  claimers: number;
  /** Claimers stop starting claims after this long... */
  durationMs: number;
  /** ...or once this many claims succeeded, whichever comes first. */
  maxClaims: number;
  /** Unique per step: order ids are `<runId>-<worker>-<n>`. */
  runId: string;
  /** pid of the DynamoDB Local java process, for its CPU time. */
  enginePid?: number;
}

/** What the table says after the step. */
export interface ReadBack {
  /** Codes of the SKU no longer AVAILABLE. */
  takenCodes: number;
  /** Every taken code belongs to a unit whose claim returned that code, and vice versa. */
  consistent: boolean;
}

export interface ClaimStepRow extends ClaimRow {
  elapsedMs: number;
  /** Claims given up between attempts when the step ended (naive/unsafe only), not in `claims`. */
  abandoned: number;
  /** Claims that threw (socket errors etc.), not in `claims`. */
  errors: number;
  firstError?: string;
  /** Units that received a code some other unit also received (claims - distinct codes). */
  oversoldUnits: number;
  /** CPU ms per successful claim spent by DynamoDB Local (java) and by the claimers' Node process. */
  engineCpuMsPerClaim?: number;
  clientCpuMsPerClaim: number;
  readBack?: ReadBack;
  /** When the step was measured in several rounds: each round's figures (the row holds their medians). */
  rounds?: Array<Pick<ClaimStepRow, 'claims' | 'claimsPerSec' | 'p50Ms' | 'p99Ms' | 'wastedWritesPerClaim' | 'engineCpuMsPerClaim' | 'elapsedMs'>>;
}

export interface StepOutcome {
  row: ClaimStepRow;
  /** code id → owner keys (`<orderPk>|<unitSk>`) of every unit that was handed it. */
  owners: Map<string, string[]>;
}

const ownerKey = (unit: BenchUnit) => `${orderPk(unit.storeId, unit.orderId)}|${unitSk(unit.unitId)}`;

export async function runStep(spec: StepSpec): Promise<StepOutcome> {
  const { strategy, claimers } = spec;
  const owners = new Map<string, string[]>();
  const latencies: number[] = [];
  let abandoned = 0;
  let errors = 0;
  let firstError: string | undefined;
  const before = strategy.counters();
  const cpu = cpuMeter(spec.enginePid);
  const started = performance.now();
  const deadline = started + spec.durationMs;
  const stop = () => latencies.length >= spec.maxClaims || performance.now() >= deadline;

  const worker = async (w: number) => {
    for (let n = 0; !stop(); n++) {
      const unit: BenchUnit = {
        storeId: 'BENCH',
        orderId: `${spec.runId}-${w}-${n}`,
        unitId: 'L1#1',
        lineId: 'L1',
        sku: spec.sku,
        receivedAt: new Date().toISOString(),
      };
      const t0 = performance.now();
      let codeId: string | undefined;
      try {
        codeId = await strategy.claim(unit, stop, w);
      } catch (err) {
        errors++;
        firstError ??= `${(err as Error).name}: ${(err as Error).message}`.slice(0, 200);
        if (errors > 50) throw new Error(`${strategy.name} x${claimers}: too many failed claims, first: ${firstError}`);
        continue;
      }
      if (codeId === undefined) {
        abandoned++;
        continue;
      }
      latencies.push(performance.now() - t0);
      const list = owners.get(codeId);
      if (list) list.push(ownerKey(unit));
      else owners.set(codeId, [ownerKey(unit)]);
    }
  };
  await Promise.all(Array.from({ length: claimers }, (_, w) => worker(w)));
  const elapsedMs = performance.now() - started;
  const cpuMs = cpu.read();

  const after = strategy.counters();
  const claims = latencies.length;
  const latency = summarize(latencies);
  const per = (n: number) => (claims === 0 ? NaN : round(n / claims, 3));
  return {
    owners,
    row: {
      strategy: strategy.name,
      claimers,
      stockSize: spec.stockSize,
      claims,
      claimsPerSec: round(claims / (elapsedMs / 1000), 1),
      p50Ms: latency.p50Ms,
      p99Ms: latency.p99Ms,
      wastedWritesPerClaim: per(after.wastedWrites - before.wastedWrites),
      readsPerClaim: per(after.reads - before.reads),
      doubleClaims: [...owners.values()].filter((list) => list.length > 1).length,
      elapsedMs: Math.round(elapsedMs),
      abandoned,
      errors,
      ...(firstError ? { firstError } : {}),
      oversoldUnits: claims - owners.size,
      ...(cpuMs.engineMs === undefined ? {} : { engineCpuMsPerClaim: per(cpuMs.engineMs) }),
      clientCpuMsPerClaim: per(cpuMs.clientMs),
    },
  };
}

/** Reads every code item of the SKU back and checks it against the claims the strategy reported. */
export async function readBack(db: DynamoDBDocumentClient, table: string, sku: string, owners: Map<string, string[]>): Promise<ReadBack> {
  const taken = (await readCodeRows(db, table, sku)).filter((row) => row.status !== 'AVAILABLE');
  const consistent = taken.length === owners.size && taken.every((row) => owners.get(row.codeId)?.includes(`${row.orderPk}|${row.unitSk}`) ?? false);
  return { takenCodes: taken.length, consistent };
}

/**
 * One row from several rounds of the same step: medians of the rates and latencies, totals of the
 * counts, work per claim over all rounds' claims, double claims and read-back of the last round.
 */
export function combineRounds(rows: ClaimStepRow[]): ClaimStepRow {
  if (rows.length === 1) return rows[0];
  const med = (pick: (r: ClaimStepRow) => number | undefined) => round(median(rows.map(pick).filter((v): v is number => v !== undefined)), 3);
  const sum = (pick: (r: ClaimStepRow) => number) => rows.reduce((total, r) => total + pick(r), 0);
  const claims = sum((r) => r.claims);
  const perClaim = (pick: (r: ClaimStepRow) => number | undefined) => round(sum((r) => (pick(r) ?? NaN) * r.claims) / claims, 3);
  const last = rows[rows.length - 1];
  const firstError = rows.find((r) => r.firstError)?.firstError;
  return {
    strategy: last.strategy,
    claimers: last.claimers,
    stockSize: last.stockSize,
    claims,
    claimsPerSec: med((r) => r.claimsPerSec),
    p50Ms: med((r) => r.p50Ms),
    p99Ms: med((r) => r.p99Ms),
    wastedWritesPerClaim: perClaim((r) => r.wastedWritesPerClaim),
    readsPerClaim: perClaim((r) => r.readsPerClaim),
    doubleClaims: sum((r) => r.doubleClaims),
    elapsedMs: sum((r) => r.elapsedMs),
    abandoned: sum((r) => r.abandoned),
    errors: sum((r) => r.errors),
    ...(firstError ? { firstError } : {}),
    oversoldUnits: sum((r) => r.oversoldUnits),
    ...(last.engineCpuMsPerClaim === undefined ? {} : { engineCpuMsPerClaim: perClaim((r) => r.engineCpuMsPerClaim) }),
    clientCpuMsPerClaim: perClaim((r) => r.clientCpuMsPerClaim),
    readBack: rows.every((r) => r.readBack?.consistent) ? last.readBack : rows.find((r) => !r.readBack?.consistent)?.readBack,
    rounds: rows.map(({ claims: c, claimsPerSec, p50Ms, p99Ms, wastedWritesPerClaim, engineCpuMsPerClaim, elapsedMs }) => ({
      claims: c,
      claimsPerSec,
      p50Ms,
      p99Ms,
      wastedWritesPerClaim,
      engineCpuMsPerClaim,
      elapsedMs,
    })),
  };
}
