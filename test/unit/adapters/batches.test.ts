// batchDeleteAll: 25 deletes per request, and what DynamoDB leaves unprocessed is sent again.
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDocumentClient } from '#adapters/dynamo/client';
import { batchDeleteAll } from '#adapters/dynamo/batches';

const ddb = mockClient(DynamoDBDocumentClient);
const keys = (n: number) => Array.from({ length: n }, (_, i) => ({ pk: 'BACKORDER#CARD-50', sk: `E${i}` }));
const sentKeys = () => ddb.commandCalls(BatchWriteCommand).map((c) => (c.args[0].input.RequestItems!.t as Array<{ DeleteRequest: { Key: { sk: string } } }>).map((r) => r.DeleteRequest.Key.sk));

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe('batchDeleteAll', () => {
  it('30 keys in two requests of 25 and 5; none at all sends nothing', async () => {
    ddb.on(BatchWriteCommand).resolves({});
    await batchDeleteAll(createDocumentClient(), 't', []);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
    await batchDeleteAll(createDocumentClient(), 't', keys(30));
    expect(sentKeys().map((batch) => batch.length)).toEqual([25, 5]);
  });

  it('sends the unprocessed deletes again, and only those', async () => {
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { t: [{ DeleteRequest: { Key: { pk: 'BACKORDER#CARD-50', sk: 'E1' } } }] } })
      .resolves({});
    await batchDeleteAll(createDocumentClient(), 't', keys(3));
    expect(sentKeys()).toEqual([['E0', 'E1', 'E2'], ['E1']]);
  });

  it('gives up after 10 attempts with the count left', async () => {
    ddb.on(BatchWriteCommand).callsFake((input) => ({ UnprocessedItems: input.RequestItems }));
    jest.useFakeTimers();
    try {
      const done = batchDeleteAll(createDocumentClient(), 't', keys(2));
      const outcome = expect(done).rejects.toThrow('DynamoDB kept 2 deletes unprocessed after 10 attempts');
      await jest.runAllTimersAsync();
      await outcome;
    } finally {
      jest.useRealTimers();
    }
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(10);
  });
});
