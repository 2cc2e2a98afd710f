// Local fake of Reloadly Gift Cards on node:http, for `npm start` and adapter tests. Follows the
// documented endpoints and shapes (docs/suppliers.md says which are confirmed) and injects the
// failures the adapter must survive: 5xx, latency, slow fulfilment, stock-outs, empty balance, a
// POST that is committed but whose answer is lost, an outage, short deliveries and re-sold cards.
import { closeServer, listenOnLocalhost } from '#local/fake-http';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Ledger, type FakeTransaction, type PartialFulfilment, type Refusal } from './ledger';
import { errorBody, parseJson, readBody, reportPage, routeOf, send, stamp, transactionView } from './wire';
import { seededRandom, type Random } from './random';

export interface FakeReloadlyOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Accepted credentials; when unset any non-empty pair is accepted. */
  clientId?: string;
  clientSecret?: string;
  /** `expires_in` of issued tokens. Default 86 400 (sandbox). */
  tokenTtlSeconds?: number;
  /** Delay before every answer, token endpoint included. */
  latencyMs?: number;
  /** 0..1: share of gift card API calls answered with a random status from `failureStatuses`, before anything is done. */
  failureRate?: number;
  /** Default [500, 503]. */
  failureStatuses?: number[];
  /** Seeds failure injection and issued cards. Default 1. */
  seed?: number;
  /** Orders start PENDING/PROCESSING and settle after N reads or T ms. false/absent: SUCCESSFUL at once. */
  partialFulfilment?: PartialFulfilment | false;
  /** Units left per productId (unlisted products are unlimited); too few → out-of-stock refusal. */
  stock?: Record<string, number>;
  /** Accepted unit prices per productId; another price → 400 "Invalid price". */
  denominations?: Record<string, number[]>;
  /** Products whose orders end FAILED or REFUNDED. */
  failProducts?: Record<string, 'FAILED' | 'REFUNDED'>;
  /** Account balance. Default 1 000 000. */
  balance?: number;
  currencyCode?: string;
  /**
   * One-shot: the next POST /orders is committed (charged, cards reserved), then its answer is lost:
   * `http500` answers 500, `hang` never answers (the client times out), `reset` drops the connection.
   * `true` means `http500`. Re-arm with setOptions.
   */
  failNextPostAfterCommit?: boolean | 'http500' | 'hang' | 'reset';
  /** The supplier is down: every connection is dropped before an answer (token endpoint included). */
  refuseConnections?: boolean;
  /** Cards the next orders hand out before any new card: codes sold before (to us or anyone). */
  reissueCards?: Array<{ cardNumber: string; pinCode: string }>;
  /** Each successful order delivers this many cards fewer than its quantity. Default 0. */
  withholdCards?: number;
}

export interface FakeReloadlyStats {
  tokensIssued: number;
  /** Requests per endpoint, e.g. `POST /orders`, `GET /reports/transactions`, `GET /orders/transactions/:id/cards`. */
  requests: Record<string, number>;
  /** Orders committed (charged), all identifiers together. */
  ordersPlaced: number;
  ordersByCustomIdentifier: Record<string, number>;
  cardsIssued: number;
  rejectedDuplicates: number;
  injectedFailures: number;
  balance: number;
  stock: Record<string, number>;
}

export interface FakeReloadly {
  /** Gift card API base URL. */
  url: string;
  /** Token endpoint (same server, `/oauth/token`). */
  authUrl: string;
  stats(): FakeReloadlyStats;
  setOptions(partial: Partial<FakeReloadlyOptions>): void;
  /** Invalidates every issued token: the next API call gets 401 INVALID_TOKEN. */
  revokeTokens(): void;
  stop(): Promise<void>;
}

const AUDIENCES = ['https://giftcards.reloadly.com', 'https://giftcards-sandbox.reloadly.com'];
const AUTH_REQUIRED = 'Full authentication is required to access this resource';

