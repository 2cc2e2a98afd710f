// Flow step 2: orders queue ──▶ delivery fn ──▶ claim a code (table), send it to the customer (SMS),
// record it, alert the merchant on backorders. Partial batch failures: one bad order never blocks the others.
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { StreamSyncFunction, type NamedSecret, type StreamSyncResources } from './streamsync-function';

/** Delivery function timeout; the orders queue's visibility timeout is six times this. */
export const DELIVERY_TIMEOUT = Duration.seconds(60);

export interface DeliveryProps {
  readonly resources: StreamSyncResources;
  readonly codeKey: NamedSecret;
  /** Upper bound of concurrent delivery invocations (protects the account's concurrency and SMS rate). @default 20 */
  readonly maxConcurrency?: number;
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
      .grantTableReadWrite()
      .grantSendOrders()
      .grantPublishAlerts()
      .bindCodeKey(props.codeKey)
      .bindSmsChannel();

    this.handler.addEventSource(
      new SqsEventSource(props.resources.ordersQueue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency ?? 20,
      }),
    );
  }
}
