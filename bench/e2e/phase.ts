// One load phase: send at a fixed rate, wait for every order to reach the outbox (or a drain deadline),
// and summarise what the customers would have seen.
import { DEMO_SALLA_STORE } from '#adapters/platforms/salla/local';
import { sampleSallaOrder } from '#adapters/platforms/salla/local';
import { summarize, round, type LatencySummary } from '../lib/stats';
import type { PipelineProcess } from './child-processes';
import { sendAtRate, type LoadResult, type PreparedOrder } from './load-generator';
import { measureCpu, type CpuShares } from '../lib/process-cpu';
import type { InvocationTotals, OutboxEntry } from './protocol';
import type { RequestCounts } from './request-meter';

export interface PhaseSpec {
  ordersPerMin: number;
  durationMs: number;
  /** How long after the last send an order may still arrive before it counts as lost. */
  drainMs: number;
}

export interface PhaseResult {
  ordersPerMin: number;
  durationS: number;
  orders: number;
  /** Webhooks answered 200. */
  acked: number;
  /** Webhooks answered anything else, or not at all. */
  ackErrors: number;
  ack: LatencySummary;
  /** Payment (webhook sent) to the code message in the outbox. */
  paymentToOutbox: LatencySummary;
  delivered: number;
  /** Acked orders with no customer message by the drain deadline (lost, or late past saturation). */
  lost: number;
  backordered: number;
  /** Orders delivered per minute from the first send to the last delivery. */
  deliveredPerMin: number;
  maxScheduleLagMs: number;
  cpuCores: CpuShares;
  eventLoopUtilization: number;
  requests: RequestCounts;
  invocations: Record<string, InvocationTotals>;
  logBytes: number;
}

/** A distinct Saudi mobile number and e-mail address for order number `n`. */
export const benchCustomer = (n: number, quantity?: number) => ({ quantity, mobile: 500_000_000 + (n % 99_999_999), email: `customer-${n}@example.sa` });

export class OrderFactory {
  private next = 1_000_000;
  prepare(count: number): PreparedOrder[] {
    return Array.from({ length: count }, () => {
      const orderId = String(this.next++);
      // One customer per order, as in a real sale: the velocity limit (on by default) counts per customer.
      const { raw, headers } = sampleSallaOrder(orderId, benchCustomer(Number(orderId), 1));
      return { orderId, path: '/webhooks/salla', body: raw, headers };
    });
  }
}

/** Collects outbox arrivals by order id (the ref is `<store>/<order>/<unit>`). */
export class OutboxWatch {
  readonly arrivals = new Map<string, { kind: string; at: number }>();
  private waiters = new Set<() => void>();
  constructor(pipeline: PipelineProcess) {
    pipeline.onOutbox((entries: OutboxEntry[]) => {
      for (const [ref, kind, at] of entries) {
        const [store, orderId] = ref.split('/');
        if (store !== DEMO_SALLA_STORE || this.arrivals.has(orderId)) continue;
        this.arrivals.set(orderId, { kind, at });
      }
      this.waiters.forEach((wake) => wake());
    });
  }
  /** Resolves when every id has arrived or at the deadline (epoch ms), whichever is first. */
  waitForAll(orderIds: string[], deadline: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (orderIds.every((id) => this.arrivals.has(id)) || Date.now() >= deadline) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      const timer = setTimeout(check, Math.max(0, deadline - Date.now()));
      this.waiters.add(check);
      check();
    });
  }
}

export async function runPhase(
  pipeline: PipelineProcess,
  outbox: OutboxWatch,
  factory: OrderFactory,
  spec: PhaseSpec,
  processes: Record<string, number>,
): Promise<PhaseResult> {
  const orders = factory.prepare(Math.round((spec.ordersPerMin * spec.durationMs) / 60_000));
  const measured = await measureLoad(pipeline, outbox, orders, (url) => sendAtRate(url, orders, spec.ordersPerMin), spec.drainMs, processes);
  return { ordersPerMin: spec.ordersPerMin, durationS: spec.durationMs / 1000, ...measured };
}

export type LoadMeasurement = Omit<PhaseResult, 'ordersPerMin' | 'durationS'> & {
  /** Payment to the "on its way" notice of an order that found no stock. */
  paymentToNotice: LatencySummary;
  /** First send to last send. */
  sendMs: number;
};

/** Sends `orders` with `send`, waits for them in the outbox (or `drainMs`), and summarises the phase. */
export async function measureLoad(
  pipeline: PipelineProcess,
  outbox: OutboxWatch,
  orders: PreparedOrder[],
  send: (webhookUrl: string) => Promise<LoadResult>,
  drainMs: number,
  processes: Record<string, number>,
): Promise<LoadMeasurement> {
  await pipeline.ask({ type: 'phase-start' }, 'phase-started');
  const logBytesBefore = pipeline.logBytes;
  const cpu = measureCpu(processes);
  const load = await send(pipeline.ready.webhookUrl);
  const cpuCores = cpu.stop();
  const ackedIds = load.sent.filter((s) => s.status === 200).map((s) => s.orderId);
  await outbox.waitForAll(ackedIds, Date.now() + drainMs);
  const { report } = await pipeline.ask({ type: 'phase-end' }, 'phase-report');

  const e2eMs: number[] = [];
  const noticeMs: number[] = [];
  let lastArrival = load.startedAt;
  for (const sent of load.sent) {
    const arrival = outbox.arrivals.get(sent.orderId);
    if (!arrival) continue;
    (arrival.kind === 'CODE' ? e2eMs : noticeMs).push(arrival.at - sent.sentAt);
    lastArrival = Math.max(lastArrival, arrival.at);
  }
  const delivered = e2eMs.length;
  return {
    orders: orders.length,
    acked: ackedIds.length,
    ackErrors: orders.length - ackedIds.length,
    ack: summarize(load.sent.filter((s) => s.ackAt !== undefined).map((s) => s.ackAt! - s.sentAt)),
    paymentToOutbox: summarize(e2eMs),
    paymentToNotice: summarize(noticeMs),
    delivered,
    lost: ackedIds.filter((id) => !outbox.arrivals.has(id)).length,
    backordered: noticeMs.length,
    deliveredPerMin: round((delivered / Math.max(1, lastArrival - load.startedAt)) * 60_000, 0),
    maxScheduleLagMs: round(load.maxScheduleLagMs),
    sendMs: round(Math.max(0, ...load.sent.map((s) => s.sentAt)) - load.startedAt),
    cpuCores,
    eventLoopUtilization: report.eventLoopUtilization,
    requests: report.requests,
    invocations: report.invocations,
    logBytes: pipeline.logBytes - logBytesBefore,
  };
}
