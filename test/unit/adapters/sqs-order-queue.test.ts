// SqsOrderQueue: one message per order; batches of 10 that retry only what SQS reports as failed.
import { SendMessageBatchCommand, SendMessageCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { SqsOrderQueue } from '#adapters/aws/sqs-queues';
import { QueueUnavailableError } from '#core/errors';
import type { OrderMessage } from '#core/model';

const URL = 'https://sqs.me-south-1.amazonaws.com/123456789012/orders';
const sqsMock = mockClient(SQSClient);
const queue = new SqsOrderQueue(new SQSClient({ region: 'me-south-1' }), URL);
const resume = (n: number): OrderMessage => ({ kind: 'RESUME', storeId: 'S1', orderId: `O${n}` });
const batchCalls = () => sqsMock.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries ?? []);
const bodies = (entries: SendMessageBatchRequestEntry[]) => entries.map((e) => JSON.parse(e.MessageBody!).orderId);

beforeEach(() => sqsMock.reset());

describe('SqsOrderQueue.send', () => {
  it('sends the message as JSON to the orders queue', async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    await queue.send(resume(1));
    const [call] = sqsMock.commandCalls(SendMessageCommand);
    expect(call.args[0].input).toEqual({ QueueUrl: URL, MessageBody: JSON.stringify(resume(1)) });
  });

  it('turns any SDK failure into QueueUnavailableError naming only the error class', async () => {
    expect.assertions(3);
    sqsMock.on(SendMessageCommand).rejects(Object.assign(new Error('Rate exceeded for https://internal.example/abc'), { name: 'ThrottlingException' }));
    const attempt = queue.send(resume(1));
    await expect(attempt).rejects.toBeInstanceOf(QueueUnavailableError);
    await expect(attempt).rejects.toThrow('Orders queue rejected the message: ThrottlingException');
    await attempt.catch((err: Error) => expect(err.message).not.toContain('internal.example'));
  });
});

describe('SqsOrderQueue.sendMany', () => {
  it('sends nothing for no messages', async () => {
    await queue.sendMany([]);
    expect(sqsMock.calls()).toHaveLength(0);
  });

  it('sends batches of at most 10, in order, with unique entry ids', async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await queue.sendMany(Array.from({ length: 23 }, (_, i) => resume(i)));
    const calls = batchCalls();
    expect(calls.map((c) => c.length)).toEqual([10, 10, 3]);
    expect(calls.flatMap(bodies)).toEqual(Array.from({ length: 23 }, (_, i) => `O${i}`));
    expect(new Set(calls.flat().map((e) => e.Id)).size).toBe(23);
    expect(sqsMock.commandCalls(SendMessageBatchCommand).every((c) => c.args[0].input.QueueUrl === URL)).toBe(true);
  });

  it('retries only the entries SQS reports as failed, with the same ids', async () => {
    sqsMock
      .on(SendMessageBatchCommand)
      // async, like the real client's send: it always returns a promise.
      .callsFakeOnce(async (input) => ({
        Successful: [],
        Failed: input.Entries.filter((_: unknown, i: number) => i === 1 || i === 3).map((e: SendMessageBatchRequestEntry) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false })),
      }))
      .resolves({ Successful: [], Failed: [] });
    await queue.sendMany([1, 2, 3, 4].map(resume));
    const [first, retry] = batchCalls();
    expect(bodies(retry)).toEqual(['O2', 'O4']);
    expect(retry.map((e) => e.Id)).toEqual([first[1].Id, first[3].Id]);
    expect(batchCalls()).toHaveLength(2);
  });

  it('gives up with QueueUnavailableError after 5 attempts', async () => {
    expect.assertions(3);
    sqsMock.on(SendMessageBatchCommand).callsFake(async (input) => ({
      Successful: [],
      Failed: [{ Id: input.Entries[0].Id, Code: 'InternalError', SenderFault: false }],
    }));
    await expect(queue.sendMany([1, 2].map(resume))).rejects.toThrow(new QueueUnavailableError('Orders queue kept failing 1 message(s)'));
    expect(batchCalls()).toHaveLength(5);
    expect(batchCalls().slice(1).every((entries) => entries.length === 1)).toBe(true);
  });

  it('turns an SDK failure into QueueUnavailableError naming only the error class', async () => {
    expect.assertions(4);
    sqsMock
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [] })
      .rejects(Object.assign(new Error('Access denied for https://internal.example/abc'), { name: 'AccessDeniedException' }));
    const attempt = queue.sendMany(Array.from({ length: 12 }, (_, i) => resume(i)));
    await expect(attempt).rejects.toBeInstanceOf(QueueUnavailableError);
    await expect(attempt).rejects.toThrow('Orders queue rejected a batch: AccessDeniedException');
    await attempt.catch((err: Error) => expect(err.message).not.toContain('internal.example'));
    expect(batchCalls()).toHaveLength(2);
  });
});
