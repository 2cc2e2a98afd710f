// Open-loop load: signed webhooks at a fixed rate to the local gateway, bounded in count and time.
// Open loop means a slow answer never delays the next send, so queueing inside the pipeline shows up
// in the latencies instead of silently lowering the offered rate.
import { Agent, request } from 'node:http';
import { mapLimited } from '#core/map-limited';
import { preciseNow } from './protocol';

export interface PreparedOrder {
  orderId: string;
  path: string;
  body: string;
  headers: Record<string, string>;
}

export interface SentOrder {
  orderId: string;
  sentAt: number;
  ackAt?: number;
  status?: number;
  error?: string;
}

export interface LoadResult {
  sent: SentOrder[];
  /** How far the sender fell behind its schedule at worst: a large lag means the generator itself saturated. */
  maxScheduleLagMs: number;
  startedAt: number;
  endedAt: number;
}

const TICK_MS = 5;

function post(agent: Agent, baseUrl: string, order: PreparedOrder): Promise<SentOrder> {
  const sent: SentOrder = { orderId: order.orderId, sentAt: preciseNow() };
  return new Promise((resolve) => {
    const req = request(`${baseUrl}${order.path}`, { method: 'POST', agent, headers: { ...order.headers, 'content-length': Buffer.byteLength(order.body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ...sent, ackAt: preciseNow(), status: res.statusCode }));
    });
    req.on('error', (err) => resolve({ ...sent, ackAt: preciseNow(), error: err.message }));
    req.end(order.body);
  });
}

/** Sends `orders` evenly spaced at `ordersPerMin` and resolves when every request has been answered. */
export async function sendAtRate(baseUrl: string, orders: PreparedOrder[], ordersPerMin: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  const intervalMs = 60_000 / ordersPerMin;
  const inFlight: Array<Promise<SentOrder>> = [];
  const startedAt = preciseNow();
  let maxScheduleLagMs = 0;
  let next = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = preciseNow();
      for (; next < orders.length && startedAt + next * intervalMs <= now; next++) {
        maxScheduleLagMs = Math.max(maxScheduleLagMs, now - (startedAt + next * intervalMs));
        inFlight.push(post(agent, baseUrl, orders[next]));
      }
      if (next >= orders.length) done();
      else setTimeout(tick, Math.min(TICK_MS, Math.max(0, startedAt + next * intervalMs - now)));
    };
    tick();
  });
  const endedAt = preciseNow();
  const sent = await Promise.all(inFlight);
  agent.destroy();
  return { sent, maxScheduleLagMs, startedAt, endedAt };
}

/**
 * Closed loop: `connections` senders, each posting its next order as soon as the last one is answered,
 * so the burst arrives as fast as the webhook takes it (a flash sale's first seconds).
 */
export async function sendBurst(baseUrl: string, orders: PreparedOrder[], connections: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const startedAt = preciseNow();
  const sent = await mapLimited(orders, connections, (order) => post(agent, baseUrl, order));
  const endedAt = preciseNow();
  agent.destroy();
  return { sent, maxScheduleLagMs: 0, startedAt, endedAt };
}
