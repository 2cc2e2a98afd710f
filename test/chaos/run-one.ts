// One chaos scenario in its own process (the handlers read their settings once, at import, as a Lambda
// cold start does): starts the pipeline on the engines it is given, runs the scenario, judges it, and
// writes the verdict to the file named by CHAOS_RESULT. Everything the process prints (the handlers'
// DEBUG logs included) is kept and searched for code values before the verdict is written.
import { writeFileSync } from 'node:fs';
import { startPipeline } from '#local/pipeline';
import { codeSecrets } from '#test/integration/helpers';
import { FaultInjector } from './faults';
import { CHAOS_PIPELINE, CHAOS_TIMEOUTS } from './scenario';
import { scenarioNamed } from './scenarios/index';
import { verify, settle, type Figures } from './verify';
import { World } from './world';

export interface ScenarioResult {
  name: string;
  faults: string;
  passed: boolean;
  failures: string[];
  figures?: Figures;
  note?: string;
  durationMs: number;
  /** Lines of output that held a code value: must be 0. */
  codesInLogs: number;
  logLines: number;
  /** Errors the event sources reported (frozen invocations timing out are expected in crash scenarios). */
  sourceErrors: Record<string, number>;
}

const output: string[] = [];
const verbose = process.env.CHAOS_VERBOSE === '1';
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return verbose ? write(chunk, ...(rest as [])) : true;
  }) as typeof stream.write;
}

async function main(): Promise<ScenarioResult> {
  const name = process.argv[2];
  const scenario = name ? scenarioNamed(name) : undefined;
  if (!scenario) throw new Error(`Unknown scenario "${name}"`);
  const started = Date.now();
  const faults = new FaultInjector(scenario.timeouts ?? CHAOS_TIMEOUTS);
  faults.install();
  const sourceErrors: Record<string, number> = {};
  const pipeline = await startPipeline({
    dynamoEndpoint: process.env.CHAOS_DYNAMO_ENDPOINT,
    sqsEndpoint: process.env.CHAOS_SQS_ENDPOINT,
    logLevel: 'DEBUG',
    sweepIntervalMs: 3000,
    ...CHAOS_PIPELINE,
    wrapHandler: faults.wrapHandler,
    onError: (source, err) => {
      const key = `${source}: ${(err as Error).name}`;
      sourceErrors[key] = (sourceErrors[key] ?? 0) + 1;
    },
    ...scenario.pipeline,
    // Orders of hundreds of codes for one customer are what these scenarios send: velocity limits are
    // their own tests (test/integration/velocity.test.ts), not a fault here.
    env: { VELOCITY_MAX_CODES: '0', ...scenario.pipeline?.env },
  });
  const world = new World(pipeline, faults);
  const failures: string[] = [];
  let figures: Figures | undefined;
  let note: string | undefined;
  try {
    await scenario.run(world);
    if (world.faultsEndedAt === undefined) world.endFaults();
    const settled = await settle(world, scenario.settleMs);
    const verdict = await verify(world, settled, started);
    figures = verdict.figures;
    failures.push(...verdict.failures, ...((await scenario.check?.(world, figures)) ?? []));
    // A check may count the faults it inspected (a short supplier's orders, say).
    figures.faultsInjected = faults.totalInjected + world.extraFaults();
    note = await scenario.note?.(world, figures);
  } catch (err) {
    failures.push(`scenario threw: ${(err as Error).stack ?? err}`);
  }
  const secrets = await codeSecrets(pipeline, [...world.skus]).catch(() => []);
  const lines = output.join('').split('\n');
  const codesInLogs = lines.filter((line) => secrets.some((s) => line.includes(s))).length;
  if (codesInLogs > 0) failures.push(`${codesInLogs} line(s) of output hold a code value`);
  await Promise.race([pipeline.stop(), new Promise((r) => setTimeout(r, 5000))]);
  faults.uninstall();
  return { name: scenario.name, faults: scenario.faults, passed: failures.length === 0, failures, figures, note, durationMs: Date.now() - started, codesInLogs, logLines: lines.length, sourceErrors };
}

main()
  .then((result) => {
    writeFileSync(process.env.CHAOS_RESULT!, JSON.stringify(result, null, 2));
    process.exit(0);
  })
  .catch((err) => {
    process.stderr.write = ((c: string) => process.stdout.emit('data', c)) as never;
    writeFileSync(process.env.CHAOS_RESULT!, JSON.stringify({ name: process.argv[2], passed: false, failures: [`could not run: ${(err as Error).stack}`], durationMs: 0, codesInLogs: 0, logLines: 0, sourceErrors: {} }));
    process.exit(1);
  });
