// The extension-point promise, proven on a copy of the project: a store platform, a supplier and a
// customer channel are each one new folder plus one registry line. The copy (the files git tracks) gets
// three throwaway modules, written from the README as a newcomer would (extension-points/modules/), and
// git shows nothing else changed. Then, in the copy: it type-checks, its local pipeline takes an order
// through the new platform, delivers it through the new channel and restocks from the new supplier, and
// its CDK app has the new route, output, secret name and, where chosen, the channel's grant.
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PipelineProof } from './extension-points/run-pipeline';
import type { SynthProof } from './extension-points/synth-stack';
import { report } from './helpers';

// Ceilings for a hung child on a machine shared with other jobs; the run itself aims at well under a minute.
jest.setTimeout(240_000);

const ROOT = join(__dirname, '..', '..');
const FIXTURES = 'test/integration/extension-points';
const NEW_MODULES = [
  { kind: 'platforms', name: 'acme', list: 'PLATFORMS' },
  { kind: 'suppliers', name: 'bulkcodes', list: 'SUPPLIERS' },
  { kind: 'channels', name: 'pigeon', list: 'CHANNELS' },
] as const;
const registryOf = (kind: string) => `functions/adapters/${kind}/registry.ts`;
const folderOf = (kind: string, name: string) => `functions/adapters/${kind}/${name}/`;

// The machine's and the user's git settings must not decide what status shows (excludes, hooks, signing).
const gitEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_'))),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=extension-points', '-c', 'user.email=extension-points@localhost', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], {
    cwd,
    env: gitEnv,
    encoding: 'utf8',
  });

interface Run {
  ok: boolean;
  ms: number;
  output: string;
}

/** Never rejects: each test reports its own step's failure, with the step's output. */
const run = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> => {
  const started = Date.now();
  return new Promise((resolve) =>
    execFile('npx', args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 230_000 }, (err, stdout, stderr) =>
      resolve({ ok: !err, ms: Date.now() - started, output: `${stdout}${stderr}` }),
    ),
  );
};

const tail = (text: string) => text.split('\n').slice(-40).join('\n');

/** The script's result file, or a failure that shows the script's output. */
function proofOf<T>(file: string, result: Run): T {
  if (!existsSync(file)) throw new Error(`no result written (exit ${result.ok ? 'ok' : 'failed'}):\n${tail(result.output)}`);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Copies every tracked file as it is on disk: the committed project plus whatever is being changed in it. */
function copyTrackedFiles(to: string): void {
  for (const file of git(ROOT, 'ls-files', '-z').split('\0').filter(Boolean)) {
    if (!existsSync(join(ROOT, file))) continue; // deleted in the work tree, not yet committed
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(to, file));
  }
}

/** What the README tells a newcomer: the import next to the others (kept sorted), the module appended to the list. */
function register(copy: string, kind: string, name: string, list: string): void {
  const file = join(copy, registryOf(kind));
  const lines = readFileSync(file, 'utf8').split('\n');
  const importLine = `import { ${name} } from './${name}';`;
  const imports = lines.flatMap((line, i) => (/^import \{ \w+ \} from '\.\/[\w-]+';$/.test(line) ? [i] : []));
  const listAt = lines.findIndex((line) => line.startsWith(`export const ${list} = [`) && line.endsWith('] as const;'));
  if (imports.length === 0 || listAt < 0) throw new Error(`${registryOf(kind)} no longer has one-line imports and a one-line ${list}: update register()`);
  const before = imports.find((i) => lines[i] > importLine) ?? imports[imports.length - 1] + 1;
  lines[listAt] = lines[listAt].replace(/\] as const;$/, `, ${name}] as const;`);
  lines.splice(before, 0, importLine);
  writeFileSync(file, lines.join('\n'));
}

