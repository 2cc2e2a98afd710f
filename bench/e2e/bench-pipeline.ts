// The engines and the pipeline process a load section drives (E2E, bursts): started together, stopped
// together whatever the section throws.
import { startDynamoLocal } from '#local/engines';
import { startPipelineProcess, startSqsEmulatorProcess, type PipelineProcess } from './child-processes';
import { OrderFactory, OutboxWatch } from './phase';
import type { PipelineChildSettings } from './protocol';

export interface BenchPipeline {
  pipeline: PipelineProcess;
  endpoints: { dynamo: string; sqs: string };
  /** The processes whose CPU a phase measures. */
  processes: Record<string, number>;
  outbox: OutboxWatch;
  factory: OrderFactory;
}

export async function withBenchPipeline<T>(settings: Omit<PipelineChildSettings, 'dynamoEndpoint' | 'sqsEndpoint'>, run: (bench: BenchPipeline) => Promise<T>): Promise<T> {
  const dynamo = await startDynamoLocal();
  let sqsEmulator: Awaited<ReturnType<typeof startSqsEmulatorProcess>> | undefined;
  let pipeline: PipelineProcess | undefined;
  try {
    sqsEmulator = await startSqsEmulatorProcess();
    pipeline = await startPipelineProcess({ ...settings, dynamoEndpoint: dynamo.endpoint, sqsEndpoint: sqsEmulator.endpoint });
    const processes = { pipeline: pipeline.pid, dynamodbLocal: dynamo.pid, sqsEmulator: sqsEmulator.pid, loadGenerator: process.pid };
    return await run({ pipeline, endpoints: { dynamo: dynamo.endpoint, sqs: sqsEmulator.endpoint }, processes, outbox: new OutboxWatch(pipeline), factory: new OrderFactory() });
  } finally {
    await pipeline?.stop().catch(() => undefined);
    await sqsEmulator?.stop().catch(() => undefined);
    await dynamo.stop();
  }
}
