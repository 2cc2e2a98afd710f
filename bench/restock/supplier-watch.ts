// When the supplier was first called. The fake counts requests but keeps no timestamps, so its
// stats() are polled every few milliseconds in the process it runs in; the resolution (a poll period
// plus event-loop lag) is small next to the fake's 200 ms per answer.
import type { FakeReloadlyStats } from '#adapters/suppliers/reloadly/fake/fake-reloadly';
import type { RunningSupplierFake } from '#adapters/suppliers/supplier-module';
import type { SupplierTrace } from './protocol';
import { preciseNow } from '../e2e/protocol';

const POLL_MS = 5;
const POST_ORDERS = 'POST /orders';

type StatsSource = { stats(): Pick<FakeReloadlyStats, 'requests' | 'ordersPlaced' | 'cardsIssued'> };

const total = (requests: Record<string, number>) => Object.values(requests).reduce((sum, n) => sum + n, 0);

export interface SupplierWatch {
  trace(): SupplierTrace;
  /** Epoch ms of the last change in the fake's request count (the supplier's last activity). */
  lastActivityAt(): number;
  stop(): void;
}

export function watchSupplier(fake: RunningSupplierFake): SupplierWatch {
  const source = fake as unknown as Partial<StatsSource>;
  if (typeof source.stats !== 'function') throw new Error('The supplier fake has no stats(): cannot count its calls');
  const stats = () => source.stats!();
  let firstRequestAt: number | null = null;
  let firstPostAt: number | null = null;
  let lastTotal = total(stats().requests);
  let lastActivity = preciseNow();
  const timer = setInterval(() => {
    const { requests } = stats();
    const now = preciseNow();
    const count = total(requests);
    if (count === lastTotal) return;
    lastTotal = count;
    lastActivity = now;
    firstRequestAt ??= now;
    if ((requests[POST_ORDERS] ?? 0) > 0) firstPostAt ??= now;
  }, POLL_MS);
  return {
    trace: () => {
      const { requests, ordersPlaced, cardsIssued } = stats();
      return { firstRequestAt, firstPostAt, requests, ordersPlaced, cardsIssued };
    },
    lastActivityAt: () => lastActivity,
    stop: () => clearInterval(timer),
  };
}
