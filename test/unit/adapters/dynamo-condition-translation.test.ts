// DynamoDB adapters: condition failures become outcomes, everything else is thrown. The integration
// tests prove the conditions against DynamoDB Local; this proves the translation of each failure shape.
import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoCatalogStore } from '../../../functions/adapters/dynamo/catalog-store';
import { createDocumentClient } from '../../../functions/adapters/dynamo/client';
import { cancellationCodes, conflicted, failedAt, isConditionFailure } from '../../../functions/adapters/dynamo/conditions';
import { DynamoInventoryStore } from '../../../functions/adapters/dynamo/inventory-store';
import { DynamoLeaseStore } from '../../../functions/adapters/dynamo/lease-store';
import { DynamoOrderStore } from '../../../functions/adapters/dynamo/order-store';
import { DynamoReorderStore } from '../../../functions/adapters/dynamo/reorder-store';
import { CodeCipher } from '../../../functions/core/code-cipher';
import type { OrderUnit } from '../../../functions/core/store-ports';

const TABLE = 'streamsync';
const ddb = mockClient(DynamoDBDocumentClient);
const db = createDocumentClient();
const cipher = new CodeCipher(randomBytes(32).toString('base64'));

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });

const unit = { storeId: 'S1', orderId: 'O1', unitId: 'L1#1', lineId: 'L1', sku: 'CARD-50', receivedAt: '2025-03-01T10:00:00.000Z' };
const reserved: OrderUnit = { ...unit, state: 'RESERVED', codeId: 'c1' };

beforeEach(() => ddb.reset());

describe('conditions', () => {
  it('reads the per-item reasons of a cancelled transaction', () => {
    const err = cancelled('None', 'ConditionalCheckFailed', 'TransactionConflict');
    expect(cancellationCodes(err)).toEqual(['None', 'ConditionalCheckFailed', 'TransactionConflict']);
    expect(failedAt(cancellationCodes(err)!, 1)).toBe(true);
    expect(failedAt(cancellationCodes(err)!, 0)).toBe(false);
    expect(conflicted(cancellationCodes(err)!)).toBe(true);
    expect(cancellationCodes(conditionFailed())).toBeUndefined();
    expect(cancellationCodes(undefined)).toBeUndefined();
    expect(isConditionFailure(conditionFailed())).toBe(true);
    expect(isConditionFailure(throttled())).toBe(false);
  });
});

describe('DynamoInventoryStore.claim', () => {
  const store = () => new DynamoInventoryStore(db, TABLE, cipher, { shards: 2 });

  it('moves on to the next candidate when the code was taken, and claims it', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }, { sk: 'CODE#c2' }] });
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).resolves({});
    const inventory = store();
    await expect(inventory.claim(unit, 'NEW')).resolves.toEqual({ result: 'CLAIMED', codeId: 'c2' });
    expect(inventory.stats).toMatchObject({ claims: 1, lostRaces: 1 });
  });

  it('a transaction conflict on the code is a lost race too', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }, { sk: 'CODE#c2' }] });
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('TransactionConflict', 'None')).resolves({});
    await expect(store().claim(unit, 'NEW')).resolves.toEqual({ result: 'CLAIMED', codeId: 'c2' });
  });

  it.each([
    ['NEW', ['None', 'ConditionalCheckFailed']],
    ['NEW', ['ConditionalCheckFailed', 'ConditionalCheckFailed']],
    ['BACKORDERED', ['None', 'ConditionalCheckFailed', 'None']],
  ] as const)('%s: UNIT_TAKEN when the unit condition fails (%j)', async (mode, reasons) => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }] });
    ddb.on(TransactWriteCommand).rejects(cancelled(...reasons));
    await expect(store().claim(unit, mode)).resolves.toEqual({ result: 'UNIT_TAKEN' });
  });

  it('OUT_OF_STOCK only after every shard answered empty', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await expect(store().claim(unit, 'NEW')).resolves.toEqual({ result: 'OUT_OF_STOCK' });
    const partitions = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues?.[':p']);
    expect(new Set(partitions)).toEqual(new Set(['AVAIL#CARD-50#0', 'AVAIL#CARD-50#1']));
  });

  it('a BACKORDERED claim updates the unit and deletes its FIFO entry in the same transaction', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }] });
    ddb.on(TransactWriteCommand).resolves({});
    await store().claim(unit, 'BACKORDERED');
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(items.map((i) => Object.keys(i)[0])).toEqual(['Update', 'Update', 'Delete']);
    expect(items[2].Delete?.Key).toEqual({ pk: 'BACKORDER#CARD-50', sk: '2025-03-01T10:00:00.000Z#S1#O1#L1#1' });
  });

  it('any other failure is thrown', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }] });
    ddb.on(TransactWriteCommand).rejects(throttled());
    await expect(store().claim(unit, 'NEW')).rejects.toThrow('Rate exceeded');
  });
});

