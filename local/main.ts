// `npm start`: the whole pipeline on this machine, seeded with demo stock, until Ctrl-C.
import type { RunningStoreFake } from '#adapters/platforms/platform-module';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { CHANNELS } from '#adapters/channels/registry';
import type { PlatformModule } from '#adapters/platforms/platform-module';
import { PLATFORMS } from '#adapters/platforms/registry';
import { SUPPLIERS } from '#adapters/suppliers/registry';
import type { CommonFakeKnobs } from '#adapters/suppliers/supplier-module';
import { demoCatalogue } from './demo-data';
import { localRuntimeEnv, startPipeline } from './pipeline';
import { RUNTIME_FILE } from './runtime-file';
import { curlCommand } from './sample-order';
import { seed } from './seed';

const supplierTitles = SUPPLIERS.map((s) => s.title).join(', ');

const program = new Command()
  .name('npm start --')
  .description(`Run StreamSync locally: DynamoDB Local + SQS/SNS emulator + the real handlers, fake supplier APIs (${supplierTitles}) and the channel outbox.`)
  .option('--port <port>', 'webhook port (0 = any free port)', '3000')
  .option('--recorder-port <port>', 'outbox viewer port (0 = any free port)', '3001')
  .option('--stock <codes>', 'demo codes seeded per SKU', '12')
  .option('--log-level <level>', 'handler log level: DEBUG, INFO, WARN, ERROR, SILENT', 'WARN')
  .option('--supplier-latency <ms>', 'latency of the fake suppliers', '200')
  .option('--supplier-pending', 'fake suppliers fulfil orders asynchronously (pending, then codes on a later poll)', false)
  .option('--channels <names>', `channel chain, tried in order, each through its local fake (${CHANNELS.map((c) => c.name).join(', ')})`, 'whatsapp,sms,email')
  .option('--links <names>', 'channels that send a one-time reveal link instead of the code (empty: none)', 'whatsapp,email')
  .parse();

