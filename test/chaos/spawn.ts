// Runs a scenario in a child process on the given engines and reads its verdict back.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioResult } from './run-one';

const ROOT = join(__dirname, '..', '..');

export async function runScenarioProcess(name: string, engines: { dynamo: string; sqs: string }, options: { timeoutMs: number; verbose?: boolean }): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), `chaos-${name}-`));
  const resultFile = join(dir, 'result.json');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'chaos', 'run-one.ts'), name], {
      cwd: ROOT,
      env: {
        ...process.env,
        CHAOS_DYNAMO_ENDPOINT: engines.dynamo,
        CHAOS_SQS_ENDPOINT: engines.sqs,
        CHAOS_RESULT: resultFile,
        CHAOS_VERBOSE: options.verbose ? '1' : '0',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', options.verbose ? 'inherit' : 'ignore', options.verbose ? 'inherit' : 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const exit = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    try {
      return JSON.parse(readFileSync(resultFile, 'utf8')) as ScenarioResult;
    } catch {
      return { name, faults: '', passed: false, failures: [`the scenario process ended (exit ${exit}) without a verdict${exit === null ? ' (killed at its time limit)' : ''}: ${stderr}`], durationMs: options.timeoutMs, codesInLogs: 0, logLines: 0, sourceErrors: {} };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
