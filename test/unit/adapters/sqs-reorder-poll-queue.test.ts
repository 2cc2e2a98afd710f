// SqsReorderPollQueue: a delayed message per poll; SQS allows delays of 0..900 seconds only.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { SqsReorderPollQueue } from '#adapters/aws/sqs-queues';

const URL = 'https://sqs.me-south-1.amazonaws.com/123456789012/reorder-polls';
const sqsMock = mockClient(SQSClient);
const queue = new SqsReorderPollQueue(new SQSClient({ region: 'me-south-1' }), URL);

beforeEach(() => sqsMock.reset().on(SendMessageCommand).resolves({ MessageId: 'm' }));

describe('SqsReorderPollQueue.schedule', () => {
  it.each([
    [60, 60],
    [0, 0],
    [900, 900],
    [-5, 0],
    [3600, 900],
  ])('delay %i s → DelaySeconds %i', async (asked, sent) => {
    await queue.schedule({ sku: 'CARD-50', reorderId: 'R-1' }, asked);
    const [call] = sqsMock.commandCalls(SendMessageCommand);
    expect(call.args[0].input).toEqual({ QueueUrl: URL, MessageBody: '{"sku":"CARD-50","reorderId":"R-1"}', DelaySeconds: sent });
  });

  it('carries the poll id, so only the latest scheduled poll acts', async () => {
    await queue.schedule({ sku: 'CARD-50', reorderId: 'R-1', pollId: 'P-9' }, 60);
    expect(JSON.parse(sqsMock.commandCalls(SendMessageCommand)[0].args[0].input.MessageBody!)).toEqual({ sku: 'CARD-50', reorderId: 'R-1', pollId: 'P-9' });
  });

  it('lets an SDK failure through (the stream retries)', async () => {
    sqsMock.on(SendMessageCommand).rejects(new Error('down'));
    await expect(queue.schedule({ sku: 'A', reorderId: 'R' }, 1)).rejects.toThrow('down');
  });
});
