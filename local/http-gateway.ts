// Local API Gateway (HTTP API, payload format 2.0): turns HTTP requests into APIGatewayProxyEventV2.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaContext } from './lambda-context';

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway's own payload limit; larger bodies never reach the function. */
const API_GATEWAY_MAX_BYTES = 10 * 1024 * 1024;

const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript))/i;

/** A route key's template, `GET /c/{token}`: literal segments and `{name}` segments matching one whole segment. */
interface Route {
  key: string;
  method: string;
  segments: string[];
  handler: HttpHandler;
}

const compile = (key: string, handler: HttpHandler): Route => {
  const [method, path = ''] = key.split(' ');
  return { key, method, segments: path.split('/'), handler };
};

const paramName = (segment: string) => (segment.startsWith('{') && segment.endsWith('}') ? segment.slice(1, -1) : undefined);

/** The route API Gateway would pick (a literal path before a parameterised one, an exact method before ANY), with its path parameters. */
function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; pathParameters?: Record<string, string> } | undefined {
  const segments = path.split('/');
  const candidates: Array<{ route: Route; params: Record<string, string>; score: number }> = [];
  for (const route of routes) {
    if ((route.method !== method && route.method !== 'ANY') || route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = route.segments.every((part, i) => {
      const name = paramName(part);
      if (name === undefined) return part === segments[i];
      if (segments[i] === '') return false;
      params[name] = decodeSegment(segments[i]);
      return true;
    });
    if (fits) candidates.push({ route, params, score: Object.keys(params).length * 2 + (route.method === 'ANY' ? 1 : 0) });
  }
  const best = candidates.sort((a, b) => a.score - b.score)[0];
  return best && { route: best.route, ...(Object.keys(best.params).length ? { pathParameters: best.params } : {}) };
}

// API Gateway hands path parameters over decoded; a malformed escape stays as it came.
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function toApiGatewayEvent(req: IncomingMessage, body: Buffer, routeKey: string, pathParameters?: Record<string, string>): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name.toLowerCase() !== 'cookie') headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // Payload 2.0 moves cookies to their own array and joins repeated query parameters with commas.
  const cookies = req.headers.cookie?.split(';').map((c) => c.trim()).filter(Boolean);
  const query: Record<string, string> = Object.create(null);
  for (const [name, value] of url.searchParams) query[name] = Object.hasOwn(query, name) ? `${query[name]},${value}` : value;
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '');
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    queryStringParameters: url.search ? query : undefined,
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: { method: req.method ?? 'GET', path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length === 0 ? undefined : isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/**
 * Routes are keyed like API Gateway's (`POST /webhooks/salla`, `GET /c/{token}`, `ANY /x`). More can be
 * added once it listens (`addRoutes`): its URL is known before the handlers that need it are imported.
 */
export async function startHttpGateway(routes: Record<string, HttpHandler> = {}, port = 0) {
  const table: Route[] = [];
  const addRoutes = (more: Record<string, HttpHandler>) => table.push(...Object.entries(more).map(([key, handler]) => compile(key, handler)));
  addRoutes(routes);
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const match = matchRoute(table, req.method ?? 'GET', path);
    if (!match) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > API_GATEWAY_MAX_BYTES) {
        res.writeHead(413, { 'content-type': 'application/json' }).end('{"message":"Request Entity Too Large"}');
        return;
      }
      chunks.push(chunk as Buffer);
    }
    try {
      const result = await match.route.handler(toApiGatewayEvent(req, Buffer.concat(chunks), match.route.key, match.pathParameters), lambdaContext('webhook'));
      res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>).end(
        result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''),
      );
    } catch {
      // What API Gateway answers when the integration fails.
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"Internal Server Error"}');
    }
  });
  server.keepAliveTimeout = 5000;
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    addRoutes,
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
