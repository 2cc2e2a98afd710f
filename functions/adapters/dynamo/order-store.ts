// Orders and their units in DynamoDB. Unit state changes are conditional on the current state.
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ORDER_META_SK, UNIT_PREFIX, orderPk, unitSk } from './keys';
import type { Contact } from '#core/model';
import type { NewOrder, NewUnit, OrderHold, OrderRecord, OrderStore, OrderUnit, UnitRef } from '#core/ports/orders';
import { conditionally, isConditionFailure } from './conditions';
import { toUnit } from './items';
import { queryAll } from './reads';

type Item = Record<string, unknown>;

const toOrder = (item: Item): OrderRecord => {
  const { pk: _pk, sk: _sk, releasedReasons, ...rest } = item;
  // A string set in the table; a list in the record.
  return { ...rest, ...(releasedReasons instanceof Set && { releasedReasons: [...releasedReasons].sort() }) } as unknown as OrderRecord;
};

export class DynamoOrderStore implements OrderStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async ensureOrder(order: Omit<NewOrder, 'kind' | 'lines'> & { unitCount?: number }): Promise<OrderRecord> {
    // A cancellation may have arrived first and left a stub: fill in the details, keep cancelledAt.
    const res = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: orderPk(order.storeId, order.orderId), sk: ORDER_META_SK },
        UpdateExpression:
          'SET platform = :platform, storeId = :storeId, orderId = :orderId, locale = if_not_exists(locale, :locale), ' +
          'customer = if_not_exists(customer, :customer), receivedAt = if_not_exists(receivedAt, :receivedAt), ' +
          '#reference = if_not_exists(#reference, :reference)' +
          (order.unitCount === undefined ? '' : ', unitCount = if_not_exists(unitCount, :unitCount)') +
          ' ADD ensureCount :one',
        ExpressionAttributeNames: { '#reference': 'reference' },
        ExpressionAttributeValues: {
          ':platform': order.platform,
          ':storeId': order.storeId,
          ':orderId': order.orderId,
          ':locale': order.locale,
          ':customer': order.customer,
          ':receivedAt': order.receivedAt,
          ':reference': order.reference ?? order.orderId,
          ':one': 1,
          ...(order.unitCount === undefined ? {} : { ':unitCount': order.unitCount }),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toOrder(res.Attributes ?? {});
  }

  async getOrder(storeId: string, orderId: string): Promise<OrderRecord | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: orderPk(storeId, orderId), sk: ORDER_META_SK }, ConsistentRead: true }),
    );
    return res.Item ? toOrder(res.Item) : undefined;
  }

  async getUnit(ref: UnitRef): Promise<OrderUnit | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: orderPk(ref.storeId, ref.orderId), sk: unitSk(ref.unitId) }, ConsistentRead: true }),
    );
    return res.Item ? toUnit(res.Item) : undefined;
  }

  async listUnits(storeId: string, orderId: string): Promise<OrderUnit[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :unit)',
      ExpressionAttributeValues: { ':pk': orderPk(storeId, orderId), ':unit': UNIT_PREFIX },
      ConsistentRead: true,
    });
    return items.map(toUnit);
  }

  async putCancelledUnit(unit: NewUnit): Promise<boolean> {
    const outcome = await conditionally(this.db, 'unitIsNew', {
      Put: {
        TableName: this.table,
        Item: { pk: orderPk(unit.storeId, unit.orderId), sk: unitSk(unit.unitId), ...unit, state: 'CANCELLED' },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    return outcome.ok;
  }

  async markOrderCancelled(input: { platform: string; storeId: string; orderId: string; reason: string; at: string }): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: orderPk(input.storeId, input.orderId), sk: ORDER_META_SK },
        UpdateExpression:
          'SET platform = if_not_exists(platform, :platform), storeId = :storeId, orderId = :orderId, ' +
          'cancelledAt = if_not_exists(cancelledAt, :at), cancelReason = :reason',
        ExpressionAttributeValues: {
          ':platform': input.platform,
          ':storeId': input.storeId,
          ':orderId': input.orderId,
          ':at': input.at,
          ':reason': input.reason,
        },
      }),
    );
  }

  async claimBackorderNotice(storeId: string, orderId: string, at: string): Promise<boolean> {
    const outcome = await conditionally(this.db, 'noticeNotSent', {
      Update: {
        TableName: this.table,
        Key: { pk: orderPk(storeId, orderId), sk: ORDER_META_SK },
        UpdateExpression: 'SET backorderNotifiedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(backorderNotifiedAt)',
        ExpressionAttributeValues: { ':at': at },
      },
    });
    return outcome.ok;
  }

  async releaseBackorderNotice(storeId: string, orderId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: orderPk(storeId, orderId), sk: ORDER_META_SK },
        UpdateExpression: 'REMOVE backorderNotifiedAt',
      }),
    );
  }

  async flagDeliveredBeforeCancel(storeId: string, orderId: string, unitIds: string[]): Promise<boolean> {
    const outcome = await conditionally(this.db, 'notFlaggedYet', {
      Update: {
        TableName: this.table,
        Key: { pk: orderPk(storeId, orderId), sk: ORDER_META_SK },
        UpdateExpression: 'SET deliveredBeforeCancel = :units',
        ConditionExpression: 'attribute_not_exists(deliveredBeforeCancel)',
        ExpressionAttributeValues: { ':units': unitIds },
      },
    });
    return outcome.ok;
  }

  async holdOrder(storeId: string, orderId: string, hold: OrderHold, options: { unlessReleased?: boolean } = {}): Promise<boolean> {
    const outcome = await conditionally(this.db, 'notHeldCancelledOrReleased', {
      Update: {
        TableName: this.table,
        Key: { pk: orderPk(storeId, orderId), sk: ORDER_META_SK },
        UpdateExpression: 'SET #hold = :hold',
        ConditionExpression:
          'attribute_exists(pk) AND attribute_not_exists(#hold) AND attribute_not_exists(cancelledAt)' +
          (options.unlessReleased ? ' AND NOT contains(releasedReasons, :reason) AND (attribute_not_exists(releasedFrom) OR releasedFrom <> :reason)' : ''),
        ExpressionAttributeNames: { '#hold': 'hold' },
        ExpressionAttributeValues: { ':hold': hold, ...(options.unlessReleased && { ':reason': hold.reason }) },
      },
    });
    return outcome.ok;
  }

  async releaseOrderHold(storeId: string, orderId: string, at: string): Promise<OrderRecord | undefined> {
    // The reason joins the set of released reasons, and an expression cannot add an attribute's value to
    // a set: read it, then release under the condition that the same hold is still there.
    for (let attempt = 0; attempt < 3; attempt++) {
      const reason = (await this.getOrder(storeId, orderId))?.hold?.reason;
      if (!reason) return undefined;
      try {
        const res = await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: orderPk(storeId, orderId), sk: ORDER_META_SK },
            UpdateExpression: 'SET releasedAt = :at, releasedFrom = :reason ADD releasedReasons :reasons REMOVE #hold',
            ConditionExpression: '#hold.#reason = :reason',
            ExpressionAttributeNames: { '#hold': 'hold', '#reason': 'reason' },
            ExpressionAttributeValues: { ':at': at, ':reason': reason, ':reasons': new Set([reason]) },
            ReturnValues: 'ALL_OLD',
          }),
        );
        return res.Attributes ? toOrder(res.Attributes) : undefined;
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
    return undefined;
  }

  async correctContact(storeId: string, orderId: string, customer: Contact, at: string): Promise<boolean> {
    const outcome = await conditionally(this.db, 'orderStands', {
      Update: {
        TableName: this.table,
        Key: { pk: orderPk(storeId, orderId), sk: ORDER_META_SK },
        UpdateExpression: 'SET customer = :customer, contactCorrectedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(cancelledAt)',
        ExpressionAttributeValues: { ':customer': customer, ':at': at },
      },
    });
    return outcome.ok;
  }
}
