// Starts the SQS emulator and the pipeline as child processes and talks to the pipeline over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FromChild, OutboxEntry, PipelineChildSettings, ToChild } from './protocol';

const TS_CHILD_EXEC_ARGV = ['--import', 'tsx'];
const childEnv = () => ({ ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  if (child.connected) child.disconnect();
  else child.kill('SIGTERM');
  await exited;
  clearTimeout(timer);
}

export async function startSqsEmulatorProcess(): Promise<{ endpoint: string; pid: number; stop(): Promise<void> }> {
  const child = fork(join(__dirname, 'sqs-emulator-child.ts'), [], { execArgv: TS_CHILD_EXEC_ARGV, env: childEnv(), stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [message] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => [undefined])])) as [{ endpoint: string } | undefined];
  if (!message) throw new Error('The SQS/SNS emulator process exited before it was ready');
  return { endpoint: message.endpoint, pid: child.pid!, stop: () => stopChild(child) };
}

export interface PipelineProcess {
  pid: number;
  ready: Extract<FromChild, { type: 'ready' }>;
  /** Sends `message` and waits for the first answer of type `answer`. */
  ask<T extends FromChild['type']>(message: ToChild, answer: T, timeoutMs?: number): Promise<Extract<FromChild, { type: T }>>;
  onOutbox(listener: (entries: OutboxEntry[]) => void): void;
  /** Bytes the handlers wrote to stdout (their log lines and metrics): what CloudWatch Logs would ingest. */
  readonly logBytes: number;
  readonly errors: Array<{ source: string; message: string }>;
  stop(): Promise<void>;
}

export async function startPipelineProcess(settings: PipelineChildSettings): Promise<PipelineProcess> {
  // Logs go to a file, not a pipe: Node writes to pipes synchronously, so a busy reader (the load
  // generator) would stall the pipeline's event loop and the benchmark would measure itself.
  const logDir = mkdtempSync(join(tmpdir(), 'streamsync-bench-'));
  const logFile = join(logDir, 'pipeline.log');
  const logFd = openSync(logFile, 'w');
  // BENCH_CPU_PROFILE_DIR=<dir>: a V8 CPU profile of the pipeline process, to see where its time goes.
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  const child = fork(join(__dirname, 'pipeline-child.ts'), [JSON.stringify(settings)], {
    execArgv: profileDir ? [...TS_CHILD_EXEC_ARGV, '--cpu-prof', `--cpu-prof-dir=${profileDir}`] : TS_CHILD_EXEC_ARGV,
    env: childEnv(),
    stdio: ['ignore', logFd, logFd, 'ipc'],
  });
  closeSync(logFd);
  const stderrTail = () => readFileSync(logFile, 'utf8').slice(-4000);
  const errors: Array<{ source: string; message: string }> = [];
  const outboxListeners: Array<(entries: OutboxEntry[]) => void> = [];
  child.on('message', (message: FromChild) => {
    if (message.type === 'outbox') outboxListeners.forEach((listener) => listener(message.entries));
    if (message.type === 'error') errors.push({ source: message.source, message: message.message });
  });

  const waitFor = <T extends FromChild['type']>(type: T, timeoutMs: number) =>
    new Promise<Extract<FromChild, { type: T }>>((resolve, reject) => {
      const onMessage = (message: FromChild) => {
        if (message.type !== type) return;
        cleanup();
        resolve(message as Extract<FromChild, { type: T }>);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`The pipeline process exited (${code}) while waiting for '${type}': ${errors.map((e) => e.message).join('; ')} ${stderrTail()}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`No '${type}' from the pipeline process within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });

  const ready = await waitFor('ready', 60_000);
  return {
    pid: child.pid!,
    ready,
    ask: (message, answer, timeoutMs = 120_000) => {
      const answered = waitFor(answer, timeoutMs);
      child.send(message);
      return answered;
    },
    onOutbox: (listener) => outboxListeners.push(listener),
    get logBytes() {
      return statSync(logFile).size;
    },
    errors,
    async stop() {
      if (child.connected) {
        child.send({ type: 'stop' } satisfies ToChild);
        await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 10_000))]);
      }
      await stopChild(child);
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
