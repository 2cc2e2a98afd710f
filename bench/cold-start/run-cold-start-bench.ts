// Section 3 of the benchmark suite: size and cold start of every Lambda function.
// Each function is bundled with exactly the options CDK deploys it with (lib/bundling.ts); then fresh Node
// processes import the bundle, with the function's environment, until its `handler` export is there.
// Targets per function: minified bundle < BUNDLE_BYTES_BUDGET (lib/bundling.ts), module load + init < 150 ms (median of 10 processes).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { version as esbuildVersion } from 'esbuild';
import { BUNDLE_BYTES_BUDGET, FUNCTION_BUNDLING, LAMBDA_NODE_MAJOR, PROJECT_ROOT, functionBaseEnvironment } from '#lib/bundling';
import { REQUIRED_CONFIG_KEYS } from '#lib/config-contract';
import { median, round } from '../lib/stats';
import type { BenchOptions, FunctionRow } from '../lib/types';
import { bundleFunction, type BuiltBundle } from './bundle';
import { discoverFunctions, type FunctionEntry } from './functions';
import { sample, writeExternalsOnly, writeLoader, type Sample, type SpawnSettings } from './measure';

export const BUNDLE_BYTES_MAX = BUNDLE_BYTES_BUDGET;
export const INIT_MS_MAX = 150;

export interface ColdStartFunctionRow extends FunctionRow {
  /** index.js.map, not deployed code but read at init because of NODE_OPTIONS=--enable-source-maps. */
  mapBytes: number;
  /** Fastest of the samples: the least disturbed by other work on the machine. */
  initMinMs: number;
  /** Median CPU time (user + system, all threads) of the process at "handler available". */
  initCpuMs: number;
  /** Median of the same measurement for a process that imports only the bundle's externals (AWS SDK, built-ins). */
  externalsOnlyMs: number;
  externalsOnlySamplesMs: number[];
  /** initMs − externalsOnlyMs: reading, parsing and evaluating the bundle itself (with its source map). */
  bundleOwnMs: number;
  /** Largest contributors to bundleBytes (minified bytes per package; our code as `functions/<dir>`). */
  largestPackages: Array<{ name: string; bytes: number }>;
  /** What the bundle leaves to the runtime, as loaded at init. */
  externals: string[];
  pass: { bundle: boolean; init: boolean };
}

export interface ColdStartSettings {
  mode: 'quick' | 'full';
  samplesPerFunction: number;
  externalsOnlySamples: number;
  warmUpRounds: number;
  order: string;
  measurement: string;
  /** `matchesRuntime`: the children ran the Lambda runtime's Node major. Module loading differs a lot between majors. */
  node: { binary: string; version: string; lambdaRuntime: string; matchesRuntime: boolean };
  esbuildVersion: string;
  bundling: typeof FUNCTION_BUNDLING;
  functionsFrom: string;
  /** The child processes' whole environment, besides the per-function POWERTOOLS_SERVICE_NAME and LAMBDA_TASK_ROOT. */
  environment: Record<string, string>;
  modules: string;
  /**
   * 1-minute load average before and after the measurement: other work on the machine inflates every figure.
   * `busy` looks at `before` only (the measurement's own processes raise `after` to about 1).
   */
  machineLoad: { cores: number; loadAverage1mBefore: number; loadAverage1mAfter: number; busy: boolean };
}

export interface ColdStartBenchResult {
  functions: ColdStartFunctionRow[];
  /** Median time from process start to the first line of an empty ES module (same node, flags and environment). */
  baselineNodeStartMs: number;
  baselineSamplesMs: number[];
  settings: ColdStartSettings;
  targets: {
    bundleBytesMax: number;
    initMsMax: number;
    /** Every function's bundle is under bundleBytesMax. */
    bundles: boolean;
    /** Every function's initMs is under initMsMax. */
    init: boolean;
    failing: string[];
  };
}

export interface ColdStartTuning {
  /** Node binary of the child processes (e.g. a Node 24 build, the Lambda runtime's major). Default: this process's. */
  node?: string;
  /** Keep the temporary bundles directory and print its path. */
  keep?: boolean;
}

/** Fake values for the config keys without a default: enough to pass loadConfig at import; nothing is contacted. */
const FAKE_CONFIG: Record<string, string> = {
  TABLE_NAME: 'streamsync-bench',
  ORDERS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/streamsync-orders',
  REORDER_POLL_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/streamsync-reorder-poll',
  ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:streamsync-alerts',
};

