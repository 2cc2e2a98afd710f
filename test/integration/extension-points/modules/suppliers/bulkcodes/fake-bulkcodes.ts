// Local fake of the BulkCodes API on node:http: orders keyed by reference, codes issued at once or
// after `partialFulfilment.afterMs`, with the common knobs (latency, failure rate, stock, balance).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CommonFakeKnobs } from '#adapters/suppliers/supplier-module';

export interface FakeBulkCodesStats {
  /** Requests per route, e.g. `POST /orders`, `GET /orders/:reference`. */
  requests: Record<string, number>;
  ordersPlaced: number;
  codesIssued: number;
}

export interface FakeBulkCodes {
  url: string;
  stats(): FakeBulkCodesStats;
  stop(): Promise<void>;
}

interface FakeOrder {
  id: string;
  codes: Array<{ code: string; pin: string }>;
  settlesAt: number;
}

const send = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
};

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function startFakeBulkCodes(apiKey: string, knobs: CommonFakeKnobs = {}): Promise<FakeBulkCodes> {
  const orders = new Map<string, FakeOrder>();
  const stock: Record<string, number> = { ...knobs.stock };
  const requests: Record<string, number> = {};
  let balance = knobs.balance ?? 1_000_000;
  let codesIssued = 0;
  const settleMs = knobs.partialFulfilment ? (knobs.partialFulfilment.afterMs ?? 0) : 0;

  const view = (order: FakeOrder) =>
    Date.now() >= order.settlesAt ? { id: order.id, status: 'fulfilled', codes: order.codes } : { id: order.id, status: 'pending', codes: [] };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const byReference = /^\/orders\/([^/]+)$/.exec(path);
    const route = `${req.method} ${byReference ? '/orders/:reference' : path}`;
    requests[route] = (requests[route] ?? 0) + 1;
    if (knobs.latencyMs) await new Promise((resolve) => setTimeout(resolve, knobs.latencyMs));
    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(res, 401, { error: 'unauthorized' });
    if (Math.random() < (knobs.failureRate ?? 0)) return send(res, 503, { error: 'unavailable' });

    if (route === 'GET /balance') return send(res, 200, { amount: balance, currency: 'USD' });
    if (route === 'GET /orders/:reference') {
      const order = orders.get(decodeURIComponent(byReference![1]));
      return order ? send(res, 200, view(order)) : send(res, 404, { error: 'no such order' });
    }
    if (route !== 'POST /orders') return send(res, 404, { error: 'no such route' });

    const body = await readJson(req);
    const reference = body?.reference;
    const productId = body?.productId;
    const quantity = body?.quantity;
    const unitPrice = typeof body?.unitPrice === 'number' ? body.unitPrice : 0;
    if (typeof reference !== 'string' || typeof productId !== 'string' || !Number.isInteger(quantity) || (quantity as number) < 1) {
      return send(res, 400, { error: 'reference, productId and a positive quantity are required' });
    }
    const existing = orders.get(reference);
    if (existing) return send(res, 200, view(existing));
    const count = quantity as number;
    if (productId in stock && stock[productId] < count) return send(res, 409, { error: 'out of stock' });
    if (balance < count * unitPrice) return send(res, 402, { error: 'insufficient balance' });
    if (productId in stock) stock[productId] -= count;
    balance -= count * unitPrice;
    const order: FakeOrder = {
      id: `BC-${orders.size + 1}`,
      codes: Array.from({ length: count }, () => ({ code: `BULK-${randomBytes(6).toString('hex').toUpperCase()}`, pin: String(1000 + (randomBytes(2).readUInt16BE() % 9000)) })),
      settlesAt: Date.now() + settleMs,
    };
    orders.set(reference, order);
    codesIssued += count;
    send(res, 201, view(order));
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.headersSent || send(res, 500, { error: 'internal' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats: () => ({ requests: { ...requests }, ordersPlaced: orders.size, codesIssued }),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
