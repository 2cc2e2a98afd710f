// Use case: a paid order message → one code per unit to the customer, or a visible backorder.
import type { CoreDeps } from './deps';
import { unitId } from './keys';
import { renderBackorderMessage, renderCodeMessage } from './messages';
import type { OrderRecord, OrderUnit, NewOrder } from './store-ports';

export type UnitResult = 'DELIVERED' | 'BACKORDERED' | 'CANCELLED';

export interface DeliveryReport {
  delivered: number;
  backordered: number;
  cancelled: number;
  /** Units newly backordered by this call, per SKU (the merchant alert). */
  newlyBackordered: Record<string, number>;
}

/**
 * Processes every unit of the order. Safe to run any number of times, concurrently too: each unit
 * resumes from its stored state and every state change is a conditional write.
 */
export async function deliverOrder(deps: CoreDeps, message: NewOrder): Promise<DeliveryReport> {
  const order = await deps.orders.ensureOrder(message);
  const report: DeliveryReport = { delivered: 0, backordered: 0, cancelled: 0, newlyBackordered: {} };
  for (const line of message.lines) {
    for (let n = 1; n <= line.quantity; n++) {
      const unit = {
        storeId: message.storeId,
        orderId: message.orderId,
        unitId: unitId(line.lineId, n),
        lineId: line.lineId,
        sku: line.sku,
        productName: line.name,
        receivedAt: order.receivedAt,
      };
      const { result, newBackorder } = await processUnit(deps, order, unit);
      report[result === 'DELIVERED' ? 'delivered' : result === 'BACKORDERED' ? 'backordered' : 'cancelled']++;
      if (newBackorder) report.newlyBackordered[line.sku] = (report.newlyBackordered[line.sku] ?? 0) + 1;
    }
  }
  if (report.backordered > 0) await notifyBackorder(deps, order, report);
  return report;
}

/** Delivers every RESERVED unit of an order (after the backorder filler reserved codes for it). */
export async function resumeOrder(deps: CoreDeps, storeId: string, orderId: string): Promise<number> {
  const order = await deps.orders.getOrder(storeId, orderId);
  if (!order) throw new Error(`Order ${storeId}/${orderId} not found`);
  let delivered = 0;
  for (const unit of await deps.orders.listUnits(storeId, orderId)) {
    if (unit.state === 'RESERVED') {
      await sendCode(deps, order, unit);
      delivered++;
    }
  }
  return delivered;
}

async function processUnit(
  deps: CoreDeps,
  order: OrderRecord,
  fresh: Omit<OrderUnit, 'state' | 'codeId'>,
): Promise<{ result: UnitResult; newBackorder?: boolean }> {
  let unit = await deps.orders.getUnit(fresh);
  let newBackorder = false;
  if (!unit) {
    if (order.cancelledAt) {
      await deps.orders.putCancelledUnit(fresh);
    } else if (await deps.inventory.hasBackorders(fresh.sku)) {
      // Oldest paid first: while others wait for this SKU, a new unit joins the back of the queue.
      newBackorder = await deps.inventory.backorder(fresh);
    } else {
      const claim = await deps.inventory.claim(fresh, 'NEW');
      if (claim.result === 'OUT_OF_STOCK') newBackorder = await deps.inventory.backorder(fresh);
    }
    unit = await deps.orders.getUnit(fresh);
    if (!unit) throw new Error(`Unit ${fresh.unitId} of order ${fresh.storeId}/${fresh.orderId} vanished`);
  }
  switch (unit.state) {
    case 'RESERVED':
      await sendCode(deps, order, unit);
      return { result: 'DELIVERED' };
    case 'DELIVERED':
      return { result: 'DELIVERED' };
    case 'BACKORDERED':
      return { result: 'BACKORDERED', newBackorder };
    case 'CANCELLED':
      return { result: 'CANCELLED' };
  }
}

async function sendCode(deps: CoreDeps, order: OrderRecord, unit: OrderUnit): Promise<void> {
  const material = await deps.inventory.readCode(unit.sku, unit.codeId!);
  const text = renderCodeMessage({
    locale: order.locale,
    orderReference: order.reference ?? order.orderId,
    productName: unit.productName,
    customerName: order.customer?.name,
    material,
  });
  await deps.channel.send({
    to: order.customer,
    locale: order.locale,
    kind: 'CODE',
    ref: `${unit.storeId}/${unit.orderId}/${unit.unitId}`,
    ...text,
  });
  // A crash between send and this write re-sends the same code to the same customer on retry:
  // at-least-once to the customer, never a second code.
  await deps.inventory.markDelivered(unit, deps.clock.now().toISOString());
}

async function notifyBackorder(deps: CoreDeps, order: OrderRecord, report: DeliveryReport): Promise<void> {
  const now = deps.clock.now().toISOString();
  if (!(await deps.orders.claimBackorderNotice(order.storeId, order.orderId, now))) return;
  try {
    await deps.channel.send({
      to: order.customer,
      locale: order.locale,
      kind: 'BACKORDER',
      ref: `${order.storeId}/${order.orderId}`,
      ...renderBackorderMessage(order.locale, order.reference ?? order.orderId, order.customer?.name),
    });
  } catch (err) {
    await deps.orders.releaseBackorderNotice(order.storeId, order.orderId);
    throw err;
  }
  for (const [sku, units] of Object.entries(report.newlyBackordered)) {
    await deps.alerts.publish({
      type: 'OUT_OF_STOCK',
      sku,
      storeId: order.storeId,
      orderId: order.orderId,
      message: `SKU ${sku} is out of stock: ${units} unit(s) of order ${order.reference ?? order.orderId} are backordered and will be delivered when codes arrive.`,
      details: { units },
    });
  }
}