async function main() {
  // Node 20 is supported here; the SDK's notice about its future minimum is noise on a terminal.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const opts = program.opts<{ port: string; recorderPort: string; stock: string; logLevel: string; supplierLatency: string; supplierPending: boolean; channels: string; links: string }>();
  console.log('Starting DynamoDB Local, the SQS/SNS emulator and the pipeline…');
  const started = Date.now();
  const knobs: CommonFakeKnobs = { latencyMs: Number(opts.supplierLatency), partialFulfilment: opts.supplierPending ? { afterMs: 3000 } : false };
  const pipeline = await startPipeline({
    webhookPort: Number(opts.port),
    recorderPort: Number(opts.recorderPort),
    logLevel: opts.logLevel.toUpperCase() as never,
    suppliers: Object.fromEntries(SUPPLIERS.map((s) => [s.name, { ...knobs }])),
    channel: opts.channels,
    // An empty variable means the default to the functions: no link channels is spelled `none`.
    env: { REVEAL_LINK_CHANNELS: opts.links.trim() === '' ? 'none' : opts.links },
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
  watchAncestors(() => void shutdown('npm exited'));

  const catalogue = await demoCatalogue();
  const stocked = await seed(pipeline.deps, { ...catalogue, stock: Number(opts.stock) });
  mkdirSync('.local', { recursive: true });
  // What the operator CLI needs to reach this pipeline (`--local`). Local-only secrets; gitignored.
  writeFileSync(RUNTIME_FILE, JSON.stringify(localRuntimeEnv(pipeline), null, 2));

  const orderId = Date.now() % 10_000_000;
  const webhooks: string[] = [];
  const samples: string[] = [];
  for (const [i, module] of (PLATFORMS as readonly PlatformModule[]).entries()) {
    const url = `${pipeline.webhookUrl}/webhooks/${module.name}`;
    const local = await module.local?.();
    if (!local) {
      webhooks.push(`  ${`${module.title} webhook:`.padEnd(16)}${url}`);
      continue;
    }
    webhooks.push(`  ${`${module.title} webhook:`.padEnd(16)}${url}   (demo store ${local.demo.storeId}, ${local.demo.describe})`);
    const sample = local.sampleOrder(String((i + 1) * 100_000_000 + orderId));
    const path = join('.local', `sample-${module.name}-order.json`);
    writeFileSync(path, sample.raw);
    const product = catalogue.skus.find((s) => s.sku === catalogue.products.find((p) => p.storeId === local.demo.storeId)?.sku);
    const what = [sample.units && `${sample.units} ×`, product?.name].filter(Boolean).join(' ');
    samples.push(`${i === 0 ? 'Send a correctly signed sample' : 'Then open the outbox. A'} ${module.title} order${what ? ` (${what})` : ''}, ${local.demo.describe}, body in ${path} — paste this:\n\n${curlCommand(url, sample.headers, `@${path}`)}`);
  }
  const threshold = catalogue.skus[0]?.threshold;
  console.log(`
StreamSync is running locally (ready in ${((Date.now() - started) / 1000).toFixed(1)} s).

${webhooks.join('\n')}
  Outbox:         ${pipeline.recorder.url}/   (JSON: ${pipeline.recorder.url}/messages)
  Channels:       ${opts.channels.split(',').join(' → ')}, each through its local fake into the outbox${linkNote(opts.links)}
  Status webhook: ${pipeline.webhookUrl}/channels/whatsapp/status   (the fake WhatsApp posts sent/delivered/read there, signed)
  Store APIs:     ${Object.keys(pipeline.storeFakes).map((name) => `fake ${name}`).join(', ')} with the demo stores installed: a delivered order is written back (printed below)
  Stock seeded:   ${Object.entries(stocked).map(([sku, n]) => `${sku} ${n}`).join(', ')} (restocked below ${threshold} from the fake ${SUPPLIERS.map((s) => s.title).join(', failing over to the fake ')})

${samples.join('\n\n')}

The operator CLI reaches this pipeline with --local, e.g. npm run cli -- --local stock
Ctrl-C stops everything.
`);
  reportWriteBacks(pipeline.storeFakes);
}

/** Prints each status change a store fake receives: what the merchant would see their order turn into. */
function reportWriteBacks(fakes: Record<string, RunningStoreFake>): void {
  const seen = new Map<string, number>();
  setInterval(() => {
    for (const [platform, fake] of Object.entries(fakes)) {
      const changes = fake.statusChanges();
      for (const change of changes.slice(seen.get(platform) ?? 0)) {
        console.log(`${new Date(change.at).toISOString().slice(11, 19)}  ${platform} store ${change.storeId}: order ${change.orderId} is now "${change.status}" (written back)`);
      }
      seen.set(platform, changes.length);
    }
  }, 500).unref();
}

/**
 * Stops with the `npm start` that launched it. A process manager or an IDE often signals npm alone, and
 * npm may die without passing it on to tsx and this process: orphaned, the engines would keep the ports
 * and `.local/runtime.json`. Linux only (/proc); elsewhere Ctrl-C (the whole process group) still works.
 */
function watchAncestors(onGone: () => void): void {
  const parentOf = (pid: number): number | undefined => {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so parse after the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return undefined;
    }
  };
  const ancestors: number[] = [];
  for (let pid = process.ppid; pid > 1 && ancestors.length < 4; pid = parentOf(pid) ?? 0) ancestors.push(pid);
  if (ancestors.length === 0 || parentOf(process.pid) === undefined) return;
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  // Only the launcher's own chain (tsx, sh, npm): not the shell or terminal above it.
  const watched = ancestors.slice(0, 3);
  setInterval(() => {
    if (!watched.every(alive)) onGone();
  }, 1000).unref();
}

/** How the person at the terminal opens a code sent as a link. */
const linkNote = (links: string): string => {
  const names = links.split(',').filter((name) => name !== '' && name !== 'none');
  return names.length === 0 ? '' : `;\n                  ${names.join(' and ')} send a one-time reveal link: click it in the outbox to see the code (once)`;
};

main().catch((err) => {
  const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
  console.error(`npm start failed: ${(err as Error).message}`);
  if (inUse) console.error('Another npm start may be running. Stop it, or pick other ports: npm start -- --port 0 --recorder-port 0');
  process.exit(1);
});
