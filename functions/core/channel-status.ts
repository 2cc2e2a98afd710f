// Use case: a channel provider reports on a message it accepted earlier. Sent, delivered and read
// are recorded on the unit; a failure before the customer got it sends the same code through the
// next channel of the store's chain, under the send lease like any send (never a second code).
import type { OrderMessage } from './model';
import type { OrderUnit } from './ports/orders';
import type { DeliveryStatusUpdate } from './ports/sends';
import { sendUnit, type SendContext, type SendDeps, type SendResult } from './send-unit';
import type { CoreDeps } from './deps';

export type StatusDeps = SendDeps & Pick<CoreDeps, 'orders'>;

export type StatusResult = 'RECORDED' | 'IGNORED' | SendResult;

export async function applyChannelStatus(deps: StatusDeps, message: Extract<OrderMessage, { kind: 'CHANNEL_STATUS' }>, ctx: SendContext): Promise<StatusResult> {
  const unit = { storeId: message.storeId, orderId: message.orderId, unitId: message.unitId };
  const update: DeliveryStatusUpdate = {
    channel: message.channel,
    providerMessageId: message.providerMessageId,
    status: message.status,
    at: message.at,
    ...(message.errorCode !== undefined && { errorCode: message.errorCode }),
  };
  if (message.status !== 'failed') {
    if (await deps.sends.recordDeliveryStatus(unit, update)) return 'RECORDED';
    const current = await deps.orders.getUnit(unit);
    // Its send was recorded between the write and the read: the write holds now.
    if (recordedAs(current, update) && (await deps.sends.recordDeliveryStatus(unit, update))) return 'RECORDED';
    return waitOrIgnore(current, ctx);
  }

  // Reopened now, or by an earlier receive of this report that did not get the fallback out (the next
  // channel failed for a while, the function stopped): this report is the only thing left to finish it.
  let reopened = await deps.sends.reopenFailedSend(unit, update);
  if (!reopened) {
    const current = await deps.orders.getUnit(unit);
    // The send was recorded between the reopen and the read (the report overtook it by a hair).
    if (recordedAs(current, update)) reopened = await deps.sends.reopenFailedSend(unit, update);
    if (!reopened) {
      if (!reopenedBy(current, update)) return waitOrIgnore(current, ctx);
      reopened = current;
    }
  }
  const order = await deps.orders.getOrder(unit.storeId, unit.orderId);
  if (!order) throw new Error(`Order ${unit.storeId}/${unit.orderId} not found`);
  if (order.cancelledAt) {
    // Refunded meanwhile: the provider says the customer has nothing, and nothing more is sent. The
    // cancellation flagged the unit to the merchant (it was delivered when the refund came).
    deps.log.warn('A channel failed a message it had accepted, but the order is cancelled: no fallback is sent', { ...unit, channel: message.channel });
    return 'CANCELLED';
  }
  deps.log.warn('A channel failed a message it had accepted: the code goes out through the next channel', { ...unit, channel: message.channel, errorCode: message.errorCode });
  return sendUnit(deps, order, reopened, ctx);
}

/** The unit's accepted send is the message this report is about. */
const recordedAs = (unit: OrderUnit | undefined, update: DeliveryStatusUpdate): boolean =>
  unit?.state === 'DELIVERED' && unit.channel === update.channel && unit.providerMessageId === update.providerMessageId;

const beingSent = (unit: OrderUnit | undefined): unit is OrderUnit => unit?.state === 'RESERVED' && unit.sendStartedAt !== undefined;

/** The unit this very report reopened on an earlier receive, still waiting for its fallback. */
const reopenedBy = (unit: OrderUnit | undefined, update: DeliveryStatusUpdate): unit is OrderUnit =>
  beingSent(unit) && (unit.channelLog ?? []).some((entry) => entry.outcome === 'FAILED' && entry.providerMessageId === update.providerMessageId);

/**
 * A report can overtake the record of its own send: the provider answers, its webhook fires, and the
 * sender has not written `markDelivered` yet. While the unit is still being sent the report waits (the
 * message is retried); otherwise it is about another message, or old news.
 */
const waitOrIgnore = (unit: OrderUnit | undefined, ctx: SendContext): StatusResult => (beingSent(unit) && !ctx.finalAttempt ? 'RETRY_LATER' : 'IGNORED');
