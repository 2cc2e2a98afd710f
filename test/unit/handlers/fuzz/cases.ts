// Every kind of request the fuzz sends, as data (what fast-check prints for a counterexample), and
// the one function that turns a case into the HTTP request.
import fc from 'fast-check';
import {
  contentType,
  forgedBasic,
  forgedSignature,
  forgedToken,
  genuineAuth,
  genuineHeaders,
  sallaForgedHeaders,
  zidForgedHeaders,
  type ForgedBasic,
  type ForgedSignature,
  type ForgedToken,
  type GenuineAuth,
} from './auth';
import { jsonBytes, RawJson } from './json-bytes';
import { FIXTURES, linesOf, orderBody, orderBodyJson, orderCase, orderOf, type Mutation, type OrderCase, type OrderCaseOptions } from './orders';
import { hugeQuantity, markedText } from './values';
import { MAPPED_PRODUCTS, STORES, type Delivery, type FuzzPlatform } from './webhook-harness';

const route = (platform: FuzzPlatform) => `/webhooks/${platform}`;
const noMutations = fc.constant<Mutation[]>([]);

/** A delivery the demo store really sent (possibly of a body no platform would send). */
export interface GenuineCase {
  kind: 'genuine';
  order: OrderCase;
  auth: GenuineAuth;
  contentType: string | undefined;
}

export const genuineCase = (platform: FuzzPlatform, options: OrderCaseOptions & { contentType?: fc.Arbitrary<string | undefined> } = {}): fc.Arbitrary<GenuineCase> =>
  fc.record({ kind: fc.constant<'genuine'>('genuine'), order: orderCase(platform, options), auth: genuineAuth[platform], contentType: options.contentType ?? contentType });

/** Whose store a forged delivery names, and how. `none`: no usable store id at all. */
export interface StoreTarget {
  target: 'demo' | 'neighbour' | 'unknown' | 'odd' | 'none' | 'conflict';
  value: unknown;
}

const configured: ReadonlySet<string> = new Set(Object.values(STORES).flatMap((s) => [s.demo.storeId, s.neighbour.storeId]));
const oddStore = (platform: FuzzPlatform) => {
  const demo = STORES[platform].demo.storeId;
  return fc
    .oneof(markedText, fc.constantFrom(`../${platform}/${demo}`, `${demo}/../${STORES[platform].neighbour.storeId}`, '*', 'x'.repeat(65), `${demo}\u0000`, `${demo} ${demo}`, `streamsync/webhook/${platform}/${demo}`, '١٣٠٥'))
    .map((value): StoreTarget => ({ target: 'odd', value }));
};
const storeTargets = (platform: FuzzPlatform): fc.Arbitrary<StoreTarget> => {
  const { demo, neighbour } = STORES[platform];
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(Number(demo.storeId), demo.storeId).map((value): StoreTarget => ({ target: 'demo', value })) },
    fc.constantFrom(Number(neighbour.storeId), neighbour.storeId).map((value): StoreTarget => ({ target: 'neighbour', value })),
    fc.integer({ min: 1, max: 2 ** 31 }).filter((n) => !configured.has(String(n))).map((value): StoreTarget => ({ target: 'unknown', value })),
    oddStore(platform),
    fc.constantFrom(undefined, null, -1, 1.5, {}, [], '', '  ', true, 2 ** 60).map((value): StoreTarget => ({ target: 'none', value })),
    ...(platform === 'zid' ? [fc.constant<StoreTarget>({ target: 'conflict', value: neighbour.storeId })] : []),
  );
};

/** Puts the store into the body where the platform's adapter reads it. */
function nameStore(platform: FuzzPlatform, body: Record<string, unknown>, store: StoreTarget): void {
  if (platform === 'salla') {
    body.merchant = store.value;
    return;
  }
  const order = orderOf('zid', body) as Record<string, unknown>;
  // A top-level store_id wins over the order's own: name a neighbour there, the demo store below.
  order.store_id = store.target === 'conflict' ? STORES.zid.demo.storeId : store.value;
  if (order !== body || store.target === 'conflict') body.store_id = store.value;
}

