// Use case: the platform cancelled or refunded an order.
import type { CoreDeps } from './deps';
import type { OrderMessage } from './model';

export interface CancelReport {
  cancelledUnits: number;
  deliveredBeforeCancel: string[];
}

/**
 * The order is marked cancelled first: from then on no transaction reserves, queues or commits to
 * sending anything for it. Backordered units are cancelled, codes nobody sent (reserved and never
 * committed, or held after the channel refused them) or nobody saw (a reveal link never opened) go
 * back to stock, and units that may have reached the customer are flagged on the order and reported
 * to the merchant.
 */
/** What cancelling an order uses. */
export type CancelDeps = Pick<CoreDeps, 'orders' | 'claims' | 'backorders' | 'alerts'>;

export async function cancelOrder(deps: CancelDeps, message: Extract<OrderMessage, { kind: 'CANCEL' }>): Promise<CancelReport> {
  const { storeId, orderId, reason } = message;
  await deps.orders.markOrderCancelled({ platform: message.platform, storeId, orderId, reason, at: message.receivedAt });
  const report: CancelReport = { cancelledUnits: 0, deliveredBeforeCancel: [] };
  for (let unit of await deps.orders.listUnits(storeId, orderId)) {
    if (unit.state === 'BACKORDERED' && (await deps.backorders.cancelBackorder(unit))) {
      report.cancelledUnits++;
      continue;
    }
    // Never sent (reserved but not committed, or held after the channel refused it): the code goes back.
    if ((unit.state === 'RESERVED' || unit.state === 'HELD') && !unit.sendStartedAt && (await deps.claims.releaseUnsent(unit))) {
      report.cancelledUnits++;
      continue;
    }
    // Sent as a link nobody opened: the customer never saw the code, so it goes back too. The reveal
    // and this return are conditional writes on the unit: exactly one of them wins.
    const unopenedLink = unit.state === 'DELIVERED' && unit.revealLinkExpiresAt !== undefined && unit.revealedAt === undefined;
    if (unopenedLink && (await deps.claims.returnUnrevealed(unit))) {
      report.cancelledUnits++;
      continue;
    }
    // A conditional write above lost a race (the filler reserved, a sender committed, the customer
    // opened the link): look again.
    if (unopenedLink || unit.state === 'BACKORDERED' || unit.state === 'RESERVED' || unit.state === 'HELD') unit = (await deps.orders.getUnit(unit)) ?? unit;
    // "Delivered" means it may have reached the customer: sent, or committed to sending.
    if (unit.state === 'DELIVERED' || ((unit.state === 'RESERVED' || unit.state === 'HELD') && unit.sendStartedAt)) report.deliveredBeforeCancel.push(unit.unitId);
  }
  if (report.deliveredBeforeCancel.length > 0 && (await deps.orders.flagDeliveredBeforeCancel(storeId, orderId, report.deliveredBeforeCancel))) {
    await deps.alerts.publish({
      type: 'REFUND_AFTER_DELIVERY',
      storeId,
      orderId,
      message: `Order ${orderId} was ${reason} after ${report.deliveredBeforeCancel.length} code(s) had been delivered; review and revoke them if needed.`,
      details: { units: report.deliveredBeforeCancel.join(','), reason },
    });
  }
  return report;
}
