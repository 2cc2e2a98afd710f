// Bodies from the real fixtures, changed by mutations that are plain data, so a counterexample reads
// as "fixture X with data.items.0.quantity = 1000000" rather than as a function.
import fc from 'fast-check';
import { fixture } from '#test/unit/platforms/helpers';
import { jsonBytes, RawJson } from './json-bytes';
import { MARKER, markedText, oddEvent, oddId, oddPhone, oddQuantity, oddValue } from './values';
import { MAPPED_PRODUCTS, STORES, type FuzzPlatform } from './webhook-harness';

// Mutations reach into arbitrary JSON: `any` keeps that code about the fields rather than about narrowing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const FIXTURES = {
  salla: {
    paid: ['order-created-paid-credit-card.json', 'order-created-paid-mada-string-ids.json', 'order-status-updated-completed.json'],
    other: ['order-cancelled.json', 'order-refunded.json', 'order-created-bank-under-review.json', 'product-updated.json'],
  },
  zid: {
    paid: ['order-create-paid.json'],
    other: ['order-create-unpaid-bank-transfer.json', 'order-payment-status-update-refunded.json', 'order-status-update-cancelled.json'],
  },
} as const satisfies Record<FuzzPlatform, { paid: readonly string[]; other: readonly string[] }>;

const EVENTS: Record<FuzzPlatform, readonly string[]> = {
  salla: ['order.created', 'order.updated', 'order.status.updated', 'order.payment.updated', 'order.cancelled', 'order.refunded'],
  zid: ['order.create', 'order.status.update', 'order.payment_status.update'],
};
const LINES = { salla: 'items', zid: 'products' } as const;
const LINE_ID = { salla: 'id', zid: 'order_product_id' } as const;

const parsed = new Map<string, Json>();
/** A fresh copy of a fixture's JSON (parsed once). */
export function loadFixture(platform: FuzzPlatform, name: string): Json {
  const key = `${platform}/${name}`;
  if (!parsed.has(key)) parsed.set(key, fixture(platform, name));
  return structuredClone(parsed.get(key));
}

const isRecord = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The order object inside a body, where the adapters look for it. */
export function orderOf(platform: FuzzPlatform, body: Json): Json {
  if (!isRecord(body)) return undefined;
  if (platform === 'salla') return isRecord(body.data) && isRecord(body.data.order) && !Array.isArray(body.data.items) ? body.data.order : body.data;
  return isRecord(body.data) ? body.data : isRecord(body.order) ? body.order : body;
}

export const linesOf = (platform: FuzzPlatform, body: Json): Json[] | undefined => {
  const lines = orderOf(platform, body)?.[LINES[platform]];
  return Array.isArray(lines) ? lines : undefined;
};

/** Zid does not settle whether an order arrives bare, as `data` or as `order`: every shape is accepted. */
export type ZidShape = 'bare' | 'data' | 'order';

function reshapeZid(body: Json, shape: ZidShape): Json {
  const order = orderOf('zid', body);
  const event: unknown = body.event;
  const { event: _inner, ...bare } = order;
  if (shape === 'bare') return event === undefined ? bare : { event, ...bare };
  if (shape === 'data') return { event: event ?? 'order.create', store_id: order.store_id, data: bare };
  return { event: event ?? 'order.create', order: bare };
}

export type Where = 'body' | 'order' | 'customer' | 'line';

/**
 * Set `key` (dotted: `product.id`) of the body, its order, its customer or one of its lines; copy the
 * lines; replace them with `compactLines` minimal lines of the mapped product; or fill a field with
 * `invalidUtf8` bytes that are not UTF-8 (each decodes to a 3-byte U+FFFD).
 */
export type Mutation =
  | { set: Where; key: string; value: unknown; line: number }
  | { copyLines: number }
  | { compactLines: number }
  | { invalidUtf8: number; set: Where; key: string };

function targetOf(platform: FuzzPlatform, body: Json, where: Where, line: number): Record<string, Json> | undefined {
  const order = orderOf(platform, body);
  switch (where) {
    case 'body':
      return isRecord(body) ? body : undefined;
    case 'order':
      return isRecord(order) ? order : undefined;
    case 'customer':
      return isRecord(order) && isRecord(order.customer) ? order.customer : undefined;
    case 'line': {
      const lines = linesOf(platform, body);
      const picked = lines && lines.length > 0 ? lines[line % lines.length] : undefined;
      return isRecord(picked) ? picked : undefined;
    }
  }
}

