// A leaky bucket per store shared by every container, as GCRA: one number per store, the time at
// which its bucket would be empty (the "theoretical arrival time"). Each reservation moves it on by
// one request's interval with a conditional write; a request may go once it is within the burst.
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateBudget, StorePacer } from '#core/ports/write-back';
import { isConditionFailure } from './conditions';
import { PACE_SK, pacePk } from './keys';
import { TTL_ATTRIBUTE } from './table-schema';

/** Reservations lost to a concurrent one in a row before giving up (each retry is one more write). */
const MAX_ROUNDS = 8;

const shape = (budget: RateBudget) => {
  const interval = 1000 / budget.perSecond;
  return { interval, tolerance: (Math.max(1, budget.burst) - 1) * interval };
};

export class DynamoStorePacer implements StorePacer {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async reserve(platform: string, storeId: string, budget: RateBudget, nowMs: number): Promise<number> {
    const { interval, tolerance } = shape(budget);
    const Key = { pk: pacePk(platform, storeId), sk: PACE_SK };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      try {
        // The bucket holds requests: queue behind them.
        const res = await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: 'SET tat = tat + :interval, #ttl = :ttl',
            ConditionExpression: 'tat >= :now',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':interval': interval, ':now': nowMs, ':ttl': expiry(nowMs + tolerance) },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        const before = Number(res.Attributes?.tat) - interval;
        return Math.max(nowMs, Math.ceil(before - tolerance));
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
      try {
        // The bucket is empty (or new): this request goes now.
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: 'SET tat = :next, #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(tat) OR tat < :now',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':next': nowMs + interval, ':now': nowMs, ':ttl': expiry(nowMs + tolerance) },
          }),
        );
        return nowMs;
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
    throw new Error(`The request budget of ${platform} store ${storeId} stayed contended for ${MAX_ROUNDS} rounds`);
  }

  async holdUntil(platform: string, storeId: string, budget: RateBudget, untilMs: number): Promise<void> {
    const { tolerance } = shape(budget);
    // Full at `untilMs`: the first request after it goes then, the next ones at the budget's pace.
    const tat = untilMs + tolerance;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pacePk(platform, storeId), sk: PACE_SK },
          UpdateExpression: 'SET tat = :tat, #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(tat) OR tat < :tat',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':tat': tat, ':ttl': expiry(tat) },
        }),
      );
    } catch (err) {
      // Another 429 pushed it further already.
      if (!isConditionFailure(err)) throw err;
    }
  }
}

/** The item outlives its bucket by a day, then DynamoDB's TTL removes it. */
const expiry = (ms: number) => Math.ceil(ms / 1000) + 86_400;
