// Use cases: a paid order the webhook would not take as it is (HOLD message) is stored HELD and the
// merchant told; the merchant's release delivers it (or the held units) after all.
import type { CoreDeps } from './deps';
import type { Contact, OrderMessage } from './model';
import type { MerchantAlert } from './ports/alerts';
import type { OrderHold, OrderRecord } from './ports/orders';

/** What holding and releasing orders use. */
export type HoldDeps = Pick<CoreDeps, 'orders' | 'alerts' | 'clock' | 'log'>;
export type ReleaseDeps = Pick<CoreDeps, 'orders' | 'sends' | 'orderQueue' | 'clock'>;

type HoldMessage = Extract<OrderMessage, { kind: 'HOLD' }>;

/** What the merchant is told when a hold is placed: the log line, its extra fields, the alert's text and details. */
export interface HoldNotice {
  log: string;
  fields?: Record<string, unknown>;
  message: string;
  details: NonNullable<MerchantAlert['details']>;
}

/**
 * Holds the whole order; the one call that placed the hold logs it as an error and sends the merchant
 * one ORDER_HELD alert (a duplicate, or a hold refused by `unlessReleased`, tells nobody).
 */
export async function placeOrderHold(deps: HoldDeps, order: Pick<OrderRecord, 'storeId' | 'orderId'>, hold: OrderHold, notice: HoldNotice, options?: { unlessReleased?: boolean }): Promise<boolean> {
  const placed = await deps.orders.holdOrder(order.storeId, order.orderId, hold, options);
  if (!placed) return false;
  deps.log.error(notice.log, { storeId: order.storeId, orderId: order.orderId, reason: hold.reason, ...notice.fields });
  await deps.alerts.publish({ type: 'ORDER_HELD', storeId: order.storeId, orderId: order.orderId, message: notice.message, details: notice.details });
  return true;
}

/** Stores the order HELD with its lines; the first to place the hold alerts the merchant. */
export async function holdIncomingOrder(deps: HoldDeps, message: HoldMessage): Promise<{ placed: boolean }> {
  const order = await deps.orders.ensureOrder(message);
  const at = deps.clock.now().toISOString();
  // A release by the merchant stands: the same over-limit delivery arriving again does not hold it twice.
  const units = message.lines.reduce((sum, l) => sum + l.quantity, 0);
  const placed = await placeOrderHold(
    deps,
    order,
    { reason: message.reason, detail: message.detail, at, lines: message.lines, linesOmitted: message.linesOmitted },
    {
      log: 'Order held: over the order limits',
      fields: { detail: message.detail, units },
      message:
        `Paid order ${order.reference ?? order.orderId} is held and no code was taken for it: ${message.detail}. ` +
        `Check it with the customer, then deliver it (npm run cli -- orders release --store ${order.storeId} --order ${order.orderId}) or cancel it (orders cancel).` +
        (message.linesOmitted ? ` ${message.linesOmitted} more line(s) were too many to store: deliver those by hand.` : ''),
      details: { reason: message.reason, units, linesOmitted: message.linesOmitted },
    },
    { unlessReleased: true },
  );
  return { placed };
}

export interface ReleaseReport {
  /** The order was not found, or is cancelled: nothing was released. */
  notReleasable?: 'NOT_FOUND' | 'CANCELLED';
  /** The merchant's corrected contact was stored on the order. */
  contactCorrected: boolean;
  /** The whole order was held and is now on its way (an ORDER message with its stored lines). */
  orderReleased: boolean;
  /** Held units put back to RESERVED and resumed (a RESUME message). */
  unitsReleased: number;
}

/**
 * The merchant's release: an order-level hold is lifted (with the contact they corrected) and the order
 * delivered from its stored lines; held units go back to RESERVED and are sent again. Idempotent.
 */
export async function releaseOrder(deps: ReleaseDeps, storeId: string, orderId: string, correction?: Partial<Contact>): Promise<ReleaseReport> {
  const at = deps.clock.now().toISOString();
  const order = await deps.orders.getOrder(storeId, orderId);
  const none = { contactCorrected: false, orderReleased: false, unitsReleased: 0 };
  if (!order) return { ...none, notReleasable: 'NOT_FOUND' };
  if (order.cancelledAt) return { ...none, notReleasable: 'CANCELLED' };
  // The corrected contact first: both the released order and resumed units are sent to the stored one.
  const customer = correction ? correctedContact(order.customer, correction) : order.customer;
  const contactCorrected = correction ? await deps.orders.correctContact(storeId, orderId, customer, at) : false;
  const held = await deps.orders.releaseOrderHold(storeId, orderId, at);
  if (held?.hold) await deps.orderQueue.send(orderMessageOf(held, customer));
  let unitsReleased = 0;
  for (const unit of await deps.orders.listUnits(storeId, orderId)) {
    if (unit.state === 'HELD' && (await deps.sends.releaseHeldUnit(unit, at))) unitsReleased++;
  }
  if (unitsReleased > 0) await deps.orderQueue.send({ kind: 'RESUME', storeId, orderId });
  return { contactCorrected, orderReleased: Boolean(held?.hold), unitsReleased };
}

/** The stored contact with the merchant's fields over it; a corrected phone is a valid one, so the flag goes. */
function correctedContact(stored: Contact, correction: Partial<Contact>): Contact {
  const { invalidPhone: _wasInvalid, ...rest } = stored;
  return { ...rest, ...correction, ...(correction.phone === undefined && stored.invalidPhone && { invalidPhone: true }) };
}

function orderMessageOf(order: OrderRecord, customer: Contact): OrderMessage {
  return {
    kind: 'ORDER',
    platform: order.platform,
    storeId: order.storeId,
    orderId: order.orderId,
    reference: order.reference,
    locale: order.locale,
    customer,
    lines: order.hold!.lines,
    receivedAt: order.receivedAt,
  };
}
