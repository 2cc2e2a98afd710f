// Local fake of EZ PIN: the wire — routes, JSON views of orders, catalogs and balances, error bodies.
import type { FakeOrder, FakeProduct } from './ledger';

export type Route = { key: string; param: string };

const ROUTES: ReadonlyArray<{ method: string; pattern: RegExp; key: string }> = [
  { method: 'POST', pattern: /^\/auth\/token\/$/, key: 'POST /auth/token/' },
  { method: 'GET', pattern: /^\/catalogs\/$/, key: 'GET /catalogs/' },
  { method: 'GET', pattern: /^\/catalogs\/([^/]+)\/availability\/$/, key: 'GET /catalogs/:sku/availability/' },
  { method: 'GET', pattern: /^\/balance\/$/, key: 'GET /balance/' },
  { method: 'POST', pattern: /^\/orders\/$/, key: 'POST /orders/' },
  { method: 'GET', pattern: /^\/orders\/([^/]+)\/$/, key: 'GET /orders/:reference_code/' },
  { method: 'GET', pattern: /^\/orders\/([^/]+)\/cards\/$/, key: 'GET /orders/:reference_code/cards/' },
];

/** The endpoint a request is for (paths relative to the base, trailing slash required as at EZ PIN); `key` names it in `stats().requests`. */
export function routeOf(method: string, path: string): Route {
  for (const route of ROUTES) {
    const match = method === route.method ? route.pattern.exec(path) : null;
    if (match) return { key: route.key, param: decodeURIComponent(match[1] ?? '') };
  }
  return { key: `unknown ${method}`, param: '' };
}

const STATUS_TEXT = { '-1': 'reject', '0': 'pending', '1': 'accept' } as const;

/** An order as POST /orders/ and GET /orders/{reference_code}/ answer it (OpenAPI `Order`). */
export function orderView(o: FakeOrder, title: string, base: string): unknown {
  const cost = String(o.cost);
  return {
    order_id: o.orderId,
    delivery_type: o.deliveryType,
    destination: o.destination,
    status: o.status,
    status_text: STATUS_TEXT[String(o.status) as keyof typeof STATUS_TEXT],
    created_time: new Date(o.createdAt).toISOString().replace('Z', ''),
    terminal_id: o.terminalId,
    reference_code: o.referenceCode,
    product: { sku: o.sku, title },
    count: o.quantity,
    total_face_value: cost,
    total_fees: '0',
    total_discounts: '0',
    total_customer_cost: cost,
    is_completed: o.isCompleted,
    share_link: `${base}/share/${o.referenceCode}`,
  };
}

/** A catalog entry (OpenAPI `Catalog`, the fields a client would use). */
export function catalogView(sku: string, product: FakeProduct, currency: string): unknown {
  const price = String(product.price);
  return {
    sku: Number(sku),
    upc: 659245700000 + Number(sku),
    title: product.title,
    min_price: price,
    max_price: price,
    pre_order: false,
    activation_fee: '0',
    percentage_of_buying_price: '0',
    currency: currencyView(currency),
    categories: [{ name: 'Fake gift cards' }],
    regions: [{ code: 'GLC', name: 'Global' }],
    description: null,
  };
}

export function currencyView(code: string): { symbol: string; code: string; currency: string } {
  const names: Record<string, [string, string]> = { USD: ['$', 'Dollar'], SAR: ['﷼', 'Saudi Riyal'], AED: ['د.إ', 'UAE Dirham'] };
  const [symbol, currency] = names[code] ?? [code, code];
  return { symbol, code, currency };
}

export { sendJson as send, readBody, parseJsonObject as parseJson } from '#local/fake-http';