function setPath(target: Record<string, Json>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isRecord(node[part])) node[part] = {};
    node = node[part];
  }
  node[parts[parts.length - 1] as string] = value;
}

export function applyMutation(platform: FuzzPlatform, body: Json, mutation: Mutation): void {
  const order = orderOf(platform, body);
  if ('copyLines' in mutation) {
    const lines = linesOf(platform, body)?.filter(isRecord);
    if (!lines || lines.length === 0) return;
    order[LINES[platform]] = Array.from({ length: mutation.copyLines }, (_, k) => ({ ...(lines[k % lines.length] as object), [LINE_ID[platform]]: 1000 + k }));
  } else if ('compactLines' in mutation) {
    if (!isRecord(order)) return;
    const product = MAPPED_PRODUCTS[platform].single;
    order[LINES[platform]] = Array.from({ length: mutation.compactLines }, (_, k) =>
      platform === 'salla' ? { id: 1000 + k, product_id: Number(product), quantity: 1 } : { id: product, order_product_id: 1000 + k, quantity: 1 },
    );
  } else if ('invalidUtf8' in mutation) {
    const target = targetOf(platform, body, mutation.set, 0);
    if (target) setPath(target, mutation.key, RawJson.string([Buffer.alloc(mutation.invalidUtf8, 0xff)]));
  } else {
    const target = targetOf(platform, body, mutation.set, mutation.line);
    if (target) setPath(target, mutation.key, mutation.value);
  }
}

const set = (where: Where, key: string | fc.Arbitrary<string>, value: fc.Arbitrary<unknown>): fc.Arbitrary<Mutation> =>
  fc.record({ set: fc.constant(where), key: typeof key === 'string' ? fc.constant(key) : key, value, line: fc.nat({ max: 3 }) });

/** The demo store spelled every way that still names it, and stores that are not it. */
export const storeSpellings: Record<FuzzPlatform, fc.Arbitrary<unknown>> = {
  salla: fc.oneof(
    fc.constantFrom(1305146709, '1305146709', ' 1305146709 ', '\ufeff1305146709', RawJson.text('1305146709.0'), RawJson.text('1.305146709e9')),
    fc.constantFrom(STORES.salla.neighbour.storeId, '01305146709'),
    oddId([]),
  ),
  zid: fc.oneof(
    fc.constantFrom(80123, '80123', ' 80123\n', RawJson.text('80123.0'), RawJson.text('8.0123e4')),
    fc.constantFrom(STORES.zid.neighbour.storeId, '080123'),
    oddId([]),
  ),
};

const copyLines = fc.integer({ min: 2, max: 20 }).map((copyLines): Mutation => ({ copyLines }));
const oddLines = fc.constantFrom([], null, 'x', {}, undefined, [null], [1], [[]]);
const oddCustomer = fc.constantFrom(undefined, null, {}, 'x', []);

const sallaMutation: fc.Arbitrary<Mutation> = fc.oneof(
  set('line', 'quantity', oddQuantity),
  set('line', fc.constantFrom('product.id', 'product_id', 'product_sku_id'), oddId(Object.values(MAPPED_PRODUCTS.salla))),
  set('line', fc.constantFrom('product', 'id'), fc.oneof(oddId([]), oddValue)),
  set('line', fc.constantFrom('name', 'product.name', 'sku', 'notes'), fc.oneof(markedText, oddValue)),
  copyLines,
  set('order', 'items', oddLines),
  set('body', 'event', oddEvent(EVENTS.salla)),
  set('body', 'merchant', storeSpellings.salla),
  set('body', 'data', fc.constantFrom(null, [], 'x', 1, undefined)),
  set('order', 'customer', oddCustomer),
  set('customer', fc.constantFrom('full_name', 'first_name', 'last_name', 'email', 'lang'), fc.oneof(markedText, oddValue)),
  set('customer', fc.constantFrom('mobile', 'mobile_code'), oddPhone),
  set('order', 'status', fc.oneof(fc.constantFrom('completed', 'in_progress', 'canceled', 'refunded', 'under_review', 'COMPLETED', ' completed ').map((slug) => ({ slug })), oddValue)),
  set('order', 'payment_method', fc.oneof(fc.constantFrom('credit_card', 'mada', 'bank', 'cod', 'BANK', ' cod '), oddValue)),
  set('order', fc.constantFrom('draft', 'is_pending_payment'), fc.oneof(fc.boolean(), oddValue)),
  set('order', fc.constantFrom('id', 'reference_id'), oddId([])),
  set('order', fc.constantFrom('lang', 'language'), fc.oneof(fc.constantFrom('ar', 'en', 'AR-sa', 'en_US', 'fr', ''), oddValue)),
);

