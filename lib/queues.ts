// Stateful messaging: the orders queue (paid orders in flight), the reorder-poll queue, the write-back queue
// (delivered orders to report to their store) and the restock stream's failure queue, each encrypted,
// TLS-only and with a DLQ. Created before any function because every function's
// config names both queues (functions/shared/config.ts), and kept apart from function code like the table.
import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAX_MESSAGE_BYTES } from '#adapters/aws/queue-messages';
import { DLQ_RETENTION_SECONDS, MAX_RECEIVE_COUNT } from '#adapters/dynamo/table-schema';
import { acknowledge } from './nag';
import { WRITE_BACK_TIMEOUT } from './write-back';

const DLQ_RETENTION = Duration.seconds(DLQ_RETENTION_SECONDS);

/** AWS guidance for Lambda SQS event sources: a visibility timeout of at least six times the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface QueuesProps {
  /** Timeout of the function consuming the orders queue (delivery). */
  readonly ordersConsumerTimeout: Duration;
  /** Timeout of the function consuming the reorder-poll queue. */
  readonly reorderPollConsumerTimeout: Duration;
  /** Timeout of the function consuming the write-back queue. @default WRITE_BACK_TIMEOUT */
  readonly writeBackConsumerTimeout?: Duration;
}

export class Queues extends Construct {
  public readonly orders: sqs.Queue;
  public readonly ordersDlq: sqs.Queue;
  public readonly reorderPoll: sqs.Queue;
  public readonly reorderPollDlq: sqs.Queue;
  /** Delivered orders for the write-back function; it also re-enqueues its own paced and retried messages (delayed). */
  public readonly writeBack: sqs.Queue;
  public readonly writeBackDlq: sqs.Queue;
  /** On-failure destination of the restock stream event source (records that exhausted their retries). */
  public readonly restockFailures: sqs.Queue;

  constructor(scope: Construct, id: string, props: QueuesProps) {
    super(scope, id);

    [this.orders, this.ordersDlq] = this.withDlq('Orders', props.ordersConsumerTimeout);
    [this.reorderPoll, this.reorderPollDlq] = this.withDlq('ReorderPoll', props.reorderPollConsumerTimeout);
    [this.writeBack, this.writeBackDlq] = this.withDlq('WriteBack', props.writeBackConsumerTimeout ?? WRITE_BACK_TIMEOUT);

    this.restockFailures = this.queue('RestockFailures', { retentionPeriod: DLQ_RETENTION });
    acknowledge(
      this.restockFailures,
      'AwsSolutions-SQS3',
      'This queue is itself a dead-letter destination: the on-failure destination of the restock DynamoDB stream event source mapping. Its depth is alarmed.',
    );
  }

  private withDlq(id: string, consumerTimeout: Duration): [sqs.Queue, sqs.Queue] {
    const dlq = this.queue(`${id}Dlq`, { retentionPeriod: DLQ_RETENTION });
    const queue = this.queue(id, {
      visibilityTimeout: Duration.seconds(consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      deadLetterQueue: { queue: dlq, maxReceiveCount: MAX_RECEIVE_COUNT },
      // What the webhook sizes every message against (adapters/aws/queue-messages.ts), set explicitly.
      maxMessageSizeBytes: MAX_MESSAGE_BYTES,
    });
    return [queue, dlq];
  }

  private queue(id: string, props: sqs.QueueProps): sqs.Queue {
    return new sqs.Queue(this, id, { ...props, encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
  }
}
