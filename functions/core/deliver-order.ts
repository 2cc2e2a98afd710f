// Use case: a paid order message → one code per unit to the customer, or a visible backorder.
import type { CoreDeps } from './deps';
import { unitId } from './model';
import type { NewOrder, NewUnit, OrderRecord, OrderUnit } from './ports/orders';

export type UnitResult = 'DELIVERED' | 'BACKORDERED' | 'CANCELLED';

export interface DeliveryReport {
  delivered: number;
  backordered: number;
  cancelled: number;
  /** Units waiting for stock after this call, per SKU (the merchant alert). */
  backorderedBySku: Record<string, number>;
}

/** What delivering an order uses. */
export type DeliveryDeps = Pick<CoreDeps, 'orders' | 'claims' | 'backorders' | 'stock' | 'channel' | 'alerts' | 'clock' | 'log'>;

/**
 * Processes every unit of the order. Safe to run any number of times, concurrently too: each unit
 * resumes from its stored state and every state change is a conditional write.
 */
export async function deliverOrder(deps: DeliveryDeps, message: NewOrder): Promise<DeliveryReport> {
  const order = await deps.orders.ensureOrder(message);
  // One query for the units a previous attempt left; a first attempt finds none.
  const stored = new Map((await deps.orders.listUnits(message.storeId, message.orderId)).map((u) => [u.unitId, u]));
  const report: DeliveryReport = { delivered: 0, backordered: 0, cancelled: 0, backorderedBySku: {} };
  for (const line of message.lines) {
    for (let n = 1; n <= line.quantity; n++) {
      const unit: NewUnit = {
        storeId: message.storeId,
        orderId: message.orderId,
        unitId: unitId(line.lineId, n),
        lineId: line.lineId,
        sku: line.sku,
        productName: line.name,
        receivedAt: order.receivedAt,
      };
      const result = await processUnit(deps, order, unit, stored.get(unit.unitId));
      report[result === 'DELIVERED' ? 'delivered' : result === 'BACKORDERED' ? 'backordered' : 'cancelled']++;
      if (result === 'BACKORDERED') report.backorderedBySku[line.sku] = (report.backorderedBySku[line.sku] ?? 0) + 1;
    }
  }
  if (report.backordered > 0) await notifyBackorder(deps, order, report);
  return report;
}

/** Delivers every RESERVED unit of an order (after the backorder filler reserved codes for it). */
export async function resumeOrder(deps: DeliveryDeps, storeId: string, orderId: string): Promise<number> {
  const order = await deps.orders.getOrder(storeId, orderId);
  if (!order) throw new Error(`Order ${storeId}/${orderId} not found`);
  let delivered = 0;
  for (const unit of await deps.orders.listUnits(storeId, orderId)) {
    if (unit.state === 'RESERVED' && (await deliverReserved(deps, order, unit)) === 'DELIVERED') delivered++;
  }
  return delivered;
}

async function processUnit(deps: DeliveryDeps, order: OrderRecord, fresh: NewUnit, existing: OrderUnit | undefined): Promise<UnitResult> {
  // What this call wrote is known, and a lost race returns the unit that won: no read needed.
  const unit = existing ?? (await startUnit(deps, order, fresh)) ?? (await deps.orders.getUnit(fresh));
  if (!unit) throw new Error(`Unit ${fresh.unitId} of order ${fresh.storeId}/${fresh.orderId} vanished`);
  switch (unit.state) {
    case 'RESERVED':
      return deliverReserved(deps, order, unit);
    case 'DELIVERED':
      return 'DELIVERED';
    case 'BACKORDERED':
      return 'BACKORDERED';
    case 'CANCELLED':
      return 'CANCELLED';
  }
}

/**
 * Creates the unit: reserved with a code, backordered, or cancelled. Returns it as written, or as a
 * concurrent duplicate wrote it; undefined only when that record could not be returned.
 */
