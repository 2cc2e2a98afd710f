// DynamoDB adapters: condition failures become outcomes, everything else is thrown. The integration
// tests prove the conditions against DynamoDB Local; this proves the translation of each failure shape.
import { newCodeKeyOf } from '#adapters/dynamo/items';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoCatalogStore } from '#adapters/dynamo/catalog-store';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoBackorderQueue } from '#adapters/dynamo/backorder-queue';
import { DynamoClaimStore } from '#adapters/dynamo/claim-store';
import { cancellationReasons, conditionally, CONFLICT, isConditionFailure, transact } from '#adapters/dynamo/conditions';
import { DynamoSendStore } from '#adapters/dynamo/send-store';
import { DynamoStockStore } from '#adapters/dynamo/stock-store';
import { DynamoLeaseStore } from '#adapters/dynamo/lease-store';
import { DynamoOrderStore } from '#adapters/dynamo/order-store';
import { DynamoReorderStore } from '#adapters/dynamo/reorder-store';
import { localCodeVault } from '#local/code-vault';
import type { OrderUnit } from '#core/ports/orders';

const TABLE = 'streamsync';
const ddb = mockClient(DynamoDBDocumentClient);
const db = createDocumentClient();
const cipher = localCodeVault();

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });

const unit = { storeId: 'S1', orderId: 'O1', unitId: 'L1#1', lineId: 'L1', sku: 'CARD-50', receivedAt: '2025-03-01T10:00:00.000Z' };
const reserved: OrderUnit = { ...unit, state: 'RESERVED', codeId: 'c1' };
/** Item 0 of every reserving transaction. */
const ORDER_CHECK = {
  ConditionCheck: { TableName: TABLE, Key: { pk: 'ORDER#S1#O1', sk: 'META' }, ConditionExpression: 'attribute_not_exists(cancelledAt)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
};

beforeEach(() => ddb.reset());

describe('conditions', () => {
  it('reads the per-item reasons of a cancelled transaction', () => {
    const err = cancelled('None', 'ConditionalCheckFailed', 'TransactionConflict');
    expect(cancellationReasons(err)?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed', 'TransactionConflict']);
    expect(cancellationReasons(conditionFailed())).toBeUndefined();
    expect(cancellationReasons(undefined)).toBeUndefined();
    expect(isConditionFailure(conditionFailed())).toBe(true);
    expect(isConditionFailure(throttled())).toBe(false);
  });

  describe('transact', () => {
    const clauses = [
      { name: 'first', write: { ConditionCheck: { TableName: TABLE, Key: { pk: 'a', sk: 'b' }, ConditionExpression: 'attribute_exists(pk)' } } },
      { name: 'second', write: { Put: { TableName: TABLE, Item: { pk: 'a', sk: 'c' }, ConditionExpression: 'attribute_not_exists(pk)' } } },
      { name: 'third', write: { Delete: { TableName: TABLE, Key: { pk: 'a', sk: 'd' } } } },
    ];

    it('ok when the transaction committed; every conditional write asks for the item that failed it', async () => {
      ddb.on(TransactWriteCommand).resolves({});
      await expect(transact(db, clauses)).resolves.toEqual({ ok: true });
      const sent = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
      expect(sent[0].ConditionCheck).toEqual({ ...clauses[0].write.ConditionCheck, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
      expect(sent[1].Put).toEqual({ ...clauses[1].write.Put, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
      expect(sent[2]).toEqual(clauses[2].write);
    });

    it('names the first clause listed whose condition failed, with the item that won', async () => {
      const winner = new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { pk: { S: 'a' }, sk: { S: 'c' }, n: { N: '3' } } }, { Code: 'None' }],
      });
      ddb
        .on(TransactWriteCommand)
        .rejectsOnce(winner)
        .rejectsOnce(cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed', 'None'))
        .rejectsOnce(cancelled('TransactionConflict', 'ConditionalCheckFailed', 'None'));
      await expect(transact(db, clauses)).resolves.toEqual({ ok: false, failed: 'second', item: { pk: 'a', sk: 'c', n: 3 } });
      await expect(transact(db, clauses)).resolves.toEqual({ ok: false, failed: 'first' });
      await expect(transact(db, clauses)).resolves.toEqual({ ok: false, failed: 'second' });
    });

    it('a conflict is thrown, or CONFLICT when asked for', async () => {
      ddb.on(TransactWriteCommand).rejects(cancelled('None', 'TransactionConflict', 'None'));
      await expect(transact(db, clauses)).rejects.toThrow('Transaction cancelled');
      await expect(transact(db, clauses, 'return')).resolves.toEqual({ ok: false, failed: CONFLICT });
    });

    it('anything else is thrown', async () => {
      ddb
        .on(TransactWriteCommand)
        .rejectsOnce(throttled())
        .rejectsOnce(cancelled('None', 'ThrottlingError', 'None'));
      await expect(transact(db, clauses, 'return')).rejects.toThrow('Rate exceeded');
      await expect(transact(db, clauses, 'return')).rejects.toThrow('Transaction cancelled');
    });
  });

  describe('conditionally', () => {
    it('applied, or the named clause with the item that was there (unmarshalled)', async () => {
      ddb
        .on(UpdateCommand)
        .resolvesOnce({})
        .rejectsOnce(Object.assign(conditionFailed(), { Item: { pk: { S: 'a' }, state: { S: 'DELIVERED' } } }))
        .rejectsOnce(throttled());
      const write = { Update: { TableName: TABLE, Key: { pk: 'a', sk: 'b' }, UpdateExpression: 'SET n = :n', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':n': 1 } } };
      await expect(conditionally(db, 'exists', write)).resolves.toEqual({ ok: true });
      await expect(conditionally(db, 'exists', write)).resolves.toEqual({ ok: false, failed: 'exists', item: { pk: 'a', state: 'DELIVERED' } });
      await expect(conditionally(db, 'exists', write)).rejects.toThrow('Rate exceeded');
      expect(ddb.commandCalls(UpdateCommand)[0].args[0].input.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    });
  });
});

describe('DynamoClaimStore.claim', () => {
  const store = () => new DynamoClaimStore(db, TABLE, { shards: 2 });
  // Claim transaction: [order not cancelled, unit write, code AVAILABLE → RESERVED]: that order is the
  // precedence of the outcomes.

  it('moves on to the next candidate when the code was taken, and claims it', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }, { sk: 'CODE#c2' }] });
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'None', 'ConditionalCheckFailed')).resolves({});
    const inventory = store();
    await expect(inventory.claim(unit, 'NEW')).resolves.toEqual({ result: 'CLAIMED', codeId: 'c2', at: expect.any(String) });
    expect(inventory.stats).toMatchObject({ claims: 1, lostRaces: 1 });
  });

  it('a transaction conflict on the code is a lost race too', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }, { sk: 'CODE#c2' }] });
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'None', 'TransactionConflict')).resolves({});
    await expect(store().claim(unit, 'NEW')).resolves.toEqual({ result: 'CLAIMED', codeId: 'c2', at: expect.any(String) });
  });

  it.each([
    ['NEW', ['None', 'ConditionalCheckFailed', 'None']],
    ['BACKORDERED', ['None', 'ConditionalCheckFailed', 'None']],
  ] as const)('%s: UNIT_TAKEN when the unit condition fails (%j)', async (mode, reasons) => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }, { sk: 'CODE#c2' }] });
    ddb.on(TransactWriteCommand).rejects(cancelled(...reasons));
    await expect(store().claim(unit, mode)).resolves.toEqual({ result: 'UNIT_TAKEN' });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('when both the unit and the code fail, the unit decides at once: no other candidate is tried', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }, { sk: 'CODE#c2' }] });
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed', 'ConditionalCheckFailed'));
    await expect(store().claim(unit, 'NEW')).resolves.toEqual({ result: 'UNIT_TAKEN' });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it.each([
    ['NEW', ['ConditionalCheckFailed', 'None', 'None']],
    ['NEW', ['ConditionalCheckFailed', 'ConditionalCheckFailed', 'ConditionalCheckFailed']],
    ['BACKORDERED', ['ConditionalCheckFailed', 'None', 'ConditionalCheckFailed']],
  ] as const)('%s: ORDER_CANCELLED when the order check fails (%j), without trying another code', async (mode, reasons) => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }, { sk: 'CODE#c2' }] });
    ddb.on(TransactWriteCommand).rejects(cancelled(...reasons));
    await expect(store().claim(unit, mode)).resolves.toEqual({ result: 'ORDER_CANCELLED' });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('OUT_OF_STOCK only after every shard answered empty', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await expect(store().claim(unit, 'NEW')).resolves.toEqual({ result: 'OUT_OF_STOCK' });
    const partitions = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues?.[':p']);
    expect(new Set(partitions)).toEqual(new Set(['AVAIL#CARD-50#0', 'AVAIL#CARD-50#1']));
  });

  it('checks the order is not cancelled as item 0 of the transaction', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }] });
    ddb.on(TransactWriteCommand).resolves({});
    await store().claim(unit, 'NEW');
    const [check] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(check).toEqual(ORDER_CHECK);
  });

  it('UNIT_TAKEN carries the unit that won, from the failed condition (no read after the race)', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }] });
    const won = { pk: { S: 'ORDER#S1#O1' }, sk: { S: 'UNIT#L1#1' }, storeId: { S: 'S1' }, orderId: { S: 'O1' }, unitId: { S: 'L1#1' }, lineId: { S: 'L1' }, sku: { S: 'CARD-50' }, state: { S: 'DELIVERED' }, codeId: { S: 'c9' }, receivedAt: { S: unit.receivedAt } };
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: won }, { Code: 'None' }] }),
    );
    await expect(store().claim(unit, 'NEW')).resolves.toEqual({ result: 'UNIT_TAKEN', unit: { ...unit, state: 'DELIVERED', codeId: 'c9' } });
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('a NEW claim puts the unit committed to sending (sendStartedAt)', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }] });
    ddb.on(TransactWriteCommand).resolves({});
    await store().claim(unit, 'NEW');
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(items.map((i) => Object.keys(i)[0])).toEqual(['ConditionCheck', 'Put', 'Update']);
    expect(items[2].Update?.Key).toEqual({ pk: 'SKU#CARD-50', sk: 'CODE#c1' });
    const put = items[1].Put!;
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put.Item).toMatchObject({ pk: 'ORDER#S1#O1', sk: 'UNIT#L1#1', state: 'RESERVED', codeId: 'c1', sendStartedAt: expect.any(String) });
    expect(put.Item?.sendStartedAt).toBe(put.Item?.reservedAt);
  });

  it('a BACKORDERED claim updates the unit without committing to send, and keeps its FIFO entry, marked reserved', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }] });
    ddb.on(TransactWriteCommand).resolves({});
    await store().claim(unit, 'BACKORDERED');
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(items.map((i) => Object.keys(i)[0])).toEqual(['ConditionCheck', 'Update', 'Update', 'Update']);
    expect(items.some((i) => i.Delete)).toBe(false);
    expect(items[3].Update).toMatchObject({ Key: { pk: 'BACKORDER#CARD-50', sk: expect.stringContaining('#S1#O1#L1#1') }, UpdateExpression: 'SET reservedAt = :now' });
    expect(items[3].Update?.ConditionExpression).toBeUndefined();
    const update = items[1].Update!;
    expect(update.Key).toEqual({ pk: 'ORDER#S1#O1', sk: 'UNIT#L1#1' });
    expect(update.ConditionExpression).toBe('#state = :backordered');
    expect(update.UpdateExpression).not.toContain('sendStartedAt');
  });

  it('any other failure is thrown', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CODE#c1' }] });
    ddb.on(TransactWriteCommand).rejects(throttled());
    await expect(store().claim(unit, 'NEW')).rejects.toThrow('Rate exceeded');
  });
});

