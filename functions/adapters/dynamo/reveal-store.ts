// Reveal links in the table: one grant item per link, keyed by the digest of its token, and the
// once-per-unit mark on the unit item itself (every link of a unit shares it, and a refund's return
// of the code is conditional on its absence).
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UnitRef } from '#core/ports/orders';
import type { RevealGrant, RevealOutcome, RevealStatus, RevealStore } from '#core/ports/reveals';
import { conditionally, isConditionFailure, mustApply, type Item } from './conditions';
import { unitKeyOf } from './items';
import { REVEAL_GRANT_SK, revealPk } from './keys';
import { TTL_ATTRIBUTE } from './table-schema';

export interface RevealStoreOptions {
  /**
   * Days a grant is kept after its link expired, so a late visit still gets the expired page with the
   * order number to quote rather than "not valid"; then DynamoDB's TTL removes it. @default 14
   */
  keepExpiredDays?: number;
}

const DAY_SECONDS = 86_400;

/** What revealStatus reads of a unit (markRevealed's condition), nothing more. */
const STATUS_READ = ['state', 'codeId', 'revealedAt', 'sendStartedAt'] as const;
/** With the key: the reveal function's whole view of an ORDER# item, as its IAM policy allows (lib/streamsync-function.ts). */
export const REVEAL_STATUS_ATTRIBUTES = ['pk', 'sk', ...STATUS_READ] as const;
/** What markRevealed's update may name (the one it sets, those its condition reads, the key). */
export const REVEAL_MARK_ATTRIBUTES = ['pk', 'sk', 'revealedAt', 'codeId', 'state', 'sendStartedAt'] as const;

// The grant's own expiry is `linkExpiresAt`: `expiresAt` is the table's TTL attribute (epoch seconds).
const toGrant = (item: Item): RevealGrant => ({
  digest: item.digest as string,
  storeId: item.storeId as string,
  orderId: item.orderId as string,
  unitId: item.unitId as string,
  sku: item.sku as string,
  codeId: item.codeId as string,
  codeKey: item.codeKey as string | undefined,
  locale: item.locale as RevealGrant['locale'],
  orderReference: item.orderReference as string,
  productName: item.productName as string | undefined,
  issuedAt: item.issuedAt as string,
  expiresAt: item.linkExpiresAt as string,
});

export class DynamoRevealStore implements RevealStore {
  private readonly keepSeconds: number;

  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string, options: RevealStoreOptions = {}) {
    this.keepSeconds = (options.keepExpiredDays ?? 14) * DAY_SECONDS;
  }

  async putGrant(grant: RevealGrant): Promise<void> {
    const { expiresAt, ...fields } = grant;
    const outcome = await conditionally(this.db, 'grantIsNew', {
      Put: {
        TableName: this.table,
        Item: {
          pk: revealPk(grant.digest),
          sk: REVEAL_GRANT_SK,
          ...fields,
          linkExpiresAt: expiresAt,
          [TTL_ATTRIBUTE]: Math.ceil(Date.parse(expiresAt) / 1000) + this.keepSeconds,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    // 144 random bits do not collide: a taken digest means the same token was stored twice, a bug.
    mustApply(outcome, 'Reveal grant not stored');
  }

  async getGrant(digest: string): Promise<RevealGrant | undefined> {
    // Consistent: a customer may open the link the moment the message arrives.
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: revealPk(digest), sk: REVEAL_GRANT_SK }, ConsistentRead: true }));
    return res.Item ? toGrant(res.Item) : undefined;
  }

  async markRevealed(unit: UnitRef & { codeId: string }, at: string): Promise<RevealOutcome> {
    try {
      // No return values, not even on a failed condition: the internet-facing reveal function may touch
      // these attributes of an ORDER# item and no others (the customer's contact is beside them).
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: unitKeyOf(unit),
          UpdateExpression: 'SET revealedAt = :at',
          ConditionExpression: 'codeId = :codeId AND attribute_not_exists(revealedAt) AND (#state = :delivered OR (#state = :reserved AND attribute_exists(sendStartedAt)))',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':at': at, ':codeId': unit.codeId, ':delivered': 'DELIVERED', ':reserved': 'RESERVED' },
        }),
      );
      return { result: 'REVEALED' };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const status = await this.revealStatus(unit);
    // Unrevealed yet refused: the unit changed between the two requests (a refund); not the customer's now.
    return status.result === 'ALREADY_REVEALED' ? status : { result: 'NOT_AVAILABLE' };
  }

  async revealStatus(unit: UnitRef & { codeId: string }): Promise<RevealStatus> {
    // Only the attributes the mark's condition looks at (the reveal function may read no others of an
    // ORDER# item: lib/streamsync-function.ts); consistent, as the mark itself.
    const res = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: unitKeyOf(unit),
        ConsistentRead: true,
        ProjectionExpression: STATUS_READ.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(STATUS_READ.map((name, i) => [`#a${i}`, name])),
      }),
    );
    return revealStatusOf(res.Item, unit.codeId);
  }
}

/** A unit's reveal status from the attributes markRevealed's condition checks. */
function revealStatusOf(item: Item | undefined, codeId: string): RevealStatus {
  if (item?.revealedAt) return { result: 'ALREADY_REVEALED', revealedAt: item.revealedAt as string };
  const committed = item?.state === 'DELIVERED' || (item?.state === 'RESERVED' && item.sendStartedAt !== undefined);
  return item && committed && item.codeId === codeId ? { result: 'UNREVEALED' } : { result: 'NOT_AVAILABLE' };
}
