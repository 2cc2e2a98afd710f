// Use case: an authenticated platform event → at most one orders-queue message, once per delivery.
import { limitBroken } from './limits';
import type { Contact, OrderLimits, OrderLine, OrderMessage, WebhookIntent } from './model';
import type { CatalogStore } from './ports/catalog';
import type { DeliveryDedupe } from './ports/dedupe';
import type { OrderQueue } from './ports/queues';
import type { StoreTokenVault } from './ports/store-tokens';

export type IngestResult =
  | { outcome: 'ENQUEUED'; kind: 'ORDER' | 'CANCEL'; units: number; unmappedLines: number }
  /** Paid but over a limit: answered 200 (the customer paid), stored HELD, the merchant alerted. */
  | { outcome: 'HELD'; reason: 'OVER_LIMIT'; units: number }
  /** The same delivery was taken already (or is being taken by a concurrent copy): nothing enqueued. */
  | { outcome: 'DUPLICATE'; state: 'DONE' | 'IN_PROGRESS' }
  /** The app was installed: the store's API tokens are stored (nothing enqueued). */
  | { outcome: 'INSTALLED' }
  | { outcome: 'IGNORED'; reason: string };

export interface IngestDeps {
  catalog: Pick<CatalogStore, 'getLineMappings'>;
  orderQueue: OrderQueue;
  dedupe: DeliveryDedupe;
  limits: OrderLimits;
  /** Where an install's API tokens go (Salla Easy Mode); absent: an install event is ignored. */
  tokenVault?: StoreTokenVault;
  /** Largest queue message body (SQS: 256 KiB); held orders keep as many lines as fit under it. */
  maxMessageBytes: number;
  now: () => Date;
}

/** Display names are for the customer's message; a line's id, product and SKU are what delivery needs. */
const NAME_CHARS = 200;

export async function ingestWebhook(deps: IngestDeps, intent: WebhookIntent, deliveryId: string): Promise<IngestResult> {
  const receivedAt = deps.now().toISOString();
  if (intent.type === 'IGNORE') return { outcome: 'IGNORED', reason: intent.reason };
  if (intent.type === 'AUTHORIZE') {
    if (!deps.tokenVault) return { outcome: 'IGNORED', reason: 'app install: no token store configured' };
    // A new install starts a new chain: the old tokens (and a broken mark) are replaced whole.
    await deps.tokenVault.write(intent.platform, intent.storeId, { ...intent.tokens, updatedAt: receivedAt });
    return { outcome: 'INSTALLED' };
  }
  if (intent.type === 'CANCEL') {
    const { platform, storeId, orderId, reason } = intent;
    return enqueueOnce(deps, deliveryId, { kind: 'CANCEL', platform, storeId, orderId, reason, receivedAt }, { outcome: 'ENQUEUED', kind: 'CANCEL', units: 0, unmappedLines: 0 });
  }
  const { order } = intent;
  const variantIds = order.lines.flatMap((l) => (l.variantId ? [l.variantId] : []));
  const mappings = await deps.catalog.getLineMappings(order.storeId, order.lines.map((l) => l.productId), variantIds);
  const lines: OrderLine[] = [];
  for (const line of order.lines) {
    // A variant mapping wins over the product's, so one product can sell several denominations.
    const mapping = (line.variantId && mappings.variants.get(line.variantId)) || mappings.products.get(line.productId);
    if (!mapping || line.quantity <= 0) continue;
    lines.push({
      lineId: line.lineId,
      productId: line.productId,
      sku: mapping.sku,
      quantity: line.quantity * mapping.multiplier,
      ...(line.name ? { name: line.name.slice(0, NAME_CHARS) } : {}),
      // What the store's own order says, for the payment check.
      ...(line.variantId ? { variantId: line.variantId } : {}),
      ...(mapping.multiplier !== 1 ? { ordered: line.quantity } : {}),
      ...(line.unitPrice !== undefined ? { unitPrice: line.unitPrice } : {}),
    });
  }
  if (lines.length === 0) return { outcome: 'IGNORED', reason: 'no line maps to a digital product' };
  const units = lines.reduce((sum, l) => sum + l.quantity, 0);
  const head = { platform: order.platform, storeId: order.storeId, orderId: order.orderId, reference: order.reference, locale: order.locale, customer: bounded(order.customer), receivedAt };
  const message: OrderMessage = { kind: 'ORDER', ...head, lines };
  const broken = limitBroken(lines, deps.limits) ?? (bytesOf(message) > deps.maxMessageBytes ? `the order is too large for one queue message (${lines.length} lines)` : undefined);
  if (broken) {
    return enqueueOnce(deps, deliveryId, holdMessage(deps, head, lines, broken), { outcome: 'HELD', reason: 'OVER_LIMIT', units });
  }
  return enqueueOnce(deps, deliveryId, message, { outcome: 'ENQUEUED', kind: 'ORDER', units, unmappedLines: order.lines.length - lines.length });
}

async function enqueueOnce(deps: IngestDeps, deliveryId: string, message: OrderMessage, result: IngestResult): Promise<IngestResult> {
  const outcome = await deps.dedupe.once(deliveryId, () => deps.orderQueue.send(message));
  return outcome.ran ? result : { outcome: 'DUPLICATE', state: outcome.state };
}

/** The customer's name and address as far as a message needs them: no field may swell a queue message. */
const bounded = (customer: Contact): Contact => ({
  ...customer,
  ...(customer.name ? { name: customer.name.slice(0, NAME_CHARS) } : {}),
  ...(customer.email ? { email: customer.email.slice(0, 254) } : {}),
});

const bytesOf = (message: OrderMessage) => Buffer.byteLength(JSON.stringify(message), 'utf8');

/** A HOLD message that fits in one queue message: lines without names first, then as many lines as fit. */
function holdMessage(deps: IngestDeps, head: Omit<Extract<OrderMessage, { kind: 'HOLD' }>, 'kind' | 'reason' | 'detail' | 'lines' | 'linesOmitted'>, lines: OrderLine[], detail: string): OrderMessage {
  const make = (kept: OrderLine[]): OrderMessage => ({ kind: 'HOLD', ...head, reason: 'OVER_LIMIT', detail, lines: kept, linesOmitted: lines.length - kept.length });
  let kept = lines;
  if (bytesOf(make(kept)) > deps.maxMessageBytes) kept = lines.map(({ name: _name, ...rest }) => rest);
  // Halve until it fits: at most a few rounds, whatever the order's size.
  while (kept.length > 0 && bytesOf(make(kept)) > deps.maxMessageBytes) kept = kept.slice(0, Math.floor(kept.length / 2));
  return make(kept);
}
