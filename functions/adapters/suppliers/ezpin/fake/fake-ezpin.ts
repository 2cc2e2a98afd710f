// Local fake of EZ PIN (vendors API v2) on node:http, for `npm start` and adapter tests. Follows the
// documented endpoints and shapes (docs/suppliers.md, "EZ PIN") and injects the failures the adapter
// must survive: 5xx, latency, slow and partial fulfilment, stock-outs, an empty balance, EZ PIN's
// error codes, and a POST that is committed but whose answer is lost.
import { closeServer, listenOnLocalhost } from '#local/fake-http';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { CommonFakeKnobs } from '../../supplier-module';
import { Ledger, type FakePartialFulfilment, type FakeProduct, type LedgerRules, type Refusal } from './ledger';
import { freshSeed, seededRandom, type Random } from './random';
import { validateOrder } from './validate-order';
import { catalogView, currencyView, orderView, parseJson, readBody, routeOf, send } from './wire';

export interface FakeEzpinOptions extends CommonFakeKnobs {
  /** Default 0: a free port. */
  port?: number;
  /** Accepted credentials; when unset any non-empty pair is accepted. */
  clientId?: string;
  secretKey?: string;
  /** When set, every order must carry this terminal_id / terminal_pin (406, code 617 otherwise). */
  terminalId?: number;
  terminalPin?: string;
  /** `expire` of issued tokens, in ms. Default 3 600 000. */
  tokenTtlMs?: number;
  /** Answered by `failureRate`. Default [500, 503]. */
  failureStatuses?: number[];
  /** Seeds failure injection. Default 1. */
  seed?: number;
  /** Seeds issued cards. Default: random, so cards never repeat across fakes. */
  cardSeed?: number;
  /** Orders stay pending (status 0) until due; `cardsPerRead` then hands the cards out a few at a time. */
  partialFulfilment?: FakePartialFulfilment | false;
  /** Unit price per sku: reprices a product, or adds one. Another price in an order → 612. */
  prices?: Record<string, number>;
  /** Currency of `balance`. Default USD. */
  currency?: string;
  /** More balance rows, per currency (never charged). */
  otherBalances?: Record<string, number>;
  /** Skus whose orders end rejected (status -1), money and stock given back. */
  rejectProducts?: string[];
  /** Skus whose orders are refused with this code (603, 606, 609, 610, 612, 614, …), nothing charged. */
  errorCodes?: Record<string, number>;
  /** Skus whose cards are only a claim_url (card_number and pin_code empty). */
  urlOnlyProducts?: string[];
  /** Answer the cards endpoint with a bare list instead of the OpenAPI `{ results }` page. */
  cardsAsList?: boolean;
  /**
   * One-shot: the next POST /orders/ is committed (charged, cards reserved), then its answer is lost:
   * `http500` answers 500, `hang` never answers (the client times out), `reset` drops the connection.
   * `true` means `http500`. Re-arm with setOptions.
   */
  failNextPostAfterCommit?: boolean | 'http500' | 'hang' | 'reset';
}

export interface FakeEzpinStats {
  tokensIssued: number;
  /** Requests per endpoint, e.g. `POST /orders/`, `GET /orders/:reference_code/`. */
  requests: Record<string, number>;
  /** Orders committed (charged), all references together. */
  ordersPlaced: number;
  /** Orders committed per reference_code: a double purchase would show as 2. */
  ordersByReference: Record<string, number>;
  /** POST /orders/ received per reference_code, refused ones included. */
  postsByReference: Record<string, number>;
  cardsIssued: number;
  rejectedDuplicates: number;
  injectedFailures: number;
  balance: number;
  stock: Record<string, number>;
}

export interface FakeEzpin {
  /** API base URL, like `https://api.ezpaypin.com/vendors/v2`. */
  url: string;
  stats(): FakeEzpinStats;
  setOptions(partial: Partial<FakeEzpinOptions>): void;
  /** Invalidates every issued token: the next API call gets 401. */
  revokeTokens(): void;
  stop(): Promise<void>;
}

