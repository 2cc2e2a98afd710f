// The per-merchant OAuth refresh lock: a lease item `STORE#<store>` / `TOKEN_LOCK#<platform>`.
// Single-use refresh tokens make this the only thing standing between two containers and a dead
// chain, so taking it is one conditional write, never a read followed by a write.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TokenLock } from '#core/ports/store-tokens';
import { conditionally } from './conditions';
import { storePk, tokenLockSk } from './keys';
import { TTL_ATTRIBUTE } from './table-schema';

// A crashed holder's item is also reclaimed by TTL a while after its lease ran out (the condition
// below never needs the deletion: an expired lease is free).
const TTL_GRACE_SECONDS = 3600;

export class DynamoTokenLock implements TokenLock {
  private readonly now: () => number;

  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string, options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  async acquire(platform: string, storeId: string, owner: string, leaseMs: number): Promise<boolean> {
    const now = this.now();
    const outcome = await conditionally(this.db, 'tokenLockFree', {
      Put: {
        TableName: this.table,
        Item: {
          pk: storePk(storeId),
          sk: tokenLockSk(platform),
          owner,
          leaseUntil: now + leaseMs,
          [TTL_ATTRIBUTE]: Math.ceil((now + leaseMs) / 1000) + TTL_GRACE_SECONDS,
        },
        // The owner may take its own lease again (a retry after a lost answer).
        ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now OR #owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':now': now, ':owner': owner },
      },
    });
    return outcome.ok;
  }

  async release(platform: string, storeId: string, owner: string): Promise<void> {
    // Not ours any more (expired and taken over): the new holder's lease must stay.
    await conditionally(this.db, 'tokenLockIsOurs', {
      Delete: {
        TableName: this.table,
        Key: { pk: storePk(storeId), sk: tokenLockSk(platform) },
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      },
    });
  }
}
