// Flow step 3: table stream ──▶ restock fn ──▶ supplier reorder / backorder fill; reorder-poll queue ──▶ poll fn
// (asynchronous supplier fulfilment, no Lambda sleeps); a one-minute schedule ──▶ sweep fn (the safety net that
// fills any SKU with both backorders and stock).
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RESTOCK_STREAM_FILTERS } from '#adapters/dynamo/stream-filter';
import { SUPPLIERS } from '#adapters/suppliers/registry';
import type { SupplierModule } from '#adapters/suppliers/supplier-module';
import { configDefault } from './config-contract';
import { acknowledge } from './nag';
import type { CodeKeys } from './data';
import { StreamSyncFunction, type StreamSyncResources } from './streamsync-function';

/** Timeout of the restock functions. Must stay below REORDER_LEASE_SECONDS so a lease outlives its holder. */
export const RESTOCK_TIMEOUT = Duration.seconds(60);
/** The sweep runs every minute; it finishes before the next tick starts. */
const SWEEP_TIMEOUT = Duration.seconds(50);

export interface InventoryProps {
  readonly resources: StreamSyncResources;
  /** The codes' keys: this construct's functions add codes (seal only). */
  readonly codeKeys: CodeKeys;
  /** Where stream batches that exhausted their retries are recorded. */
  readonly streamFailureQueue: sqs.IQueue;
}

export class Inventory extends Construct {
  public readonly streamHandler: StreamSyncFunction;
  public readonly pollHandler: StreamSyncFunction;
  public readonly sweepHandler: StreamSyncFunction;
  public readonly sweepSchedule: events.Rule;

  constructor(scope: Construct, id: string, props: InventoryProps) {
    super(scope, id);

    // A reorder lease must outlive any function that can hold it, or two invocations could both place orders.
    const leaseSeconds = configDefault('REORDER_LEASE_SECONDS');
    this.node.addValidation({
      validate: () =>
        [RESTOCK_TIMEOUT, SWEEP_TIMEOUT]
          .filter((timeout) => timeout.toSeconds() >= leaseSeconds)
          .map((timeout) => `A restock function timeout (${timeout.toSeconds()} s) must be below REORDER_LEASE_SECONDS (${leaseSeconds} s)`),
    });

    // All three run the restock core (reorders, supplier codes, backorder fills), so they share one grant set.
    const restockFunction = (
      fnId: string,
      fn: { entry: string; serviceName: string; description: string; timeout: Duration; retryAttempts?: number },
    ) =>
      (SUPPLIERS as readonly SupplierModule[]).reduce(
        (f, supplier) => (supplier.deploy ? f.applyBinding(supplier.name, supplier.deploy) : f),
        new StreamSyncFunction(this, fnId, { ...fn, resources: props.resources })
          .grantTableItems()
          .grantSendOrders()
          .grantSendReorderPolls()
          .grantPublishAlerts()
          .bindCodeKeys(props.codeKeys, 'seal')
          .bindSupplierSecrets(),
      );

    this.streamHandler = restockFunction('RestockStreamFn', {
      entry: 'functions/restock/stream-handler.ts',
      serviceName: 'restock',
      description: 'Reorders stock below threshold and wakes backorder fills from table changes',
      timeout: RESTOCK_TIMEOUT,
    });
    this.streamHandler.addEventSource(
      new DynamoEventSource(props.resources.table, {
        // From the oldest retained record: nothing written before the mapping existed is skipped.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(1),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(props.streamFailureQueue),
        // Only what functions/restock/stream-records.ts acts on: code changes and new backorders.
        // Order, lease and reorder writes never invoke the function (and are never billed).
        filters: RESTOCK_STREAM_FILTERS.map((pattern) => ({ pattern: JSON.stringify(pattern) })),
      }),
    );
    acknowledge(
      this.streamHandler.executionRole,
      'AwsSolutions-IAM5[Resource::*]',
      'DynamoDB stream event source: CDK grants dynamodb:ListStreams on "*" (ListStreams is not resource-scoped); reading records is granted on this table\'s stream ARN only.',
    );

    this.pollHandler = restockFunction('RestockPollFn', {
      entry: 'functions/restock/poll-handler.ts',
      serviceName: 'restock-poll',
      description: 'Polls pending supplier reorders and stores delivered codes',
      timeout: RESTOCK_TIMEOUT,
    });
    this.pollHandler.addEventSource(
      new SqsEventSource(props.resources.reorderPollQueue, {
        batchSize: 5,
        reportBatchItemFailures: true,
        // Supplier APIs rate-limit; a handful of concurrent polls is plenty.
        maxConcurrency: 5,
      }),
    );

    this.sweepHandler = restockFunction('RestockSweepFn', {
      entry: 'functions/restock/sweep-handler.ts',
      serviceName: 'restock-sweep',
      description: 'Every minute: fills SKUs that have both backorders and stock, reconciles stale reorders',
      timeout: SWEEP_TIMEOUT,
      // The next tick is the retry.
      retryAttempts: 0,
    });
    this.sweepSchedule = new events.Rule(this, 'SweepSchedule', {
      description: 'Runs the StreamSync backorder/reorder sweep every minute',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.sweepHandler, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });
  }
}
