// Local fake of Reloadly: the wire — routes, JSON views of transactions and pages, error bodies.
import type { IncomingMessage } from 'node:http';
import type { FakeTransaction, Ledger } from './ledger';

/** GET /reports/transactions: a Spring page, newest first, customIdentifier matched case-insensitively. */
export function reportPage(ledger: Ledger, query: URLSearchParams, currency: string): unknown {
  const wanted = query.get('customIdentifier')?.toLowerCase();
  const size = Math.max(1, Number(query.get('size')) || 200);
  const page = Math.max(1, Number(query.get('page')) || 1);
  const rows = ledger.transactions
    .filter((t) => wanted === undefined || t.customIdentifier?.toLowerCase() === wanted)
    .slice()
    .reverse();
  const content = rows.slice((page - 1) * size, page * size).map((t) => transactionView(ledger.read(t), currency));
  const totalPages = Math.ceil(rows.length / size);
  return {
    content,
    pageable: { pageNumber: page - 1, pageSize: size, offset: (page - 1) * size, paged: true, unpaged: false },
    totalElements: rows.length,
    totalPages,
    last: page >= totalPages,
    first: page === 1,
    size,
    number: page - 1,
    numberOfElements: content.length,
    empty: content.length === 0,
  };
}

/** A transaction as POST /orders and the reports answer it. */
export function transactionView(t: FakeTransaction, currency: string): unknown {
  return {
    transactionId: t.transactionId,
    amount: t.amount,
    discount: 0,
    currencyCode: currency,
    fee: 0,
    smsFee: 0,
    totalFee: 0,
    recipientEmail: t.recipientEmail,
    recipientPhone: null,
    customIdentifier: t.customIdentifier,
    status: t.status,
    product: {
      productId: t.productId,
      productName: `Fake gift card ${t.productId}`,
      countryCode: 'US',
      quantity: t.quantity,
      unitPrice: t.unitPrice,
      totalPrice: t.amount,
      currencyCode: currency,
      brand: { brandId: 1, brandName: 'Fake brand' },
    },
    preOrdered: false,
    balanceInfo: {
      oldBalance: t.balanceBefore,
      newBalance: Math.round((t.balanceBefore - t.amount) * 100) / 100,
      cost: t.amount,
      currencyCode: currency,
      currencyName: 'US Dollar',
      updatedAt: stamp(t.createdAt),
    },
    transactionCreatedTime: stamp(t.createdAt),
  };
}

export type Route = { key: string; id: number };

/** The endpoint a request is for; `key` also names it in `stats().requests`. */
export function routeOf(method: string, path: string): Route {
  const cards = /^\/orders\/transactions\/(\d+)\/cards\/?$/.exec(path);
  if (method === 'GET' && cards) return { key: 'GET /orders/transactions/:id/cards', id: Number(cards[1]) };
  const byId = /^\/reports\/transactions\/(\d+)\/?$/.exec(path);
  if (method === 'GET' && byId) return { key: 'GET /reports/transactions/:id', id: Number(byId[1]) };
  const known = ['POST /oauth/token', 'GET /accounts/balance', 'POST /orders', 'GET /reports/transactions'];
  const key = `${method} ${path.replace(/\/$/, '')}`;
  return { key: known.includes(key) ? key : `unknown ${method}`, id: 0 };
}

/** Reloadly's error body: `{ timeStamp, message, path, errorCode, infoLink, details }`. */
export function errorBody(req: IncomingMessage, message: string, errorCode: string | null) {
  const path = new URL(req.url ?? '/', 'http://fake').pathname;
  return { timeStamp: stamp(Date.now()), message, path, errorCode, infoLink: null, details: [] };
}

export { sendJson as send, readBody, parseJsonObject as parseJson } from '#local/fake-http';

/** Reloadly's `yyyy-MM-dd HH:mm:ss` (UTC here). */
export function stamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}
