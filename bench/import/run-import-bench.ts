// Import section: a codes CSV of supplier-file size parsed by the CLI's parser and written in the CLI's
// chunks, on the local pipeline (its stream poller and restock function react as they would on AWS).
// Batched intake beside the per-code intake it replaced, at one size, in the same run.
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CODES_PER_TRANSACTION } from '#adapters/dynamo/code-intake';
import { DynamoStockStore } from '#adapters/dynamo/stock-store';
import { parseCodesCsv } from '#cli/codes-csv';
import { IMPORT_CHUNK } from '#cli/commands/import';
import { freshCodeKeySecrets, localCodeVault } from '#local/code-vault';
import { demoCodes } from '#local/demo-data';
import { startDynamoLocal, startSqsSnsEmulator } from '#local/engines';
import { startPipeline } from '#local/pipeline';
import { seed } from '#local/seed';
import { INTAKE_UNITS_PER_CODE } from '../cost/intake-units';
import { currentFunction, installRequestMeter, type RequestCounts } from '../e2e/request-meter';
import type { BenchOptions } from '../lib/types';
import { importSettings, type ImportRun, type ImportSettings } from './settings';

export interface ImportRow extends ImportRun {
  parseMs: number;
  writeMs: number;
  /** Parse and write: what `import` takes after reading the file. */
  totalMs: number;
  codesPerSec: number;
  inserted: number;
  requestsPerCode: Record<string, number>;
  /** As DynamoDB Local reports it (inconsistent for transactions: see report.ts). */
  writeUnitsPerCode: number;
  readUnitsPerCode: number;
  /** What AWS bills: 2 per transactional item per code (guard, code item) plus the available-index entry. */
  billedWriteUnitsPerCode: number;
  /** The restock function's reaction to the import's stream records, per 1,000 codes imported. */
  restockPer1000: { invocations: number; requests: Record<string, number> };
  rerun?: { codes: number; ms: number; codesPerSec: number; duplicates: number; requestsPerCode: Record<string, number> };
}

