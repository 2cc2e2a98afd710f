// Local SQS event source: long-polls a queue and invokes the handler with a real SQSEvent, honouring
// partial batch responses (failed records stay in flight until their visibility timeout, like Lambda).
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from '../lambda-context';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface SqsPollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  functionName: string;
  handler: SqsHandler;
  batchSize?: number;
  /** Parallel pollers, like Lambda's concurrent batches. */
  concurrency?: number;
  waitTimeSeconds?: number;
  /** Lambda's MaximumBatchingWindowInSeconds: after the first message, keep gathering until the batch is full or this passes. */
  batchingWindowMs?: number;
  onError?: (err: unknown) => void;
}

export function toSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attrs = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attrs.ApproximateReceiveCount ?? '1',
      SentTimestamp: attrs.SentTimestamp ?? String(Date.now()),
      SenderId: attrs.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attrs.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, v]) => [
        name,
        {
          stringValue: v.StringValue,
          binaryValue: v.BinaryValue ? Buffer.from(v.BinaryValue).toString('base64') : undefined,
          dataType: v.DataType ?? 'String',
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

export interface Poller {
  stop(): Promise<void>;
  /** Batches handled so far (handy for waiting in tests). */
  readonly invocations: number;
}

const GATHER_POLL_MS = 20;

/** One ReceiveMessage with everything a Lambda SQS record carries (system and message attributes). */
async function receive(options: SqsPollerOptions, maxMessages: number, waitTimeSeconds: number): Promise<Message[]> {
  const res = await options.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: options.queueUrl,
      MaxNumberOfMessages: maxMessages,
      WaitTimeSeconds: waitTimeSeconds,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  return res.Messages ?? [];
}

/** Tops `messages` up to the batch size with short polls until the batching window closes. */
async function gatherUntilFull(options: SqsPollerOptions, messages: Message[]): Promise<void> {
  const batchSize = options.batchSize ?? 10;
  const deadline = Date.now() + (options.batchingWindowMs ?? 0);
  while (messages.length < batchSize && Date.now() < deadline) {
    messages.push(...(await receive(options, batchSize - messages.length, 0)));
    if (messages.length < batchSize) await new Promise((r) => setTimeout(r, Math.min(GATHER_POLL_MS, Math.max(0, deadline - Date.now()))));
  }
}

export function startSqsPoller(options: SqsPollerOptions): Poller {
  let running = true;
  let invocations = 0;
  const loop = async () => {
    while (running) {
      try {
        const messages = await receive(options, options.batchSize ?? 10, options.waitTimeSeconds ?? 1);
        if (messages.length === 0 || !running) continue;
        await gatherUntilFull(options, messages);
        const event: SQSEvent = { Records: messages.map((m) => toSqsRecord(m, options.queueArn, options.region)) };
        let failed = new Set<string>(messages.map((m) => m.MessageId!));
        try {
          const response = await options.handler(event, lambdaContext(options.functionName));
          failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        } catch (err) {
          options.onError?.(err);
        }
        invocations++;
        const done = messages.filter((m) => !failed.has(m.MessageId!));
        if (done.length > 0) {
          await options.sqs.send(
            new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
          );
        }
      } catch (err) {
        if (running) {
          options.onError?.(err);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
  };
  const loops = Array.from({ length: options.concurrency ?? 2 }, loop);
  return {
    get invocations() {
      return invocations;
    },
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