/** Salla's strategy header against the demo store, pinned to Signature: a header naming anything else rejects. */
function strategyRule(strategy: string | undefined): 'signature' | 'rejected' {
  const s = strategy?.trim().toLowerCase();
  return s === undefined || s === '' || s === 'signature' ? 'signature' : 'rejected';
}

export interface SallaForgeryCase {
  kind: 'salla-forgery';
  order: OrderCase;
  store: StoreTarget;
  strategy: string | undefined;
  /** `genuine`: the demo store's real signature, sent where the strategy does not look at it (or for another store). */
  signature: ForgedSignature | 'genuine' | undefined;
  token: ForgedToken | 'genuine' | undefined;
  contentType: string | undefined;
}

const SALLA_STRATEGIES = [undefined, '', 'Signature', 'SIGNATURE', 'signature', 'Token', 'token', 'TOKEN', 'hmac', 'Basic', 'Signature,Token', 'Signature Token', 'signatures', 'none', 'Bearer', 'sha256'];

export const sallaForgery: fc.Arbitrary<SallaForgeryCase> = fc
  .record({ store: storeTargets('salla'), strategy: fc.constantFrom(...SALLA_STRATEGIES) })
  .chain(({ store, strategy }) => {
    const rule = strategyRule(strategy);
    const otherStore = store.target !== 'demo';
    // The neighbour's own credentials are genuine for the neighbour: not a forgery there.
    const forNeighbour = store.target === 'neighbour';
    // The genuine credential is only sent where it must not count: a check the strategy does not select, or another store.
    const signature = otherStore || rule === 'rejected' ? fc.constantFrom<'genuine' | undefined>('genuine', undefined) : fc.constant(undefined);
    // The demo store is pinned to Signature: its genuine token never counts, whatever the header says.
    const token = fc.constantFrom<'genuine' | undefined>('genuine', undefined);
    return fc.record({
      kind: fc.constant<'salla-forgery'>('salla-forgery'),
      order: orderCase('salla', { fixtures: FIXTURES.salla.paid, mutations: noMutations }),
      store: fc.constant(store),
      strategy: fc.constant(strategy),
      signature: fc.oneof(forNeighbour ? forgedSignature.filter((f) => f !== 'with-neighbour-secret') : forgedSignature, signature),
      token: fc.oneof(forNeighbour ? forgedToken.filter((f) => f !== 'neighbour') : forgedToken, token),
      contentType,
    });
  });

export interface ZidForgeryCase {
  kind: 'zid-forgery';
  order: OrderCase;
  store: StoreTarget;
  credential: ForgedBasic | 'genuine' | undefined;
  contentType: string | undefined;
}

export const zidForgery: fc.Arbitrary<ZidForgeryCase> = storeTargets('zid').chain((store) => {
  // The neighbour's own credentials are genuine for the neighbour (also named first in a conflict): not a forgery there.
  const forged = store.target === 'neighbour' || store.target === 'conflict' ? forgedBasic.filter((f) => f !== 'neighbour') : forgedBasic;
  return fc.record({
    kind: fc.constant<'zid-forgery'>('zid-forgery'),
    // A conflict needs a body where the top-level store_id and the order's differ.
    order: orderCase('zid', { fixtures: FIXTURES.zid.paid, mutations: noMutations, shapes: store.target === 'conflict' ? ['data', 'order'] : undefined }),
    store: fc.constant(store),
    credential: store.target === 'demo' ? fc.option(forged, { nil: undefined }) : fc.oneof(forged, fc.constantFrom<'genuine' | undefined>('genuine', undefined)),
    contentType,
  });
});

/** What a forged delivery must be answered: 400 when it names no store, else 401. */
export const forgeryStatus = (c: SallaForgeryCase | ZidForgeryCase): number => (c.store.target === 'none' ? 400 : 401);

/** A genuine, paid delivery sent to a path or with a method the function does not serve. */
export interface WrongRouteCase {
  kind: 'wrong-route';
  delivery: GenuineCase;
  request: { method: string; path: string };
}

