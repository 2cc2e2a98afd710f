// toApiGatewayEvent: a real loopback HTTP request becomes an API Gateway HTTP API (payload 2.0) event.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { toApiGatewayEvent } from '#local/http-gateway';

let server: Server;
let url: string;
let captured: Array<{ req: IncomingMessage; body: Buffer }>;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    captured.push({ req, body: Buffer.concat(chunks) });
    res.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

beforeEach(() => {
  captured = [];
});

/** Sends a real request and turns what the server saw into an event. */
async function eventFor(path: string, init: RequestInit, routeKey = 'POST /webhooks/salla'): Promise<APIGatewayProxyEventV2> {
  const res = await fetch(`${url}${path}`, init);
  await res.text();
  const { req, body } = captured[0];
  return toApiGatewayEvent(req, body, routeKey);
}

describe('toApiGatewayEvent', () => {
  it('a signed JSON webhook: a valid payload 2.0 event with the body as text', async () => {
    const raw = '{"event":"order.created","merchant":123,"data":{"id":1,"name":"عميل"}}';
    const event = await eventFor('/webhooks/salla', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Salla-Signature': 'abc123', 'User-Agent': 'Salla-Webhooks/1.0' },
      body: raw,
    });
    expect(() => APIGatewayProxyEventV2Schema.parse(event)).not.toThrow();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /webhooks/salla',
      rawPath: '/webhooks/salla',
      rawQueryString: '',
      body: raw,
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'POST', path: '/webhooks/salla', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'Salla-Webhooks/1.0' },
        routeKey: 'POST /webhooks/salla',
        stage: '$default',
      },
    });
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.headers['x-salla-signature']).toBe('abc123');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(5_000);
  });

  it('the exact bytes survive: a handler can verify a signature over event.body', async () => {
    const raw = '{ "a" : 1,\n  "b":"\u00e9" }';
    const event = await eventFor('/webhooks/salla', { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: raw });
    expect(Buffer.from(event.body!, event.isBase64Encoded ? 'base64' : 'utf8').equals(Buffer.from(raw))).toBe(true);
  });

  it('a binary content type: the body is base64 and isBase64Encoded is true', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f, 0x0a]);
    const event = await eventFor('/webhooks/zid', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(() => APIGatewayProxyEventV2Schema.parse(event)).not.toThrow();
    expect(event.isBase64Encoded).toBe(true);
    expect(event.body).toBe(bytes.toString('base64'));
  });

  it('no content type is treated as binary too', async () => {
    const event = await eventFor('/webhooks/zid', { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    expect(event).toMatchObject({ isBase64Encoded: true, body: 'AQID' });
  });

  it('an empty body: no body, not base64', async () => {
    const event = await eventFor('/health', { method: 'GET' }, 'GET /health');
    expect(() => APIGatewayProxyEventV2Schema.parse(event)).not.toThrow();
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });

  it('the query string: raw and parsed', async () => {
    const event = await eventFor('/webhooks/zid?token=t%201&store=7', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(() => APIGatewayProxyEventV2Schema.parse(event)).not.toThrow();
    expect(event.rawPath).toBe('/webhooks/zid');
    expect(event.rawQueryString).toBe('token=t%201&store=7');
    expect(event.queryStringParameters).toEqual({ token: 't 1', store: '7' });
  });

  it('combines a repeated query parameter with commas, as API Gateway does', async () => {
    const event = await eventFor('/webhooks/zid?tag=a&tag=b&one=1&tag=c%2Cd', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(() => APIGatewayProxyEventV2Schema.parse(event)).not.toThrow();
    expect(event.queryStringParameters).toEqual({ tag: 'a,b,c,d', one: '1' });
    expect(event.rawQueryString).toBe('tag=a&tag=b&one=1&tag=c%2Cd');
  });

  // `name in {}` is true for inherited names: the query map must only see its own parameters.
  it('a parameter named like an Object.prototype property is an ordinary parameter', async () => {
    const event = await eventFor('/webhooks/zid?constructor=x&toString=y', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(event.queryStringParameters).toEqual({ constructor: 'x', toString: 'y' });
  });

  it('puts cookies in the cookies array, as API Gateway does', async () => {
    const event = await eventFor('/webhooks/zid', { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'a=1; b=2' }, body: '{}' });
    expect(() => APIGatewayProxyEventV2Schema.parse(event)).not.toThrow();
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.headers.cookie).toBeUndefined();
  });

  it('no Cookie header: no cookies field at all', async () => {
    const event = await eventFor('/webhooks/zid', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(event).not.toHaveProperty('cookies');
  });
});