/** Starts the fake on 127.0.0.1. Stop it with `stop()`. */
export async function startFakeReloadly(initial: FakeReloadlyOptions = {}): Promise<FakeReloadly> {
  let options: FakeReloadlyOptions = { ...initial };
  let random: Random = seededRandom(options.seed ?? 1);
  const ledger = new Ledger(options.balance ?? 1_000_000, rulesOf(options), () => random);
  ledger.reissue = [...(options.reissueCards ?? [])];
  const tokens = new Map<string, number>();
  const requests: Record<string, number> = {};
  let tokensIssued = 0;
  let injectedFailures = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, errorBody(req, 'Internal Server Error', null));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = routeOf(req.method ?? 'GET', url.pathname);
    requests[route.key] = (requests[route.key] ?? 0) + 1;
    if (options.refuseConnections) {
      injectedFailures += 1;
      return void req.socket.destroy();
    }
    const body = await readBody(req);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));

    if (route.key === 'POST /oauth/token') return token(res, body);
    if (route.key.startsWith('unknown')) {
      return send(res, 404, { timeStamp: stamp(Date.now()), status: 404, error: 'Not Found', message: 'No message available', path: url.pathname });
    }
    const auth = authenticate(req);
    if (auth) return send(res, 401, errorBody(req, AUTH_REQUIRED, auth));
    if ((options.failureRate ?? 0) > 0 && random() < (options.failureRate ?? 0)) {
      injectedFailures += 1;
      const statuses = options.failureStatuses?.length ? options.failureStatuses : [500, 503];
      const status = statuses[Math.floor(random() * statuses.length)];
      return send(res, status, errorBody(req, status === 429 ? 'Too Many Requests' : 'Service temporarily unavailable, please try again later', null));
    }
    switch (route.key) {
      case 'GET /accounts/balance':
        return send(res, 200, { balance: ledger.balance, currencyCode: currency(), currencyName: 'US Dollar', updatedAt: stamp(Date.now()) });
      case 'POST /orders':
        return placeOrder(req, res, body);
      case 'GET /reports/transactions':
        return send(res, 200, reportPage(ledger, url.searchParams, currency()));
      case 'GET /reports/transactions/:id': {
        const found = ledger.find(route.id);
        if (!found) return send(res, 404, errorBody(req, 'Transaction not found', 'TRANSACTION_NOT_FOUND'));
        return send(res, 200, transactionView(ledger.read(found), currency()));
      }
      case 'GET /orders/transactions/:id/cards': {
        const found = ledger.find(route.id);
        if (!found) return send(res, 404, errorBody(req, 'Invalid transaction id', null));
        const read = ledger.read(found);
        return send(res, 200, read.status === 'SUCCESSFUL' ? read.cards : []);
      }
    }
  }

  function token(res: ServerResponse, raw: string): void {
    const body = parseJson(raw);
    const id = typeof body?.client_id === 'string' ? body.client_id : '';
    const secret = typeof body?.client_secret === 'string' ? body.client_secret : '';
    const path = '/oauth/token';
    const refuse = (status: number, errorCode: string, message: string) =>
      send(res, status, { timeStamp: stamp(Date.now()), message, path, errorCode, infoLink: null, details: [] });
    if (body?.grant_type !== 'client_credentials') return refuse(400, 'INVALID_INPUT_PROVIDED', 'grant_type must be client_credentials');
    const wrongId = options.clientId !== undefined ? id !== options.clientId : !id;
    const wrongSecret = options.clientSecret !== undefined ? secret !== options.clientSecret : !secret;
    if (wrongId || wrongSecret) return refuse(401, 'INVALID_CREDENTIALS', 'Access Denied');
    if (typeof body.audience !== 'string' || !AUDIENCES.includes(body.audience)) return refuse(401, 'INVALID_AUDIENCE', 'Invalid audience');
    const ttl = options.tokenTtlSeconds ?? 86_400;
    const value = randomBytes(24).toString('base64url');
    tokens.set(value, Date.now() + ttl * 1000);
    tokensIssued += 1;
    send(res, 200, { access_token: value, scope: 'developer', expires_in: ttl, token_type: 'Bearer' });
  }

  /** null when the bearer token is valid, otherwise the errorCode of the 401. */
  function authenticate(req: IncomingMessage): string | null {
    const value = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expiresAt = value ? tokens.get(value) : undefined;
    if (expiresAt === undefined) return 'INVALID_TOKEN';
    return Date.now() < expiresAt ? null : 'TOKEN_EXPIRED';
  }

  function placeOrder(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const body = parseJson(raw);
    const invalid = (message: string) => send(res, 400, errorBody(req, message, 'INVALID_INPUT_PROVIDED'));
    if (!body) return invalid('Request body is not valid JSON');
    const productId = Number(body.productId);
    const quantity = Number(body.quantity);
    const unitPrice = Number(body.unitPrice);
    if (!Number.isInteger(productId) || productId < 1) return invalid('Missing required field productId');
    if (!Number.isInteger(quantity) || quantity < 1) return invalid('Missing required field quantity');
    if (!(unitPrice > 0)) return invalid('Missing required field unitPrice');
    if (typeof body.senderName !== 'string' || !body.senderName.trim()) return invalid('Missing required field senderName');
    const customIdentifier = typeof body.customIdentifier === 'string' && body.customIdentifier ? body.customIdentifier : null;
    if (customIdentifier && customIdentifier.length > 150) return invalid('Maximum length allowed for field customIdentifier is 150');
    const recipientEmail = typeof body.recipientEmail === 'string' ? body.recipientEmail : null;

    const outcome = ledger.order({ productId, quantity, unitPrice, customIdentifier, recipientEmail });
    if (isRefusal(outcome)) return send(res, outcome.status, errorBody(req, outcome.message, outcome.errorCode));

    const lost = options.failNextPostAfterCommit === true ? 'http500' : options.failNextPostAfterCommit;
    if (lost) {
      options = { ...options, failNextPostAfterCommit: false };
      if (lost === 'hang') return; // committed; the answer never comes
      if (lost === 'reset') return void req.socket.destroy();
      return send(res, 500, errorBody(req, 'Internal Server Error', null));
    }
    send(res, 200, transactionView(outcome, currency()));
  }

  const currency = () => options.currencyCode ?? 'USD';

  const base = await listenOnLocalhost(server, options.port);

  return {
    url: base,
    authUrl: `${base}/oauth/token`,
    stats: () => ({
      tokensIssued,
      requests: { ...requests },
      ordersPlaced: ledger.transactions.length,
      ordersByCustomIdentifier: { ...ledger.ordersByCustomIdentifier },
      cardsIssued: ledger.cardsIssued,
      rejectedDuplicates: ledger.rejectedDuplicates,
      injectedFailures,
      balance: ledger.balance,
      stock: { ...ledger.rules.stock },
    }),
    setOptions(partial) {
      options = { ...options, ...partial };
      if (partial.seed !== undefined) random = seededRandom(partial.seed);
      if (partial.balance !== undefined) ledger.balance = partial.balance;
      if (partial.reissueCards) ledger.reissue = [...partial.reissueCards];
      ledger.rules = { ...rulesOf(options), stock: partial.stock ? { ...partial.stock } : ledger.rules.stock };
    },
    revokeTokens: () => tokens.clear(),
    stop: () =>
      closeServer(server),
  };
}

function rulesOf(options: FakeReloadlyOptions) {
  return {
    partialFulfilment: options.partialFulfilment ?? false,
    stock: { ...(options.stock ?? {}) },
    denominations: options.denominations ?? {},
    failProducts: options.failProducts ?? {},
    currencyCode: options.currencyCode ?? 'USD',
    withholdCards: options.withholdCards ?? 0,
  };
}

function isRefusal(value: FakeTransaction | Refusal): value is Refusal {
  return (value as Refusal).message !== undefined;
}