const wrongPath = (platform: FuzzPlatform): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('/webhooks/shopify', '/webhooks/', '/webhooks', '/', '/webhooks/__proto__', '/webhooks/constructor', '/webhooks/hasOwnProperty', '/webhooks/toString'),
    fc.constantFrom('/webhooks/SALLA', '/webhooks/Zid', '/webhooks/sall%61', `/webhooks/${platform}%00`, `/webhooks/${platform}.json`, `/webhooks/${platform}%2F`),
    fc.stringMatching(/^[a-z0-9_-]{1,16}$/).filter((s) => s !== 'salla' && s !== 'zid').map((s) => `/webhooks/${s}`),
  );

const wrongRouteOf = (platform: FuzzPlatform): fc.Arbitrary<WrongRouteCase> =>
  fc.record({
    kind: fc.constant<'wrong-route'>('wrong-route'),
    delivery: genuineCase(platform, { fixtures: FIXTURES[platform].paid, mutations: noMutations }),
    request: fc.oneof(
      fc.record({ method: fc.constant('POST'), path: wrongPath(platform) }),
      fc.record({ method: fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'post'), path: fc.constant(route(platform)) }),
    ),
  });

export const wrongRoute: fc.Arbitrary<WrongRouteCase> = fc.oneof(wrongRouteOf('salla'), wrongRouteOf('zid'));

/** A body that is not a usable JSON object, sent with the demo store's genuine credentials. */
export type Malformation =
  | { truncatedAt: number }
  | { bytes: Uint8Array }
  | { text: string }
  | { json: unknown }
  | { nested: number; kind: 'array' | 'object'; site: 'root' | 'store' | 'lines' | 'customer' }
  | { hugeString: number; char: string; site: 'store' | 'quantity' }
  | { padBeyondLimit: number }
  | { controlByte: number; at: number }
  | { invalidBytes: Uint8Array; site: 'start' | 'after-brace' | 'end' }
  | { encoding: 'bom' | 'utf16le' | 'utf16le-bom' }
  | { syntax: 'trailing-comma' | 'single-quotes' | 'comment' | 'nan' | 'trailing-garbage' | 'two-documents' | 'unquoted-key' | 'hex-number' | 'leading-zero' }
  | { wrappedIn: '__proto__' | 'constructor' | 'prototype' };

export interface MalformedCase {
  kind: 'malformed';
  base: GenuineCase;
  malformation: Malformation;
}

const CONTROL_BYTES = [...Array.from({ length: 32 }, (_, i) => i).filter((b) => b !== 0x09 && b !== 0x0a && b !== 0x0d)];
// Mostly shallow; now and then deeper than any recursive parser or serialiser survives, up to past the body limit.
const depth = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 1000 }) }, { weight: 1, arbitrary: fc.integer({ min: 1000, max: 150_000 }) });
const hugeLength = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 20, max: 5000 }) }, { weight: 1, arbitrary: fc.integer({ min: 5000, max: 300_000 }) });

const malformation: fc.Arbitrary<Malformation> = fc.oneof(
  fc.nat().map((truncatedAt) => ({ truncatedAt })),
  fc.uint8Array({ maxLength: 1024 }).map((bytes) => ({ bytes })),
  fc.string({ unit: 'binary', maxLength: 512 }).map((text) => ({ text })),
  fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((json) => ({ json })),
  fc.record({ nested: depth, kind: fc.constantFrom<'array' | 'object'>('array', 'object'), site: fc.constantFrom<'root' | 'store' | 'lines'>('root', 'store', 'lines') }),
  // A customer nested in objects is still an object with optional fields: only arrays make it wrong.
  fc.record({ nested: depth, kind: fc.constant<'array'>('array'), site: fc.constant<'customer'>('customer') }),
  fc.record({ hugeString: hugeLength, char: fc.constantFrom('x', '9', 'é', '\u202e', '👍'), site: fc.constantFrom<'store' | 'quantity'>('store', 'quantity') }),
  fc.nat({ max: 100_000 }).map((padBeyondLimit) => ({ padBeyondLimit })),
  fc.record({ controlByte: fc.constantFrom(...CONTROL_BYTES), at: fc.nat() }),
  fc.record({
    invalidBytes: fc.oneof(fc.uint8Array({ min: 0x80, max: 0xff, minLength: 1, maxLength: 4 }), fc.constant(Uint8Array.from([0xed, 0xa0, 0x80]))),
    site: fc.constantFrom<'start' | 'after-brace' | 'end'>('start', 'after-brace', 'end'),
  }),
  fc.constantFrom<'bom' | 'utf16le' | 'utf16le-bom'>('bom', 'utf16le', 'utf16le-bom').map((encoding) => ({ encoding })),
  fc
    .constantFrom('trailing-comma', 'single-quotes', 'comment', 'nan', 'trailing-garbage', 'two-documents', 'unquoted-key', 'hex-number', 'leading-zero')
    .map((syntax) => ({ syntax }) as Malformation),
  fc.constantFrom<'__proto__' | 'constructor' | 'prototype'>('__proto__', 'constructor', 'prototype').map((wrappedIn) => ({ wrappedIn })),
);

