// Local fake of Zid for `npm start` and the client tests, on node:http: the manager API's order view
// and change-order-status (https://api.zid.sa/v1) and the OAuth token endpoint
// (https://oauth.zid.sa/oauth/token) on one server. Both tokens checked on every API call
// (Authorization: Bearer <authorization>, X-Manager-Token), 60 requests a minute per store.
import { closeServer, listenOnLocalhost } from '#local/fake-http';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FakeRuntime, type StatusChange, type StoreFakeKnobs, type StoreFakeStats } from '../../shared/fake/fake-runtime';
import { bearerOf, fieldsOf, headersOf, readBody, send } from '../../shared/fake/fake-wire';
import type { IssuedTokens } from '../../shared/fake/token-registry';
import { ZidOrderBook, type FakeZidOrder, type ZidSeedOrder } from './order-book';

export type FakeZidOptions = StoreFakeKnobs;

export interface FakeZid {
  /** Manager API base (ZID_API_BASE_URL): `<server>/v1`. */
  url: string;
  /** OAuth server (ZID_OAUTH_URL); the token endpoint is `<it>/oauth/token`. */
  oauthUrl: string;
  /** Tokens for a store, as the code exchange of an install gives them. */
  install(storeId: string): IssuedTokens;
  /** A single-use code for the authorization_code grant. */
  authorizationCode(storeId: string): string;
  createOrder(storeId: string, seed: ZidSeedOrder): FakeZidOrder;
  order(storeId: string, orderId: string): FakeZidOrder | undefined;
  statusChanges(): StatusChange[];
  expireAccessTokens(storeId?: string): void;
  revokeTokens(storeId?: string): void;
  setOptions(partial: Partial<StoreFakeKnobs>): void;
  stats(): StoreFakeStats;
  stop(): Promise<void>;
}

const API = '/v1/managers/store/orders';
const NO_MESSAGE = { type: 'object', code: null, name: null, description: null };

function routeOf(method: string, path: string): { key: string; orderId?: string } {
  const change = new RegExp(`^${API}/([^/]+)/change-order-status/?$`).exec(path);
  if (method === 'POST' && change) return { key: `POST ${API}/:id/change-order-status`, orderId: decodeURIComponent(change[1]) };
  const view = new RegExp(`^${API}/([^/]+)/view/?$`).exec(path);
  if (method === 'GET' && view) return { key: `GET ${API}/:id/view`, orderId: decodeURIComponent(view[1]) };
  if (method === 'POST' && /^\/oauth\/token\/?$/.test(path)) return { key: 'POST /oauth/token' };
  return { key: `unknown ${method}` };
}

/** Zid's error body: `{ status, message: { type, code, name, description } }`. */
const failure = (code: string, name: string, description: string) => ({ status: 'error', message: { type: 'error', code, name, description } });

/** Starts the fake on 127.0.0.1. Stop it with `stop()`. */
export async function startFakeZid(options: FakeZidOptions = {}): Promise<FakeZid> {
  // 60 requests a minute per app per store, leaky bucket (our platform research notes): a burst of 60 draining 1/s.
  const rt = new FakeRuntime(options, { rateLimit: 60, leakPerSecond: 1, tokenTtlSeconds: 365 * 24 * 3600, tokenPrefix: 'zid-fake', withAuthorization: true });
  const book = new ZidOrderBook();

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, failure('ERROR_INTERNAL', 'Server Error', 'Internal Server Error'));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = routeOf(req.method ?? 'GET', url.pathname);
    rt.count(route.key);
    const raw = await readBody(req);
    await rt.delay();
    if (route.key === 'POST /oauth/token') return token(res, fieldsOf(raw, req.headers['content-type']));
    if (!route.orderId) return send(res, 404, failure('ERROR_NOT_FOUND', 'Not Found', 'Not Found'));

    const manager = req.headers['x-manager-token'];
    if (typeof manager !== 'string' || !manager) {
      rt.note('unauthorized');
      return send(res, 401, failure('ERROR_SESSION_MISSING', 'Unauthorized', 'X-Manager-Token is missing'));
    }
    const storeId = rt.tokens.authenticate(manager, bearerOf(req.headers.authorization));
    if (!storeId) {
      rt.note('unauthorized');
      return send(res, 401, failure('ERROR_SESSION_INVALID', 'Unauthorized', 'The session is invalid or expired'));
    }
    const { verdict, headers } = rt.admit(storeId);
    if (!verdict.allowed) return send(res, 429, { message: 'Too Many Attempts.' }, headers);
    const injected = rt.injectedFailure();
    if (injected) return send(res, injected, failure('ERROR_INTERNAL', 'Server Error', 'Service Unavailable'), headers);

    const order = book.find(storeId, route.orderId);
    if (!order) return send(res, 404, failure('ERROR_NOT_FOUND', 'Not Found', 'Order not found'), headers);
    if (route.key.startsWith('GET')) return send(res, 200, { status: 'object', order: book.view(order), message: NO_MESSAGE }, headers);

    const fields = fieldsOf(raw, req.headers['content-type']);
    const nowIso = new Date(rt.now()).toISOString();
    const invalid = book.changeStatus(order, fields, nowIso);
    if (invalid) return send(res, 422, { ...failure('ERROR_VALIDATION', 'Validation Error', invalid), order_status: [invalid] }, headers);
    rt.record({ storeId, orderId: order.id, method: 'POST', path: url.pathname, headers: headersOf(req), rawBody: raw, body: fields });
    send(res, 200, { status: 'object', order: book.view(order), message: NO_MESSAGE }, headers);
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
      return send(res, 400, { error: 'invalid_grant', error_description: 'The provided authorization grant or refresh token is invalid.', message: 'The provided authorization grant or refresh token is invalid.' });
    }
    rt.note(fields.grant_type === 'refresh_token' ? 'refreshes' : 'tokensIssued');
    send(res, 200, {
      token_type: 'Bearer',
      expires_in: issued.expiresInSeconds,
      access_token: issued.accessToken,
      authorization: issued.authorization,
      refresh_token: issued.refreshToken,
    });
  }

  const base = await listenOnLocalhost(server, options.port);

  return {
    url: `${base}/v1`,
    oauthUrl: base,
    install(storeId) {
      rt.note('tokensIssued');
      return rt.tokens.issue(storeId);
    },
    authorizationCode: (storeId) => rt.tokens.issueCode(storeId),
    createOrder: (storeId, seed) => book.create(storeId, seed, new Date(rt.now()).toISOString()),
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
