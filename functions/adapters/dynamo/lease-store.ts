// A short-lived per-SKU lease: one backorder filler per SKU at a time.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FILL_LEASE_SK, skuPk } from './keys';
import type { LeaseStore } from '#core/ports/leases';
import { conditionally } from './conditions';

export class DynamoLeaseStore implements LeaseStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async acquire(sku: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const outcome = await conditionally(this.db, 'leaseFree', {
      Put: {
        TableName: this.table,
        Item: { pk: skuPk(sku), sk: FILL_LEASE_SK, owner, expiresAtMs: now + ttlMs },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs < :now',
        ExpressionAttributeValues: { ':now': now },
      },
    });
    return outcome.ok;
  }

  async release(sku: string, owner: string): Promise<void> {
    // Not ours any more (expired and taken over): nothing to release.
    await conditionally(this.db, 'leaseIsOurs', {
      Delete: {
        TableName: this.table,
        Key: { pk: skuPk(sku), sk: FILL_LEASE_SK },
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      },
    });
  }
}
