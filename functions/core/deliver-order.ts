// Use case: a paid order message → one code per unit to the customer, a visible backorder, or the
// whole order held for the merchant when there is no way to reach the customer.
import type { CoreDeps } from './deps';
import { ChannelError } from './errors';
import { unitId } from './model';
import type { NewOrder, NewUnit, OrderRecord, OrderUnit } from './ports/orders';
import { chainLabel, reachableSteps } from './channel-chain';
import { leaseFor, sendUnit, type SendContext, type SendDeps } from './send-unit';
import { paymentGate, type PaymentGateDeps } from './payment-gate';
import { velocityGate, type VelocityGateDeps } from './velocity-gate';
import { placeOrderHold } from './hold-order';

export type UnitResult = 'DELIVERED' | 'BACKORDERED' | 'CANCELLED' | 'HELD' | 'IN_PROGRESS' | 'RETRY_LATER';

export interface DeliveryReport {
  delivered: number;
  backordered: number;
  cancelled: number;
  held: number;
  /** Units another invocation is sending right now (a concurrent duplicate holds their lease). */
  inProgress: number;
  /** Units whose send failed transiently: the message must be retried. */
  retryLater: number;
  /** Units waiting for stock after this call, per SKU (the merchant alert). */
  backorderedBySku: Record<string, number>;
  /** Units left for a continuation message (a large order is delivered a chunk per invocation). */
  continuedFrom?: number;
}

/** What delivering an order uses. */
export type DeliveryDeps = SendDeps & PaymentGateDeps & VelocityGateDeps & Pick<CoreDeps, 'orders' | 'backorders' | 'orderQueue' | 'writeBackQueue'>;

const emptyReport = (): DeliveryReport => ({ delivered: 0, backordered: 0, cancelled: 0, held: 0, inProgress: 0, retryLater: 0, backorderedBySku: {} });

const count = (report: DeliveryReport, result: UnitResult) => {
  const field = ({ DELIVERED: 'delivered', BACKORDERED: 'backordered', CANCELLED: 'cancelled', HELD: 'held', IN_PROGRESS: 'inProgress', RETRY_LATER: 'retryLater' } as const)[result];
  report[field]++;
};

/**
 * Processes the units of the order (a chunk of them for a large order). Safe to run any number of
 * times, concurrently too: each unit resumes from its stored state and every state change is a
 * conditional write; the send lease lets exactly one invocation send each code.
 */
export async function deliverOrder(deps: DeliveryDeps, message: NewOrder, ctx: SendContext): Promise<DeliveryReport> {
  const total = message.lines.reduce((sum, l) => sum + l.quantity, 0);
  const order = await deps.orders.ensureOrder({ ...message, unitCount: total });
  const report = emptyReport();
  if (order.hold) {
    // Waits for the merchant: a duplicate or late message changes nothing until `orders release`.
    deps.log.warn('Order is held: message left until the merchant releases it', { storeId: order.storeId, orderId: order.orderId, reason: order.hold.reason });
    report.held = total;
    return report;
  }
  const skip = message.skipUnits ?? 0;
  if (skip === 0) {
    const chain = await deps.channels.chainFor(order.storeId);
    if (reachableSteps(chain, order.customer).length === 0) return holdUnreachable(deps, order, message, report, total, chainLabel(chain));
  }

  // One query for the units a previous attempt left; the first to ensure the order knows there are none.
  const firstSight = order.ensureCount === 1 && deps.delivery.path !== 'classic';
  const stored = new Map(firstSight ? [] : (await deps.orders.listUnits(message.storeId, message.orderId)).map((u) => [u.unitId, u]));
  // Asked once, before the first unit exists: a unit is only ever created after the checks passed.
  // A cancelled order creates CANCELLED units only: not asked about, not counted against its customer.
  if (skip === 0 && stored.size === 0 && !order.cancelledAt) {
    const gate = await paymentGate(deps, order, message, ctx.finalAttempt ?? false);
    if (gate === 'HELD') return { ...report, held: total };
    if (gate === 'WAIT') return { ...report, retryLater: total };
    // After the payment check: an order the store disowns is not counted against its customer.
    if ((await velocityGate(deps, order, message)) === 'HELD') return { ...report, held: total };
  }
  const end = Math.min(total, skip + deps.delivery.unitsPerInvocation);
  // Whether every unit of the order is delivered once this chunk is done: then the store hears of it.
  let allDelivered = end === total;
  let index = 0;
  for (const line of message.lines) {
    for (let n = 1; n <= line.quantity; n++, index++) {
      if (index < skip) {
        allDelivered &&= stored.get(unitId(line.lineId, n))?.state === 'DELIVERED';
        continue;
      }
      if (index >= end) continue;
      const unit: NewUnit = {
        storeId: message.storeId,
        orderId: message.orderId,
        unitId: unitId(line.lineId, n),
        lineId: line.lineId,
        sku: line.sku,
        productName: line.name,
        receivedAt: order.receivedAt,
      };
      const result = await processUnit(deps, order, unit, stored.get(unit.unitId), ctx);
      count(report, result);
      allDelivered &&= result === 'DELIVERED';
      if (result === 'BACKORDERED') report.backorderedBySku[line.sku] = (report.backorderedBySku[line.sku] ?? 0) + 1;
    }
  }
  if (end < total) {
    // Enqueued before this chunk reports success: a crash before it retries the whole chunk (idempotent).
    await deps.orderQueue.send({ ...message, skipUnits: end });
    report.continuedFrom = end;
  }
  if (report.backordered > 0) await notifyBackorder(deps, order, report, ctx);
  if (allDelivered) await reportDelivered(deps, order, total);
  // Whoever writes a DELIVERED looks after its write: an invocation that only backordered leaves the
  // look to the resume that delivers those units (one query fewer per backordered order).
  else if (end === total && report.delivered > 0 && report.held + report.cancelled + report.retryLater + report.inProgress === 0) await reportIfAllDelivered(deps, order, total);
  return report;
}

