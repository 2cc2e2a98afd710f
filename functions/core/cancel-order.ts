// Use case: the platform cancelled or refunded an order.
import type { CoreDeps } from './deps';
import type { OrderMessage } from './model';

export interface CancelReport {
  cancelledBackorders: number;
  deliveredBeforeCancel: string[];
}

/**
 * Backordered units are cancelled (and so never delivered later); units that already went out are
 * flagged on the order and reported to the merchant, who decides whether to revoke the codes.
 * The order is marked cancelled first so a paid message that arrives later delivers nothing new.
 */
export async function cancelOrder(deps: CoreDeps, message: Extract<OrderMessage, { kind: 'CANCEL' }>): Promise<CancelReport> {
  const { storeId, orderId, reason } = message;
  await deps.orders.markOrderCancelled({ platform: message.platform, storeId, orderId, reason, at: message.receivedAt });
  const report: CancelReport = { cancelledBackorders: 0, deliveredBeforeCancel: [] };
  for (const unit of await deps.orders.listUnits(storeId, orderId)) {
    if (unit.state === 'BACKORDERED' && (await deps.inventory.cancelBackorder(unit))) {
      report.cancelledBackorders++;
      continue;
    }
    // Re-read: a concurrent filler may have reserved the unit after we listed it.
    const current = unit.state === 'BACKORDERED' ? await deps.orders.getUnit(unit) : unit;
    if (current && (current.state === 'DELIVERED' || current.state === 'RESERVED')) report.deliveredBeforeCancel.push(current.unitId);
  }
  if (report.deliveredBeforeCancel.length > 0) {
    await deps.orders.flagDeliveredBeforeCancel(storeId, orderId, report.deliveredBeforeCancel);
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
