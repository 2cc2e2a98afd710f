// One fresh Node process per sample: start → `await import(bundle)` → handler export present, timed inside the
// child with performance.now() (milliseconds since the process started), so the figure includes Node's own
// start-up, loading the runtime-provided AWS SDK from node_modules and evaluating the bundle: what Lambda's
// "Init Duration" covers on a cold start, minus the runtime client's own bootstrap.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BundleComposition } from './bundle';

const MARK = '@@cold-start ';

/** Imports the module given as argv[2], checks its `handler` export, reports timings on stdout. */
const LOADER = `const loaderStartMs = performance.now();
const target = process.argv[2];
// CommonJS bundles are loaded the way the Lambda runtime loads them: with require().
const { createRequire } = await import('node:module');
const mod = !target ? {} : /\.c?js$/.test(target) ? createRequire(import.meta.url)(target) : await import(target);
if (target && typeof mod.handler !== 'function') {
  console.error('no handler export in ' + target);
  process.exit(2);
}
const readyMs = performance.now();
const cpu = process.cpuUsage();
process.stdout.write('\\n${MARK}' + JSON.stringify({ loaderStartMs, readyMs, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\\n');
`;

export interface Sample {
  /** Process start → handler export available (ms). */
  readyMs: number;
  /** Process start → first line of the loader: Node's own start-up in this sample (ms). */
  loaderStartMs: number;
  /** CPU time (user + system) of the process at that point (ms): less sensitive to other load on the machine. */
  cpuMs: number;
}

/** Writes the loader next to the bundles. Returns its path. */
export function writeLoader(dir: string): string {
  const file = path.join(dir, 'loader.mjs');
  writeFileSync(file, LOADER);
  return file;
}

/**
 * A module that loads only what a bundle leaves external (the AWS SDK packages, Node built-ins), in the order
 * esbuild met them: the share of a cold start the runtime-provided modules take, whatever the bundle holds.
 */
export function writeExternalsOnly(dir: string, externals: BundleComposition['externals']): string {
  const file = path.join(dir, 'externals-only.mjs');
  const lines = [
    "import { createRequire } from 'module';",
    ...externals.filter((e) => e.kind === 'import').map((e) => `import ${JSON.stringify(e.path)};`),
    'const require = createRequire(import.meta.url);',
    ...externals.filter((e) => e.kind === 'require').map((e) => `require(${JSON.stringify(e.path)});`),
    'export const handler = () => undefined;',
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export interface SpawnSettings {
  node: string;
  loader: string;
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
}

/** One fresh process importing `target` (or nothing: Node's start-up baseline). */
export function sample(settings: SpawnSettings, target?: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn(settings.node, target ? [settings.loader, target] : [settings.loader], {
      cwd: settings.cwd,
      env: settings.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), settings.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(MARK));
      if (code !== 0 || !line) {
        reject(new Error(`${target ?? 'baseline'}: exit ${code ?? signal}${stderr ? `\n${stderr.trim().slice(0, 2000)}` : ''}`));
        return;
      }
      resolve(JSON.parse(line.slice(MARK.length)) as Sample);
    });
  });
}
