// The claim benchmark's naive/unsafe/ceiling strategies write the store's own claim items; this checks
// they are what DynamoInventoryStore.claim really sends, and that the unsafe variant only drops the condition.
import { randomBytes } from 'node:crypto';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { claimItems } from '#bench/claim/claim-transaction';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoInventoryStore } from '#adapters/dynamo/inventory-store';
import { CodeCipher } from '#adapters/crypto/code-cipher';

const TABLE = 'bench';
const ddb = mockClient(DynamoDBDocumentClient);
const unit = { storeId: 'BENCH', orderId: 'run-0-1', unitId: 'L1#1', lineId: 'L1', sku: 'SKU-1', receivedAt: '2025-03-01T10:00:00.000Z' };

afterAll(() => ddb.restore());

describe('bench claim transaction', () => {
  it('is item for item the transaction DynamoInventoryStore.claim sends for a NEW unit', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }] });
    ddb.on(TransactWriteCommand).resolves({});
    const store = new DynamoInventoryStore(createDocumentClient(), TABLE, new CodeCipher(randomBytes(32).toString('base64')), { shards: 8 });
    const outcome = await store.claim(unit, 'NEW');
    expect(outcome).toEqual({ result: 'CLAIMED', codeId: 'c1', at: expect.any(String) });
    const sent = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems;
    expect(claimItems(TABLE, unit, 'c1', outcome.result === 'CLAIMED' ? outcome.at : '')).toEqual(sent);
  });

  it('the unsafe variant writes the same items without the condition on the code', () => {
    const safe = claimItems(TABLE, unit, 'c1', 'now');
    const unsafe = claimItems(TABLE, unit, 'c1', 'now', false);
    expect(unsafe.slice(0, 2)).toEqual(safe.slice(0, 2));
    expect(unsafe[2].Update!).not.toHaveProperty('ConditionExpression');
    expect(unsafe[2].Update!.ExpressionAttributeValues).not.toHaveProperty(':available');
    expect(unsafe[2].Update!.UpdateExpression).toBe(safe[2].Update!.UpdateExpression);
  });
});
