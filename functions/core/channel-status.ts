// Use case: a channel provider reports on a message it accepted earlier. Sent, delivered and read
// are recorded on the unit; a failure before the customer got it sends the same code through the
// next channel of the store's chain, under the send lease like any send (never a second code).
import type { OrderMessage } from './model';
import type { UnitRef } from './ports/orders';
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
  if (message.status !== 'failed') return (await deps.sends.recordDeliveryStatus(unit, update)) ? 'RECORDED' : notYet(deps, unit, ctx);

  const reopened = await deps.sends.reopenFailedSend(unit, update);
  if (!reopened) return notYet(deps, unit, ctx);
  const order = await deps.orders.getOrder(unit.storeId, unit.orderId);
  if (!order) throw new Error(`Order ${unit.storeId}/${unit.orderId} not found`);
  deps.log.warn('A channel failed a message it had accepted: the code goes out through the next channel', { ...unit, channel: message.channel, errorCode: message.errorCode });
  return sendUnit(deps, order, reopened, ctx);
}

/**
 * A report can overtake the record of its own send: the provider answers, its webhook fires, and the
 * sender has not written `markDelivered` yet. While the unit is still being sent the report waits (the
 * message is retried); otherwise it is about another message, or old news.
 */
async function notYet(deps: StatusDeps, unit: UnitRef, ctx: SendContext): Promise<StatusResult> {
  const current = await deps.orders.getUnit(unit);
  return current?.state === 'RESERVED' && current.sendStartedAt !== undefined && !ctx.finalAttempt ? 'RETRY_LATER' : 'IGNORED';
}
