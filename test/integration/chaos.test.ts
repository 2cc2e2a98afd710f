// The fast chaos scenarios (`npm run chaos --fast`), each in its own process on the shared engines:
// every one must end with the audit clean, every paid unit named, one message per delivered unit.
import { SCENARIOS } from '#test/chaos/scenarios/index';
import { summaryLine } from '#test/chaos/report';
import { runScenarioProcess } from '#test/chaos/spawn';
import { report } from './helpers';

const fast = SCENARIOS.filter((s) => s.fast);
jest.setTimeout(Math.max(...fast.map((s) => s.settleMs)) + 150_000);

describe('chaos scenarios (fast)', () => {
  const engines = () => {
    const dynamo = process.env.TEST_DYNAMO_ENDPOINT;
    const sqs = process.env.TEST_SQS_ENDPOINT;
    if (!dynamo || !sqs) throw new Error('Integration tests need the engines from test/integration/global-setup.ts');
    return { dynamo, sqs };
  };

  it.each(fast.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const result = await runScenarioProcess(scenario.name, engines(), { timeoutMs: scenario.settleMs + 120_000 });
    report(summaryLine(result));
    expect(result.failures).toEqual([]);
    expect(result.codesInLogs).toBe(0);
    expect(result.figures).toMatchObject({ lost: 0, doubleSold: 0, settled: true });
    expect(result.figures!.duplicateMessages).toBeLessThanOrEqual(result.figures!.allowedDuplicates);
  });
});
