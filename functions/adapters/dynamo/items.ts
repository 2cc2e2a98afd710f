// Item shapes and keys shared by the stores: units, backorder entries, available codes, and the
// order check every reserving transaction carries.
import type { CodeMaterial } from '#core/model';
import type { OrderUnit, UnitRef } from '#core/ports/orders';
import type { Clause, Item } from './conditions';
import { ORDER_META_SK, availPk, backorderPk, backorderSk, codeShardOf, codeSk, codesPk, orderPk, shardOf, skuPk, unitSk } from './keys';
import type { CodeRef } from '#core/ports/stock';

export const unitKeyOf = (unit: UnitRef) => ({ pk: orderPk(unit.storeId, unit.orderId), sk: unitSk(unit.unitId) });

export const backorderKeyOf = (unit: UnitRef & { sku: string; receivedAt: string }) => ({
  pk: backorderPk(unit.sku),
  sk: backorderSk(unit.receivedAt, unit.storeId, unit.orderId, unit.unitId),
});

/** A stored code's item: where the claim found it (the unit's `codeKey`), or where unsharded codes were kept. */
export const codeKeyOf = (ref: CodeRef) => ({ pk: ref.codeKey ?? skuPk(ref.sku), sk: codeSk(ref.codeId) });

/** Where a new code is written: its shard of the SKU's code partitions. */
export const newCodeKeyOf = (sku: string, codeId: string) => ({ pk: codesPk(sku, codeShardOf(codeId)), sk: codeSk(codeId) });

/** The order must not be cancelled: checked inside every transaction that reserves, queues or commits for it. */
export const orderNotCancelled = (table: string, order: { storeId: string; orderId: string }): Clause<'orderNotCancelled'> => ({
  name: 'orderNotCancelled',
  write: {
    ConditionCheck: {
      TableName: table,
      Key: { pk: orderPk(order.storeId, order.orderId), sk: ORDER_META_SK },
      ConditionExpression: 'attribute_not_exists(cancelledAt)',
    },
  },
});

/**
 * A claimed code back to AVAILABLE, in its shard of the index again, no longer pointing at `unit`
 * (its delivery time too: the next sale records its own). Only from `from`, and only for this unit.
 */
export const codeBackToStock = (table: string, unit: OrderUnit, from: 'RESERVED' | 'DELIVERED', shards: number): Clause<'codeHeldByUnit'> => {
  const unitKey = unitKeyOf(unit);
  return {
    name: 'codeHeldByUnit',
    write: {
      Update: {
        TableName: table,
        Key: codeKeyOf({ sku: unit.sku, codeId: unit.codeId!, codeKey: unit.codeKey }),
        UpdateExpression: 'SET #status = :available, availPk = :availPk, availSk = :codeId REMOVE orderPk, unitSk, reservedAt, deliveredAt',
        ConditionExpression: '#status = :from AND orderPk = :orderPk AND unitSk = :unitSk',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':available': 'AVAILABLE',
          ':from': from,
          ':availPk': availPk(unit.sku, shardOf(unit.codeId!, shards)),
          ':codeId': unit.codeId,
          ':orderPk': unitKey.pk,
          ':unitSk': unitKey.sk,
        },
      },
    },
  };
};

/** The order must be cancelled: only a refund gives back a code that was delivered (as an unopened link). */
export const orderCancelled = (table: string, order: { storeId: string; orderId: string }): Clause<'orderCancelled'> => ({
  name: 'orderCancelled',
  write: {
    ConditionCheck: {
      TableName: table,
      Key: { pk: orderPk(order.storeId, order.orderId), sk: ORDER_META_SK },
      ConditionExpression: 'attribute_exists(cancelledAt)',
    },
  },
});

/** A unit item as the core sees it (only the unit's own fields, whatever else the item holds). */
export const toUnit = (item: Item): OrderUnit => ({
  storeId: item.storeId as string,
  orderId: item.orderId as string,
  unitId: item.unitId as string,
  lineId: item.lineId as string,
  productName: item.productName as string | undefined,
  sku: item.sku as string,
  state: item.state as OrderUnit['state'],
  codeId: item.codeId as string | undefined,
  codeKey: item.codeKey as string | undefined,
  receivedAt: item.receivedAt as string,
  sendStartedAt: item.sendStartedAt as string | undefined,
  deliveredAt: item.deliveredAt as string | undefined,
  sendAttempts: item.sendAttempts as number | undefined,
  maybeSent: item.maybeSent as boolean | undefined,
  lastSendFailure: item.lastSendFailure as OrderUnit['lastSendFailure'],
  channel: item.channel as string | undefined,
  providerMessageId: item.providerMessageId as string | undefined,
  heldReason: item.heldReason as OrderUnit['heldReason'],
  heldAt: item.heldAt as string | undefined,
  heldDetail: item.heldDetail as string | undefined,
  channelsTried: item.channelsTried as string[] | undefined,
  channelLog: item.channelLog as OrderUnit['channelLog'],
  deliveryStatus: item.deliveryStatus as string | undefined,
  deliveryStatusAt: item.deliveryStatusAt as string | undefined,
  revealLinkExpiresAt: item.revealLinkExpiresAt as string | undefined,
  revealedAt: item.revealedAt as string | undefined,
});

/** The unit a failed clause returned, when the item was a unit. */
export const unitFrom = (item: Item | undefined): OrderUnit | undefined => (item?.unitId ? toUnit(item) : undefined);

export interface AvailableCodeFields {
  sku: string;
  codeId: string;
  /** The code material, already encrypted. */
  sealed: string;
  expiresAt?: string;
  format?: CodeMaterial['format'];
  source: string;
  addedAt: string;
  shards: number;
  /** Under the SKU's one partition, as before sharding (the claim benchmark's baseline, and tests of old data). */
  legacyKey?: boolean;
}

/** The item of an AVAILABLE code, in its shard of the `available` index (also what bench seeding writes). */
export function availableCodeItem(code: AvailableCodeFields) {
  return {
    ...(code.legacyKey ? codeKeyOf(code) : newCodeKeyOf(code.sku, code.codeId)),
    sku: code.sku,
    codeId: code.codeId,
    status: 'AVAILABLE',
    availPk: availPk(code.sku, shardOf(code.codeId, code.shards)),
    availSk: code.codeId,
    sealed: code.sealed,
    expiresAt: code.expiresAt,
    format: code.format ?? 'text',
    source: code.source,
    addedAt: code.addedAt,
  };
}