const zidMutation: fc.Arbitrary<Mutation> = fc.oneof(
  set('line', 'quantity', oddQuantity),
  set('line', 'id', oddId(Object.values(MAPPED_PRODUCTS.zid))),
  set('line', 'order_product_id', oddId([])),
  set('line', 'name', fc.oneof(markedText, fc.record({ ar: markedText, en: oddValue }), oddValue)),
  set('line', 'sku', oddValue),
  copyLines,
  set('order', 'products', oddLines),
  set('body', 'event', oddEvent(EVENTS.zid)),
  set('body', 'store_id', storeSpellings.zid),
  set('order', 'store_id', storeSpellings.zid),
  set('order', 'customer', oddCustomer),
  set('customer', fc.constantFrom('name', 'email', 'note'), fc.oneof(markedText, oddValue)),
  set('customer', 'mobile', oddPhone),
  set('order', 'order_status', fc.oneof(fc.constantFrom('new', 'cancelled', 'canceled', 'CANCELLED', ' delivered').map((code) => ({ code })), fc.constantFrom('cancelled', 'new', ''), oddValue)),
  set('order', 'payment_status', fc.oneof(fc.constantFrom('paid', 'PAID', ' paid ', 'unpaid', 'refunded', 'voided', 'pending'), oddValue)),
  set('order', fc.constantFrom('id', 'code'), oddId([])),
  set('order', 'language', fc.oneof(fc.constantFrom('ar', 'en', 'EN-us', 'de', ''), oddValue)),
);

export const randomMutations = (platform: FuzzPlatform, maxLength: number): fc.Arbitrary<Mutation[]> =>
  fc.array(platform === 'salla' ? sallaMutation : zidMutation, { maxLength });

/** Where the marker goes besides the body's own `note`: fields that reach the message and fields that do not. */
const PLANT_SITES: Record<FuzzPlatform, ReadonlyArray<{ set: Where; key: string }>> = {
  salla: [
    { set: 'customer', key: 'full_name' },
    { set: 'customer', key: 'email' },
    { set: 'line', key: 'name' },
    { set: 'line', key: 'notes' },
    { set: 'order', key: 'notes' },
    { set: 'body', key: 'created_at' },
  ],
  zid: [
    { set: 'customer', key: 'name' },
    { set: 'customer', key: 'note' },
    { set: 'line', key: 'name' },
    { set: 'order', key: 'code' },
    { set: 'order', key: 'customer_note' },
  ],
};

/** A fixture, reshaped (Zid), mutated, and the marker planted in it. */
export interface OrderCase {
  platform: FuzzPlatform;
  fixture: string;
  shape: ZidShape | undefined;
  mutations: Mutation[];
  plant: { set: Where; key: string };
  asciiOnly: boolean;
}

export interface OrderCaseOptions {
  /** Default: every fixture of the platform. */
  fixtures?: readonly string[];
  shapes?: readonly ZidShape[];
  /** Default: up to 4 random mutations. */
  mutations?: fc.Arbitrary<Mutation[]>;
}

export function orderCase(platform: FuzzPlatform, options: OrderCaseOptions = {}): fc.Arbitrary<OrderCase> {
  const { paid, other } = FIXTURES[platform];
  return fc.record({
    platform: fc.constant(platform),
    fixture: fc.constantFrom(...(options.fixtures ?? [...paid, ...other])),
    shape: platform === 'zid' ? fc.constantFrom<ZidShape>(...(options.shapes ?? ['bare', 'data', 'order'])) : fc.constant(undefined),
    mutations: options.mutations ?? randomMutations(platform, 4),
    plant: fc.constantFrom(...PLANT_SITES[platform]),
    asciiOnly: fc.boolean(),
  });
}

/** The body of a case as parsed JSON, before serialisation. */
export function orderBodyJson(c: OrderCase): Json {
  let body = loadFixture(c.platform, c.fixture);
  if (c.platform === 'zid' && c.shape) body = reshapeZid(body, c.shape);
  if (isRecord(body)) body.note = MARKER;
  applyMutation(c.platform, body, { ...c.plant, value: MARKER, line: 0 });
  for (const mutation of c.mutations) applyMutation(c.platform, body, mutation);
  return body;
}

export const orderBody = (c: OrderCase): Buffer => jsonBytes(orderBodyJson(c), { asciiOnly: c.asciiOnly });
