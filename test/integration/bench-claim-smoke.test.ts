// Smoke test of the claim benchmark harness on the shared DynamoDB Local: seeding, the four strategies,
// the step runner and the read-back check, at toy sizes (the real run is bench/claim/main.ts).
import { randomBytes } from 'node:crypto';
import { benchDb, createBenchTable, type BenchDb } from '#bench/claim/client';
import { readBack, runStep } from '#bench/claim/measure';
import { BenchStock } from '#bench/claim/stock';
import { STRATEGIES, createStrategy } from '#bench/claim/strategies';
import { localCodeVault } from '#local/code-vault';

// The step ends at maxClaims; the long deadline only stops a hung run, so a slow or busy machine
// (the full suite runs chaos beside it) cannot end the step early and fail the count.
jest.setTimeout(90_000);

const TABLE = `bench-claim-smoke-${randomBytes(4).toString('hex')}`;
const SHARDS = 4;
const STOCK = 64;
const cipher = localCodeVault();

describe('claim benchmark harness', () => {
  let bench: BenchDb;

  beforeAll(async () => {
    const endpoint = process.env.TEST_DYNAMO_ENDPOINT;
    if (!endpoint) throw new Error('Integration tests need the engines from test/integration/global-setup.ts');
    await createBenchTable(endpoint, TABLE);
    bench = benchDb(endpoint);
  });
  afterAll(() => bench?.destroy());

  it.each(STRATEGIES)('%s: measures a step, and only unsafe hands a code out twice', async (name) => {
    const stock = new BenchStock(bench.db, TABLE, cipher, `SMOKE-${name}`, SHARDS);
    await expect(stock.topUp(STOCK)).resolves.toMatchObject({ codes: STOCK });
    const { row, owners } = await runStep({
      strategy: createStrategy(name, { db: bench.db, table: TABLE, cipher, sku: stock.sku, shards: SHARDS, codeIds: stock.availableIds() }),
      sku: stock.sku,
      stockSize: STOCK,
      claimers: 8,
      durationMs: 60_000,
      maxClaims: 16,
      runId: `smoke-${name}`,
    });
    stock.record(owners);
    row.readBack = await readBack(bench.db, TABLE, stock.sku, stock.owners);

    expect(row).toMatchObject({ strategy: name, claimers: 8, errors: 0 });
    expect(row.claims).toBeGreaterThanOrEqual(16);
    expect(row.claimsPerSec).toBeGreaterThan(0);
    expect(row.p99Ms).toBeGreaterThanOrEqual(row.p50Ms);
    // naive and unsafe read before every attempt, sharded reuses spare candidates, the ceiling never reads.
    if (name === 'naive' || name === 'unsafe') expect(row.readsPerClaim).toBeGreaterThanOrEqual(1);
    if (name === 'sharded') expect(row.readsPerClaim).toBeGreaterThan(0);
    if (name === 'ceiling') expect(row.readsPerClaim).toBe(0);
    if (name === 'unsafe') {
      expect(row.oversoldUnits).toBe(row.claims - owners.size);
    } else {
      expect(row.doubleClaims).toBe(0);
      expect(row.oversoldUnits).toBe(0);
      expect(row.readBack).toEqual({ takenCodes: row.claims, consistent: true });
    }
    // A top-up brings the SKU back to its level with new codes only.
    await expect(stock.topUp(STOCK)).resolves.toMatchObject({ codes: owners.size });
    expect(stock.availableIds()).toHaveLength(STOCK);
  });
});
