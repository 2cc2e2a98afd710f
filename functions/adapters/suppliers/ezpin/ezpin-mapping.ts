// Secondary adapter (EZ PIN), data side: EZ PIN's wire shapes, read defensively, and their
// translation into the port's vocabulary. Pure functions, no I/O.
import type { CodeMaterial } from '#core/model';
import { referenceCodeFor } from './ezpin-reference';

/** An order as `POST /orders/` and `GET /orders/{reference_code}/` return it (the fields we use), normalised. */
export interface EzpinOrder {
  orderId?: string;
  referenceCode?: string;
  /** -1 rejected, 0 pending, 1 accepted (anything else is kept as it came). */
  status: number;
  statusText?: string;
  isCompleted: boolean;
  /** Cards ordered, when the answer says. */
  count?: number;
}

/** `POST /orders/` body. `price` is a decimal string in the OpenAPI spec; sku, terminal_id and terminal_pin are integers. */
export interface EzpinOrderBody {
  sku: number;
  quantity: number;
  price: string;
  pre_order: false;
  /** 0: EZ PIN delivers to nobody; we collect the cards through the API. */
  delivery_type: 0;
  destination: string;
  terminal_id?: number | string;
  terminal_pin?: number | string;
  reference_code: string;
}

/** One card from `GET /orders/{reference_code}/cards/`. */
export interface EzpinCard {
  card_number?: string | number | null;
  pin_code?: string | number | null;
  claim_url?: string | null;
}

/** One sub-order of a reorder: `<reference>:<n>` (n from 1) and the reference code derived from it. */
export interface SubOrder {
  reference: string;
  referenceCode: string;
  quantity: number;
}

/** "An immediate order is limited to a total of five digital cards" (OpenAPI, POST /orders/). */
export const MAX_IMMEDIATE_CARDS = 5;

/** Splits `quantity` into sub-orders of at most `maxPerOrder`: 12 by 5 → 5, 5, 2. Depends on the request only. */
export function splitIntoSubOrders(reference: string, quantity: number, maxPerOrder: number): SubOrder[] {
  const parts: SubOrder[] = [];
  for (let n = 1, left = quantity; left > 0; n += 1, left -= maxPerOrder) {
    const sub = `${reference}:${n}`;
    parts.push({ reference: sub, referenceCode: referenceCodeFor(sub), quantity: Math.min(left, maxPerOrder) });
  }
  return parts;
}

const text = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
};

const integer = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value.trim() ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
};

/** An order answer, or undefined when it is not one (no readable status). `is_completed` may come as a string. */
export function readOrder(value: unknown): EzpinOrder | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const row = value as Record<string, unknown>;
  const status = integer(row.status);
  if (status === undefined) return undefined;
  const count = integer(row.count);
  return {
    orderId: text(row.order_id),
    referenceCode: text(row.reference_code),
    status,
    statusText: text(row.status_text)?.slice(0, 60),
    isCompleted: row.is_completed === true || row.is_completed === 'true',
    count: count !== undefined && count > 0 ? count : undefined,
  };
}

export type OrderOutcome = 'accepted' | 'pending' | 'rejected';

/** 1 accepted, -1 rejected; 0 and any status EZ PIN does not document are pending (keep polling, never re-buy). */
export function classifyOrder(order: EzpinOrder): OrderOutcome {
  if (order.status === 1) return 'accepted';
  if (order.status === -1) return 'rejected';
  return 'pending';
}

/** Keeps card numbers and PINs written as bare JSON numbers exact (a 19-digit number would lose digits). */
export function quoteNumericCardFields(raw: string): string {
  return raw.replace(/"(card_number|pin_code)"(\s*):(\s*)(-?\d+)(?=\s*[,}])/g, '"$1"$2:$3"$4"');
}

/** The cards answer: `{ results: [...] }` in the OpenAPI spec, a bare list elsewhere; both are read. */
export function readCards(answer: unknown): EzpinCard[] {
  const list = Array.isArray(answer)
    ? answer
    : answer && typeof answer === 'object' && Array.isArray((answer as { results?: unknown }).results)
      ? (answer as { results: unknown[] }).results
      : undefined;
  if (!list) throw new Error('cards answer is neither a list nor a page');
  return list.filter((c): c is EzpinCard => !!c && typeof c === 'object');
}

/** `{ card_number, pin_code }` → `{ code, pin, format: 'text' }`; a card that is only a `claim_url` → `format: 'url'`. */
export function toCodeMaterial(card: EzpinCard): CodeMaterial | undefined {
  const code = text(card.card_number);
  const pin = text(card.pin_code);
  if (code) return pin ? { code, pin, format: 'text' } : { code, format: 'text' };
  const url = text(card.claim_url);
  if (url) return pin ? { code: url, pin, format: 'url' } : { code: url, format: 'url' };
  return undefined;
}

/** `GET /balance/`: `[{ currency: { code }, balance: "123.45" }]`, one per currency. A page or a single row is read too. */
export function readBalances(answer: unknown): Array<{ amount: number; currency: string }> {
  const rows = Array.isArray(answer)
    ? answer
    : answer && typeof answer === 'object' && Array.isArray((answer as { results?: unknown }).results)
      ? (answer as { results: unknown[] }).results
      : answer && typeof answer === 'object'
        ? [answer]
        : undefined;
  if (!rows) throw new Error('balance answer is not a list');
  return rows.flatMap((row) => {
    if (!row || typeof row !== 'object') return [];
    const { balance, currency } = row as { balance?: unknown; currency?: unknown };
    const amount = typeof balance === 'string' ? Number(balance) : balance;
    const code = typeof currency === 'string' ? currency : text((currency as { code?: unknown } | null)?.code);
    return typeof amount === 'number' && Number.isFinite(amount) && code ? [{ amount, currency: code.toUpperCase() }] : [];
  });
}

/** The preferred currency's balance, else the first one listed; an account with no balance row has 0. */
export function pickBalance(balances: Array<{ amount: number; currency: string }>, preferred: string): { amount: number; currency: string } {
  const wanted = preferred.toUpperCase();
  return balances.find((b) => b.currency === wanted) ?? balances[0] ?? { amount: 0, currency: wanted };
}

/** `GET /catalogs/{sku}/availability/` → `{ availability, detail }`. */
export function readAvailability(answer: unknown): { available: boolean; detail?: string } | undefined {
  if (!answer || typeof answer !== 'object') return undefined;
  const { availability, detail } = answer as { availability?: unknown; detail?: unknown };
  if (typeof availability !== 'boolean') return undefined;
  const said = text(detail)?.slice(0, 200);
  return said ? { available: availability, detail: said } : { available: availability };
}

/** A decimal string as the spec types `price`: no float noise (0.1 + 0.2), no exponent. */
export function formatPrice(price: number): string {
  return String(Math.round(price * 10_000) / 10_000);
}

/**
 * terminal_id / terminal_pin are integers in the spec: sent as JSON numbers, except a value with a
 * leading zero, which a number would shorten ("0042" → 42): that one goes as the string it is.
 */
export function terminalValue(value: string | number): number | string {
  const raw = String(value).trim();
  return /^[1-9]\d{0,14}$/.test(raw) || raw === '0' ? Number(raw) : raw;
}
