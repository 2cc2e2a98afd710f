// Secondary adapter (Reloadly), data side: Reloadly's wire shapes, read defensively, and their
// translation into the port's vocabulary. Pure functions, no I/O.
import type { CodeMaterial } from '#core/model';

export type ReloadlyStatus = 'SUCCESSFUL' | 'PENDING' | 'PROCESSING' | 'FAILED' | 'REFUNDED';

/** A gift card transaction as POST /orders and GET /reports/transactions return it (fields we use). */
export interface ReloadlyTransaction {
  transactionId: number | string;
  customIdentifier?: string | null;
  status: string;
  product?: { productId?: number; quantity?: number };
}

/** `POST /orders` body (docs.reloadly.com; unitPrice and senderName are required). */
export interface ReloadlyOrderBody {
  productId: number;
  quantity: number;
  unitPrice: number;
  customIdentifier: string;
  senderName: string;
  recipientEmail?: string;
  preOrder: false;
}

/** One card from `GET /orders/transactions/{id}/cards`. v2 answers may carry a URL instead of a number. */
export interface ReloadlyCard {
  cardNumber?: string | number | null;
  pinCode?: string | number | null;
  redemptionUrl?: string | null;
}

/** One sub-order of a reorder: `<reference>:<n>`, n from 1. */
export interface SubOrder {
  reference: string;
  quantity: number;
}

/** Reloadly refuses a customIdentifier longer than this (third-party observation). */
export const MAX_IDENTIFIER_LENGTH = 150;

/** Splits `quantity` into sub-orders of at most `maxPerOrder`: 25 by 10 → 10, 10, 5. */
export function splitIntoSubOrders(reference: string, quantity: number, maxPerOrder: number): SubOrder[] {
  const parts: SubOrder[] = [];
  for (let n = 1, left = quantity; left > 0; n += 1, left -= maxPerOrder) {
    parts.push({ reference: `${reference}:${n}`, quantity: Math.min(left, maxPerOrder) });
  }
  return parts;
}

export type StatusClass = 'done' | 'pending' | 'failed';

/** SUCCESSFUL → done; FAILED/REFUNDED → failed; PENDING, PROCESSING and anything unknown → pending (keep polling, never re-buy). */
export function classifyStatus(status: string): StatusClass {
  const upper = status.toUpperCase();
  if (upper === 'SUCCESSFUL') return 'done';
  if (upper === 'FAILED' || upper === 'REFUNDED') return 'failed';
  return 'pending';
}

/**
 * Rows of `GET /reports/transactions?customIdentifier=…` whose identifier is exactly `reference`.
 * The official Java SDK reads a Spring page (`{ content: [...] }`); the docs' example is a bare array:
 * both are accepted. Reloadly's filter is reported to be case-insensitive, so the match is re-checked.
 */
export function matchingTransactions(answer: unknown, reference: string): ReloadlyTransaction[] {
  const rows = Array.isArray(answer)
    ? answer
    : answer && typeof answer === 'object' && Array.isArray((answer as { content?: unknown }).content)
      ? (answer as { content: unknown[] }).content
      : undefined;
  if (!rows) throw new Error('transaction report is neither a page nor a list');
  return rows.filter(isTransaction).filter((row) => row.customIdentifier === reference);
}

export function isTransaction(value: unknown): value is ReloadlyTransaction {
  if (!value || typeof value !== 'object') return false;
  const row = value as Record<string, unknown>;
  return (typeof row.transactionId === 'number' || typeof row.transactionId === 'string') && typeof row.status === 'string';
}

/** Keeps card numbers and PINs written as bare JSON numbers exact (a 19-digit number would lose digits). */
export function quoteNumericCardFields(text: string): string {
  return text.replace(/"(cardNumber|pinCode)"(\s*):(\s*)(-?\d+)(?=\s*[,}])/g, '"$1"$2:$3"$4"');
}

/** The cards answer is a list; some answers are a single object. Anything else is unreadable. */
export function readCards(answer: unknown): ReloadlyCard[] {
  if (Array.isArray(answer)) return answer.filter((c): c is ReloadlyCard => !!c && typeof c === 'object');
  if (answer && typeof answer === 'object') return [answer as ReloadlyCard];
  throw new Error('cards answer is neither a list nor an object');
}

const text = (value: unknown): string | undefined => {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
};

/** `{ cardNumber, pinCode }` → `{ code, pin, format: 'text' }`; a card that is only a link → `format: 'url'`. */
export function toCodeMaterial(card: ReloadlyCard): CodeMaterial | undefined {
  const code = text(card.cardNumber);
  const pin = text(card.pinCode);
  if (code) return pin ? { code, pin, format: 'text' } : { code, format: 'text' };
  const url = text(card.redemptionUrl);
  if (url) return pin ? { code: url, pin, format: 'url' } : { code: url, format: 'url' };
  return undefined;
}
