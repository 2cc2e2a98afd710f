// `npm start`: the whole pipeline on this machine, seeded with demo stock, until Ctrl-C.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { DEMO_SALLA_STORE, DEMO_ZID_STORE } from './demo-data';
import { localRuntimeEnv, startPipeline } from './pipeline';
import { RUNTIME_FILE } from './runtime-file';
import { curlCommand, sampleSallaOrder, sampleZidOrder } from './sample-order';
import { seed } from './seed';

const program = new Command()
  .name('npm start --')
  .description('Run StreamSync locally: DynamoDB Local + SQS/SNS emulator + the real handlers, a fake Reloadly supplier and a channel recorder.')
  .option('--port <port>', 'webhook port (0 = any free port)', '3000')
  .option('--recorder-port <port>', 'outbox viewer port (0 = any free port)', '3001')
  .option('--stock <codes>', 'demo codes seeded per SKU', '12')
  .option('--log-level <level>', 'handler log level: DEBUG, INFO, WARN, ERROR, SILENT', 'WARN')
  .option('--supplier-latency <ms>', 'latency of the fake supplier', '200')
  .option('--supplier-pending', 'fake supplier fulfils orders asynchronously (PENDING, then codes on a later poll)', false)
  .parse();

async function main() {
  // Node 20 is supported here; the SDK's notice about its future minimum is noise on a terminal.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const opts = program.opts<{ port: string; recorderPort: string; stock: string; logLevel: string; supplierLatency: string; supplierPending: boolean }>();
  console.log('Starting DynamoDB Local, the SQS/SNS emulator and the pipeline…');
  const started = Date.now();
  const pipeline = await startPipeline({
    webhookPort: Number(opts.port),
    recorderPort: Number(opts.recorderPort),
    logLevel: opts.logLevel.toUpperCase() as never,
    supplier: { latencyMs: Number(opts.supplierLatency), partialFulfilment: opts.supplierPending ? { afterMs: 3000 } : false },
    onError: (source, err) => console.error(`[${source}] ${(err as Error).message}`),
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await pipeline.stop();
    rmSync(RUNTIME_FILE, { force: true });
    console.log('Stopped: engines, pollers and servers are down.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const stocked = await seed(pipeline.deps, { stock: Number(opts.stock) });
  mkdirSync('.local', { recursive: true });
  // What the operator CLI needs to reach this pipeline (`--local`). Local-only secrets; gitignored.
  writeFileSync(RUNTIME_FILE, JSON.stringify(localRuntimeEnv(pipeline), null, 2));
  const sallaUrl = `${pipeline.webhookUrl}/webhooks/salla`;
  const zidUrl = `${pipeline.webhookUrl}/webhooks/zid`;
  const orderId = Date.now() % 100_000_000;
  const sample = sampleSallaOrder(String(600_000_000 + orderId));
  const samplePath = join('.local', 'sample-salla-order.json');
  writeFileSync(samplePath, sample.raw);
  const zidSample = sampleZidOrder(String(40_000_000 + (orderId % 10_000_000)));
  const zidSamplePath = join('.local', 'sample-zid-order.json');
  writeFileSync(zidSamplePath, zidSample.raw);
  console.log(`
StreamSync is running locally (ready in ${((Date.now() - started) / 1000).toFixed(1)} s).

  Salla webhook:  ${sallaUrl}   (demo store ${DEMO_SALLA_STORE})
  Zid webhook:    ${zidUrl}   (demo store ${DEMO_ZID_STORE}, Basic Auth)
  Outbox:         ${pipeline.recorder.url}/   (JSON: ${pipeline.recorder.url}/messages)
  Stock seeded:   ${Object.entries(stocked).map(([sku, n]) => `${sku} ${n}`).join(', ')} (fake Reloadly restocks below 5)

Send a correctly signed sample Salla order (2 × iTunes 50 SAR, body in ${samplePath}) — paste this:

${curlCommand(sallaUrl, sample.headers, `@${samplePath}`)}

Then open the outbox. A Zid order (1 × PlayStation 100 SAR), authenticated with Basic Auth:

${curlCommand(zidUrl, zidSample.headers, `@${zidSamplePath}`)}

The operator CLI reaches this pipeline with --local, e.g. npm run cli -- --local stock
Ctrl-C stops everything.
`);
}

main().catch((err) => {
  const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
  console.error(`npm start failed: ${(err as Error).message}`);
  if (inUse) console.error('Another npm start may be running. Stop it, or pick other ports: npm start -- --port 0 --recorder-port 0');
  process.exit(1);
});
