// The claim benchmark's naive/unsafe/ceiling strategies write the store's own claim items; this checks
// they are what DynamoClaimStore.claim really sends, and that the unsafe variant only drops the condition.
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { claimItems } from '#bench/claim/claim-transaction';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoClaimStore } from '#adapters/dynamo/claim-store';
import { transact } from '#adapters/dynamo/conditions';

const TABLE = 'bench';
const ddb = mockClient(DynamoDBDocumentClient);
const unit = { storeId: 'BENCH', orderId: 'run-0-1', unitId: 'L1#1', lineId: 'L1', sku: 'SKU-1', receivedAt: '2025-03-01T10:00:00.000Z' };

afterAll(() => ddb.restore());

const code = { codeId: 'c1', codeKey: 'CODES#CARD-50#3' };

describe('bench claim transaction', () => {
  it('is item for item the transaction DynamoClaimStore.claim sends for a NEW unit', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'CODES#CARD-50#3', sk: 'CODE#c1' }] });
    ddb.on(TransactWriteCommand).resolves({});
    const store = new DynamoClaimStore(createDocumentClient(), TABLE, { shards: 8 });
    const outcome = await store.claim(unit, 'NEW');
    expect(outcome).toEqual({ result: 'CLAIMED', codeId: 'c1', codeKey: 'CODES#CARD-50#3', at: expect.any(String) });
    const sent = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems;
    // What the bench sends for the same clauses, through the same transact().
    ddb.resetHistory();
    await transact(createDocumentClient(), claimItems(TABLE, unit, code, outcome.result === 'CLAIMED' ? outcome.at : ''));
    expect(ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems).toEqual(sent);
  });

  it('the unsafe variant writes the same items without the condition on the code', () => {
    const safe = claimItems(TABLE, unit, code, 'now');
    const unsafe = claimItems(TABLE, unit, code, 'now', false);
    expect(unsafe.slice(0, 2)).toEqual(safe.slice(0, 2));
    const update = (clause: (typeof safe)[number]) => (clause.write as { Update: Record<string, unknown> & { ExpressionAttributeValues: object } }).Update;
    expect(update(unsafe[2])).not.toHaveProperty('ConditionExpression');
    expect(update(unsafe[2]).ExpressionAttributeValues).not.toHaveProperty(':available');
    expect(update(unsafe[2]).UpdateExpression).toBe(update(safe[2]).UpdateExpression);
  });
});