export const FAKE_PRODUCTS: Readonly<Record<string, FakeProduct>> = {
  '1001': { title: 'Fake gift card $25', price: 25 },
  '1002': { title: 'Fake gift card $50', price: 50 },
  '1003': { title: 'Fake gift card $100', price: 100 },
};

const BASE_PATH = '/vendors/v2';

/** Starts the fake on 127.0.0.1. Stop it with `stop()`. */
export async function startFakeEzpin(initial: FakeEzpinOptions = {}): Promise<FakeEzpin> {
  let options: FakeEzpinOptions = { ...initial };
  let random: Random = seededRandom(options.seed ?? 1);
  let cardRandom: Random = seededRandom(options.cardSeed ?? freshSeed());
  let base = '';
  const ledger = new Ledger(options.balance ?? 1_000_000, rulesOf(options), () => cardRandom, () => base);
  const tokens = new Map<string, number>();
  const requests: Record<string, number> = {};
  const postsByReference: Record<string, number> = {};
  let tokensIssued = 0;
  let injectedFailures = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { detail: 'Internal Server Error' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.startsWith(`${BASE_PATH}/`) ? url.pathname.slice(BASE_PATH.length) : '';
    const route = routeOf(req.method ?? 'GET', path);
    requests[route.key] = (requests[route.key] ?? 0) + 1;
    const raw = await readBody(req);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));

    if (route.key === 'POST /auth/token/') return token(res, raw);
    if (route.key.startsWith('unknown')) return send(res, 404, { detail: 'Not found.' });
    if (!authenticated(req)) return send(res, 401, { detail: 'Access token is missing or invalid' });
    if ((options.failureRate ?? 0) > 0 && random() < (options.failureRate ?? 0)) {
      injectedFailures += 1;
      const statuses = options.failureStatuses?.length ? options.failureStatuses : [500, 503];
      const status = statuses[Math.floor(random() * statuses.length)];
      return send(res, status, { detail: status === 429 ? 'Request was throttled.' : 'Service temporarily unavailable, please try again later' });
    }
    switch (route.key) {
      case 'GET /catalogs/': {
        const results = Object.entries(ledger.rules.products).map(([sku, p]) => catalogView(sku, p, currency()));
        return send(res, 200, { count: results.length, next: null, previous: null, results });
      }
      case 'GET /catalogs/:sku/availability/': {
        const refusal = ledger.check(route.param, Number(url.searchParams.get('item_count')), Number(url.searchParams.get('price')));
        return send(res, 200, refusal ? { availability: false, detail: refusal.detail } : { availability: true, detail: 'This catalog is available.' });
      }
      case 'GET /balance/':
        return send(res, 200, balances());
      case 'POST /orders/':
        return placeOrder(res, raw);
      case 'GET /orders/:reference_code/': {
        const found = ledger.find(route.param);
        if (!found) return send(res, 404, { detail: 'Not found.' });
        return send(res, 200, orderView(ledger.read(found, 'order'), titleOf(found.sku), base));
      }
      case 'GET /orders/:reference_code/cards/': {
        const found = ledger.find(route.param);
        if (!found) return send(res, 404, { detail: 'Not found.' });
        const cards = ledger.read(found, 'cards').cards.slice(0, found.released);
        return send(res, 200, options.cardsAsList ? cards : { count: cards.length, next: null, previous: null, results: cards });
      }
    }
  }

  function token(res: ServerResponse, raw: string): void {
    const body = parseJson(raw);
    const id = typeof body?.client_id === 'string' ? body.client_id : '';
    const secret = typeof body?.secret_key === 'string' ? body.secret_key : '';
    const wrongId = options.clientId !== undefined ? id !== options.clientId : !id;
    const wrongSecret = options.secretKey !== undefined ? secret !== options.secretKey : !secret;
    if (wrongId || wrongSecret) return send(res, 400, { code: 615, detail: 'user not found. please enter correct data' });
    const ttl = options.tokenTtlMs ?? 3_600_000;
    const value = randomBytes(24).toString('base64url');
    tokens.set(value, Date.now() + ttl);
    tokensIssued += 1;
    send(res, 200, { access: value, expire: ttl });
  }

  function authenticated(req: IncomingMessage): boolean {
    const value = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expiresAt = value ? tokens.get(value) : undefined;
    return expiresAt !== undefined && Date.now() < expiresAt;
  }

  function placeOrder(res: ServerResponse, raw: string): void {
    const checked = validateOrder(parseJson(raw), { terminalId: options.terminalId, terminalPin: options.terminalPin });
    if (checked.reference) postsByReference[checked.reference] = (postsByReference[checked.reference] ?? 0) + 1;
    if (isRefusal(checked.result)) return send(res, checked.result.status, errorBody(checked.result));
    const outcome = ledger.order(checked.result);
    if (isRefusal(outcome)) return send(res, outcome.status, errorBody(outcome));

    const lost = options.failNextPostAfterCommit === true ? 'http500' : options.failNextPostAfterCommit;
    if (lost) {
      options = { ...options, failNextPostAfterCommit: false };
      if (lost === 'hang') return; // committed; the answer never comes
      if (lost === 'reset') return void res.socket?.destroy();
      return send(res, 500, { detail: 'Internal Server Error' });
    }
    send(res, 200, orderView(outcome, titleOf(outcome.sku), base));
  }

  const currency = () => options.currency ?? 'USD';
  const titleOf = (sku: number) => ledger.rules.products[String(sku)]?.title ?? `Fake gift card ${sku}`;
  const balances = () =>
    [[currency(), ledger.balance] as const, ...Object.entries(options.otherBalances ?? {})].map(([code, amount]) => ({
      currency: currencyView(code),
      balance: amount.toFixed(2),
    }));

  base = await listenOnLocalhost(server, options.port);

  return {
    url: `${base}${BASE_PATH}`,
    stats: () => ({
      tokensIssued,
      requests: { ...requests },
      ordersPlaced: ledger.orders.length,
      ordersByReference: { ...ledger.ordersByReference },
      postsByReference: { ...postsByReference },
      cardsIssued: ledger.cardsIssued,
      rejectedDuplicates: ledger.rejectedDuplicates,
      injectedFailures,
      balance: ledger.balance,
      stock: { ...ledger.rules.stock },
    }),
    setOptions(partial) {
      options = { ...options, ...partial };
      if (partial.seed !== undefined) random = seededRandom(partial.seed);
      if (partial.cardSeed !== undefined) cardRandom = seededRandom(partial.cardSeed);
      if (partial.balance !== undefined) ledger.balance = partial.balance;
      ledger.rules = { ...rulesOf(options), stock: partial.stock ? { ...partial.stock } : ledger.rules.stock };
    },
    revokeTokens: () => tokens.clear(),
    stop: () =>
      closeServer(server),
  };
}

function rulesOf(options: FakeEzpinOptions): LedgerRules {
  const priced = Object.entries(options.prices ?? {}).map(([sku, price]) => [sku, { title: FAKE_PRODUCTS[sku]?.title ?? `Fake gift card ${sku}`, price }]);
  return {
    products: { ...FAKE_PRODUCTS, ...Object.fromEntries(priced) },
    stock: { ...(options.stock ?? {}) },
    partialFulfilment: options.partialFulfilment ?? false,
    rejectProducts: options.rejectProducts ?? [],
    errorCodes: options.errorCodes ?? {},
    urlOnlyProducts: options.urlOnlyProducts ?? [],
  };
}

const errorBody = (refusal: Refusal) => refusal.body ?? (refusal.code === undefined ? { detail: refusal.detail } : { code: refusal.code, detail: refusal.detail });

function isRefusal(value: unknown): value is Refusal {
  return typeof (value as Refusal).detail === 'string' && typeof (value as Refusal).status === 'number';
}
