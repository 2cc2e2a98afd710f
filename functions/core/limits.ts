// The bounds of one order. Checked at the webhook, so a paid order over them is held for the merchant
// (never enqueued as is, never rejected by the delivery after a 200), and every queue message stays small.
import type { OrderLimits, OrderLine } from './model';

/** The documented defaults: a line of up to 1,000 codes, an order of up to 100 lines and 1,000 codes. */
export const DEFAULT_ORDER_LIMITS: OrderLimits = { maxUnitsPerLine: 1000, maxLinesPerOrder: 100, maxUnitsPerOrder: 1000 };

/** What a merchant may raise the limits to: the queue message schema accepts nothing beyond it. */
export const ORDER_LIMIT_CEILING: OrderLimits = { maxUnitsPerLine: 10_000, maxLinesPerOrder: 500, maxUnitsPerOrder: 10_000 };

/** The first limit the (mapped, multiplied) lines break, in words for the merchant; undefined when within limits. */
export function limitBroken(lines: readonly OrderLine[], limits: OrderLimits): string | undefined {
  if (lines.length > limits.maxLinesPerOrder) return `${lines.length} lines of digital products (the limit is ${limits.maxLinesPerOrder} per order)`;
  const big = lines.find((l) => l.quantity > limits.maxUnitsPerLine);
  if (big) return `line ${big.lineId} asks for ${big.quantity} codes of ${big.sku} (the limit is ${limits.maxUnitsPerLine} per line)`;
  const units = lines.reduce((sum, l) => sum + l.quantity, 0);
  if (units > limits.maxUnitsPerOrder) return `${units} codes in one order (the limit is ${limits.maxUnitsPerOrder} per order)`;
  return undefined;
}
