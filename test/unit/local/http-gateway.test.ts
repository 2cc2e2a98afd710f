// startHttpGateway: routes by "<METHOD> <path>", answers like API Gateway when nothing matches or fails.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { startHttpGateway, type HttpHandler } from '#local/http-gateway';

type Gateway = Awaited<ReturnType<typeof startHttpGateway>>;
let gateway: Gateway;
const seen: Array<{ event: APIGatewayProxyEventV2; context: Context }> = [];
let answer: HttpHandler;

beforeAll(async () => {
  gateway = await startHttpGateway({
    'POST /webhooks/salla': (event, context) => {
      seen.push({ event, context });
      return answer(event, context);
    },
  });
});
afterAll(() => gateway.stop());
beforeEach(() => {
  seen.length = 0;
  answer = async () => ({ statusCode: 202, headers: { 'content-type': 'application/json', 'x-from': 'handler' }, body: '{"ok":true}' });
});

describe('startHttpGateway', () => {
  it('listens on loopback and hands the matching route a payload 2.0 event and a Lambda context', async () => {
    expect(gateway.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${gateway.url}/webhooks/salla`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-from')).toBe('handler');
    expect(await res.json()).toEqual({ ok: true });
    expect(seen).toHaveLength(1);
    expect(seen[0].event).toMatchObject({ routeKey: 'POST /webhooks/salla', body: '{"a":1}' });
    expect(seen[0].context.functionName).toBe('webhook');
    expect(seen[0].context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it.each([
    ['GET', '/webhooks/salla'],
    ['POST', '/webhooks/unknown'],
  ])('404 for %s %s, without calling a handler', async (method, path) => {
    const res = await fetch(`${gateway.url}${path}`, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
    expect(seen).toHaveLength(0);
  });

  it('500 "Internal Server Error" when the handler throws, without leaking the error', async () => {
    answer = async () => {
      throw new Error('stack with secrets');
    };
    const res = await fetch(`${gateway.url}/webhooks/salla`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('{"message":"Internal Server Error"}');
  });

  it('413 like API Gateway for a body over 10 MiB, without calling the handler', async () => {
    const res = await fetch(`${gateway.url}/webhooks/salla`, { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(seen).toHaveLength(0);
  });

  it('decodes a base64 response body', async () => {
    answer = async () => ({ statusCode: 200, isBase64Encoded: true, body: Buffer.from([1, 2, 3]).toString('base64') });
    const res = await fetch(`${gateway.url}/webhooks/salla`, { method: 'POST', body: '{}' });
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([1, 2, 3]));
  });

  it('200 and an empty body when the handler leaves them out', async () => {
    answer = async () => ({});
    const res = await fetch(`${gateway.url}/webhooks/salla`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('startHttpGateway: routes with path parameters, added after it listens', () => {
  it('matches `{name}` segments like API Gateway: the route template as routeKey, the decoded value in pathParameters', async () => {
    const calls: APIGatewayProxyEventV2[] = [];
    const record = (statusCode: number): HttpHandler => async (event) => {
      calls.push(event);
      return { statusCode };
    };
    const later = await startHttpGateway();
    try {
      expect((await fetch(`${later.url}/c/abc`)).status).toBe(404);
      later.addRoutes({ 'GET /c/{token}': record(200), 'GET /c/fixed': record(201), 'ANY /hooks/{name}': record(202) });
      expect((await fetch(`${later.url}/c/ab%2Fc%3F`)).status).toBe(200);
      expect(calls.pop()).toMatchObject({ routeKey: 'GET /c/{token}', rawPath: '/c/ab%2Fc%3F', pathParameters: { token: 'ab/c?' } });
      // A literal route wins over a parameterised one.
      expect((await fetch(`${later.url}/c/fixed`)).status).toBe(201);
      expect(calls.pop()?.pathParameters).toBeUndefined();
      expect((await fetch(`${later.url}/hooks/x`, { method: 'POST', body: '{}' })).status).toBe(202);
      expect(calls.pop()).toMatchObject({ routeKey: 'ANY /hooks/{name}', pathParameters: { name: 'x' } });
      // A parameter is one whole, non-empty segment; the method must match.
      for (const [method, path] of [['GET', '/c/'], ['GET', '/c/a/b'], ['POST', '/c/abc']]) {
        expect((await fetch(`${later.url}${path}`, { method, ...(method === 'POST' ? { body: '{}' } : {}) })).status).toBe(404);
      }
      expect(calls).toEqual([]);
    } finally {
      await later.stop();
    }
  });
});