describe('DynamoInventoryStore: other conditional writes', () => {
  const inventory = () => new DynamoInventoryStore(db, TABLE, cipher, { shards: 1 });

  it('backorder: false when the unit exists, thrown on a conflict', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).rejectsOnce(cancelled('TransactionConflict', 'None'));
    await expect(inventory().backorder(unit)).resolves.toBe(false);
    await expect(inventory().backorder(unit)).rejects.toThrow('Transaction cancelled');
  });

  it('cancelBackorder: false when the unit is no longer backordered', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    await expect(inventory().cancelBackorder({ ...unit, state: 'BACKORDERED' })).resolves.toBe(false);
  });

  it('markDelivered: false when unit or code is not RESERVED for it, thrown otherwise', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed')).rejectsOnce(throttled());
    await expect(inventory().markDelivered(reserved, '2025-03-01T10:01:00.000Z')).resolves.toBe(false);
    await expect(inventory().markDelivered(reserved, '2025-03-01T10:01:00.000Z')).rejects.toThrow('Rate exceeded');
  });

  it('addCodes: a code already held is a duplicate, keyed by its HMAC id, never a second copy', async () => {
    ddb.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    await expect(inventory().addCodes('CARD-50', [{ code: 'DUP' }, { code: 'NEW' }], 'import:test')).resolves.toEqual({ inserted: 1, duplicates: 1 });
    const puts = ddb.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Item?.sk).sort()).toEqual([`CODE#${cipher.idOf({ code: 'DUP' })}`, `CODE#${cipher.idOf({ code: 'NEW' })}`].sort());
    expect(puts.every((p) => p.ConditionExpression === 'attribute_not_exists(pk)')).toBe(true);
    expect(JSON.stringify(puts)).not.toMatch(/"DUP"|"NEW"/);
  });

  it('countAvailable stops at the bound', async () => {
    ddb.on(QueryCommand).resolves({ Count: 2, LastEvaluatedKey: { pk: 'x' } });
    await expect(new DynamoInventoryStore(db, TABLE, cipher, { shards: 8 }).countAvailable('CARD-50', 3)).resolves.toBe(3);
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.Limit)).toEqual([3, 1]);
  });
});

describe('DynamoOrderStore', () => {
  const orders = () => new DynamoOrderStore(db, TABLE);

  it('putCancelledUnit and claimBackorderNotice: false on their condition, thrown otherwise', async () => {
    ddb.on(PutCommand).rejectsOnce(conditionFailed()).rejectsOnce(throttled());
    await expect(orders().putCancelledUnit(unit)).resolves.toBe(false);
    await expect(orders().putCancelledUnit(unit)).rejects.toThrow('Rate exceeded');
    ddb.on(UpdateCommand).rejectsOnce(conditionFailed()).rejectsOnce(throttled());
    await expect(orders().claimBackorderNotice('S1', 'O1', 'now')).resolves.toBe(false);
    await expect(orders().claimBackorderNotice('S1', 'O1', 'now')).rejects.toThrow('Rate exceeded');
  });
});

describe('DynamoReorderStore', () => {
  const reorders = () => new DynamoReorderStore(db, TABLE);
  const start = { reorderId: 'R1', state: 'PLACING' as const, leaseUntil: 'later', quantity: 5, supplier: 'reloadly', createdAt: 'now' };

  it('startReorder: false when another reorder is active', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).rejectsOnce(throttled());
    await expect(reorders().startReorder('CARD-50', start)).resolves.toBe(false);
    await expect(reorders().startReorder('CARD-50', start)).rejects.toThrow('Rate exceeded');
  });

  it('renewLease: false when someone else renewed it or it is still live', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    await expect(reorders().renewLease('CARD-50', 'R1', 'now', 'later')).resolves.toBe(false);
  });

  it('finishReorder: a reorder already finished is not an error; other failures are', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).rejectsOnce(throttled());
    await expect(reorders().finishReorder('CARD-50', 'R1', { state: 'COMPLETED' })).resolves.toBeUndefined();
    await expect(reorders().finishReorder('CARD-50', 'R1', { state: 'COMPLETED' })).rejects.toThrow('Rate exceeded');
  });
});

describe('DynamoLeaseStore', () => {
  it('acquire: false while another holder’s lease is live; release of a lost lease is quiet', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(DeleteCommand).rejects(conditionFailed());
    const leases = new DynamoLeaseStore(db, TABLE);
    await expect(leases.acquire('CARD-50', 'me', 60_000)).resolves.toBe(false);
    await expect(leases.release('CARD-50', 'me')).resolves.toBeUndefined();
  });
});

describe('DynamoCatalogStore.getProductMappings', () => {
  it('retries unprocessed keys and defaults the multiplier to 1', async () => {
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [{ productId: 'P1', sku: 'CARD-50', multiplier: 3 }] },
        UnprocessedKeys: { [TABLE]: { Keys: [{ pk: 'STORE#S1', sk: 'PRODUCT#P2' }] } },
      })
      .resolvesOnce({ Responses: { [TABLE]: [{ productId: 'P2', sku: 'CARD-10' }] } });
    const found = await new DynamoCatalogStore(db, TABLE).getProductMappings('S1', ['P1', 'P2', 'P1']);
    expect(Object.fromEntries(found)).toEqual({
      P1: { storeId: 'S1', productId: 'P1', sku: 'CARD-50', multiplier: 3 },
      P2: { storeId: 'S1', productId: 'P2', sku: 'CARD-10', multiplier: 1 },
    });
    const calls = ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.[TABLE].Keys);
    expect(calls).toEqual([
      [{ pk: 'STORE#S1', sk: 'PRODUCT#P1' }, { pk: 'STORE#S1', sk: 'PRODUCT#P2' }],
      [{ pk: 'STORE#S1', sk: 'PRODUCT#P2' }],
    ]);
  });
});