export interface ImportBenchResult {
  settings: ImportSettings & { codesPerTransaction: number; cliChunk: number };
  rows: ImportRow[];
  /** Batched against per-code, same size: codes per second and write units per code. */
  comparison: { codes: number; speedup: number; writeUnitsRatio: number } | undefined;
  target: { codes: number; seconds: number; targetSeconds: number; met: boolean } | undefined;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

function perCode(counts: RequestCounts, prefix: string, codes: number) {
  const requests: Record<string, number> = {};
  let write = 0;
  let read = 0;
  for (const [key, count] of Object.entries(counts)) {
    if (!key.startsWith(`${prefix}|`)) continue;
    requests[key.slice(prefix.length + 1)] = round(count.requests / codes, 4);
    write += count.writeUnits;
    read += count.readUnits;
  }
  return { requests, write: round(write / codes), read: round(read / codes) };
}

const csvOf = (codes: ReturnType<typeof demoCodes>) => ['code,pin', ...codes.map((c) => `${c.code},${c.pin}`)].join('\n') + '\n';

export async function runImportBench(options: BenchOptions): Promise<ImportBenchResult> {
  const settings = importSettings(options.quick);
  const meter = installRequestMeter();
  const restockCalls = { count: 0, last: 0 };
  const secrets = freshCodeKeySecrets();
  const dynamo = await startDynamoLocal();
  const sqs = await startSqsSnsEmulator().catch(async (err) => {
    await dynamo.stop();
    throw err;
  });
  try {
    const pipeline = await startPipeline({
      dynamoEndpoint: dynamo.endpoint,
      sqsEndpoint: sqs.endpoint,
      secrets,
      logLevel: 'ERROR',
      metrics: false,
      sweepIntervalMs: false,
      wrapHandler: (name, handler) => async (event, context) => {
        if (name === 'restock') {
          restockCalls.count++;
          restockCalls.last = performance.now();
        }
        return currentFunction.run(name, () => handler(event, context));
      },
      onError: (source, err) => options.log(`import: pipeline error in ${source}: ${(err as Error).message}`),
    });
    try {
      // Stock far above the threshold after the first chunk: the restock decisions are the ones every import costs.
      await seed(pipeline.deps, { skus: [{ sku: settings.sku, name: 'Import benchmark SKU', threshold: 5, reorderQuantity: 20 }], products: [], stock: 0 });
      const db = DynamoDBDocumentClient.from(pipeline.clients.dynamo, { marshallOptions: { removeUndefinedValues: true } });
      const vault = localCodeVault(secrets);
      const rows: ImportRow[] = [];
      await new DynamoStockStore(db, pipeline.resources.tableName, vault, { shards: 8 }).addCodes(settings.sku, demoCodes(settings.warmUpCodes, 'WARM'), 'bench:warm-up');
      for (const [index, run] of settings.runs.entries()) {
        const store = new DynamoStockStore(db, pipeline.resources.tableName, vault, { shards: 8, intake: run.mode });
        const codes = demoCodes(run.codes, `IMP${index}`);
        const text = csvOf(codes);
        await waitForQuietStream(restockCalls, settings.streamQuietMs);
        meter.reset();
        restockCalls.count = 0;
        const started = performance.now();
        const parsed = parseCodesCsv(text);
        if (parsed.problems.length > 0) throw new Error(`import bench: generated file has ${parsed.problems.length} problems`);
        const parseMs = performance.now() - started;
        let inserted = 0;
        await currentFunction.run('import', async () => {
          for (let i = 0; i < parsed.codes.length; i += IMPORT_CHUNK) inserted += (await store.addCodes(settings.sku, parsed.codes.slice(i, i + IMPORT_CHUNK), 'bench:import')).inserted;
        });
        const totalMs = performance.now() - started;
        await waitForQuietStream(restockCalls, settings.streamQuietMs);
        const counts = meter.snapshot();
        const imported = perCode(counts, 'import', run.codes);
        const restock = perCode(counts, 'restock', run.codes / 1000);
        const row: ImportRow = {
          ...run,
          parseMs: Math.round(parseMs),
          writeMs: Math.round(totalMs - parseMs),
          totalMs: Math.round(totalMs),
          codesPerSec: Math.round(run.codes / (totalMs / 1000)),
          inserted,
          requestsPerCode: imported.requests,
          writeUnitsPerCode: imported.write,
          readUnitsPerCode: imported.read,
          billedWriteUnitsPerCode: INTAKE_UNITS_PER_CODE.write,
          restockPer1000: { invocations: round(restockCalls.count / (run.codes / 1000), 2), requests: restock.requests },
        };
        if (index < 2) row.rerun = await rerun(store, settings, parsed.codes.slice(0, settings.rerunCodes), meter);
        rows.push(row);
        options.log(`import: ${run.mode} ${run.codes} codes in ${(totalMs / 1000).toFixed(1)} s (${row.codesPerSec}/s), ${row.writeUnitsPerCode} WRU/code, restock ${row.restockPer1000.invocations} invocations per 1,000`);
      }
      return { settings: { ...settings, codesPerTransaction: CODES_PER_TRANSACTION, cliChunk: IMPORT_CHUNK }, rows, ...importFigures(settings, rows) };
    } finally {
      await pipeline.stop();
    }
  } finally {
    meter.uninstall();
    await sqs.stop().catch(() => undefined);
    await dynamo.stop();
  }
}

async function rerun(store: DynamoStockStore, settings: ImportSettings, codes: Parameters<DynamoStockStore['addCodes']>[1], meter: ReturnType<typeof installRequestMeter>) {
  meter.reset();
  const started = performance.now();
  const result = await currentFunction.run('import', () => store.addCodes(settings.sku, codes, 'bench:import'));
  const ms = performance.now() - started;
  return { codes: codes.length, ms: Math.round(ms), codesPerSec: Math.round(codes.length / (ms / 1000)), duplicates: result.duplicates, requestsPerCode: perCode(meter.snapshot(), 'import', codes.length).requests };
}

/** Derived from the rows (recomputed by --render). */
export function importFigures(settings: ImportSettings, rows: ImportRow[]): Pick<ImportBenchResult, 'comparison' | 'target'> {
  const baseline = rows.find((r) => r.mode === 'per-code');
  const sameSize = rows.find((r) => r.mode === 'batched' && r.codes === baseline?.codes);
  const largest = rows.filter((r) => r.mode === 'batched').sort((a, b) => b.codes - a.codes)[0];
  return {
    comparison:
      baseline && sameSize
        ? { codes: baseline.codes, speedup: round(sameSize.codesPerSec / baseline.codesPerSec, 2), writeUnitsRatio: round(sameSize.billedWriteUnitsPerCode / baseline.billedWriteUnitsPerCode, 2) }
        : undefined,
    target: largest
      ? { codes: largest.codes, seconds: round(largest.totalMs / 1000, 1), targetSeconds: settings.targetSeconds, met: largest.codes >= 100_000 && largest.totalMs / 1000 <= settings.targetSeconds }
      : undefined,
  };
}

async function waitForQuietStream(calls: { last: number }, quietMs: number): Promise<void> {
  const deadline = performance.now() + 120_000;
  await new Promise((resolve) => setTimeout(resolve, quietMs));
  while (performance.now() - calls.last < quietMs && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
}
