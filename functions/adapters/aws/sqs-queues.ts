// The orders queue and the reorder poll queue on SQS. Message bodies never hold code values.
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { QueueUnavailableError } from '#core/errors';
import type { OrderMessage } from '#core/model';
import type { OrderQueue, ReorderPollMessage, ReorderPollQueue } from '#core/ports/queues';
import type { WriteBackMessage, WriteBackQueue } from '#core/ports/write-back';

export class SqsOrderQueue implements OrderQueue {
  constructor(private readonly sqs: SQSClient, private readonly queueUrl: string) {}

  async send(message: OrderMessage): Promise<void> {
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) }));
    } catch (err) {
      throw new QueueUnavailableError(`Orders queue rejected the message: ${(err as Error).name}`);
    }
  }

  async sendMany(messages: OrderMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      let entries = messages.slice(i, i + 10).map((m) => ({ Id: randomUUID(), MessageBody: JSON.stringify(m) }));
      for (let attempt = 0; entries.length > 0; attempt++) {
        if (attempt === 5) throw new QueueUnavailableError(`Orders queue kept failing ${entries.length} message(s)`);
        const res = await this.sqs
          .send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }))
          .catch((err: Error) => Promise.reject(new QueueUnavailableError(`Orders queue rejected a batch: ${err.name}`)));
        const failed = new Set((res.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
      }
    }
  }
}

export class SqsReorderPollQueue implements ReorderPollQueue {
  constructor(private readonly sqs: SQSClient, private readonly queueUrl: string) {}

  async schedule(message: ReorderPollMessage, delaySeconds: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message), DelaySeconds: Math.min(900, Math.max(0, delaySeconds)) }),
    );
  }
}

/**
 * Backoff for failed records of an SQS event source: each failed message becomes visible again after
 * `base × 2^(receives − 1)` seconds (at most 15 minutes) instead of the queue's visibility timeout, so a
 * transient failure is retried soon and a lasting one ever more slowly until its last receive.
 */
export class SqsRetryBackoff {
  constructor(private readonly sqs: SQSClient, private readonly queueUrl: string, private readonly baseSeconds: number) {}

  delayFor(receiveCount: number): number {
    return Math.min(900, Math.round(this.baseSeconds * 2 ** Math.max(0, receiveCount - 1)));
  }

  async retryLater(records: ReadonlyArray<{ receiptHandle: string; receiveCount: number }>): Promise<void> {
    for (let i = 0; i < records.length; i += 10) {
      const batch = records.slice(i, i + 10);
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((r, n) => ({ Id: String(n), ReceiptHandle: r.receiptHandle, VisibilityTimeout: this.delayFor(r.receiveCount) })),
        }),
      );
    }
  }
}

/** The write-back queue: one message per delivered order, delayed when its store's budget is spent. */
export class SqsWriteBackQueue implements WriteBackQueue {
  constructor(private readonly sqs: SQSClient, private readonly queueUrl: string) {}

  async send(message: WriteBackMessage, delaySeconds = 0): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message), DelaySeconds: Math.min(900, Math.max(0, Math.ceil(delaySeconds))) }),
    );
  }
}
