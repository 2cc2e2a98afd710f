// Use case: an authenticated platform event → at most one orders-queue message.
import type { CatalogStore } from './ports/catalog';
import type { OrderQueue } from './ports/queues';
import type { OrderLine, OrderMessage, WebhookIntent } from './model';

export type IngestResult =
  | { outcome: 'ENQUEUED'; kind: 'ORDER' | 'CANCEL'; units: number; unmappedLines: number }
  | { outcome: 'IGNORED'; reason: string };

export async function ingestWebhook(
  deps: { catalog: CatalogStore; orderQueue: OrderQueue; now: () => Date },
  intent: WebhookIntent,
): Promise<IngestResult> {
  const receivedAt = deps.now().toISOString();
  if (intent.type === 'IGNORE') return { outcome: 'IGNORED', reason: intent.reason };
  if (intent.type === 'CANCEL') {
    const { platform, storeId, orderId, reason } = intent;
    await deps.orderQueue.send({ kind: 'CANCEL', platform, storeId, orderId, reason, receivedAt });
    return { outcome: 'ENQUEUED', kind: 'CANCEL', units: 0, unmappedLines: 0 };
  }
  const { order } = intent;
  const productIds = order.lines.flatMap((l) => (l.variantId ? [l.variantId, l.productId] : [l.productId]));
  const mappings = await deps.catalog.getProductMappings(order.storeId, productIds);
  const lines: OrderLine[] = [];
  for (const line of order.lines) {
    // A variant mapping wins over the product's, so one product can sell several denominations.
    const mapping = (line.variantId && mappings.get(line.variantId)) || mappings.get(line.productId);
    if (!mapping || line.quantity <= 0) continue;
    lines.push({ lineId: line.lineId, productId: line.productId, sku: mapping.sku, quantity: line.quantity * mapping.multiplier, name: line.name });
  }
  if (lines.length === 0) return { outcome: 'IGNORED', reason: 'no line maps to a digital product' };
  const message: OrderMessage = {
    kind: 'ORDER',
    platform: order.platform,
    storeId: order.storeId,
    orderId: order.orderId,
    reference: order.reference,
    locale: order.locale,
    customer: order.customer,
    lines,
    receivedAt,
  };
  await deps.orderQueue.send(message);
  return {
    outcome: 'ENQUEUED',
    kind: 'ORDER',
    units: lines.reduce((sum, l) => sum + l.quantity, 0),
    unmappedLines: order.lines.length - lines.length,
  };
}
