// Spare candidates (a change the claim benchmark motivated): the candidates a claim read but did not
// need are tried first by the next claims of the same SKU in the same container, saving index reads.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoClaimStore, type ClaimStoreOptions } from '#adapters/dynamo/claim-store';

const ddb = mockClient(DynamoDBDocumentClient);
const store = (options: Partial<ClaimStoreOptions> = {}) => new DynamoClaimStore(createDocumentClient(), 'bench', { shards: 2, ...options });
const unit = (n: number, sku = 'CARD-50') => ({ storeId: 'S1', orderId: `O${n}`, unitId: 'L1#1', lineId: 'L1', sku, receivedAt: '2025-03-01T10:00:00.000Z' });
const codeTaken = () =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }] });
/** Claim transactions on these codes fail on the code's condition; the others commit. */
const takenElsewhere = (ids: string[]) =>
  ddb.on(TransactWriteCommand).callsFake((input: { TransactItems: Array<{ Update?: { Key: { sk: string } } }> }) => {
    if (ids.includes(input.TransactItems[2].Update!.Key.sk.slice('CODE#'.length))) throw codeTaken();
    return {};
  });
const claimedIds = (outcomes: Array<{ result: string; codeId?: string }>) => outcomes.map((o) => (o.result === 'CLAIMED' ? o.codeId : o.result));

beforeEach(() => {
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Items: ['c1', 'c2', 'c3', 'c4'].map((id) => ({ sk: `CODE#${id}` })) });
  ddb.on(TransactWriteCommand).resolves({});
});
afterAll(() => ddb.restore());

describe('DynamoClaimStore spare candidates', () => {
  it('claims the next codes of the same SKU from the spares of one read', async () => {
    const inventory = store();
    const outcomes = [];
    for (let n = 1; n <= 4; n++) outcomes.push(await inventory.claim(unit(n), 'NEW'));
    const ids = claimedIds(outcomes);
    expect(ids[0]).toBe('c1');
    expect(new Set(ids)).toEqual(new Set(['c1', 'c2', 'c3', 'c4']));
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
    expect(inventory.stats).toEqual({ claims: 4, lostRaces: 0, indexReads: 1 });
    // Spares used up: the fifth claim reads again.
    await inventory.claim(unit(5), 'NEW');
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
  });

  it('keeps spares per SKU and not at all with spareTtlMs 0', async () => {
    const inventory = store();
    await inventory.claim(unit(1, 'A'), 'NEW');
    await inventory.claim(unit(2, 'B'), 'NEW');
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
    const off = store({ spareTtlMs: 0 });
    await off.claim(unit(3), 'NEW');
    await off.claim(unit(4), 'NEW');
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(4);
  });

  it('drops spares older than the TTL', async () => {
    const now = jest.spyOn(Date, 'now');
    try {
      now.mockReturnValue(1_000_000);
      const inventory = store({ spareTtlMs: 2000 });
      await inventory.claim(unit(1), 'NEW');
      now.mockReturnValue(1_002_001);
      await inventory.claim(unit(2), 'NEW');
      expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
    } finally {
      now.mockRestore();
    }
  });

  it('a spare someone else took is a lost race: the other spares are dropped and the claim reads the index', async () => {
    const inventory = store();
    await inventory.claim(unit(1), 'NEW');
    // Another container claimed c2..c4 meanwhile (and the index still lags and lists them).
    takenElsewhere(['c2', 'c3', 'c4']);
    ddb.on(QueryCommand).resolves({ Items: ['c2', 'c3', 'c4', 'c5', 'c6'].map((id) => ({ sk: `CODE#${id}` })) });
    await expect(inventory.claim(unit(2), 'NEW')).resolves.toEqual({ result: 'CLAIMED', codeId: 'c5', at: expect.any(String) });
    // One lost spare, then the read's first two candidates (the other two spares, dropped untried).
    expect(inventory.stats).toEqual({ claims: 2, lostRaces: 3, indexReads: 2 });
    // The read asked for enough items to get past the spare it tried.
    expect(ddb.commandCalls(QueryCommand)[1].args[0].input.Limit).toBe(8 + 1);
  });

  it('walks the index up or down from its random start, at random', async () => {
    const inventory = store({ spareTtlMs: 0 });
    for (let n = 1; n <= 40; n++) await inventory.claim(unit(n), 'NEW');
    const reads = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    for (const read of reads) {
      expect(read.KeyConditionExpression).toBe(read.ScanIndexForward ? 'availPk = :p AND availSk >= :from' : 'availPk = :p AND availSk <= :from');
    }
    expect(new Set(reads.map((read) => read.ScanIndexForward))).toEqual(new Set([true, false]));
  });

  it('out of stock is still only decided by an empty walk of every shard', async () => {
    const inventory = store();
    await inventory.claim(unit(1), 'NEW');
    takenElsewhere(['c2', 'c3', 'c4']);
    ddb.on(QueryCommand).resolves({ Items: [] });
    await expect(inventory.claim(unit(2), 'NEW')).resolves.toEqual({ result: 'OUT_OF_STOCK' });
    expect(inventory.stats.lostRaces).toBe(1);
    const partitions = ddb.commandCalls(QueryCommand).slice(1).map((c) => c.args[0].input.ExpressionAttributeValues?.[':p']);
    expect(new Set(partitions)).toEqual(new Set(['AVAIL#CARD-50#0', 'AVAIL#CARD-50#1']));
  });

  it('a unit that already exists ends the claim and leaves the untried spares for the next one', async () => {
    const inventory = store();
    ddb.on(TransactWriteCommand).rejectsOnce(
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }),
    ).resolves({});
    await expect(inventory.claim(unit(1), 'NEW')).resolves.toEqual({ result: 'UNIT_TAKEN' });
    await expect(inventory.claim(unit(2), 'NEW')).resolves.toMatchObject({ result: 'CLAIMED', codeId: expect.stringMatching(/^c[234]$/) });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });
});
