// Runs one variant child to completion and returns its raw result. The child is always gone when this
// returns (killed if it overran), so the next variant never shares the CPU with a leftover pipeline.
import { fork } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { FromVariant, VariantRaw, VariantSpec } from './protocol';

/** Startup, seeding and stopping on top of the burst's own timeout and the settle cap. */
const OVERHEAD_MS = 120_000;
const STOP_GRACE_MS = 15_000;

export async function runVariant(spec: Omit<VariantSpec, 'logLevel'>, log: (line: string) => void): Promise<VariantRaw> {
  // BENCH_RESTOCK_LOG_DIR=<dir>: the handlers' INFO logs of each variant in <dir>/<mode>-<burst>.log, to
  // see where a burst's time went. Otherwise their ERROR lines go nowhere (the figures come over IPC).
  const logDir = process.env.BENCH_RESTOCK_LOG_DIR;
  const logFd = logDir ? openSync(join(logDir, `${spec.mode.mode}-${spec.burst}.log`), 'w') : 'ignore';
  const child = fork(join(__dirname, 'variant-child.ts'), [JSON.stringify({ ...spec, logLevel: logDir ? 'INFO' : 'ERROR' } satisfies VariantSpec)], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // stderr is kept for the error message if the child dies.
    stdio: ['ignore', logFd, 'pipe', 'ipc'],
  });
  if (typeof logFd === 'number') closeSync(logFd);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  // Resolves on exit whatever happened (a failed spawn emits 'error' instead).
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(null));
  });
  const label = `${spec.mode.mode} × ${spec.burst}`;
  const limitMs = spec.settings.burstTimeoutMs + spec.settings.settleCapMs + OVERHEAD_MS;
  let timer: NodeJS.Timeout | undefined;
  let ok = false;
  try {
    const raw = await new Promise<VariantRaw>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`restock ${label}: no result within ${limitMs / 1000} s`)), limitMs);
      child.on('message', (message: FromVariant) => {
        if (message.type === 'progress') log(`restock: ${label}: ${message.line}`);
        if (message.type === 'error') reject(new Error(`restock ${label}: ${message.message}`));
        if (message.type === 'result') resolve(message.raw);
      });
      void exited.then((code) => reject(new Error(`restock ${label}: the variant process exited (${code}) without a result. ${stderr}`)));
    });
    ok = true;
    return raw;
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) {
      // After a result the child stops its pipeline and exits on its own; after a failure it is killed.
      if (!ok) child.kill('SIGKILL');
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(kill);
    }
  }
}
