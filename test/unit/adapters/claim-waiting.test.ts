// claimWaiting, the filler's claim: one read of every shard finds distinct codes for the oldest waiting
// units, their claims run side by side, and nothing is tried after the stock runs out.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoClaimStore } from '#adapters/dynamo/claim-store';
import { availPk } from '#adapters/dynamo/keys';

const ddb = mockClient(DynamoDBDocumentClient);
const SKU = 'CARD-50';
const SHARDS = 4;
const waiting = (n: number, sku = SKU) => ({ storeId: 'S1', orderId: `O${n}`, unitId: 'L1#1', sku, receivedAt: `2025-03-01T10:${String(n).padStart(2, '0')}:00.000Z` });
const codeTaken = () =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }] });

/** An index of `count` codes spread over the shards; a committed claim takes its code out. */
function stockOf(count: number, takenElsewhere: string[] = []) {
  const shardOf = new Map(Array.from({ length: count }, (_, i) => [`c${i}`, i % SHARDS]));
  let inFlight = 0;
  const seen = { mostAtOnce: 0 };
  ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string>; Limit: number }) => {
    const shard = [...Array(SHARDS).keys()].find((s) => availPk(SKU, s) === input.ExpressionAttributeValues[':p']);
    const ids = [...shardOf].filter(([, s]) => s === shard).map(([id]) => id);
    return { Items: ids.slice(0, input.Limit).map((id) => ({ pk: `CODES#${SKU}`, sk: `CODE#${id}` })) };
  });
  ddb.on(TransactWriteCommand).callsFake(async (input: { TransactItems: Array<{ Update?: { Key: { sk: string } } }> }) => {
    seen.mostAtOnce = Math.max(seen.mostAtOnce, ++inFlight);
    await new Promise((r) => setImmediate(r));
    inFlight--;
    const id = input.TransactItems[2].Update!.Key.sk.slice('CODE#'.length);
    if (!shardOf.has(id) || takenElsewhere.includes(id)) {
      shardOf.delete(id);
      throw codeTaken();
    }
    shardOf.delete(id);
    return {};
  });
  return seen;
}

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe('DynamoClaimStore.claimWaiting', () => {
  it('20 codes for 25 waiting units: the 20 oldest claimed side by side from one read, then one read finds the stock-out', async () => {
    const seen = stockOf(20);
    const store = new DynamoClaimStore(createDocumentClient(), 'table', { shards: SHARDS });
    const outcomes = await store.claimWaiting(Array.from({ length: 25 }, (_, i) => waiting(i + 1)));
    expect(outcomes.map((o) => o.result)).toEqual([...Array(20).fill('CLAIMED'), 'OUT_OF_STOCK']);
    expect(new Set(outcomes.flatMap((o) => (o.result === 'CLAIMED' ? [o.codeId] : []))).size).toBe(20);
    expect(seen.mostAtOnce).toBe(20);
    // Two reads of every shard at once, no lost race.
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2 * SHARDS);
    expect(store.stats).toEqual({ claims: 20, lostRaces: 0, indexReads: 2 * SHARDS });
  });

  it('a code another claimer took meanwhile sends its unit down the ordinary claim, to another code', async () => {
    stockOf(6, ['c0']);
    const store = new DynamoClaimStore(createDocumentClient(), 'table', { shards: SHARDS });
    const outcomes = await store.claimWaiting([waiting(1), waiting(2), waiting(3)]);
    expect(outcomes.map((o) => o.result)).toEqual(['CLAIMED', 'CLAIMED', 'CLAIMED']);
    expect(outcomes.map((o) => (o.result === 'CLAIMED' ? o.codeId : undefined))).not.toContain('c0');
    expect(new Set(outcomes.map((o) => (o.result === 'CLAIMED' ? o.codeId : undefined))).size).toBe(3);
    // c0, and any code the ordinary claim's random read meets while the wave still holds it.
    expect(store.stats.lostRaces).toBeGreaterThanOrEqual(1);
  });

  it('takes the units of one SKU only', async () => {
    stockOf(2);
    const store = new DynamoClaimStore(createDocumentClient(), 'table', { shards: SHARDS });
    await expect(store.claimWaiting([waiting(1), waiting(2, 'OTHER')])).rejects.toThrow('one SKU');
  });
});