/**
 * Another invocation may have delivered the rest meanwhile (a backorder filled while this one ran): read
 * the units again after this one's writes. Of two racing invocations the later reader sees both.
 */
async function reportIfAllDelivered(deps: DeliveryDeps, order: OrderRecord, total: number): Promise<void> {
  if (!deps.writeBackQueue) return;
  const units = await deps.orders.listUnits(order.storeId, order.orderId);
  if (units.length === total && units.every((u) => u.state === 'DELIVERED')) await reportDelivered(deps, order, total);
}

/** Delivers every RESERVED unit of an order (after the filler reserved codes, or the merchant released held units). */
export async function resumeOrder(deps: DeliveryDeps, storeId: string, orderId: string, ctx: SendContext): Promise<DeliveryReport> {
  const order = await deps.orders.getOrder(storeId, orderId);
  if (!order) throw new Error(`Order ${storeId}/${orderId} not found`);
  const report = emptyReport();
  const units = await deps.orders.listUnits(storeId, orderId);
  let delivered = 0;
  for (const unit of units) {
    const result = unit.state === 'RESERVED' ? await sendUnit(deps, order, unit, ctx) : unit.state;
    if (unit.state === 'RESERVED') count(report, result);
    if (result === 'DELIVERED') delivered++;
  }
  // Units of a large order not created yet (a continuation still queued) are not in the list: the count tells.
  if (order.unitCount !== undefined && delivered === order.unitCount) await reportDelivered(deps, order, delivered);
  else if (order.unitCount !== undefined && report.retryLater + report.inProgress === 0) await reportIfAllDelivered(deps, order, order.unitCount);
  return report;
}

/**
 * Every unit is delivered: the write-back function tells the store. Sent again by a retried message
 * (the write-back runs once per order whatever it receives); a failure here retries the message.
 */
async function reportDelivered(deps: DeliveryDeps, order: OrderRecord, units: number): Promise<void> {
  if (!deps.writeBackQueue || order.cancelledAt) return;
  await deps.writeBackQueue.send({ platform: order.platform, storeId: order.storeId, orderId: order.orderId, units });
}

async function holdUnreachable(deps: DeliveryDeps, order: OrderRecord, message: NewOrder, report: DeliveryReport, total: number, channels: string): Promise<DeliveryReport> {
  const detail = order.customer.invalidPhone
    ? `the order's phone number is not a valid mobile number, and ${channels} has no other way to reach the customer`
    : `the order has no contact ${channels} can use`;
  await placeOrderHold(
    deps,
    order,
    { reason: 'NO_CONTACT', detail, at: deps.clock.now().toISOString(), lines: message.lines },
    {
      log: 'Order held: the customer cannot be reached',
      fields: { units: total },
      message:
        `Order ${order.reference ?? order.orderId} (${total} unit(s)) is held and no code was taken for it: ${detail}. ` +
        `Add the customer's number or e-mail and release it: npm run cli -- orders release --store ${order.storeId} --order ${order.orderId} --phone <+9665…>`,
      details: { reason: 'NO_CONTACT', units: total },
    },
  );
  report.held = total;
  return report;
}

