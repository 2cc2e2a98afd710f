// Flow step 2c: delivery fn ──▶ write-back queue ──▶ write-back fn ──▶ the store's admin API (Salla
// `completed`, Zid `delivered`), paced per store under its rate limit. Off the customer's path: its own
// delayed re-sends carry the pacing and the retries, so the queue's redrive (and its DLQ) is for our faults.
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PlatformModule } from '#adapters/platforms/platform-module';
import { PLATFORMS } from '#adapters/platforms/registry';
import { StreamSyncFunction, type StreamSyncResources } from './streamsync-function';

/** Write-back function timeout (a platform call gives up after 10 s); the write-back queue's visibility timeout is six times this. */
export const WRITE_BACK_TIMEOUT = Duration.seconds(30);

/** The write-back queue → write-back function event source. Write-backs are paced per store anyway, so a few at a time. */
export const WRITE_BACK_EVENT_SOURCE = { batchSize: 10, maxConcurrency: 5 } as const;

/** The platforms whose module has an admin API: the ones whose app OAuth client the function reads. */
export const writeBackPlatforms = (): string[] => (PLATFORMS as readonly PlatformModule[]).filter((module) => module.storeApi).map((module) => module.name);

export interface WriteBackProps {
  readonly resources: StreamSyncResources;
  /** The queue it consumes and re-enqueues delayed messages on. */
  readonly queue: sqs.IQueue;
}

export class WriteBack extends Construct {
  public readonly handler: StreamSyncFunction;

  constructor(scope: Construct, id: string, props: WriteBackProps) {
    super(scope, id);

    // No code key, no channel, no table-wide access: the order's write-back state, the pacer, the store's
    // settings and token lock, its tokens and the apps' clients, its own queue and the alerts.
    this.handler = new StreamSyncFunction(this, 'WriteBackFn', {
      entry: 'functions/write-back/handler.ts',
      description: 'Tells the store a delivered order is delivered, paced under its API rate limit',
      serviceName: 'write-back',
      resources: props.resources,
      timeout: WRITE_BACK_TIMEOUT,
    })
      .grantWriteBackItems()
      .bindWriteBackQueue(props.queue)
      .bindStoreTokens()
      .bindPlatformApps(writeBackPlatforms())
      .grantPublishAlerts();

    this.handler.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: WRITE_BACK_EVENT_SOURCE.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: WRITE_BACK_EVENT_SOURCE.maxConcurrency,
      }),
    );
  }
}
