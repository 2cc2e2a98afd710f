// Flow step 2: orders queue ──▶ delivery fn ──▶ claim a code (table), send it to the customer (a channel module),
// record it, alert the merchant on backorders. Partial batch failures: one bad order never blocks the others.
import { writeBackPlatforms } from './write-back';
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { ChannelModule } from '#adapters/channels/channel-module';
import { CHANNELS } from '#adapters/channels/registry';
import { findModule } from '#adapters/module-kit';
import { configDefault } from './config-contract';
import { VISIBILITY_TIMEOUT_FACTOR } from './queues';
import type { CodeKeys } from './data';
import { StreamSyncFunction, type StreamSyncResources } from './streamsync-function';

/**
 * The channel modules named by the stack's `channel` setting (`whatsapp,sms-eum,email`), in that order.
 * The default is End User Messaging SMS from the merchant's own origination identity: the SNS `sms`
 * channel needs `sns:Publish` on "*" (any number in the world), so it is chosen explicitly or not at all.
 */
export const DEFAULT_CHANNELS = 'sms-eum';
export const deployedChannels = (names = DEFAULT_CHANNELS): ChannelModule[] =>
  [...new Set(names.split(',').map((name) => name.trim()).filter(Boolean))].map((name) => findModule(CHANNELS as readonly ChannelModule[], 'channel', name));

/** Delivery function timeout; the orders queue's visibility timeout is six times this. */
export const DELIVERY_TIMEOUT = Duration.seconds(60);

/**
 * The orders queue → delivery function event source. The local pipeline and the benchmarks read it too,
 * so what they measure is what gets deployed. No batching window: at 1,000 orders/min a 1 s window
 * added ~1 s to every order (benchmark p50 1,048 ms instead of 102 ms) to save about $0.001 per
 * 1,000 orders in SQS and Lambda requests; under load the batches fill on their own.
 */
export const DELIVERY_EVENT_SOURCE = { batchSize: 10, maxBatchingWindowSeconds: 0 } as const;

export interface DeliveryProps {
  readonly resources: StreamSyncResources;
  /** The codes' keys: this construct's functions send or reveal codes (open). */
  readonly codeKeys: CodeKeys;
  /** Upper bound of concurrent delivery invocations (protects the account's concurrency and SMS rate). @default 20 */
  readonly maxConcurrency?: number;
  /** The channel modules deployed (adapters/channels/registry.ts), comma-separated in their default chain order. @default 'sms-eum' */
  readonly channel?: string;
  /** Where each fully delivered order goes to be written back to its store (WRITE_BACK_QUEUE_URL). @default no write-back */
  readonly writeBackQueue?: sqs.IQueue;
}

export class Delivery extends Construct {
  public readonly handler: StreamSyncFunction;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);

    this.handler = new StreamSyncFunction(this, 'DeliveryFn', {
      entry: 'functions/delivery/handler.ts',
      description: 'Claims a code per paid unit and delivers it to the customer',
      serviceName: 'delivery',
      resources: props.resources,
      timeout: DELIVERY_TIMEOUT,
    })
      .grantTableItems()
      // Continuations of large orders; retry backoff of failed records.
      .grantSendOrders()
      .grantRetryBackoff()
      .grantPublishAlerts()
      .bindCodeKeys(props.codeKeys, 'open')
      .bindChannels(deployedChannels(props.channel))
      // The payment check reads orders from the store's API with its tokens (refreshed under the lock).
      .bindStoreTokens()
      .bindPlatformApps(writeBackPlatforms());
    if (props.writeBackQueue) this.handler.bindWriteBackQueue(props.writeBackQueue);

    // A crashed sender's message must come back only after its send lease ran out, or the retry would
    // find the lease live and leave the unit to a sender that is gone.
    const leaseSeconds = configDefault('SEND_LEASE_SECONDS');
    const visibilitySeconds = DELIVERY_TIMEOUT.toSeconds() * VISIBILITY_TIMEOUT_FACTOR;
    this.node.addValidation({
      validate: () =>
        leaseSeconds * 2 > visibilitySeconds || leaseSeconds < DELIVERY_TIMEOUT.toSeconds()
          ? [`SEND_LEASE_SECONDS (${leaseSeconds} s) must outlive the delivery function (${DELIVERY_TIMEOUT.toSeconds()} s) and stay under half the orders queue's visibility timeout (${visibilitySeconds} s)`]
          : [],
    });

    this.handler.addEventSource(
      new SqsEventSource(props.resources.ordersQueue, {
        batchSize: DELIVERY_EVENT_SOURCE.batchSize,
        maxBatchingWindow: DELIVERY_EVENT_SOURCE.maxBatchingWindowSeconds > 0 ? Duration.seconds(DELIVERY_EVENT_SOURCE.maxBatchingWindowSeconds) : undefined,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency ?? 20,
      }),
    );
  }
}
