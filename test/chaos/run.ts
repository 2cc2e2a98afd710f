// `npm run chaos`: every scenario against the local pipeline (real engines, real handlers), one process
// each, one line per scenario. A full run writes test/chaos/results/latest.{json,md} and the table in
// docs/reliability.md; --fast / --only write partial.* and leave the docs alone.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { gitCommit, machineInfo } from '#bench/lib/machine';
import { startDynamoLocal, startSqsSnsEmulator } from '#local/engines';
import type { ScenarioResult } from './run-one';
import { renderTable, summaryLine } from './report';
import { SCENARIOS } from './scenarios/index';
import { runScenarioProcess } from './spawn';

const ROOT = join(__dirname, '..', '..');
const DOC = join(ROOT, 'docs', 'reliability.md');
export const DOC_BEGIN = '<!-- chaos:begin -->';
export const DOC_END = '<!-- chaos:end -->';

const program = new Command()
  .name('npm run chaos --')
  .description(
    'Run the fault scenarios against the local pipeline: duplicates, crashes, a misbehaving supplier, channel and DynamoDB faults, orders\n' +
      'that cannot be delivered as they are. Each ends with the conservation audit and one code message per delivered unit.\n' +
      `Scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}.`,
  )
  .option('--fast', 'only the fast scenarios (the ones `npm test` runs)', false)
  .option('--only <names...>', 'only these scenarios')
  .option('--verbose', "show the pipeline's log output", false)
  .option('--out <dir>', 'results directory', join(ROOT, 'test', 'chaos', 'results'))
  .parse();

function updateDoc(table: string): boolean {
  if (!existsSync(DOC)) return false;
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(DOC_BEGIN);
  const end = doc.indexOf(DOC_END);
  if (start < 0 || end < start) return false;
  writeFileSync(DOC, `${doc.slice(0, start)}${DOC_BEGIN}\n${table}${DOC_END}${doc.slice(end + DOC_END.length)}`);
  return true;
}

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const opts = program.opts<{ fast: boolean; only?: string[]; verbose: boolean; out: string }>();
  const unknown = (opts.only ?? []).filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown scenario(s): ${unknown.join(', ')}. Known: ${SCENARIOS.map((s) => s.name).join(', ')}.`);
    return 2;
  }
  const chosen = SCENARIOS.filter((s) => (!opts.fast || s.fast) && (!opts.only || opts.only.includes(s.name)));
  const started = Date.now();
  console.error(`Starting DynamoDB Local and the SQS/SNS emulator; ${chosen.length} scenario(s).`);
  const [dynamo, sqs] = await Promise.all([startDynamoLocal(), startSqsSnsEmulator()]);
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of chosen) {
      const result = await runScenarioProcess(scenario.name, { dynamo: dynamo.endpoint, sqs: sqs.endpoint }, { timeoutMs: scenario.settleMs + 120_000, verbose: opts.verbose });
      results.push(result);
      console.log(summaryLine(result));
      for (const failure of result.failures) console.log(`    ✗ ${failure}`);
    }
  } finally {
    await Promise.all([dynamo.stop(), sqs.stop()]);
  }
  const failed = results.filter((r) => !r.passed);
  const run = { date: new Date().toISOString(), ...gitCommit(), machine: machineInfo(), totalMs: Date.now() - started, results };
  const full = chosen.length === SCENARIOS.length;
  const name = full ? 'latest' : 'partial';
  mkdirSync(opts.out, { recursive: true });
  const table = renderTable(run);
  writeFileSync(join(opts.out, `${name}.json`), JSON.stringify(run, null, 2) + '\n');
  writeFileSync(join(opts.out, `${name}.md`), table);
  if (full && !updateDoc(table)) console.error(`${DOC} has no chaos markers: its table was not updated`);
  console.log(`\n${results.length - failed.length} of ${results.length} scenarios passed in ${Math.round((Date.now() - started) / 1000)} s; results in ${join(opts.out, `${name}.{json,md}`)}.`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