/** What the Lambda runtime sets before it imports the handler (fake account, no credentials that work). */
const LAMBDA_RUNTIME_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${LAMBDA_NODE_MAJOR}.x`,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'bench-fake-session-token',
  _HANDLER: 'index.handler',
  TZ: ':UTC',
  LANG: 'en_US.UTF-8',
  // Node 24 (the runtime) prints no such warning; Node 20 would, from every SDK client.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

function baseEnvironment(): Record<string, string> {
  const config = Object.fromEntries(REQUIRED_CONFIG_KEYS.map((key) => [key, FAKE_CONFIG[key] ?? `bench-${key.toLowerCase()}`]));
  return { ...functionBaseEnvironment('bench'), ...LAMBDA_RUNTIME_ENV, ...config };
}

const functionEnv = (base: Record<string, string>, fn: FunctionEntry, dir: string): Record<string, string> => ({
  ...base,
  POWERTOOLS_SERVICE_NAME: fn.name,
  AWS_LAMBDA_FUNCTION_NAME: `StreamSync-${fn.name}`,
  AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/StreamSync-${fn.name}`,
  LAMBDA_TASK_ROOT: dir,
});

const nodeVersion = (node: string): string => execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();

export async function runColdStartBench(options: BenchOptions, tuning: ColdStartTuning = {}): Promise<ColdStartBenchResult> {
  const { log } = options;
  const samplesPerFunction = options.quick ? 3 : 10;
  const externalsOnlySamples = options.quick ? 2 : 5;
  const warmUpRounds = 1;
  const node = tuning.node ?? process.execPath;
  const functions = discoverFunctions();
  const base = baseEnvironment();

  // A temporary directory whose node_modules is the project's: the bundles' external imports (the AWS SDK)
  // resolve there, as they resolve to the runtime's copy on Lambda.
  const root = mkdtempSync(path.join(tmpdir(), 'streamsync-cold-start-'));
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  try {
    log(`[cold-start] bundling ${functions.length} functions with the CDK options (esbuild ${esbuildVersion})`);
    const bundles = new Map<string, BuiltBundle & { externalsOnly: string; env: Record<string, string> }>();
    for (const fn of functions) {
      const dir = path.join(root, fn.name);
      mkdirSync(dir);
      const built = await bundleFunction(fn.entry, dir);
      bundles.set(fn.name, { ...built, externalsOnly: writeExternalsOnly(dir, built.composition.externals), env: functionEnv(base, fn, dir) });
      log(`[cold-start]   ${fn.name.padEnd(16)} ${(built.bytes / 1000).toFixed(1).padStart(6)} KB  (${fn.entry})`);
    }

    const loader = writeLoader(root);
    const spawnSettings = (env: Record<string, string>): SpawnSettings => ({ node, loader, env, cwd: root, timeoutMs: 30_000 });
    const baselineEnv = { ...base, LAMBDA_TASK_ROOT: root };
    const baseline: Sample[] = [];
    const samples = new Map<string, { init: Sample[]; externals: Sample[] }>(functions.map((fn) => [fn.name, { init: [], externals: [] }]));

    const loadBefore = loadavg()[0];
    const cores = cpus().length;
    if (loadBefore > cores / 2) log(`[cold-start] warning: load average ${loadBefore.toFixed(2)} on ${cores} cores: figures will be inflated`);
    const rounds = warmUpRounds + samplesPerFunction;
    const version = nodeVersion(node);
    const matchesRuntime = version.startsWith(`v${LAMBDA_NODE_MAJOR}.`);
    log(`[cold-start] ${samplesPerFunction} fresh processes per function (+${warmUpRounds} warm-up round), node ${version}`);
    if (!matchesRuntime) {
      log(`[cold-start] note: the functions run on Node ${LAMBDA_NODE_MAJOR}; ${version} measured here (compare with --node=<node ${LAMBDA_NODE_MAJOR} binary>)`);
    }
    for (let r = 0; r < rounds; r++) {
      const recorded = r >= warmUpRounds;
      const takeExternals = r < warmUpRounds + externalsOnlySamples;
      const b = await sample(spawnSettings(baselineEnv));
      if (recorded) baseline.push(b);
      // Rotate the order each round so no function always runs right after another's disk and CPU work.
      for (let i = 0; i < functions.length; i++) {
        const fn = functions[(i + r) % functions.length];
        const bundle = bundles.get(fn.name)!;
        const init = await sample(spawnSettings(bundle.env), bundle.file);
        const externals = takeExternals ? await sample(spawnSettings(bundle.env), bundle.externalsOnly) : undefined;
        if (!recorded) continue;
        samples.get(fn.name)!.init.push(init);
        if (externals) samples.get(fn.name)!.externals.push(externals);
      }
      if (recorded) log(`[cold-start]   round ${r - warmUpRounds + 1}/${samplesPerFunction}`);
    }

    const loadAfter = loadavg()[0];
    const rows: ColdStartFunctionRow[] = functions.map((fn) => {
      const bundle = bundles.get(fn.name)!;
      const { init, externals } = samples.get(fn.name)!;
      const initSamplesMs = init.map((s) => round(s.readyMs));
      const initMs = round(median(initSamplesMs));
      const externalsOnlySamplesMs = externals.map((s) => round(s.readyMs));
      const externalsOnlyMs = round(median(externalsOnlySamplesMs));
      return {
        name: fn.name,
        entry: fn.entry,
        bundleBytes: bundle.bytes,
        initMs,
        initSamplesMs,
        mapBytes: bundle.mapBytes,
        initMinMs: Math.min(...initSamplesMs),
        initCpuMs: round(median(init.map((s) => s.cpuMs))),
        externalsOnlyMs,
        externalsOnlySamplesMs,
        bundleOwnMs: round(initMs - externalsOnlyMs),
        largestPackages: bundle.composition.byPackage.slice(0, 8),
        externals: bundle.composition.externals.map((e) => e.path).filter((p) => !p.startsWith('node:') && p !== 'module'),
        pass: { bundle: bundle.bytes < BUNDLE_BYTES_MAX, init: initMs < INIT_MS_MAX },
      };
    });
    const baselineSamplesMs = baseline.map((s) => round(s.loaderStartMs));
    const baselineNodeStartMs = round(median(baselineSamplesMs));

    for (const row of rows) {
      log(
        `[cold-start]   ${row.name.padEnd(16)} init ${row.initMs.toFixed(1).padStart(6)} ms (SDK + built-ins alone ${row.externalsOnlyMs.toFixed(1)} ms, ` +
          `bundle ${row.bundleOwnMs.toFixed(1)} ms; min ${row.initMinMs.toFixed(1)} ms)  ${row.pass.bundle ? 'size ok' : 'SIZE OVER'} ${row.pass.init ? 'init ok' : 'INIT OVER'}`,
      );
    }
    log(`[cold-start]   node start-up alone (empty ES module): ${baselineNodeStartMs} ms`);

    const failing = rows.flatMap((row) => [
      ...(row.pass.bundle ? [] : [`${row.name}: bundle ${row.bundleBytes} B ≥ ${BUNDLE_BYTES_MAX} B`]),
      ...(row.pass.init ? [] : [`${row.name}: init ${row.initMs} ms ≥ ${INIT_MS_MAX} ms`]),
    ]);
    if (tuning.keep) log(`[cold-start] bundles kept in ${root}`);
    return {
      functions: rows,
      baselineNodeStartMs,
      baselineSamplesMs,
      settings: {
        mode: options.quick ? 'quick' : 'full',
        samplesPerFunction,
        externalsOnlySamples,
        warmUpRounds,
        order: 'rounds of: baseline, then every function (bundle, then externals-only in the first rounds), start rotated each round; one process at a time',
        measurement:
          'performance.now() in a fresh process after `await import(bundle)` returned a module with a `handler` function: ' +
          'Node start-up + loading the external AWS SDK modules + parsing/evaluating the bundle (and its source map, NODE_OPTIONS=--enable-source-maps); median of the samples',
        node: { binary: node, version, lambdaRuntime: `nodejs${LAMBDA_NODE_MAJOR}.x`, matchesRuntime },
        esbuildVersion,
        bundling: FUNCTION_BUNDLING,
        functionsFrom: "every `entry: 'functions/…'` in lib/*.ts (the StreamSyncFunction entries)",
        environment: base,
        modules: "bundles in a temporary directory whose node_modules links to the project's (the AWS SDK v3 the bundles leave external)",
        machineLoad: {
          cores,
          loadAverage1mBefore: round(loadBefore),
          loadAverage1mAfter: round(loadAfter),
          busy: loadBefore > cores / 2,
        },
      },
      targets: { bundleBytesMax: BUNDLE_BYTES_MAX, initMsMax: INIT_MS_MAX, bundles: rows.every((r) => r.pass.bundle), init: rows.every((r) => r.pass.init), failing },
    };
  } finally {
    if (!tuning.keep) rmSync(root, { recursive: true, force: true });
  }
}