describe('DynamoClaimStore, DynamoBackorderQueue, DynamoStockStore: other conditional writes', () => {
  const claims = () => new DynamoClaimStore(db, TABLE, { shards: 1 });
  const backorders = () => new DynamoBackorderQueue(db, TABLE);
  const sends = () => new DynamoSendStore(db, TABLE);
  const stock = () => new DynamoStockStore(db, TABLE, cipher, { shards: 1 });

  it('backorder: CREATED, with the order check, the unit and its FIFO entry in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await expect(backorders().backorder(unit)).resolves.toEqual({ result: 'CREATED' });
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(items[0]).toEqual(ORDER_CHECK);
    expect(items[1].Put).toMatchObject({ Item: { pk: 'ORDER#S1#O1', sk: 'UNIT#L1#1', state: 'BACKORDERED' }, ConditionExpression: 'attribute_not_exists(pk)' });
    expect(items[2].Put?.Item).toMatchObject({ pk: 'BACKORDER#CARD-50', sk: '2025-03-01T10:00:00.000Z#S1#O1#L1#1' });
  });

  it('backorder: EXISTS when the unit exists, ORDER_CANCELLED when the order is (first), thrown on a conflict', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed', 'None'))
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed', 'None'))
      .rejectsOnce(cancelled('None', 'TransactionConflict', 'None'));
    await expect(backorders().backorder(unit)).resolves.toEqual({ result: 'EXISTS' });
    await expect(backorders().backorder(unit)).resolves.toEqual({ result: 'ORDER_CANCELLED' });
    await expect(backorders().backorder(unit)).rejects.toThrow('Transaction cancelled');
  });

  it('acquireSend on an uncommitted unit: commit and lease in one transaction with the order check', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const lease = { owner: 'w1', until: '2025-03-01T10:02:00.000Z' };
    await expect(sends().acquireSend(reserved, lease, '2025-03-01T10:01:00.000Z')).resolves.toEqual({ result: 'ACQUIRED', attempt: 1, takeover: false });
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(items[0]).toEqual(ORDER_CHECK);
    expect(items[1].Update).toMatchObject({
      Key: { pk: 'ORDER#S1#O1', sk: 'UNIT#L1#1' },
      UpdateExpression: 'SET sendOwner = :owner, sendLeaseUntil = :until, sendStartedAt = if_not_exists(sendStartedAt, :now) ADD sendAttempts :one',
      ConditionExpression: '#state = :reserved AND (attribute_not_exists(sendLeaseUntil) OR sendLeaseUntil < :now)',
      ExpressionAttributeValues: { ':reserved': 'RESERVED', ':now': '2025-03-01T10:01:00.000Z', ':owner': 'w1', ':until': lease.until, ':one': 1 },
    });
  });

  it.each([
    [['ConditionalCheckFailed', 'None'], { result: 'ORDER_CANCELLED' }],
    [['ConditionalCheckFailed', 'ConditionalCheckFailed'], { result: 'ORDER_CANCELLED' }],
    [['None', 'ConditionalCheckFailed'], { result: 'NOT_RESERVED' }],
  ] as const)('acquireSend on an uncommitted unit: %j → %j', async (reasons, outcome) => {
    ddb.on(TransactWriteCommand).rejects(cancelled(...reasons));
    await expect(sends().acquireSend(reserved, { owner: 'w', until: 'later' }, 'now')).resolves.toEqual(outcome);
  });

  it('acquireSend on a committed unit: one conditional update; the old lease tells a takeover; a live lease is LEASE_HELD', async () => {
    const committed = { ...reserved, sendStartedAt: '2025-03-01T10:00:00.000Z' };
    const live = { pk: { S: 'ORDER#S1#O1' }, sk: { S: 'UNIT#L1#1' }, storeId: { S: 'S1' }, orderId: { S: 'O1' }, unitId: { S: 'L1#1' }, lineId: { S: 'L1' }, sku: { S: 'CARD-50' }, state: { S: 'RESERVED' }, receivedAt: { S: unit.receivedAt } };
    ddb
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { sendAttempts: 1, sendLeaseUntil: 'expired', sendOwner: 'crashed' } })
      .resolvesOnce({ Attributes: { sendAttempts: 2 } })
      .rejectsOnce(Object.assign(conditionFailed(), { Item: live }));
    await expect(sends().acquireSend(committed, { owner: 'w', until: 'later' }, 'now')).resolves.toEqual({ result: 'ACQUIRED', attempt: 2, takeover: true });
    await expect(sends().acquireSend(committed, { owner: 'w', until: 'later' }, 'now')).resolves.toEqual({ result: 'ACQUIRED', attempt: 3, takeover: false });
    await expect(sends().acquireSend(committed, { owner: 'w', until: 'later' }, 'now')).resolves.toMatchObject({ result: 'LEASE_HELD', unit: { state: 'RESERVED', unitId: 'L1#1' } });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)[0].args[0].input).toMatchObject({ ReturnValues: 'UPDATED_OLD', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
  });

  it('acquireSend: a conflict or throttling is thrown', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'TransactionConflict')).rejectsOnce(throttled());
    await expect(sends().acquireSend(reserved, { owner: 'w', until: 'later' }, 'now')).rejects.toThrow('Transaction cancelled');
    await expect(sends().acquireSend(reserved, { owner: 'w', until: 'later' }, 'now')).rejects.toThrow('Rate exceeded');
  });

  it('holdUnit: only by the lease holder; an unsent unit loses its commit, a maybe-sent one keeps it', async () => {
    ddb.on(UpdateCommand).resolves({});
    await sends().holdUnit(reserved, 'w1', { reason: 'CHANNEL_REJECTED', detail: 'sms: permanent X', at: 'now', sent: false });
    await sends().holdUnit(reserved, 'w1', { reason: 'CHANNEL_UNAVAILABLE', detail: 'sms: transient Y', at: 'now', sent: true });
    const [unsent, maybe] = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(unsent).toMatchObject({ ConditionExpression: '#state = :reserved AND sendOwner = :owner', ExpressionAttributeValues: expect.objectContaining({ ':owner': 'w1', ':held': 'HELD' }) });
    expect(unsent.UpdateExpression).toBe('SET #state = :held, heldReason = :reason, heldDetail = :detail, heldAt = :at REMOVE sendOwner, sendLeaseUntil, sendStartedAt');
    expect(maybe.UpdateExpression).toBe('SET #state = :held, heldReason = :reason, heldDetail = :detail, heldAt = :at REMOVE sendOwner, sendLeaseUntil');
  });

  it('releaseUnsent: the unsent (reserved or held) unit is CANCELLED and its code AVAILABLE again, back in its index shard', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const codeId = cipher.idOf({ code: 'X' });
    const shards = 8;
    await expect(new DynamoClaimStore(db, TABLE, { shards }).releaseUnsent({ ...reserved, codeId })).resolves.toBe(true);
    const [unitUpdate, codeUpdate] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!.map((i) => i.Update!);
    expect(unitUpdate).toMatchObject({
      Key: { pk: 'ORDER#S1#O1', sk: 'UNIT#L1#1' },
      UpdateExpression: 'SET #state = :cancelled REMOVE codeId, codeKey',
      ConditionExpression: '#state IN (:reserved, :held) AND codeId = :codeId AND attribute_not_exists(sendStartedAt)',
      ExpressionAttributeValues: { ':cancelled': 'CANCELLED', ':reserved': 'RESERVED', ':held': 'HELD', ':codeId': codeId },
    });
    expect(codeUpdate).toMatchObject({
      Key: { pk: 'SKU#CARD-50', sk: `CODE#${codeId}` },
      ConditionExpression: '#status = :from AND orderPk = :orderPk AND unitSk = :unitSk',
      ExpressionAttributeValues: {
        ':available': 'AVAILABLE',
        ':from': 'RESERVED',
        ':availPk': `AVAIL#CARD-50#${parseInt(codeId.slice(0, 4), 16) % shards}`,
        ':codeId': codeId,
        ':orderPk': 'ORDER#S1#O1',
        ':unitSk': 'UNIT#L1#1',
      },
    });
    expect(codeUpdate.UpdateExpression).toBe('SET #status = :available, availPk = :availPk, availSk = :codeId REMOVE orderPk, unitSk, reservedAt, deliveredAt');
  });

  it('every later write of a claimed code goes to the partition its unit recorded (sharded), the SKU\'s own without one (stored before sharding)', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    const codeId = cipher.idOf({ code: 'X' });
    const sharded = { ...reserved, codeId, codeKey: 'CODES#CARD-50#11' };
    await new DynamoClaimStore(db, TABLE, { shards: 8 }).releaseUnsent(sharded);
    await new DynamoClaimStore(db, TABLE, { shards: 8 }).returnUnrevealed(sharded);
    await sends().markDelivered(sharded, 'now');
    await sends().markDelivered({ ...sharded, codeKey: undefined }, 'now');
    const txCodeKeys = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!.map((i) => i.Update?.Key?.pk).find((pk) => String(pk).includes('CARD-50')));
    expect(txCodeKeys).toEqual(['CODES#CARD-50#11', 'CODES#CARD-50#11']);
    const codeWrites = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.Key).filter((key) => String(key?.sk).startsWith('CODE#'));
    expect(codeWrites).toEqual([{ pk: 'CODES#CARD-50#11', sk: `CODE#${codeId}` }, { pk: 'SKU#CARD-50', sk: `CODE#${codeId}` }]);
  });

  it('returnUnrevealed: [order cancelled, unopened link unit → CANCELLED, DELIVERED code → AVAILABLE], as one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const codeId = cipher.idOf({ code: 'X' });
    await expect(new DynamoClaimStore(db, TABLE, { shards: 8 }).returnUnrevealed({ ...reserved, state: 'DELIVERED', codeId, revealLinkExpiresAt: 'later' })).resolves.toBe(true);
    const [order, unitUpdate, codeUpdate] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(order.ConditionCheck).toMatchObject({ Key: { pk: 'ORDER#S1#O1', sk: 'META' }, ConditionExpression: 'attribute_exists(cancelledAt)' });
    expect(unitUpdate.Update).toMatchObject({
      UpdateExpression: 'SET #state = :cancelled REMOVE codeId, codeKey',
      ConditionExpression: '#state = :delivered AND codeId = :codeId AND attribute_exists(revealLinkExpiresAt) AND attribute_not_exists(revealedAt)',
    });
    expect(codeUpdate.Update).toMatchObject({ ConditionExpression: '#status = :from AND orderPk = :orderPk AND unitSk = :unitSk', ExpressionAttributeValues: expect.objectContaining({ ':from': 'DELIVERED' }) });
  });

  it('returnUnrevealed: false when the link was opened first; a conflict with a concurrent write is thrown, so the cancel is retried', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed', 'None')).rejectsOnce(cancelled('None', 'TransactionConflict', 'None'));
    await expect(claims().returnUnrevealed(reserved)).resolves.toBe(false);
    await expect(claims().returnUnrevealed(reserved)).rejects.toThrow('Transaction cancelled');
  });

  it('releaseUnsent: false when the unit was committed or the code is not its own, thrown otherwise', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'None'))
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed'))
      .rejectsOnce(throttled());
    await expect(claims().releaseUnsent(reserved)).resolves.toBe(false);
    await expect(claims().releaseUnsent(reserved)).resolves.toBe(false);
    await expect(claims().releaseUnsent(reserved)).rejects.toThrow('Rate exceeded');
  });

  it('cancelBackorder: false when the unit is no longer backordered', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    await expect(backorders().cancelBackorder({ ...unit, state: 'BACKORDERED' })).resolves.toBe(false);
  });

  it('markDelivered: code first, then unit, each an idempotent conditional update; false when either is not this unit\'s, thrown otherwise', async () => {
    ddb.on(UpdateCommand).resolves({});
    await expect(sends().markDelivered(reserved, '2025-03-01T10:01:00.000Z')).resolves.toBe(true);
    const [code, unitWrite] = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(code).toMatchObject({ Key: { pk: 'SKU#CARD-50', sk: `CODE#${reserved.codeId}` }, ConditionExpression: '#status IN (:reserved, :delivered) AND orderPk = :orderPk AND unitSk = :unitSk' });
    expect(unitWrite).toMatchObject({ ConditionExpression: '#state IN (:reserved, :delivered) AND codeId = :codeId' });
    // Delivered: the send lease ends with it.
    expect(unitWrite.UpdateExpression).toBe('SET #state = :delivered, deliveredAt = if_not_exists(deliveredAt, :at) REMOVE sendOwner, sendLeaseUntil');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);

    ddb.reset();
    ddb.on(UpdateCommand).rejectsOnce(conditionFailed());
    await expect(sends().markDelivered(reserved, '2025-03-01T10:01:00.000Z')).resolves.toBe(false);
    // The code is not this unit's: the unit is never marked.
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);

    ddb.reset();
    ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    await expect(sends().markDelivered(reserved, '2025-03-01T10:01:00.000Z')).resolves.toBe(false);

    ddb.reset();
    ddb.on(UpdateCommand).rejectsOnce(throttled());
    await expect(sends().markDelivered(reserved, '2025-03-01T10:01:00.000Z')).rejects.toThrow('Rate exceeded');
  });

  it('addCodes: codes whose guard is already held are duplicates without a write; one transaction for the rest, keyed by HMAC id', async () => {
    const held = cipher.idOf({ code: 'DUP' });
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [{ pk: `CODEID#${held}` }] } });
    ddb.on(TransactWriteCommand).resolves({});
    await expect(stock().addCodes('CARD-50', [{ code: 'DUP' }, { code: 'SAME' }, { code: 'NEW' }, { code: 'NEW' }], 'import:test')).resolves.toEqual({ inserted: 2, duplicates: 2 });
    expect(ddb.commandCalls(BatchGetCommand)[0].args[0].input.RequestItems![TABLE]).toMatchObject({ ConsistentRead: true, Keys: expect.arrayContaining([{ pk: `CODEID#${held}`, sk: 'GUARD' }]) });
    const [transaction] = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!.map((i) => i.Put!));
    expect(transaction).toHaveLength(4);
    for (let i = 0; i < transaction.length; i += 2) {
      const [guard, code] = [transaction[i], transaction[i + 1]];
      const codeId = code.Item?.codeId as string;
      expect(guard).toEqual({ TableName: TABLE, Item: { pk: `CODEID#${codeId}`, sk: 'GUARD', sku: 'CARD-50' }, ConditionExpression: 'attribute_not_exists(pk)' });
      expect(code).toMatchObject({ Item: { ...newCodeKeyOf('CARD-50', codeId), status: 'AVAILABLE', availSk: codeId }, ConditionExpression: 'attribute_not_exists(pk)' });
    }
    expect(JSON.stringify(ddb.calls().map((c) => c.args[0].input))).not.toMatch(/"DUP"|"SAME"|"NEW"/);
  });

  it('addCodes: a value stored by someone else between the read and the write is a duplicate; the rest of its batch is written again', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    // Items: A guard, A code, B guard, B code, C guard, C code: B's guard was taken meanwhile.
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'None', 'ConditionalCheckFailed', 'None', 'None', 'None')).resolves({});
    await expect(stock().addCodes('CARD-50', [{ code: 'A' }, { code: 'B' }, { code: 'C' }], 'import:test')).resolves.toEqual({ inserted: 2, duplicates: 1 });
    const retried = ddb.commandCalls(TransactWriteCommand)[1].args[0].input.TransactItems!.map((i) => i.Put!.Item!.pk);
    const codePkOf = (code: string) => newCodeKeyOf('CARD-50', cipher.idOf({ code })).pk;
    expect(retried).toEqual([`CODEID#${cipher.idOf({ code: 'A' })}`, codePkOf('A'), `CODEID#${cipher.idOf({ code: 'C' })}`, codePkOf('C')]);
  });

  it('addCodes: 120 codes are 3 transactions of at most 50; conflicts are retried a few times, then thrown; throttling is thrown', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    ddb.on(TransactWriteCommand).resolves({});
    const many = Array.from({ length: 120 }, (_, i) => ({ code: `C${i}` }));
    await expect(stock().addCodes('CARD-50', many, 'import:test')).resolves.toEqual({ inserted: 120, duplicates: 0 });
    expect(ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!.length).sort()).toEqual([100, 100, 40]);
    ddb.reset();
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('TransactionConflict', 'None')).resolves({});
    await expect(stock().addCodes('CARD-50', [{ code: 'A' }], 'import:test')).resolves.toEqual({ inserted: 1, duplicates: 0 });
    // A conflicting batch goes again in halves: what collides shrinks instead of colliding whole again.
    ddb.resetHistory();
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('TransactionConflict', 'None')).resolves({});
    await expect(stock().addCodes('CARD-50', [{ code: 'A' }, { code: 'B' }, { code: 'C' }, { code: 'D' }], 'import:test')).resolves.toEqual({ inserted: 4, duplicates: 0 });
    expect(ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!.length)).toEqual([8, 4, 4]);
    // Halved down to one code, that code still has its own tries.
    ddb.resetHistory();
    ddb.on(TransactWriteCommand)
      .rejectsOnce(cancelled('TransactionConflict', 'None'))
      .rejectsOnce(cancelled('TransactionConflict', 'None'))
      .rejectsOnce(cancelled('TransactionConflict', 'None'))
      .rejectsOnce(cancelled('TransactionConflict', 'None'))
      .resolves({});
    await expect(stock().addCodes('CARD-50', [{ code: 'A' }, { code: 'B' }], 'import:test')).resolves.toEqual({ inserted: 2, duplicates: 0 });
    expect(ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!.length)).toEqual([4, 2, 2, 2, 2, 2]);
    ddb.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));
    await expect(stock().addCodes('CARD-50', [{ code: 'A' }], 'import:test')).rejects.toThrow('kept conflicting');
    ddb.on(TransactWriteCommand).rejects(throttled());
    await expect(stock().addCodes('CARD-50', [{ code: 'A' }], 'import:test')).rejects.toThrow('Rate exceeded');
  });

  it('addCodes per code (the benchmark baseline): one transaction per code, a failed guard is a duplicate', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).resolves({});
    const perCode = new DynamoStockStore(db, TABLE, cipher, { shards: 1, intake: 'per-code', addConcurrency: 1 });
    await expect(perCode.addCodes('CARD-50', [{ code: 'DUP' }, { code: 'NEW' }], 'import:test')).resolves.toEqual({ inserted: 1, duplicates: 1 });
    expect(ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!.length)).toEqual([2, 2]);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('countAvailable stops at the bound', async () => {
    ddb.on(QueryCommand).resolves({ Count: 2, LastEvaluatedKey: { pk: 'x' } });
    await expect(new DynamoStockStore(db, TABLE, cipher, { shards: 8 }).countAvailable('CARD-50', 3)).resolves.toBe(3);
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

  it('flagDeliveredBeforeCancel: true the first time, false when already recorded (a duplicate cancel), thrown otherwise', async () => {
    ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed()).rejectsOnce(throttled());
    await expect(orders().flagDeliveredBeforeCancel('S1', 'O1', ['L1#1'])).resolves.toBe(true);
    await expect(orders().flagDeliveredBeforeCancel('S1', 'O1', ['L1#1'])).resolves.toBe(false);
    await expect(orders().flagDeliveredBeforeCancel('S1', 'O1', ['L1#1'])).rejects.toThrow('Rate exceeded');
    expect(ddb.commandCalls(UpdateCommand)[0].args[0].input).toMatchObject({
      Key: { pk: 'ORDER#S1#O1', sk: 'META' },
      ConditionExpression: 'attribute_not_exists(deliveredBeforeCancel)',
      ExpressionAttributeValues: { ':units': ['L1#1'] },
    });
  });

  it('getUnit reads sendStartedAt', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'ORDER#S1#O1', sk: 'UNIT#L1#1', ...reserved, sendStartedAt: '2025-03-01T10:01:00.000Z' } });
    await expect(orders().getUnit(unit)).resolves.toMatchObject({ state: 'RESERVED', codeId: 'c1', sendStartedAt: '2025-03-01T10:01:00.000Z' });
  });
});