describe('extension points: a platform, a supplier and a channel are one folder plus one registry line each', () => {
  const started = Date.now();
  let copy: string;
  let results: string;
  let setupMs = 0;
  let status: Array<{ code: string; path: string }> = [];
  const registryDiffs: Record<string, { numstat: string; added: string[]; removed: string[] }> = {};
  let typecheck: Promise<Run>;
  let pipeline: Promise<Run>;
  let synth: Promise<Run>;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'streamsync-extension-'));
    results = mkdtempSync(join(tmpdir(), 'streamsync-extension-results-'));
    copyTrackedFiles(copy);
    if (!existsSync(join(copy, FIXTURES, 'modules'))) throw new Error(`${FIXTURES} is not tracked: git add it, the copy holds tracked files only`);
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(copy, 'node_modules'));

    git(copy, 'init', '-q');
    // .gitignore's `node_modules/` matches a directory, not this symlink; the exclude is the copy's own, not the project's.
    appendFileSync(join(copy, '.git', 'info', 'exclude'), '/node_modules\n');
    git(copy, 'add', '-A');
    git(copy, 'commit', '-q', '-m', 'pristine copy');

    for (const { kind, name, list } of NEW_MODULES) {
      cpSync(join(copy, FIXTURES, 'modules', kind, name), join(copy, folderOf(kind, name)), { recursive: true });
      register(copy, kind, name, list);
    }

    status = git(copy, 'status', '--porcelain=v1', '--untracked-files=all', '-z')
      .split('\0')
      .filter(Boolean)
      .map((entry) => ({ code: entry.slice(0, 2), path: entry.slice(3) }));
    for (const { kind } of NEW_MODULES) {
      const file = registryOf(kind);
      const diff = git(copy, 'diff', '-U0', '--', file).split('\n');
      registryDiffs[kind] = {
        numstat: git(copy, 'diff', '--numstat', '--', file).trim(),
        added: diff.filter((l) => l.startsWith('+') && !l.startsWith('+++')).map((l) => l.slice(1)),
        removed: diff.filter((l) => l.startsWith('-') && !l.startsWith('---')).map((l) => l.slice(1)),
      };
    }
    git(copy, 'add', '-A');
    report(`extension-points: files changed in the copy (git diff --cached --stat against the pristine commit):\n${git(copy, 'diff', '--cached', '--stat=160')}`);
    setupMs = Date.now() - started;

    // The type-check runs beside the scripts: alone it takes most of the minute this test may use on 2 cores.
    typecheck = run(copy, ['tsc', '--noEmit', '-p', '.']);
    const names = { CHANNEL: 'pigeon', EXTENSION_PLATFORM: 'acme', EXTENSION_SUPPLIER: 'bulkcodes' };
    pipeline = run(copy, ['tsx', `${FIXTURES}/run-pipeline.ts`], { ...names, RESULT_FILE: join(results, 'pipeline.json') });
    // After the pipeline, not beside it: bundling and the pipeline would share the same two cores.
    synth = pipeline.then(() => run(copy, ['tsx', `${FIXTURES}/synth-stack.ts`], { ...names, RESULT_FILE: join(results, 'synth.json') }));
  });

  afterAll(async () => {
    // Let every child finish before its directory goes.
    const runs = await Promise.all([typecheck, pipeline, synth].filter(Boolean));
    report(`extension-points: copy + git ${(setupMs / 1000).toFixed(1)} s; ${['tsc', 'pipeline', 'synth'].map((step, i) => `${step} ${((runs[i]?.ms ?? 0) / 1000).toFixed(1)} s`).join(', ')}; total ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (copy) rmSync(copy, { recursive: true, force: true });
    if (results) rmSync(results, { recursive: true, force: true });
  });

  it('changes only the three new folders and, per registry, the import and the list line', () => {
    const registries = NEW_MODULES.map(({ kind }) => registryOf(kind));
    const folders = NEW_MODULES.map(({ kind, name }) => folderOf(kind, name));
    expect(status.filter((e) => e.code !== '??').map((e) => `${e.code} ${e.path}`).sort()).toEqual(registries.map((file) => ` M ${file}`).sort());
    const created = status.filter((e) => e.code === '??').map((e) => e.path);
    expect(created.filter((path) => !folders.some((folder) => path.startsWith(folder)))).toEqual([]);
    for (const folder of folders) expect(created).toContain(`${folder}index.ts`);

    // Counted per registry with `git diff`: 2 lines added, 1 removed. The added ones are the import and the
    // list line; the removed one is the list line as it was (git shows a line changed in place as -1 +1).
    for (const { kind, name } of NEW_MODULES) {
      const { numstat, added, removed } = registryDiffs[kind];
      expect(numstat).toBe(`2\t1\t${registryOf(kind)}`);
      expect(removed).toHaveLength(1);
      expect(added).toEqual([`import { ${name} } from './${name}';`, removed[0].replace(/\] as const;$/, `, ${name}] as const;`)]);
    }
  });

  it('type-checks (tsc --noEmit -p .)', async () => {
    const result = await typecheck;
    if (!result.ok) throw new Error(`tsc failed in the copy:\n${tail(result.output)}`);
  });

  it('local pipeline: the acme sample order goes out through pigeon, a drained bulkcodes SKU reorders from its fake', async () => {
    const result = await pipeline;
    const proof = proofOf<PipelineProof>(join(results, 'pipeline.json'), result);
    // On a failed wait the whole proof says where it stopped: the supplier fake's calls, the pipeline's errors.
    if (proof.failure) throw new Error(`${proof.failure}\n${JSON.stringify({ supplierStats: proof.supplierStats, errors: proof.errors, audit: proof.audit }, null, 2)}`);
    // The local wiring derived from the registries: demo mapping, webhook secret (else 401), the channel's fake, the supplier's fake and secret.
    expect(proof.demoMapping).toMatchObject({ storeId: 'acme-demo', productId: 'acme-gift-50' });
    expect(proof.webhooks).toEqual([
      { status: 200, outcome: 'ENQUEUED' },
      { status: 200, outcome: 'ENQUEUED' },
    ]);
    expect(proof.paidOrderMessages).toHaveLength(1);
    expect(proof.paidOrderMessages[0]).toMatchObject({ channel: 'pigeon', kind: 'CODE', locale: 'en', to: { name: 'Sara', phone: '+966500000123', email: 'sara@example.com' } });
    expect(proof.paidOrderMessages[0].body).toContain('DEMO-');
    expect(proof.drainMessages.map((m) => `${m.channel} ${m.kind}`)).toEqual(['pigeon CODE', 'pigeon CODE']);
    expect(proof.supplierStats).toMatchObject({ ordersPlaced: 1, codesIssued: proof.drainedSku.reorderQuantity, requests: { 'POST /orders': 1 } });
    expect(proof.audit).toEqual({ AVAILABLE: 2 + proof.drainedSku.reorderQuantity, RESERVED: 0, DELIVERED: 2, REVOKED: 0 });
    expect(proof.errors).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('CDK: the acme route and output, the bulkcodes secret name, the pigeon grant where chosen', async () => {
    const result = await synth;
    const proof = proofOf<SynthProof>(join(results, 'synth.json'), result);
    expect(result.ok).toBe(true);

    const { app, chosen, refusals } = proof;
    expect(app.routes).toContain('POST /webhooks/acme');
    expect(JSON.stringify(app.outputs.AcmeWebhookUrl)).toContain('webhooks/acme');
    expect(app.outputs.WebhookSecretNames).toContain('streamsync/webhook/acme/<storeId> {"secret":"<Acme shared secret>"}');
    expect(app.outputs.SupplierSecretNames).toContain('streamsync/supplier/bulkcodes {"apiKey":"…"}');

    // The app deploys the default channel; pigeon's binding is applied only where it is chosen.
    expect(app.delivery.env.CHANNEL).toBe('sms-eum');
    expect(app.parameters).not.toContain('PigeonTopicArn');
    expect(JSON.stringify(app.delivery.statements)).not.toContain('PigeonTopicArn');
    expect(chosen.delivery.env).toMatchObject({ CHANNEL: 'pigeon', PIGEON_TOPIC_ARN: { Ref: 'PigeonTopicArn' } });
    expect(chosen.parameters).toContain('PigeonTopicArn');
    expect(chosen.delivery.statements).toContainEqual({ Action: 'sns:Publish', Effect: 'Allow', Resource: { 'Fn::Sub': '${PigeonTopicArn}' } });
    // Refused exactly when there is no binding: pigeon without one, and the local-only recorder.
    expect(refusals).toEqual({
      'pigeon without its deploy binding': 'Channel "pigeon" has no deploy binding: it runs locally only',
      recorder: 'Channel "recorder" has no deploy binding: it runs locally only',
    });

    // The modules are in the bundles that use them, their local hooks (fakes, demo secrets) in none.
    const bundles = Object.fromEntries(Object.entries(app.bundles).map(([fn, file]) => [fn, readFileSync(file, 'utf8')]));
    expect(bundles.webhook).toContain('x-acme-webhook-secret');
    expect(bundles.delivery).toContain('PIGEON_TOPIC_ARN');
    expect(bundles.restockStream).toContain('BULKCODES_BASE_URL');
    const leaks = Object.entries(bundles).flatMap(([fn, text]) =>
      ['demo-acme-shared-secret', 'local-bulkcodes-key', 'pigeon-loft'].filter((marker) => text.includes(marker)).map((marker) => `${fn}: ${marker}`),
    );
    expect(leaks).toEqual([]);
  });
});
