// Local fake of Salla for `npm start` and the client tests, on node:http: the merchant API's order
// read and status change (https://api.salla.dev/admin/v2) and the OAuth token endpoint
// (https://accounts.salla.sa/oauth2/token) on one server. Bearer tokens checked on every API call, a
// leaky bucket per store with Salla's headers, single-use rotating refresh tokens.
import { closeServer, listenOnLocalhost } from '#local/fake-http';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FakeRuntime, type StatusChange, type StoreFakeKnobs, type StoreFakeStats } from '../../shared/fake/fake-runtime';
import { bearerOf, fieldsOf, headersOf, readBody, send } from '../../shared/fake/fake-wire';
import type { IssuedTokens } from '../../shared/fake/token-registry';
import { SallaOrderBook, type FakeSallaOrder, type SallaSeedOrder } from './order-book';

export interface FakeSallaOptions extends StoreFakeKnobs {
  /** Merchant custom sub-statuses accepted as `status_id`. */
  customStatuses?: Array<{ id: number; name: string; parentSlug: string }>;
}

export interface FakeSalla {
  /** Merchant API base (SALLA_API_BASE_URL): `<server>/admin/v2`. */
  url: string;
  /** OAuth server (SALLA_ACCOUNTS_URL); the token endpoint is `<it>/oauth2/token`. */
  accountsUrl: string;
  /** Tokens for a store and the Easy Mode `app.store.authorize` delivery that would carry them. */
  install(storeId: string, scope?: string): { tokens: IssuedTokens; authorizeEvent: Record<string, unknown> };
  /** A single-use code for the authorization_code grant (Custom Mode). */
  authorizationCode(storeId: string): string;
  createOrder(storeId: string, seed: SallaSeedOrder): FakeSallaOrder;
  order(storeId: string, orderId: string): FakeSallaOrder | undefined;
  statusChanges(): StatusChange[];
  /** Access tokens expire now (refresh tokens still work): the next call answers 401. */
  expireAccessTokens(storeId?: string): void;
  /** Every chain of the store dies, as after a reused refresh token. */
  revokeTokens(storeId?: string): void;
  setOptions(partial: Partial<StoreFakeKnobs>): void;
  stats(): StoreFakeStats;
  stop(): Promise<void>;
}

const API = '/admin/v2';
const DEFAULT_SCOPE = 'offline_access orders.read_write products.read_write';

function routeOf(method: string, path: string): { key: string; orderId?: string } {
  const status = new RegExp(`^${API}/orders/([^/]+)/status/?$`).exec(path);
  if (method === 'POST' && status) return { key: `POST ${API}/orders/:id/status`, orderId: decodeURIComponent(status[1]) };
  const order = new RegExp(`^${API}/orders/([^/]+)/?$`).exec(path);
  if (method === 'GET' && order) return { key: `GET ${API}/orders/:id`, orderId: decodeURIComponent(order[1]) };
  if (method === 'POST' && /^\/oauth2\/token\/?$/.test(path)) return { key: 'POST /oauth2/token' };
  return { key: `unknown ${method}` };
}

const failure = (status: number, code: string, message: string) => ({ status, success: false, error: { code, message } });

