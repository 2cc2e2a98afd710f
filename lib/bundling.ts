// How every Lambda function is bundled, in one place: StreamSyncFunction (CDK's NodejsFunction, which runs the
// esbuild CLI) and the cold-start benchmark (bench/cold-start, esbuild's JS API) both build from these options,
// so the bundle measured is the bundle deployed. No aws-cdk-lib import here: the benchmark loads it without CDK.
import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';

/** Repository root: function entries are given relative to it, and esbuild runs there. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** Node.js major version of the Lambda runtime (nodejs24.x); StreamSyncFunction checks its runtime against it. */
export const LAMBDA_NODE_MAJOR = 24;

/**
 * Left out of the bundles because the nodejs24.x runtime provides them: AWS SDK v3 and its Smithy packages,
 * nothing else. (Set explicitly rather than through the cdk.json flag, so the benchmark cannot drift.)
 */
export const RUNTIME_PROVIDED_MODULES: readonly string[] = ['@aws-sdk/*', '@smithy/*'];

/**
 * Never bundled: an adapter module's local hooks (`local: () => import('./local')`: its fake API, demo
 * data), which only `npm start`, the tests and the benchmarks load. The import stays in the bundle as a
 * native dynamic import that a function never calls.
 */
export const LOCAL_ONLY_MODULES: readonly string[] = ['./local'];

/**
 * Bundle-only substitutions (esbuild `alias`), relative to PROJECT_ROOT. `semver` is used in the bundles by
 * aws-xray-sdk-core and cls-hooked (the Powertools Tracer's dependencies) for one `gte` call only.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  semver: './functions/wiring/bundle-shims/semver.ts',
};

/** The options of every function bundle (the StreamSyncFunction `bundling` props, CDK-agnostic). */
export const FUNCTION_BUNDLING = {
  /**
   * CommonJS, not ESM: the runtime-provided SDK is CommonJS, and loading it from an ES module costs Node a
   * module-type check of every SDK file. Measured back to back with the same bytes, init went from
   * 163–171 ms to 110–118 ms on Node 20 and from 142–149 ms to 127–135 ms on Node 24. Nothing here uses
   * top-level await, the one thing ESM would add.
   */
  format: 'cjs',
  /** What CDK derives from the runtime; stated so both builders agree. */
  target: `node${LAMBDA_NODE_MAJOR}`,
  platform: 'node',
  mainFields: ['module', 'main'],
  minify: true,
  /** `--sourcemap` (a linked index.js.map) without sources content: NODE_OPTIONS=--enable-source-maps uses it. */
  sourceMap: true,
  sourcesContent: false,
  externalModules: [...RUNTIME_PROVIDED_MODULES, ...LOCAL_ONLY_MODULES],
  aliases: BUNDLE_ALIASES,
  logLevel: 'warning',
} as const;

/** Powertools metrics namespace shared by all functions. */
export const METRICS_NAMESPACE = 'StreamSync';

export type PowertoolsLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * The environment every function starts with (config-contract keys are added per function). It lives next to
 * the bundling options because it changes how a bundle loads: NODE_OPTIONS=--enable-source-maps makes Node read
 * index.js.map at import, and the benchmark starts its processes with the same variables.
 */
export function functionBaseEnvironment(serviceName: string, logLevel: PowertoolsLogLevel = 'INFO'): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: serviceName,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: logLevel,
    POWERTOOLS_LOGGER_LOG_EVENT: 'false',
    // Return values can hold code values; they must never reach X-Ray (docs/security.md).
    POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/**
 * Size budget of one function bundle (index.js, minified): checked by the infra tests, measured by
 * bench/cold-start. 250 KB until the delivery function carried a whole channel chain (every deployed
 * channel, the reveal-link issuer, provider statuses): 249 → 260 KB then, and the budget moved to 270 KB.
 * 310 KB since the payment check: the delivery function carries the platforms' API clients and token
 * providers (272 → 303 KB). Splitting the store API from the webhook adapters would win some back.
 * 325 KB since envelope encryption of the codes (the vault, its data-key providers, the legacy reader:
 * 307 → 313 KB; the KMS client itself is the runtime's).
 */
export const BUNDLE_BYTES_BUDGET = 325 * 1024;

/** Output file name CDK gives a CommonJS bundle. */
export const BUNDLE_FILE = 'index.js';

/** `--alias:<module>=<path>` arguments for NodejsFunction's `esbuildArgs` (it takes one value per key). */
export function aliasEsbuildArgs(aliases: Readonly<Record<string, string>> = BUNDLE_ALIASES): Record<string, string> {
  const entries = Object.entries(aliases);
  if (entries.length > 1) throw new Error('NodejsFunction esbuildArgs holds one --alias value: extend aliasEsbuildArgs');
  return Object.fromEntries(entries.map(([from, to]) => ['--alias', `${from}=${to}`]));
}

/**
 * esbuild JS-API options equal to the CLI call NodejsFunction makes with FUNCTION_BUNDLING:
 * `esbuild --bundle <entry> --target=node24 --platform=node --format=cjs --outfile=<outdir>/index.js --minify
 *  --sourcemap --sources-content=false --external:@aws-sdk/* --external:@smithy/* --log-level=warning
 *  --main-fields=module,main --alias:semver=…`, run in PROJECT_ROOT.
 */
export function functionBuildOptions(entry: string, outdir: string): BuildOptions {
  return {
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [path.resolve(PROJECT_ROOT, entry)],
    bundle: true,
    target: FUNCTION_BUNDLING.target,
    platform: FUNCTION_BUNDLING.platform,
    format: FUNCTION_BUNDLING.format,
    outfile: path.join(outdir, BUNDLE_FILE),
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    external: [...FUNCTION_BUNDLING.externalModules],
    logLevel: FUNCTION_BUNDLING.logLevel,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    alias: { ...FUNCTION_BUNDLING.aliases },
  };
}