export const malformedCase = (platform: FuzzPlatform): fc.Arbitrary<MalformedCase> =>
  fc.record({
    kind: fc.constant<'malformed'>('malformed'),
    base: genuineCase(platform, { fixtures: FIXTURES[platform].paid, mutations: noMutations }),
    malformation,
  });

function malformedBody(c: MalformedCase, maxBodyBytes: number): Buffer {
  const { platform } = c.base.order;
  const m = c.malformation;
  const body = orderBody(c.base.order);
  const text = body.toString('utf8');
  const edit = (change: (json: Record<string, unknown>) => void) => {
    const json = orderBodyJson(c.base.order);
    change(json);
    return jsonBytes(json, { asciiOnly: c.base.order.asciiOnly });
  };
  if ('truncatedAt' in m) return body.subarray(0, m.truncatedAt % body.length);
  if ('bytes' in m) return Buffer.from(m.bytes);
  if ('text' in m) return Buffer.from(m.text, 'utf8');
  if ('json' in m) return jsonBytes(m.json);
  if ('nested' in m) {
    const nested = RawJson.nested(m.nested, m.kind);
    if (m.site === 'root') return nested.bytes;
    return edit((json) => {
      const order = orderOf(platform, json);
      if (m.site === 'store') nameStore(platform, json, { target: 'none', value: nested });
      else if (m.site === 'lines') order[platform === 'salla' ? 'items' : 'products'] = nested;
      else order.customer = nested;
    });
  }
  if ('hugeString' in m) {
    const huge = m.char.repeat(Math.ceil(m.hugeString / m.char.length));
    return edit((json) => {
      if (m.site === 'store') nameStore(platform, json, { target: 'odd', value: huge });
      else for (const line of linesOf(platform, json) ?? []) line.quantity = huge;
    });
  }
  if ('padBeyondLimit' in m) return edit((json) => void (json.pad = 'p'.repeat(maxBodyBytes + m.padBeyondLimit)));
  if ('controlByte' in m) {
    const at = m.at % (body.length + 1);
    return Buffer.concat([body.subarray(0, at), Buffer.from([m.controlByte]), body.subarray(at)]);
  }
  if ('invalidBytes' in m) {
    const bad = Buffer.from(m.invalidBytes);
    if (m.site === 'start') return Buffer.concat([bad, body]);
    if (m.site === 'end') return Buffer.concat([body, bad]);
    return Buffer.concat([body.subarray(0, 1), bad, body.subarray(1)]);
  }
  if ('encoding' in m) {
    if (m.encoding === 'bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
    const utf16 = Buffer.from(text, 'utf16le');
    return m.encoding === 'utf16le' ? utf16 : Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]);
  }
  if ('syntax' in m) {
    const inner = text.slice(1);
    const broken = {
      'trailing-comma': `${text.slice(0, -1)},}`,
      'single-quotes': text.replaceAll('"', "'"),
      comment: `/* fuzz */${text}`,
      nan: `{"x":NaN,${inner}`,
      'trailing-garbage': `${text}x`,
      'two-documents': `${text}${text}`,
      'unquoted-key': `{x:1,${inner}`,
      'hex-number': `{"x":0x10,${inner}`,
      'leading-zero': `{"x":012,${inner}`,
    }[m.syntax];
    return Buffer.from(broken, 'utf8');
  }
  return Buffer.from(`{${JSON.stringify(m.wrappedIn)}:${text}}`, 'utf8');
}