async function startUnit(deps: DeliveryDeps, order: OrderRecord, fresh: NewUnit): Promise<OrderUnit | undefined> {
  const cancelled = async () => ((await deps.orders.putCancelledUnit(fresh)) ? { ...fresh, state: 'CANCELLED' as const } : undefined);
  if (order.cancelledAt) return cancelled();
  // Oldest paid first: while others wait for this SKU, a new unit joins the back of the queue.
  if (!(await deps.backorders.hasBackorders(fresh.sku))) {
    const claim = await deps.claims.claim(fresh, 'NEW');
    if (claim.result === 'CLAIMED') return { ...fresh, state: 'RESERVED', codeId: claim.codeId, sendStartedAt: claim.at };
    if (claim.result === 'ORDER_CANCELLED') return cancelled();
    if (claim.result === 'UNIT_TAKEN') return claim.unit;
  }
  const backorder = await deps.backorders.backorder(fresh);
  if (backorder.result === 'CREATED') return { ...fresh, state: 'BACKORDERED' };
  return backorder.result === 'ORDER_CANCELLED' ? cancelled() : backorder.unit;
}

/**
 * Sends a reserved code. A unit the filler reserved is first committed to sending, which fails once
 * the order is cancelled: then its code goes back to stock instead of to the customer.
 */
async function deliverReserved(deps: DeliveryDeps, order: OrderRecord, unit: OrderUnit): Promise<UnitResult> {
  if (!unit.sendStartedAt) {
    const commit = await deps.claims.commitSend(unit, deps.clock.now().toISOString());
    if (commit.result === 'ORDER_CANCELLED') {
      // False when another sender committed first: that sender delivers, this one must not.
      await deps.claims.releaseReserved(unit);
      return 'CANCELLED';
    }
    if (commit.result === 'NOT_RESERVED') return commit.unit?.state === 'DELIVERED' ? 'DELIVERED' : 'CANCELLED';
  }
  await sendCode(deps, order, unit);
  return 'DELIVERED';
}

async function sendCode(deps: DeliveryDeps, order: OrderRecord, unit: OrderUnit): Promise<void> {
  const code = await deps.stock.readCode(unit.sku, unit.codeId!);
  await deps.channel.send({
    kind: 'CODE',
    locale: order.locale,
    to: order.customer,
    ref: `${unit.storeId}/${unit.orderId}/${unit.unitId}`,
    orderReference: order.reference ?? order.orderId,
    customerName: order.customer?.name,
    productName: unit.productName,
    code,
  });
  // A crash between send and this write re-sends the same code to the same customer on retry:
  // at-least-once to the customer, never a second code.
  await deps.claims.markDelivered(unit, deps.clock.now().toISOString());
}

/** Once per order: the customer hears the code is coming, the merchant hears the SKU ran out. */
async function notifyBackorder(deps: DeliveryDeps, order: OrderRecord, report: DeliveryReport): Promise<void> {
  const now = deps.clock.now().toISOString();
  if (!(await deps.orders.claimBackorderNotice(order.storeId, order.orderId, now))) return;
  try {
    for (const [sku, units] of Object.entries(report.backorderedBySku)) {
      await deps.alerts.publish({
        type: 'OUT_OF_STOCK',
        sku,
        storeId: order.storeId,
        orderId: order.orderId,
        message: `SKU ${sku} is out of stock: ${units} unit(s) of order ${order.reference ?? order.orderId} are backordered and will be delivered when codes arrive.`,
        details: { units },
      });
    }
    await deps.channel.send({
      kind: 'BACKORDER',
      locale: order.locale,
      to: order.customer,
      ref: `${order.storeId}/${order.orderId}`,
      orderReference: order.reference ?? order.orderId,
      customerName: order.customer?.name,
    });
  } catch (err) {
    // Both are retried with the message; a retried alert is better than a silent stock-out.
    await deps.orders.releaseBackorderNotice(order.storeId, order.orderId);
    throw err;
  }
}
