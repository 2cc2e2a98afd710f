// Secondary adapter (EZ PIN): what a reorder's sub-orders add up to, in the port's terms.
import { mapLimited } from '#core/map-limited';
import type { CodeMaterial } from '#core/model';
import type { SupplierFulfilment } from '#core/ports/supplier';
import { SUB_ORDERS_AT_ONCE } from '../sub-orders';
import { classifyOrder, type EzpinOrder, type SubOrder } from './ezpin-mapping';

/** What one sub-order looks like at EZ PIN right now: its order, or none if it was never placed. */
export interface SubOrderState {
  part: SubOrder;
  order?: EzpinOrder;
}

/**
 * PENDING while any sub-order is still short of cards (pending, or accepted with cards still to
 * come: the codes so far are returned); then FAILED if any was rejected (with the codes of the
 * others), COMPLETED once every sub-order has all its cards. An unplaced part is pending, unless a
 * rejection means it will never be placed. Rejected sub-orders are not asked for cards.
 */
export async function collectFulfilment(
  states: readonly SubOrderState[],
  cardsOf: (part: SubOrder) => Promise<CodeMaterial[]>,
  atOnce = SUB_ORDERS_AT_ONCE,
): Promise<SupplierFulfilment> {
  const supplierOrderIds: string[] = [];
  const failures: string[] = [];
  const asked: Array<{ part: SubOrder; order: EzpinOrder }> = [];
  let pending = false;
  let unplaced = false;
  for (const { part, order } of states) {
    if (!order) {
      unplaced = true;
      continue;
    }
    const id = order.orderId ?? part.referenceCode;
    supplierOrderIds.push(id);
    if (classifyOrder(order) === 'rejected') failures.push(`sub-order ${part.reference} (order ${id}) was rejected${order.statusText ? ` (${order.statusText})` : ''}`);
    else asked.push({ part, order });
  }
  const codes: CodeMaterial[] = [];
  const cardsOfAsked = await mapLimited(asked, atOnce, ({ part }) => cardsOf(part));
  for (const [i, cards] of cardsOfAsked.entries()) {
    const { part, order } = asked[i];
    codes.push(...cards);
    // Done only with every card in hand: `is_completed` alone does not put the codes in our store.
    if (classifyOrder(order) === 'pending' || cards.length < (order.count ?? part.quantity)) pending = true;
  }
  if (failures.length > 0) {
    if (pending) return { status: 'PENDING', codes, supplierOrderIds };
    return { status: 'FAILED', codes, supplierOrderIds, failureReason: `EZ PIN: ${failures.join('; ')}` };
  }
  return { status: pending || unplaced ? 'PENDING' : 'COMPLETED', codes, supplierOrderIds };
}