/** A paid order asking for a line of at least a million units (as enqueued, after the product's multiplier). */
export const hugeQuantityCase = (platform: FuzzPlatform): fc.Arbitrary<GenuineCase> => {
  const threePack = MAPPED_PRODUCTS[platform].threePack;
  const quantityOf = (value: unknown): Mutation => ({ set: 'line', key: 'quantity', value, line: 0 });
  const toThreePack: Mutation[] =
    platform === 'salla'
      ? [
          { set: 'line', key: 'product.id', value: threePack, line: 0 },
          { set: 'line', key: 'product_sku_id', value: null, line: 0 },
        ]
      : [{ set: 'line', key: 'id', value: threePack, line: 0 }];
  return genuineCase(platform, {
    fixtures: FIXTURES[platform].paid,
    mutations: fc.oneof(
      hugeQuantity.map((q) => [quantityOf(q)]),
      hugeQuantity.map((q) => [quantityOf(String(q))]),
      fc.integer({ min: Math.ceil(1e6 / 3), max: Number.MAX_SAFE_INTEGER }).map((q) => [quantityOf(q), ...toThreePack]),
    ),
  });
};

/** A paid order of thousands of minimal lines of the mapped product: its message outgrows the body. */
export const manyLinesCase = (platform: FuzzPlatform): fc.Arbitrary<GenuineCase> =>
  genuineCase(platform, { fixtures: FIXTURES[platform].paid, mutations: fc.integer({ min: 1, max: 5000 }).map((compactLines) => [{ compactLines }]) });

/** A paid order whose customer name is bytes that are not UTF-8: each decodes to a 3-byte U+FFFD in the message. */
export const notUtf8Case = (platform: FuzzPlatform): fc.Arbitrary<GenuineCase> =>
  genuineCase(platform, {
    fixtures: FIXTURES[platform].paid,
    // Only a non-text content type brings the exact bytes to the function (base64); text is decoded on the way.
    contentType: fc.constant('application/octet-stream'),
    mutations: fc.integer({ min: 1, max: 250_000 }).map((invalidUtf8) => [{ invalidUtf8, set: 'customer', key: platform === 'salla' ? 'full_name' : 'name' }]),
  });

export type AnyCase = GenuineCase | SallaForgeryCase | ZidForgeryCase | WrongRouteCase | MalformedCase;

const platformOf = (c: AnyCase): FuzzPlatform =>
  c.kind === 'salla-forgery' ? 'salla' : c.kind === 'zid-forgery' ? 'zid' : c.kind === 'wrong-route' ? c.delivery.order.platform : c.kind === 'malformed' ? c.base.order.platform : c.order.platform;

/** The HTTP request of a case. */
export function toDelivery(c: AnyCase, limits: { maxBodyBytes: number }): Delivery {
  const platform = platformOf(c);
  switch (c.kind) {
    case 'genuine': {
      const body = orderBody(c.order);
      return { path: route(platform), headers: genuineHeaders(c.auth, body, c.contentType), body };
    }
    case 'salla-forgery':
    case 'zid-forgery': {
      const json = orderBodyJson(c.order);
      nameStore(platform, json, c.store);
      const body = jsonBytes(json, { asciiOnly: c.order.asciiOnly });
      const headers = c.kind === 'salla-forgery' ? sallaForgedHeaders(c, body, c.contentType) : zidForgedHeaders(c.credential, c.contentType);
      return { path: route(platform), headers, body };
    }
    case 'wrong-route':
      return { ...toDelivery(c.delivery, limits), ...c.request };
    case 'malformed': {
      const body = malformedBody(c, limits.maxBodyBytes);
      return { path: route(platform), headers: genuineHeaders(c.base.auth, body, c.base.contentType), body };
    }
  }
}
