// The operator CLI against a running pipeline: each command is run as a function (`run(argv, io)`), its
// output and exit code captured, and its effect checked in the table itself. Error paths assert the
// exit code, the exact message and that nothing was written, so none of them can pass by accident.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#adapters/dynamo/client';
import { localCodeVault } from '#local/code-vault';
import type { CodeMaterial } from '#core/model';
import { demoCodes } from '#local/demo-data';
import { localRuntimeEnv } from '#local/pipeline';
import { codeSecrets, enqueueOrder, eventually, expectNoCodeInLogs, codeItems, partition, queueDepth, report, startTestPipeline } from './helpers';

jest.setTimeout(120_000);

type Run = typeof import('#cli/streamsync').run;
interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const SKU_A = 'CLI-A';
const SKU_B = 'CLI-B';
const SKU_C = 'CLI-C';

const toCsv = (codes: CodeMaterial[]) =>
  ['code,pin,serial,expires_at,format', ...codes.map((c) => [c.code, c.pin ?? '', c.serial ?? '', c.expiresAt ?? '', c.format ?? ''].join(','))].join('\n') + '\n';

describe('streamsync CLI', () => {
  let pipeline: Awaited<ReturnType<typeof startTestPipeline>>;
  let run: Run;
  let workDir: string;
  const started = Date.now();
  /** Every byte the CLI printed, and every code value it was given: the first must hold none of the second. */
  const transcript: string[] = [];
  const fileCodes: string[] = [];

  const cli = async (argv: string[], cwd = workDir): Promise<Result> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(argv, { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), cwd });
    transcript.push(...out, ...err);
    return { code, stdout: out.join(''), stderr: err.join('') };
  };
  const json = <T>(result: Result): T => JSON.parse(result.stdout) as T;
  const writeCsv = (name: string, text: string, codes: string[] = []) => {
    fileCodes.push(...codes);
    const file = join(workDir, name);
    writeFileSync(file, text);
    return file;
  };
  const codeItemsOf = (sku: string) => codeItems(pipeline, sku);
  const db = () => createDocumentClient(pipeline.clients.dynamo);
  const tempDirs: string[] = [];
  const tempDir = (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), `streamsync-cli-${name}-`));
    tempDirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    pipeline = await startTestPipeline();
    // Imported only now: the CLI pulls in the functions' modules, which read the environment the pipeline set.
    ({ run } = await import('#cli/streamsync'));
    workDir = tempDir('work');
    // What `npm start` writes for `--local`.
    mkdirSync(join(workDir, '.local'));
    writeFileSync(join(workDir, '.local', 'runtime.json'), JSON.stringify(localRuntimeEnv(pipeline), null, 2));
  });

  it('the runtime file carries what a CLI in another process needs to seal and open codes (the local code keys)', () => {
    const runtime = localRuntimeEnv(pipeline);
    expect(runtime).toMatchObject({ CODE_KEYS: '1=local', CODE_KEY_VERSION: '1' });
    expect(Object.keys(JSON.parse(runtime.LOCAL_SECRETS_JSON))).toEqual(expect.arrayContaining(['streamsync/code-id-key', 'streamsync/local-code-key/1']));
  });
  afterAll(async () => {
    report(`cli: integration tests ran in ${Date.now() - started} ms`);
    await pipeline?.stop();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('--help lists every command and each command documents its options', async () => {
    const root = await cli(['--help']);
    expect(root.code).toBe(0);
    for (const command of ['sku', 'product', 'import', 'stock', 'audit', 'orders', 'stores', 'dlq']) expect(root.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    const help = await cli(['import', '--help']);
    expect(help.code).toBe(0);
    for (const text of ['--sku <sku>', '--file <codes.csv>', '--source <label>', '--dry-run', 'expires_at', 'text (default), image or url']) expect(help.stdout).toContain(text);
    const redrive = await cli(['dlq', 'redrive', '--help']);
    expect(redrive.stdout).toContain('--max <n>');
    expect(redrive.stdout).toContain('--dlq-url <url>');
  });

  it('--local explains that npm start is not running, and usage errors exit 2', async () => {
    const empty = tempDir('empty');
    const missing = await cli(['--local', 'stock'], empty);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/runtime\.json not found, so no local pipeline is running here\. Start one with `npm start`/);

    const stale = tempDir('stale');
    mkdirSync(join(stale, '.local'));
    writeFileSync(join(stale, '.local', 'runtime.json'), JSON.stringify({ ...localRuntimeEnv(pipeline), AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1' }));
    const dead = await cli(['--local', 'stock'], stale);
    expect(dead.code).toBe(1);
    expect(dead.stderr).toContain('the local pipeline is not answering at http://127.0.0.1:1. Is `npm start` still running?');

    const usage = await cli(['--local', 'sku', 'set', 'X-1', '--threshold', 'five', '--reorder', '3']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("option '--threshold <n>' argument 'five' is invalid. must be a whole number.");
  });

  it('sku set creates and updates a SKU; sku list shows it with its bounded available count', async () => {
    const created = await cli(['--local', 'sku', 'set', SKU_A, '--threshold', '2', '--reorder', '10', '--name', 'CLI test A']);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toContain(`Created SKU ${SKU_A} (CLI test A): reorder 10 when fewer than 2 available; restocked by hand (no supplier); no value set: its orders are payment-checked (set --value); the deployment's velocity limit (VELOCITY_MAX_CODES per customer).`);
    const updated = await cli(['--local', 'sku', 'set', SKU_A, '--threshold', '3', '--reorder', '12']);
    expect(updated.stdout).toContain(`Updated SKU ${SKU_A} (CLI test A): reorder 12 when fewer than 3 available`);
    expect(await pipeline.deps.catalog.getSkuConfig(SKU_A)).toEqual({ sku: SKU_A, name: 'CLI test A', threshold: 3, reorderQuantity: 12 });
    for (const sku of [SKU_B, SKU_C]) expect((await cli(['--local', 'sku', 'set', sku, '--threshold', '1', '--reorder', '5'])).code).toBe(0);

    const list = await cli(['--local', '--json', 'sku', 'list']);
    expect(list.code).toBe(0);
    expect(json<unknown[]>(list)).toEqual(
      expect.arrayContaining([{ sku: SKU_A, name: 'CLI test A', threshold: 3, reorderQuantity: 12, available: 0, availableCapped: false }]),
    );
    const table = await cli(['--local', 'sku', 'list']);
    expect(table.stdout).toMatch(/^SKU\s+NAME\s+AVAILABLE\s+THRESHOLD\s+REORDER QTY/m);
    expect(table.stdout).toMatch(new RegExp(`^${SKU_A}\\s+CLI test A\\s+0\\s+3\\s+12`, 'm'));
  });

  it('sku set refuses an incomplete or unknown supplier and writes nothing', async () => {
    const incomplete = await cli(['--local', 'sku', 'set', 'CLI-X', '--threshold', '1', '--reorder', '5', '--supplier', 'reloadly']);
    expect(incomplete.code).toBe(2);
    expect(incomplete.stderr).toContain('--supplier reloadly needs --product <id> and --price <n>');
    const unknown = await cli(['--local', 'sku', 'set', 'CLI-X', '--threshold', '1', '--reorder', '5', '--supplier', 'acme', '--product', '1', '--price', '5']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("argument 'acme' is invalid. Allowed choices are reloadly, ezpin.");
    expect(await pipeline.deps.catalog.getSkuConfig('CLI-X')).toBeUndefined();
  });

  it('import refuses an unknown SKU with a hint, and writes nothing', async () => {
    const codes = demoCodes(3, 'UNKN');
    const file = writeCsv('unknown.csv', toCsv(codes), codes.map((c) => c.code));
    const res = await cli(['--local', 'import', '--sku', 'CLI-NOPE', '--file', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Unknown SKU "CLI-NOPE": it has no configuration. Create it first: npx tsx cli/streamsync.ts --local sku set CLI-NOPE');
    expect(await partition(pipeline, 'SKU#CLI-NOPE')).toEqual([]);
  });

  it('import rejects bad rows with line and column, never the code, and writes nothing', async () => {
    const [good, other, third, fourth] = demoCodes(4, 'BADF').map((c) => c.code);
    const file = writeCsv(
      'bad.csv',
      [
        'code,pin,serial,expires_at,format',
        `${good},1234,SN-1,2099-12-31,text`,
        ',5678,,,', // line 3: no code
        `${other},,,2099-02-30,`, // line 4: no such date
        `${third},,,,jpeg`, // line 5: unknown format
        `${good},,,,`, // line 6: same code as line 2
        `${fourth},,,,`,
      ].join('\n'),
      [good, other, third, fourth],
    );
    const before = await pipeline.deps.stock.audit(SKU_A);
    const itemsBefore = (await codeItemsOf(SKU_A)).length;

    const res = await cli(['--local', 'import', '--sku', SKU_A, '--file', file]);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr.split('\n')).toEqual([
      `${file}: 4 problems; nothing was imported.`,
      '  line 3, column code: missing: every row needs a code',
      '  line 4, column expires_at: not an ISO 8601 date: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ',
      '  line 5, column format: must be one of text, image, url',
      '  line 6, column code: duplicate of the code on line 2',
      '',
    ]);
    const asJson = await cli(['--local', '--json', 'import', '--sku', SKU_A, '--file', file]);
    expect(asJson.code).toBe(1);
    expect(json<{ ok: boolean; problems: unknown[] }>(asJson)).toEqual({
      ok: false,
      sku: SKU_A,
      file,
      problems: [
        { line: 3, column: 'code', message: 'missing: every row needs a code' },
        { line: 4, column: 'expires_at', message: 'not an ISO 8601 date: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ' },
        { line: 5, column: 'format', message: 'must be one of text, image, url' },
        { line: 6, column: 'code', message: 'duplicate of the code on line 2' },
      ],
    });
    for (const value of [good, other, third, fourth]) expect(res.stderr + asJson.stdout + asJson.stderr).not.toContain(value);
    // Nothing written: not even the valid rows.
    expect(await pipeline.deps.stock.audit(SKU_A)).toEqual(before);
    expect(await codeItemsOf(SKU_A)).toHaveLength(itemsBefore);
  });

  it('import stores every column, re-importing is idempotent, and --dry-run writes nothing', async () => {
    const codes: CodeMaterial[] = [
      ...demoCodes(22, 'IMPA'),
      { code: 'IMPA-SERIAL-0001-XYZ', pin: '998877', serial: 'SN-0001', expiresAt: '2099-06-30', format: 'text' },
      { code: 'https://redeem.example.com/c/IMPA-URL-7781', format: 'url', expiresAt: '2099-01-01T00:00:00Z' },
      { code: 'IMPA-IMAGE-0003', format: 'image' },
    ];
    const file = writeCsv('codes-a.csv', toCsv(codes), codes.map((c) => c.code));

    const first = await cli(['--local', 'import', '--sku', SKU_A, '--file', file, '--source', 'supplier-batch-7']);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`Imported ${file} into ${SKU_A} (source "supplier-batch-7"): 25 new, 0 already present.\nAvailable now: 25`);
    expect(await pipeline.deps.stock.audit(SKU_A)).toEqual({ AVAILABLE: 25, RESERVED: 0, DELIVERED: 0, REVOKED: 0 });
    // Every column survives the round trip through the encrypted item.
    const vault = localCodeVault(JSON.parse(process.env.LOCAL_SECRETS_JSON!));
    const stored = await codeItemsOf(SKU_A);
    expect(stored.every((i) => i.source === 'supplier-batch-7')).toBe(true);
    for (const material of codes.slice(-3)) {
      const item = stored.find((i) => i.sk === `CODE#${vault.idOf(material)}`);
      expect(await vault.open(item!.sealed, { sku: SKU_A, codeId: vault.idOf(material) })).toEqual(material);
    }

    const again = await cli(['--local', '--json', 'import', '--sku', SKU_A, '--file', file]);
    expect(again.code).toBe(0);
    expect(json(again)).toMatchObject({ ok: true, sku: SKU_A, rows: 25, inserted: 0, alreadyPresent: 25, available: 25 });
    expect(await codeItemsOf(SKU_A)).toHaveLength(25);

    const more = demoCodes(4, 'DRYA');
    const dryFile = writeCsv('dry.csv', toCsv(more), more.map((c) => c.code));
    const dry = await cli(['--local', 'import', '--sku', SKU_A, '--file', dryFile, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Dry run: 4 codes in ${dryFile} are valid for SKU ${SKU_A}. Nothing was written.`);
    expect(await codeItemsOf(SKU_A)).toHaveLength(25);
  });

  it('product map stores the mapping and refuses an unknown SKU', async () => {
    const mapped = await cli(['--local', 'product', 'map', '--store', 'S-CLI', '--product', 'P-100', '--sku', SKU_A, '--multiplier', '3']);
    expect(mapped.code).toBe(0);
    expect(mapped.stdout).toContain(`Mapped store S-CLI product P-100 → SKU ${SKU_A} (3 codes per item).`);
    expect((await pipeline.deps.catalog.getProductMappings('S-CLI', ['P-100'])).get('P-100')).toEqual({ storeId: 'S-CLI', productId: 'P-100', sku: SKU_A, multiplier: 3 });
    expect(json(await cli(['--local', '--json', 'product', 'show', '--store', 'S-CLI', '--product', 'P-100']))).toEqual({
      storeId: 'S-CLI',
      productId: 'P-100',
      sku: SKU_A,
      multiplier: 3,
    });

    const refused = await cli(['--local', 'product', 'map', '--store', 'S-CLI', '--product', 'P-200', '--sku', 'CLI-NOPE']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Unknown SKU "CLI-NOPE"');
    expect((await pipeline.deps.catalog.getProductMappings('S-CLI', ['P-200'])).size).toBe(0);
  });

  it('product map --variant keys the mapping by the variant id, apart from a product of the same id', async () => {
    expect((await cli(['--local', 'product', 'map', '--store', 'S-CLI', '--product', 'ID-7', '--sku', SKU_A])).code).toBe(0);
    const mapped = await cli(['--local', 'product', 'map', '--store', 'S-CLI', '--variant', 'ID-7', '--sku', SKU_B]);
    expect(mapped.stdout).toContain(`Mapped store S-CLI variant ID-7 → SKU ${SKU_B} (1 code per item).`);
    const found = await pipeline.deps.catalog.getLineMappings('S-CLI', ['ID-7'], ['ID-7']);
    expect([found.products.get('ID-7')?.sku, found.variants.get('ID-7')?.sku]).toEqual([SKU_A, SKU_B]);
    expect(json(await cli(['--local', '--json', 'product', 'show', '--store', 'S-CLI', '--variant', 'ID-7']))).toMatchObject({ variant: true, sku: SKU_B });
    const unmapped = await cli(['--local', 'product', 'unmap', '--store', 'S-CLI', '--product', 'ID-7']);
    expect(unmapped.stdout).toContain('Unmapped store S-CLI product ID-7: its order lines are ignored from now on (within 30 s');
    expect((await pipeline.deps.catalog.getLineMappings('S-CLI', ['ID-7'], ['ID-7'])).variants.size).toBe(1);
    expect((await cli(['--local', 'product', 'unmap', '--store', 'S-CLI', '--product', 'ID-7'])).stdout).toContain('was not mapped: nothing changed.');
    const both = await cli(['--local', 'product', 'map', '--store', 'S-CLI', '--product', 'ID-7', '--variant', 'ID-7', '--sku', SKU_A]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('Give --product or --variant, not both');
  });

  it('stock and orders show follow a backordered order until an import fills it', async () => {
    await enqueueOrder(pipeline, { orderId: 'cli-b-1', sku: SKU_B, quantity: 2 });
    await eventually(async () => (await partition(pipeline, `BACKORDER#${SKU_B}`)).length === 2, 20_000, 'two backorders for CLI-B');
    // A reorder in flight, as the restock function records it (CLI-B has no supplier, so nothing else touches it).
    const leaseUntil = new Date(Date.now() + 3_600_000).toISOString();
    expect(
      await pipeline.deps.reorders.startReorder(SKU_B, { reorderId: 'cli-reorder-1', lane: 0, state: 'PENDING', leaseUntil, quantity: 5, supplier: 'manual', productId: 'P-1', pollId: 'cli-test', createdAt: new Date().toISOString() }, 0),
    ).toBe(true);

    const stock = await cli(['--local', 'stock', SKU_B]);
    expect(stock.code).toBe(0);
    expect(stock.stdout).toMatch(/^SKU\s+AVAILABLE\s+THRESHOLD\s+LEVEL\s+REORDER\s+PAUSED SUPPLIERS\s+BACKORDERS$/m);
    expect(stock.stdout).toMatch(new RegExp(`^${SKU_B}\\s+0\\s+1\\s+OUT\\s+PENDING 0/5 manual\\s+-\\s+2$`, 'm'));
    // Global options work after the command too.
    const [row, ...others] = json<Array<Record<string, unknown>>>(await cli(['stock', SKU_B, '--json', '--local']));
    expect(others).toEqual([]);
    expect(row).toMatchObject({ sku: SKU_B, available: 0, availableCapped: false, threshold: 1, level: 'OUT', backorders: 2 });
    expect(row.reorders).toEqual([expect.objectContaining({ reorderId: 'cli-reorder-1', state: 'PENDING', leaseUntil, quantity: 5, codesReceived: 0, supplier: 'manual' })]);
    const unknown = await cli(['--local', 'stock', 'CLI-NOPE']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown SKU "CLI-NOPE"');

    const waiting = await cli(['--local', 'orders', 'show', '--store', 'S1', '--order', 'cli-b-1']);
    expect(waiting.code).toBe(0);
    expect(waiting.stdout).toMatch(/^units:\s+2 \(0 delivered, 0 reserved, 2 backordered, 0 held, 0 cancelled\)$/m);
    expect(waiting.stdout).toMatch(/^customer:\s+\+9665•••••001$/m);

    const codes = demoCodes(3, 'FILB');
    const file = writeCsv('codes-b.csv', toCsv(codes), codes.map((c) => c.code));
    expect((await cli(['--local', 'import', '--sku', SKU_B, '--file', file])).code).toBe(0);
    // New codes wake the backorder filler (stream path), which reserves and the delivery fn sends.
    const shown = await eventually(
      async () => {
        const res = await cli(['--local', '--json', 'orders', 'show', '--store', 'S1', '--order', 'cli-b-1']);
        const body = json<{ units: Array<{ state: string; codeId?: string }> }>(res);
        return body.units.every((u) => u.state === 'DELIVERED') && body;
      },
      30_000,
      'both backordered units delivered',
    );
    const units = await pipeline.deps.orders.listUnits('S1', 'cli-b-1');
    expect(shown.units.map((u) => u.codeId).sort()).toEqual(units.map((u) => u.codeId).sort());
    const table = await cli(['--local', 'orders', 'show', '--store', 'S1', '--order', 'cli-b-1']);
    for (const unit of units) expect(table.stdout).toMatch(new RegExp(`^${unit.unitId}\\s+${SKU_B}\\s+DELIVERED\\s+${unit.codeId}\\s`, 'm'));

    const after = json<Array<{ available: number; backorders: number }>>(await cli(['--local', '--json', 'stock', SKU_B]));
    expect(after[0]).toMatchObject({ available: 1, backorders: 0, level: 'OK' });
    const missing = await cli(['--local', 'orders', 'show', '--store', 'S1', '--order', 'no-such-order']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Order no-such-order of store S1 not found.');
  });

  it('audit prints OK while conservation holds (also without --local, from the environment)', async () => {
    const res = await cli(['--local', 'audit']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^${SKU_A}\\s+25\\s+25\\s+0\\s+0\\s+0\\s+0\\s+OK$`, 'm'));
    expect(res.stdout).toMatch(new RegExp(`^${SKU_B}\\s+3\\s+1\\s+0\\s+2\\s+0\\s+0\\s+OK$`, 'm'));
    expect(res.stdout).toContain('OK: 3 SKUs audited, all consistent.');
    // The AWS path: the pipeline's environment stands in for the deployed stack's.
    const fromEnv = await cli(['--json', 'audit', SKU_B]);
    expect(fromEnv.code).toBe(0);
    expect(json(fromEnv)).toEqual({
      ok: true,
      skus: [{ sku: SKU_B, imported: 3, available: 1, reserved: 0, delivered: 2, revoked: 0, unknownStatus: 0, problems: [], ok: true }],
    });
  });

  it('audit reports MISMATCH and exits 1 when an item is corrupted in the table', async () => {
    const codes = demoCodes(3, 'AUDC');
    const file = writeCsv('codes-c.csv', toCsv(codes), codes.map((c) => c.code));
    expect((await cli(['--local', 'import', '--sku', SKU_C, '--file', file])).code).toBe(0);
    expect((await cli(['--local', 'audit', SKU_C])).code).toBe(0);

    const [lost, orphan] = (await codeItemsOf(SKU_C)).map((i) => ({ pk: i.pk as string, sk: i.sk as string, id: (i.sk as string).slice('CODE#'.length) }));
    const table = pipeline.resources.tableName;
    // A status outside the four breaks conservation; a reservation without its unit breaks the back-pointer.
    await db().send(new UpdateCommand({ TableName: table, Key: { pk: lost.pk, sk: lost.sk }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'MISPLACED' } }));
    await db().send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: orphan.pk, sk: orphan.sk },
        UpdateExpression: 'SET #s = :s, orderPk = :o, unitSk = :u REMOVE availPk, availSk',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'RESERVED', ':o': 'ORDER#S1#ghost', ':u': 'UNIT#L1#1' },
      }),
    );

    const res = await cli(['--local', 'audit', SKU_C]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(new RegExp(`^${SKU_C}\\s+3\\s+1\\s+1\\s+0\\s+0\\s+1\\s+MISMATCH$`, 'm'));
    expect(res.stdout).toContain(`MISMATCH ${SKU_C}: 2 problems\n  imported 3 ≠ 2 (available + reserved + delivered + revoked)`);
    expect(res.stdout).toContain(`  code ${lost.id} has status "MISPLACED", which is none of AVAILABLE, RESERVED, DELIVERED, REVOKED`);
    expect(res.stdout).toContain(`  code ${orphan.id} is RESERVED for ORDER#S1#ghost UNIT#L1#1, but that unit does not exist`);
    expect(res.stdout).toContain(`MISMATCH in ${SKU_C}.`);

    const all = await cli(['--local', '--json', 'audit']);
    expect(all.code).toBe(1);
    const body = json<{ ok: boolean; skus: Array<{ sku: string; ok: boolean; unknownStatus: number; problems: unknown[] }> }>(all);
    expect(body.ok).toBe(false);
    expect(body.skus.map((s) => [s.sku, s.ok])).toEqual([
      [SKU_A, true],
      [SKU_B, true],
      [SKU_C, false],
    ]);
    expect(body.skus[2]).toMatchObject({ unknownStatus: 1, problems: [expect.anything(), expect.anything()] });
  });

  it('sku set lists fallback suppliers and a budget; suppliers shows balances and the SKUs that use each', async () => {
    const sku = 'CLI-ALT';
    const base = ['--local', 'sku', 'set', sku, '--threshold', '1', '--reorder', '5'];
    const created = await cli([...base, '--supplier', 'reloadly', '--product', '3001', '--price', '50', '--alternate', 'ezpin:1001:25', '--max-on-order', '40']);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('restocked by reloadly (product 3001, unit price 50), failing over to ezpin (product 1001, unit price 25), at most 40 on order at once; worth 50 (payment checked at or above the threshold);');
    expect(await pipeline.deps.catalog.getSkuConfig(sku)).toMatchObject({ alternates: [{ supplier: 'ezpin', productId: '1001', unitPrice: 25 }], maxReorderQuantity: 40 });
    // Kept when not given; refused when it contradicts; cleared on request.
    expect((await cli(base)).code).toBe(0);
    expect((await pipeline.deps.catalog.getSkuConfig(sku))?.alternates).toHaveLength(1);
    const same = await cli([...base, '--alternate', 'reloadly:1:1']);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('--alternate reloadly is already the first supplier');
    const unknown = await cli([...base, '--alternate', 'acme:1:1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('supplier must be one of reloadly, ezpin');
    expect((await cli([...base, '--alternate', 'ezpin:1001'])).stderr).toContain('must be <supplier>:<product>:<price>');

    const suppliers = json<Array<Record<string, any>>>(await cli(['--local', 'suppliers', '--check', '--json']));
    expect(suppliers.map((row) => [row.supplier, row.configured, typeof row.balance?.amount])).toEqual([
      ['reloadly', true, 'number'],
      ['ezpin', true, 'number'],
    ]);
    expect(suppliers[1].skus.alternate).toBeGreaterThanOrEqual(1);
    const table = await cli(['--local', 'suppliers']);
    expect(table.stdout).toMatch(/^SUPPLIER\s+CREDENTIALS\s+BALANCE\s+AS OF\s+SKUS \(FIRST\/FALLBACK\)\s+PAUSED\s+LAST ERROR$/m);
    expect(table.stdout).toMatch(/^ezpin\s+yes\s+[\d.]+ USD/m);

    expect((await cli([...base, '--no-alternates'])).code).toBe(0);
    expect((await pipeline.deps.catalog.getSkuConfig(sku))?.alternates).toBeUndefined();
  });

  it('sku set keeps stored settings it is not given, and --manual drops the supplier', async () => {
    const sku = 'CLI-M';
    expect((await cli(['--local', 'sku', 'set', sku, '--threshold', '2', '--reorder', '5', '--supplier', 'reloadly', '--product', '77', '--price', '5', '--name', 'Manual test'])).code).toBe(0);
    expect((await cli(['--local', 'sku', 'set', sku, '--threshold', '4', '--reorder', '8'])).code).toBe(0);
    expect(await pipeline.deps.catalog.getSkuConfig(sku)).toEqual({ sku, name: 'Manual test', threshold: 4, reorderQuantity: 8, supplier: 'reloadly', supplierProductId: '77', unitPrice: 5 });
    const manual = await cli(['--local', 'sku', 'set', sku, '--threshold', '4', '--reorder', '8', '--manual']);
    expect(manual.stdout).toContain('restocked by hand (no supplier)');
    expect(await pipeline.deps.catalog.getSkuConfig(sku)).toEqual({ sku, name: 'Manual test', threshold: 4, reorderQuantity: 8 });
    expect((await cli(['--local', 'sku', 'set', sku, '--threshold', '4', '--reorder', '8', '--manual', '--supplier', 'reloadly'])).code).toBe(2);
  });

  it('a code already stocked under another SKU is not imported a second time', async () => {
    const codes = demoCodes(2, 'XSKU');
    expect((await cli(['--local', 'sku', 'set', 'CLI-X1', '--threshold', '0', '--reorder', '1'])).code).toBe(0);
    expect((await cli(['--local', 'sku', 'set', 'CLI-X2', '--threshold', '0', '--reorder', '1'])).code).toBe(0);
    expect((await cli(['--local', 'import', '--sku', 'CLI-X1', '--file', writeCsv('x1.csv', toCsv(codes), codes.map((c) => c.code))])).code).toBe(0);
    const second = await cli(['--local', 'import', '--sku', 'CLI-X2', '--file', writeCsv('x2.csv', toCsv(codes))]);
    expect(second.stdout).toContain('0 new, 2 already present');
    expect(await codeItemsOf('CLI-X2')).toEqual([]);
  });

  it('dlq redrive moves failed order messages back to the orders queue, where they are delivered', async () => {
    const dlqUrl = pipeline.resources.ordersDlqUrl;
    const orderIds = ['cli-dlq-1', 'cli-dlq-2', 'cli-dlq-3'];
    for (const orderId of orderIds) {
      const message = { kind: 'ORDER', platform: 'salla', storeId: 'S1', orderId, locale: 'en', customer: { phone: '+966500000001' }, lines: [{ lineId: 'L1', productId: 'P1', sku: SKU_A, quantity: 1 }], receivedAt: new Date().toISOString() };
      await pipeline.clients.sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: JSON.stringify(message) }));
    }
    expect(await queueDepth(pipeline, dlqUrl)).toBe(3);

    // Without --local and without ORDERS_DLQ_URL the CLI cannot know the DLQ: a usage error, nothing moved.
    const savedDlq = process.env.ORDERS_DLQ_URL;
    delete process.env.ORDERS_DLQ_URL;
    const noDlq = await cli(['dlq', 'redrive']);
    process.env.ORDERS_DLQ_URL = savedDlq;
    expect(noDlq.code).toBe(2);
    expect(noDlq.stderr).toContain('No orders DLQ: pass --dlq-url <url> or set ORDERS_DLQ_URL');
    expect(await queueDepth(pipeline, dlqUrl)).toBe(3);

    const two = await cli(['--local', 'dlq', 'redrive', '--max', '2']);
    expect(two.code).toBe(0);
    expect(two.stdout).toContain('Moved 2 messages from the orders DLQ to the orders queue.');
    expect(two.stdout).toContain('Left in the DLQ: about 1 message.');
    expect(await queueDepth(pipeline, dlqUrl)).toBe(1);

    const rest = await cli(['--json', 'dlq', 'redrive', '--dlq-url', dlqUrl, '--queue-url', pipeline.resources.ordersQueueUrl]);
    expect(rest.code).toBe(0);
    expect(json(rest)).toMatchObject({ moved: 1, messages: [{ kind: 'ORDER', storeId: 'S1' }], remainingApproximately: 0 });
    expect(await queueDepth(pipeline, dlqUrl)).toBe(0);

    await eventually(
      async () => {
        const units = (await Promise.all(orderIds.map((id) => pipeline.deps.orders.listUnits('S1', id)))).flat();
        return units.length === 3 && units.every((u) => u.state === 'DELIVERED');
      },
      30_000,
      'the three redriven orders delivered',
    );
    const audit = json<{ skus: Array<{ delivered: number; available: number; ok: boolean }> }>(await cli(['--local', '--json', 'audit', SKU_A]));
    expect(audit.skus[0]).toMatchObject({ delivered: 3, available: 22, ok: true });
  });

  it('orders show says why an order is held; orders release delivers it to the corrected number; orders cancel returns codes', async () => {
    const sku = 'CLI-H';
    expect((await cli(['--local', 'sku', 'set', sku, '--threshold', '0', '--reorder', '1'])).code).toBe(0);
    const codes = demoCodes(3, 'HOLD');
    expect((await cli(['--local', 'import', '--sku', sku, '--file', writeCsv('hold.csv', toCsv(codes), codes.map((c) => c.code))])).code).toBe(0);
    // The platform sent a number that is not a mobile number: held NO_CONTACT, no code taken.
    await enqueueOrder(pipeline, { orderId: 'cli-h-1', sku, quantity: 2, customer: { name: 'Sara', invalidPhone: true } });
    await eventually(async () => (await pipeline.deps.orders.getOrder('S1', 'cli-h-1'))?.hold, 20_000, 'order cli-h-1 held');
    const held = await cli(['--local', 'orders', 'show', '--store', 'S1', '--order', 'cli-h-1']);
    expect(held.stdout).toMatch(/^held:\s+NO_CONTACT since \S+: the order's phone number is not a valid mobile number/m);
    expect(held.stdout).toMatch(/^units:\s+2 held with the order \(no code taken yet\)$/m);
    expect((await pipeline.deps.stock.audit(sku)).AVAILABLE).toBe(3);

    const badPhone = await cli(['--local', 'orders', 'release', '--store', 'S1', '--order', 'cli-h-1', '--phone', '12']);
    expect(badPhone.code).toBe(2);
    expect(badPhone.stderr).toContain("option '--phone <number>' argument '12' is invalid. must be a mobile number");
    const release = await cli(['--local', 'orders', 'release', '--store', 'S1', '--order', 'cli-h-1', '--phone', '0501234567']);
    expect(release.code).toBe(0);
    expect(release.stdout).toBe('cli-h-1: contact corrected; order released: its units are being delivered.\n');
    await eventually(async () => (await pipeline.deps.orders.listUnits('S1', 'cli-h-1')).filter((u) => u.state === 'DELIVERED').length === 2, 20_000, 'cli-h-1 delivered');
    expect(pipeline.recorder.messages().filter((x) => x.ref.startsWith('S1/cli-h-1/') && x.kind === 'CODE').map((x) => x.to.phone)).toEqual(['+966501234567', '+966501234567']);
    const shown = json<{ order: Record<string, unknown>; units: Array<Record<string, unknown>> }>(await cli(['--local', '--json', 'orders', 'show', '--store', 'S1', '--order', 'cli-h-1']));
    expect(shown.order).toMatchObject({ releasedAt: expect.any(String), contactCorrectedAt: expect.any(String), customer: { phone: '+9665•••••567' } });
    expect(shown.units.map((u) => [u.state, u.sendAttempts])).toEqual([['DELIVERED', 1], ['DELIVERED', 1]]);
    expect((await cli(['--local', 'orders', 'release', '--store', 'S1', '--order', 'cli-h-1'])).stdout).toBe('cli-h-1: nothing was held; nothing to release.\n');

    // A held order the merchant will not deliver: cancelled, nothing taken, nothing sent.
    await enqueueOrder(pipeline, { orderId: 'cli-h-2', sku, quantity: 1, customer: { invalidPhone: true } });
    await eventually(async () => (await pipeline.deps.orders.getOrder('S1', 'cli-h-2'))?.hold, 20_000, 'order cli-h-2 held');
    const cancel = await cli(['--local', 'orders', 'cancel', '--store', 'S1', '--order', 'cli-h-2']);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toContain('cli-h-2: cancel queued');
    await eventually(async () => (await pipeline.deps.orders.getOrder('S1', 'cli-h-2'))?.cancelledAt, 20_000, 'order cli-h-2 cancelled');
    expect((await cli(['--local', 'orders', 'cancel', '--store', 'S1', '--order', 'cli-h-2'])).stdout).toMatch(/^cli-h-2: already cancelled at /);
    const afterCancel = await cli(['--local', 'orders', 'release', '--store', 'S1', '--order', 'cli-h-2']);
    expect(afterCancel.code).toBe(1);
    expect(afterCancel.stderr).toContain('Order cli-h-2 of store S1 is cancelled: there is nothing to release.');
    expect((await cli(['--local', 'orders', 'cancel', '--store', 'S1', '--order', 'nope'])).stderr).toContain('Order nope of store S1 not found.');
    expect(await pipeline.deps.stock.audit(sku)).toEqual({ AVAILABLE: 1, RESERVED: 0, DELIVERED: 2, REVOKED: 0 });
  });

  it('orders show lists send attempts and why a unit the channel refused is held', async () => {
    const sku = 'CLI-R';
    expect((await cli(['--local', 'sku', 'set', sku, '--threshold', '0', '--reorder', '1'])).code).toBe(0);
    const codes = demoCodes(1, 'REJ');
    expect((await cli(['--local', 'import', '--sku', sku, '--file', writeCsv('rej.csv', toCsv(codes), codes.map((c) => c.code))])).code).toBe(0);
    pipeline.recorder.rejectRecipients(['+966500000077']);
    await enqueueOrder(pipeline, { orderId: 'cli-r-1', sku, quantity: 1, customer: { phone: '+966500000077' } });
    await eventually(async () => (await pipeline.deps.orders.listUnits('S1', 'cli-r-1')).find((u) => u.state === 'HELD'), 20_000, 'unit of cli-r-1 held');
    const table = await cli(['--local', 'orders', 'show', '--store', 'S1', '--order', 'cli-r-1']);
    expect(table.stdout).toMatch(/^units:\s+1 \(0 delivered, 0 reserved, 0 backordered, 1 held, 0 cancelled\)$/m);
    expect(table.stdout).toMatch(/^L1#1\s+CLI-R\s+HELD\s+\S+\s+1\s+-\s+recorder failed \(PERMANENT HTTP_422\)\s+CHANNEL_REJECTED: /m);
    const release = await cli(['--local', 'orders', 'release', '--store', 'S1', '--order', 'cli-r-1', '--phone', '+966500000078']);
    expect(release.stdout).toBe('cli-r-1: contact corrected; 1 held unit(s) released: being sent again.\n');
    await eventually(async () => (await pipeline.deps.orders.listUnits('S1', 'cli-r-1')).every((u) => u.state === 'DELIVERED'), 20_000, 'unit of cli-r-1 delivered');
    const [unit] = json<{ units: Array<Record<string, unknown>> }>(await cli(['--local', '--json', 'orders', 'show', '--store', 'S1', '--order', 'cli-r-1'])).units;
    expect(unit).toMatchObject({ state: 'DELIVERED', sendAttempts: 2, channel: 'recorder' });
    expect(pipeline.recorder.messages().filter((m) => m.ref.startsWith('S1/cli-r-1/') && m.kind === 'CODE').map((m) => m.to.phone)).toEqual(['+966500000078']);
  });

  it("stores channels sets a store's chain and link channels; unknown channels are refused and nothing is written", async () => {
    const unknown = await cli(['--local', 'stores', 'channels', '--store', 'S-CH', '--chain', 'whatsapp,pigeon']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("option '--chain <names>' argument 'whatsapp,pigeon' is invalid. unknown channel pigeon (known: ");
    const outside = await cli(['--local', 'stores', 'channels', '--store', 'S-CH', '--chain', 'sms', '--links', 'email']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('--links names email, which is not in --chain');
    expect(await pipeline.deps.catalog.getStoreSettings('S-CH')).toBeUndefined();

    const set = await cli(['--local', 'stores', 'channels', '--store', 'S-CH', '--chain', 'whatsapp,sms,email', '--links', 'whatsapp']);
    expect(set.stdout).toBe('Store S-CH: channels whatsapp → sms → email; reveal links: whatsapp.\n');
    // This pipeline deploys the recorder only.
    expect(set.stderr).toBe('Note: whatsapp, sms, email are not deployed (CHANNEL=recorder): skipped until deployed.\n');
    const none = await cli(['--local', 'stores', 'channels', '--store', 'S-CH', '--chain', 'sms,email', '--codes']);
    expect(none.stdout).toBe('Store S-CH: channels sms → email; reveal links: none (codes in the messages).\n');
    const both = await cli(['--local', 'stores', 'channels', '--store', 'S-CH', '--chain', 'sms', '--links', 'sms', '--codes']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("option '--codes' cannot be used with option '--links <names>'");
    const show = await cli(['--local', 'stores', 'show', '--store', 'S-CH']);
    expect(show.stdout).toMatch(/^channels:\s+sms → email$/m);
    expect(json(await cli(['--local', '--json', 'stores', 'show', '--store', 'S-CH']))).toEqual({ storeId: 'S-CH', channels: ['sms', 'email'], linkChannels: [] });
    const fresh = await cli(['--local', 'stores', 'show', '--store', 'S-NONE']);
    expect(fresh.stdout).toMatch(/^channels:\s+recorder \(the deployment's CHANNEL\)$/m);
  });

  it('stores list shows each store token health; stores add keeps the tokens out of sight; stores set; orders writeback', async () => {
    const listed = json<Array<{ platform: string; storeId: string; state: string }>>(await cli(['--local', '--json', 'stores', 'list']));
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ platform: 'salla', storeId: '1305146709', state: 'OK' }), expect.objectContaining({ platform: 'zid', storeId: '80123', state: 'OK' })]));

    const incomplete = await cli(['--local', 'stores', 'add', '--platform', 'zid', '--store', '99001', '--access-token', 'zid-manager-token-x']);
    expect(incomplete.code).toBe(2);
    expect(incomplete.stderr).toContain('Zid needs --authorization too');
    const added = await cli(['--local', 'stores', 'add', '--platform', 'zid', '--store', '99001', '--access-token', 'zid-manager-token-x', '--authorization', 'zid-auth-token-y', '--refresh-token', 'zid-refresh-z', '--expires-at', '2030-01-01T00:00:00Z']);
    expect(added.code).toBe(0);
    expect(added.stdout).toBe("Stored zid store 99001's API tokens: OK, expires 2030-01-01T00:00:00.000Z.\n");
    const table = await cli(['--local', 'stores', 'list']);
    expect(table.stdout).toMatch(/^zid\s+99001\s+OK\s+2030-01-01T00:00:00.000Z/m);
    expect(transcript.join('')).not.toMatch(/zid-manager-token-x|zid-auth-token-y|zid-refresh-z/);

    // A SKU's worth and its payment check, kept by --manual.
    const valued = await cli(['--local', 'sku', 'set', 'CLI-V', '--threshold', '0', '--reorder', '1', '--value', '750', '--verify-payment', 'never']);
    expect(valued.stdout).toContain('payment checked never;');
    await cli(['--local', 'sku', 'set', 'CLI-V', '--threshold', '0', '--reorder', '1', '--manual']);
    expect(await pipeline.deps.catalog.getSkuConfig('CLI-V')).toMatchObject({ value: 750, verifyPayment: 'never' });
    const auto = await cli(['--local', 'sku', 'set', 'CLI-V', '--threshold', '0', '--reorder', '1', '--verify-payment', 'auto']);
    expect(auto.stdout).toContain('worth 750 (payment checked at or above the threshold);');

    // A SKU's velocity limit: set, exempted, back to the default; a malformed one changes nothing.
    expect((await cli(['--local', 'sku', 'set', 'CLI-V', '--threshold', '0', '--reorder', '1', '--velocity', '3/24'])).stdout).toContain('at most 3 per customer per 24 h.');
    expect((await cli(['--local', 'sku', 'set', 'CLI-V', '--threshold', '0', '--reorder', '1', '--manual'])).stdout).toContain('at most 3 per customer per 24 h.');
    expect((await cli(['--local', 'sku', 'set', 'CLI-V', '--threshold', '0', '--reorder', '1', '--velocity', 'off'])).stdout).toContain('no velocity limit.');
    const badVelocity = await cli(['--local', 'sku', 'set', 'CLI-V', '--threshold', '0', '--reorder', '1', '--velocity', '500/24']);
    expect(badVelocity.code).toBe(2);
    expect(badVelocity.stderr).toContain('must be <codes>/<hours>');
    expect(await pipeline.deps.catalog.getSkuConfig('CLI-V')).toMatchObject({ velocity: { maxCodes: 0 } });
    await cli(['--local', 'sku', 'set', 'CLI-V', '--threshold', '0', '--reorder', '1', '--velocity', 'default']);
    expect((await pipeline.deps.catalog.getSkuConfig('CLI-V'))?.velocity).toBeUndefined();

    const set = await cli(['--local', '--json', 'stores', 'set', '--store', '99001', '--write-back', 'off', '--api-burst', '360', '--verify-payment-above', '0']);
    expect(json(set)).toMatchObject({ storeId: '99001', writeBack: 'off', apiBurst: 360, verifyPaymentAbove: 0 });
    expect(await pipeline.deps.catalog.getStoreSettings('99001')).toMatchObject({ writeBack: 'off', apiBurst: 360, verifyPaymentAbove: 0 });

    const missing = await cli(['--local', 'orders', 'writeback', '--store', '99001', '--order', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No order nope in store 99001.');
  });

  it('never prints a code value', async () => {
    const stored = await codeSecrets(pipeline, [SKU_A, SKU_B, SKU_C, 'CLI-H', 'CLI-R']);
    const printed = transcript.join('');
    expect(fileCodes.length).toBeGreaterThan(30);
    expect(printed.length).toBeGreaterThan(1000);
    expect([...fileCodes, ...stored].filter((value) => printed.includes(value))).toEqual([]);
    await expectNoCodeInLogs(pipeline, [SKU_A, SKU_B, SKU_C]);
    expect(pipeline.errors).toEqual([]);
  });
});