/** Starts the fake on 127.0.0.1. Stop it with `stop()`. */
export async function startFakeSalla(options: FakeSallaOptions = {}): Promise<FakeSalla> {
  // Salla Plus: 120 requests a minute, then 1 request a second leaks through (docs.salla.dev Rate Limiting).
  const rt = new FakeRuntime(options, { rateLimit: 120, leakPerSecond: 1, tokenTtlSeconds: 14 * 24 * 3600, tokenPrefix: 'salla-fake', withAuthorization: false });
  const book = new SallaOrderBook(options.customStatuses);

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, failure(500, 'error', 'Internal Server Error'));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = routeOf(req.method ?? 'GET', url.pathname);
    rt.count(route.key);
    const raw = await readBody(req);
    await rt.delay();
    if (route.key === 'POST /oauth2/token') return token(res, fieldsOf(raw, req.headers['content-type']));
    if (!route.orderId) return send(res, 404, failure(404, 'error', 'Not Found'));

    const storeId = rt.tokens.authenticate(bearerOf(req.headers.authorization));
    if (!storeId) {
      rt.note('unauthorized');
      return send(res, 401, failure(401, 'Unauthorized', 'The access token is invalid'));
    }
    const { verdict, headers } = rt.admit(storeId);
    if (!verdict.allowed) return send(res, 429, failure(429, 'too_many_requests', 'Too Many Requests'), headers);
    const injected = rt.injectedFailure();
    if (injected) return send(res, injected, failure(injected, 'error', 'Service Unavailable'), headers);

    const order = book.find(storeId, route.orderId);
    if (!order) return send(res, 404, failure(404, 'error', 'المحتوى الذي تحاول الوصول اليه غير متوفر'), headers);
    if (route.key.startsWith('GET')) return send(res, 200, { status: 200, success: true, data: book.view(order) }, headers);

    const body = fieldsOf(raw, req.headers['content-type']);
    const at = new Date(rt.now()).toISOString();
    const invalid = book.changeStatus(order, body, at);
    if (invalid) return send(res, 422, { status: 422, success: false, error: { code: 'error', message: 'alert.invalid_fields', fields: invalid } }, headers);
    rt.record({ storeId, orderId: order.id, method: 'POST', path: url.pathname, headers: headersOf(req), rawBody: raw, body });
    send(res, 201, { status: 201, success: true, data: { message: 'The entity has been updated successfully', code: 201 } }, headers);
  }

  function token(res: ServerResponse, fields: Record<string, unknown>): void {
    if (!rt.clientOk(fields.client_id, fields.client_secret)) {
      return send(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed', message: 'Client authentication failed' });
    }
    let issued: IssuedTokens | 'invalid_grant';
    if (fields.grant_type === 'refresh_token') issued = rt.tokens.refresh(String(fields.refresh_token ?? ''));
    else if (fields.grant_type === 'authorization_code') issued = rt.tokens.exchangeCode(String(fields.code ?? ''));
    else return send(res, 400, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' });
    if (issued === 'invalid_grant') {
      rt.note('invalidGrants');
      return send(res, 400, { error: 'invalid_grant', error_description: 'The refresh token is invalid.', message: 'The refresh token is invalid.' });
    }
    rt.note(fields.grant_type === 'refresh_token' ? 'refreshes' : 'tokensIssued');
    send(res, 200, tokenAnswer(issued, DEFAULT_SCOPE));
  }

  const base = await listenOnLocalhost(server, options.port);

  return {
    url: `${base}${API}`,
    accountsUrl: base,
    install(storeId, scope = DEFAULT_SCOPE) {
      const tokens = rt.tokens.issue(storeId);
      rt.note('tokensIssued');
      return { tokens, authorizeEvent: authorizeEvent(storeId, tokens, scope, rt.now()) };
    },
    authorizationCode: (storeId) => rt.tokens.issueCode(storeId),
    createOrder: (storeId, seed) => book.create(storeId, seed),
    order: (storeId, orderId) => book.find(storeId, orderId),
    statusChanges: () => rt.changes.map((c) => ({ ...c })),
    expireAccessTokens: (storeId) => rt.tokens.expireAccessTokens(storeId),
    revokeTokens: (storeId) => rt.tokens.revoke(storeId),
    setOptions: (partial) => rt.setKnobs(partial),
    stats: () => rt.stats(),
    stop: () =>
      closeServer(server),
  };
}

/** The token endpoint's answer: RFC 6749 fields plus Salla's absolute `expires`. */
function tokenAnswer(tokens: IssuedTokens, scope: string) {
  return {
    access_token: tokens.accessToken,
    token_type: 'bearer',
    expires_in: tokens.expiresInSeconds,
    expires: tokens.expiresAt,
    refresh_token: tokens.refreshToken,
    scope,
  };
}

/** The Easy Mode delivery: `app.store.authorize` with the tokens in `data` (docs.salla.dev, Easy Mode). */
function authorizeEvent(storeId: string, tokens: IssuedTokens, scope: string, nowMs: number): Record<string, unknown> {
  return {
    event: 'app.store.authorize',
    merchant: /^\d{1,15}$/.test(storeId) ? Number(storeId) : storeId,
    created_at: new Date(nowMs).toISOString().replace('T', ' ').slice(0, 19),
    data: {
      id: 1911645512,
      app_name: 'StreamSync (fake)',
      app_description: 'Digital goods delivery',
      app_type: 'app',
      app_scopes: scope.split(' '),
      access_token: tokens.accessToken,
      expires: tokens.expiresAt,
      refresh_token: tokens.refreshToken,
      scope,
      token_type: 'bearer',
    },
  };
}