describe('DynamoReorderStore', () => {
  const reorders = () => new DynamoReorderStore(db, TABLE);
  const start = { reorderId: 'R1', lane: 0, state: 'PLACING' as const, leaseUntil: 'later', quantity: 5, supplier: 'reloadly', productId: '3001', unitPrice: 50, createdAt: 'now', pollId: 'H1' };
  const lane0 = { lane: 0, reorderId: 'R1' };

  it('startReorder: false when the lane is taken, a decision started first, or a concurrent start won (a conflict); thrown otherwise', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).rejectsOnce(cancelled('TransactionConflict', 'None')).rejectsOnce(throttled());
    await expect(reorders().startReorder('CARD-50', start, 0)).resolves.toBe(false);
    await expect(reorders().startReorder('CARD-50', start, 0)).resolves.toBe(false);
    await expect(reorders().startReorder('CARD-50', start, 0)).rejects.toThrow('Rate exceeded');
  });

  it('startReorder: the lane carries createdAt (its age decides when to give up), the offer and the starter\'s token; the version guards the demand', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await expect(reorders().startReorder('CARD-50', start, 0)).resolves.toBe(true);
    await expect(reorders().startReorder('CARD-50', { ...start, lane: 2 }, 7)).resolves.toBe(true);
    const [[active, record], [followUp]] = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);
    expect(active.Update).toMatchObject({
      UpdateExpression: 'SET #lane = :active, reorderVersion = :next, supplierBlockedUntil = if_not_exists(supplierBlockedUntil, :none)',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#lane) AND attribute_not_exists(reorderVersion)',
      ExpressionAttributeNames: { '#lane': 'activeReorder' },
    });
    expect(active.Update?.ExpressionAttributeValues?.[':active']).toEqual({
      reorderId: 'R1', state: 'PLACING', leaseUntil: 'later', quantity: 5, createdAt: 'now', pollId: 'H1', supplier: 'reloadly', productId: '3001', unitPrice: 50, codesReceived: 0,
    });
    expect(record.Put?.Item).toMatchObject({ sk: 'REORDER#R1', supplier: 'reloadly', productId: '3001', unitPrice: 50 });
    expect(followUp.Update).toMatchObject({
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#lane) AND reorderVersion = :seen',
      ExpressionAttributeNames: { '#lane': 'activeReorder2' },
    });
    expect(followUp.Update?.ExpressionAttributeValues).toMatchObject({ ':seen': 7, ':next': 8 });
    await expect(reorders().startReorder('CARD-50', { ...start, lane: 6 }, 0)).rejects.toThrow('Reorder lane 6 does not exist');
  });

  it('getReorderStatus: every lane in one consistent read, the version 0 before any start', async () => {
    ddb.on(GetCommand).resolvesOnce({ Item: { activeReorder1: { reorderId: 'F1', state: 'PENDING', leaseUntil: 'later', quantity: 8 }, reorderVersion: 3 } }).resolvesOnce({});
    await expect(reorders().getReorderStatus('CARD-50')).resolves.toEqual({
      active: [{ reorderId: 'F1', lane: 1, state: 'PENDING', leaseUntil: 'later', quantity: 8 }],
      supplierBlockedUntil: {},
      version: 3,
    });
    await expect(reorders().getReorderStatus('CARD-50')).resolves.toEqual({ active: [], supplierBlockedUntil: {}, version: 0 });
    expect(ddb.commandCalls(GetCommand)[0].args[0].input).toMatchObject({
      ConsistentRead: true,
      ProjectionExpression: 'activeReorder, activeReorder1, activeReorder2, activeReorder3, activeReorder4, activeReorder5, reorderBlockedUntil, supplierBlockedUntil, reorderVersion, reorderWakeAt',
    });
  });

  it('takeLease: with the handed-over token, or when the lease expired; it rotates the token', async () => {
    ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    await expect(reorders().takeLease('CARD-50', lane0, { presented: 'P1', now: 'now', holder: 'H2', leaseUntil: 'later' })).resolves.toBe(true);
    await expect(reorders().takeLease('CARD-50', { lane: 3, reorderId: 'R1' }, { now: 'now', holder: 'H3', leaseUntil: 'later' })).resolves.toBe(false);
    const [withToken, expiredOnly] = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(withToken).toMatchObject({
      UpdateExpression: 'SET #lane.leaseUntil = :until, #lane.pollId = :holder',
      ConditionExpression: '#lane.reorderId = :id AND (#lane.leaseUntil < :now OR #lane.pollId = :presented)',
      ExpressionAttributeNames: { '#lane': 'activeReorder' },
      ExpressionAttributeValues: { ':id': 'R1', ':now': 'now', ':until': 'later', ':holder': 'H2', ':presented': 'P1' },
    });
    expect(expiredOnly).toMatchObject({ ConditionExpression: '#lane.reorderId = :id AND (#lane.leaseUntil < :now)', ExpressionAttributeNames: { '#lane': 'activeReorder3' } });
  });

  it('updateReorder: by the holder only (thrown otherwise); hands the lease on; progress only when given', async () => {
    ddb.on(TransactWriteCommand).resolvesOnce({}).resolvesOnce({}).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).rejectsOnce(throttled());
    await reorders().updateReorder('CARD-50', lane0, 'H1', { state: 'PENDING', leaseUntil: 'later', nextHolder: 'P-1' });
    await reorders().updateReorder('CARD-50', lane0, 'H1', { state: 'PENDING', codesReceived: 3, supplierOrderIds: ['S-1'] });
    await expect(reorders().updateReorder('CARD-50', lane0, 'H1', { state: 'PENDING' })).rejects.toThrow('Reorder R1 of SKU CARD-50 is no longer held by this caller');
    await expect(reorders().updateReorder('CARD-50', lane0, 'H1', { state: 'PENDING' })).rejects.toThrow('Rate exceeded');
    const [retry, progress] = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!.map((i) => i.Update!));
    expect(retry[0]).toMatchObject({
      Key: { pk: 'SKU#CARD-50', sk: 'CONFIG' },
      UpdateExpression: 'SET #lane.#state = :state, #lane.leaseUntil = :until, #lane.pollId = :next',
      ConditionExpression: '#lane.reorderId = :id AND #lane.pollId = :holder',
      ExpressionAttributeValues: { ':id': 'R1', ':holder': 'H1', ':state': 'PENDING', ':until': 'later', ':next': 'P-1' },
    });
    expect(retry[1].UpdateExpression).toBe('SET #state = :state, updatedAt = :now');
    // The lane keeps the count too: what the supplier still owes is part of the next decision.
    expect(progress[0].UpdateExpression).toBe('SET #lane.#state = :state, #lane.codesReceived = :codes');
    expect(progress[1].UpdateExpression).toBe('SET #state = :state, updatedAt = :now, codesReceived = :codes, supplierOrderIds = :ids');
    expect(progress[1].ExpressionAttributeValues).toMatchObject({ ':codes': 3, ':ids': ['S-1'] });
  });

  it.each([
    [{ state: 'COMPLETED', blockedUntil: 'cooldown-end' }, 'REMOVE #lane SET lastReorderId = :id, reorderBlockedUntil = :blocked'],
    [{ state: 'FAILED', failureReason: 'no balance', blockSupplier: { supplier: 'reloadly', until: 'backoff-end' } }, 'REMOVE #lane SET lastReorderId = :id, supplierBlockedUntil.#supplier = :supplierUntil'],
    [
      { state: 'STUCK', failureReason: 'given up', blockedUntil: 'cooldown-end', blockSupplier: { supplier: 'reloadly', until: 'backoff-end' }, lateCheckId: 'L1', lateCheckUntil: 'tomorrow' },
      'REMOVE #lane SET lastReorderId = :id, reorderBlockedUntil = :blocked, supplierBlockedUntil.#supplier = :supplierUntil',
    ],
  ] as const)('finishReorder %j: frees the lane (by the holder) and pauses the SKU or the supplier', async (outcome, expression) => {
    ddb.on(TransactWriteCommand).resolves({});
    await reorders().finishReorder('CARD-50', lane0, 'H1', outcome);
    const [config, record] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!.map((i) => i.Update!);
    expect(config).toMatchObject({ UpdateExpression: expression, ConditionExpression: '#lane.reorderId = :id AND #lane.pollId = :holder' });
    expect(config.ExpressionAttributeValues).toMatchObject({ ':id': 'R1', ':holder': 'H1' });
    if ('blockSupplier' in outcome) expect(config).toMatchObject({ ExpressionAttributeNames: { '#supplier': 'reloadly' }, ExpressionAttributeValues: { ':supplierUntil': 'backoff-end' } });
    expect(record.ExpressionAttributeValues).toMatchObject({ ':state': outcome.state });
    if (outcome.state === 'STUCK') expect(record.ExpressionAttributeValues).toMatchObject({ ':late': 'L1', ':lateUntil': 'tomorrow' });
  });

  it('finishReorder: a reorder already finished is not an error; other failures are', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).rejectsOnce(throttled());
    await expect(reorders().finishReorder('CARD-50', lane0, 'H1', { state: 'COMPLETED', blockedUntil: 'later' })).resolves.toBeUndefined();
    await expect(reorders().finishReorder('CARD-50', lane0, 'H1', { state: 'COMPLETED', blockedUntil: 'later' })).rejects.toThrow('Rate exceeded');
  });

  it('scheduleWake: once per pause end, conditional on the config item', async () => {
    ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    await expect(reorders().scheduleWake('CARD-50', 'end')).resolves.toBe(true);
    await expect(reorders().scheduleWake('CARD-50', 'end')).resolves.toBe(false);
    expect(ddb.commandCalls(UpdateCommand)[0].args[0].input).toMatchObject({
      UpdateExpression: 'SET reorderWakeAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(reorderWakeAt) OR reorderWakeAt < :at)',
    });
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
