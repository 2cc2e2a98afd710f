// Velocity counters: one item per customer identity, SKU and window, keyed by a hash of the identity
// (no phone number or address in a key). The orders counted are kept in the item, so a retried message
// never counts its order twice; the limit caps that set at 100 orders, one small item.
import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChargeResult, VelocityCharge, VelocityLedger } from '#core/ports/velocity';
import { conditionally } from './conditions';
import { velocityPk, velocitySk } from './keys';
import { TTL_ATTRIBUTE } from './table-schema';

export const identityHash = (identity: string) => createHash('sha256').update(`streamsync/velocity\n${identity}`).digest('hex').slice(0, 32);

export class DynamoVelocityLedger implements VelocityLedger {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async charge(charge: VelocityCharge): Promise<ChargeResult> {
    // One order over the limit on its own: a new window's item would pass the condition, so no write.
    if (charge.units > charge.maxCodes) return { result: 'OVER', count: 0 };
    const outcome = await conditionally(this.db, 'withinLimit', {
      Update: {
        TableName: this.table,
        Key: { pk: velocityPk(identityHash(charge.identity)), sk: velocitySk(charge.sku, charge.windowStart) },
        // No `kind`: these items stay out of the kind index (a write there per order for nothing).
        UpdateExpression: 'ADD #count :units, #orders :order SET #ttl = :ttl',
        ConditionExpression: '(attribute_not_exists(#count) OR #count <= :room) AND NOT contains(#orders, :orderKey)',
        ExpressionAttributeNames: { '#count': 'codes', '#orders': 'orders', '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':units': charge.units,
          ':order': new Set([charge.orderKey]),
          ':orderKey': charge.orderKey,
          ':room': charge.maxCodes - charge.units,
          ':ttl': charge.expiresAtSeconds,
        },
      },
    });
    if (outcome.ok) return { result: 'CHARGED' };
    const counted = (outcome.item?.codes as number | undefined) ?? 0;
    const orders = outcome.item?.orders as Set<string> | undefined;
    if (orders?.has(charge.orderKey)) return { result: 'ALREADY_CHARGED' };
    return { result: 'OVER', count: counted };
  }
}
