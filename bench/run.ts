// `npm run bench`: every benchmark section, one after another, into bench/results/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Command, Option } from 'commander';
import { burstFigures, runBurstBench } from './burst/run-burst-bench';
import { pathFigures, runPathsBench } from './paths/run-paths-bench';
import { runClaimBench } from './claim/run-claim-bench';
import { runColdStartBench } from './cold-start/run-cold-start-bench';
import { estimateCost } from './cost/estimate';
import { rampFigures, runE2eBench } from './e2e/run-e2e-bench';
import { importFigures, runImportBench } from './import/run-import-bench';
import { renderChart } from './lib/chart';
import { gitCommit, machineInfo } from './lib/machine';
import { renderMarkdown } from './lib/report';
import { SECTIONS, type BenchResults, type SectionName } from './lib/results';
import type { BenchOptions } from './lib/types';
import { updateReadme } from './readme-section';
import { restockFigures, runRestockBench } from './restock/run-restock-bench';
import { mixFromCost, mixFromResultsFile, runScaleModel } from './scale/run-scale-model';

const ROOT = join(__dirname, '..');

const program = new Command()
  .name('npm run bench --')
  .description(
    'Measure claim contention, end-to-end latency and throughput, bursts, restock under a burst, bulk import, cold start and cost per 1,000 orders on the local engines,\n' +
      'requests and CPU per order of the delivery path beside its baseline (requestsPerOrder),\n' +
      'and model the deployed stack at 10,000 and 100,000 orders/min on one SKU from the measured request mix (scale).\n' +
      'A full run writes bench/results/latest.{json,md,svg} and the README Performance section (about 23 minutes on 2 cores);\n' +
      '--quick and --only write quick.* / partial.* beside them instead and leave the README alone.',
  )
  .option('--quick', 'shorter phases and fewer steps: the whole suite in about 3 minutes', false)
  .addOption(new Option('--only <sections...>', 'run only these sections').choices([...SECTIONS]))
  .option('--out <dir>', 'results directory', join(ROOT, 'bench', 'results'))
  .option('--render', 'measure nothing: rebuild latest.md, latest.svg and the README block from latest.json (after changing the report code)', false)
  .parse();

/** Figures derived from the measurements (not measurements themselves) are recomputed, so a render uses the current formulas. */
function rederive(results: BenchResults): BenchResults {
  if (results.restock) results = { ...results, restock: { ...results.restock, ...restockFigures(results.restock.settings, results.restock.rows) } };
  if (results.burst) results = { ...results, burst: { ...results.burst, ...burstFigures(results.burst.rows) } };
  if (results.requestsPerOrder) results = { ...results, requestsPerOrder: { ...results.requestsPerOrder, ...pathFigures(results.requestsPerOrder.runs) } };
  if (results.import) results = { ...results, import: { ...results.import, ...importFigures(results.import.settings, results.import.rows) } };
  if (results.e2e) {
    const figures = rampFigures(results.e2e.fixedRate, results.e2e.ramp, results.machine.cores);
    results = { ...results, e2e: { ...results.e2e, ...figures }, cost: estimateCost(results.e2e.fixedRate) };
  }
  // The scale model is all derived: from the file's own request mix, with the current formulas and limits.
  if (results.cost) results = { ...results, scale: runScaleModel(mixFromCost(results.cost), thisFileSource(results)) };
  return results;
}

const thisFileSource = (results: BenchResults) => ({
  mix: `the E2E section of this results file (${results.cost!.fromPhase.orders.toLocaleString('en-US')} orders)`,
  measuredAtOrdersPerMin: results.cost!.fromPhase.ordersPerMin,
  measuredOn: results.date,
  commit: results.commit,
});

/**
 * The scale section's request mix: this run's E2E section, else the latest results file (of --out, or
 * the committed one), so `--only scale` models the last full measurement.
 */
function scaleSection(results: BenchResults, outDir: string) {
  if (results.cost) return runScaleModel(mixFromCost(results.cost), thisFileSource(results));
  for (const path of [join(outDir, 'latest.json'), join(ROOT, 'bench', 'results', 'latest.json')]) {
    const found = mixFromResultsFile(path, relative(ROOT, path).startsWith('..') ? path : relative(ROOT, path));
    if (found) return runScaleModel(found.mix, found.source);
  }
  throw new Error('scale: no request mix to model: no e2e section in this run and no latest.json with one (run `npm run bench -- --only e2e scale`)');
}

function writeResults(dir: string, name: string, results: BenchResults, log: (line: string) => void) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(dir, `${name}.md`), renderMarkdown(results));
  writeFileSync(join(dir, `${name}.svg`), renderChart(results));
  if (name === 'latest' && !updateReadme(join(ROOT, 'README.md'), results, 'bench/results/latest.svg')) {
    log('README.md has no bench markers: Performance section not updated');
  }
}

async function main() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const opts = program.opts<{ quick: boolean; only?: SectionName[]; out: string; render: boolean }>();
  if (opts.render) {
    const results = rederive(JSON.parse(readFileSync(join(opts.out, 'latest.json'), 'utf8')) as BenchResults);
    writeResults(opts.out, 'latest', results, console.error);
    console.error(`rendered ${join(opts.out, 'latest.{md,svg}')} and the README block from latest.json (${results.date}, commit ${results.commit.slice(0, 7)})`);
    return;
  }
  const sections = opts.only ?? [...SECTIONS];
  const started = performance.now();
  const log = (line: string) => console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const options: BenchOptions = { quick: opts.quick, log };
  const { commit, dirty } = gitCommit();
  const results: BenchResults = {
    machine: machineInfo(),
    commit,
    dirty,
    date: new Date().toISOString(),
    mode: opts.quick ? 'quick' : 'full',
    sections,
    durationsMs: {},
  };
  const timed = async <T>(section: SectionName, run: () => Promise<T>): Promise<T> => {
    log(`${section}: starting`);
    const t0 = performance.now();
    const value = await run();
    results.durationsMs[section] = Math.round(performance.now() - t0);
    log(`${section}: done in ${(results.durationsMs[section]! / 1000).toFixed(0)} s`);
    return value;
  };

  // Cold start first: it is the section most sensitive to a busy machine, and the engines of the others
  // leave the load average high for a minute after they stop.
  if (sections.includes('cold-start')) {
    const { functions, ...details } = await timed('cold-start', () => runColdStartBench(options));
    Object.assign(results, { functions, coldStartDetails: details });
  }

  if (sections.includes('claim')) {
    const { claim, ...details } = await timed('claim', () => runClaimBench(options));
    Object.assign(results, { claim, claimDetails: details });
  }
  if (sections.includes('e2e')) {
    results.e2e = await timed('e2e', () => runE2eBench(options));
    results.cost = estimateCost(results.e2e.fixedRate);
  }
  if (sections.includes('requestsPerOrder')) {
    results.requestsPerOrder = await timed('requestsPerOrder', () => runPathsBench(options));
  }
  if (sections.includes('burst')) {
    results.burst = await timed('burst', () => runBurstBench(options));
  }
  if (sections.includes('restock')) {
    results.restock = await timed('restock', () => runRestockBench(options));
  }
  if (sections.includes('import')) {
    results.import = await timed('import', () => runImportBench(options));
  }
  if (sections.includes('scale')) {
    results.scale = await timed('scale', async () => scaleSection(results, opts.out));
    log(`scale: request mix from ${results.scale.source.mix}`);
  }
  const name = opts.only ? 'partial' : opts.quick ? 'quick' : 'latest';
  writeResults(opts.out, name, results, log);
  log(`wrote ${join(opts.out, `${name}.{json,md,svg}`)} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