async function processUnit(deps: DeliveryDeps, order: OrderRecord, fresh: NewUnit, existing: OrderUnit | undefined, ctx: SendContext): Promise<UnitResult> {
  if (existing) return resumeUnit(deps, order, existing, ctx);
  const started = await startUnit(deps, order, fresh, ctx);
  if (started.claimedNow && started.unit) return sendUnit(deps, order, started.unit, ctx, true);
  // A concurrent duplicate wrote it first: the record that won came back with the lost race.
  const unit = started.unit ?? (await deps.orders.getUnit(fresh));
  if (!unit) throw new Error(`Unit ${fresh.unitId} of order ${fresh.storeId}/${fresh.orderId} vanished`);
  return resumeUnit(deps, order, unit, ctx);
}

function resumeUnit(deps: DeliveryDeps, order: OrderRecord, unit: OrderUnit, ctx: SendContext): Promise<UnitResult> | UnitResult {
  switch (unit.state) {
    case 'RESERVED':
      return sendUnit(deps, order, unit, ctx);
    case 'DELIVERED':
    case 'BACKORDERED':
    case 'CANCELLED':
    case 'HELD':
      return unit.state;
  }
}

/**
 * Creates the unit: reserved with a code (and this invocation's send lease), backordered, or cancelled.
 * Returns it as written, or as a concurrent duplicate wrote it (undefined when that could not be returned).
 */
async function startUnit(deps: DeliveryDeps, order: OrderRecord, fresh: NewUnit, ctx: SendContext): Promise<{ unit?: OrderUnit; claimedNow?: boolean }> {
  const cancelled = async () => ({ unit: (await deps.orders.putCancelledUnit(fresh)) ? { ...fresh, state: 'CANCELLED' as const } : undefined });
  if (order.cancelledAt) return cancelled();
  // Oldest paid first: while others wait for this SKU, a new unit joins the back of the queue.
  if (!(await deps.backorders.hasBackorders(fresh.sku))) {
    const claim = await deps.claims.claim(fresh, 'NEW', leaseFor(deps, ctx));
    if (claim.result === 'CLAIMED') return { unit: { ...fresh, state: 'RESERVED', codeId: claim.codeId, codeKey: claim.codeKey, sendStartedAt: claim.at, sendAttempts: 1 }, claimedNow: true };
    if (claim.result === 'ORDER_CANCELLED') return cancelled();
    if (claim.result === 'UNIT_TAKEN') return { unit: claim.unit };
  }
  const backorder = await deps.backorders.backorder(fresh);
  if (backorder.result === 'CREATED') return { unit: { ...fresh, state: 'BACKORDERED' } };
  return backorder.result === 'ORDER_CANCELLED' ? cancelled() : { unit: backorder.unit };
}

/** Once per order: the customer hears the code is coming, the merchant hears the SKU ran out. */
async function notifyBackorder(deps: DeliveryDeps, order: OrderRecord, report: DeliveryReport, ctx: SendContext): Promise<void> {
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
  } catch (err) {
    // Retried with the message: a retried alert is better than a silent stock-out.
    await deps.orders.releaseBackorderNotice(order.storeId, order.orderId);
    throw err;
  }
  const notice = {
    kind: 'BACKORDER' as const,
    locale: order.locale,
    to: order.customer,
    ref: `${order.storeId}/${order.orderId}`,
    orderReference: order.reference ?? order.orderId,
    customerName: order.customer?.name,
  };
  // Down the store's chain like a code, but best effort: the code itself follows either way.
  const steps = reachableSteps(await deps.channels.chainFor(order.storeId), order.customer);
  for (const step of steps) {
    try {
      await step.channel.send(notice);
      return;
    } catch (err) {
      const failure = err instanceof ChannelError ? err.failure : 'UNKNOWN_OUTCOME';
      const fields = { storeId: order.storeId, orderId: order.orderId, channel: step.channel.name, failure, reason: err instanceof ChannelError ? err.reason : (err as Error)?.name };
      // Surely not sent (refused, or a passing failure): the next channel may reach them now.
      if (failure !== 'UNKNOWN_OUTCOME' && step !== steps[steps.length - 1]) {
        deps.log.warn('The "code is on its way" notice failed on a channel; trying the next one', fields);
        continue;
      }
      // Only a notice that surely did not go out is worth another try.
      if (failure !== 'TRANSIENT' || ctx.finalAttempt) {
        deps.log.warn('The "code is on its way" notice could not be sent; the code will still be delivered', fields);
        return;
      }
      deps.log.warn('The "code is on its way" notice failed, the message will be retried', fields);
      await deps.orders.releaseBackorderNotice(order.storeId, order.orderId);
      throw err;
    }
  }
}
