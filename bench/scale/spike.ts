// A spike of orders already in the queue when delivery is idle: Lambda's SQS poller starts at a few
// concurrent batches and adds a fixed number per minute, so the drain time is set by that ramp, the
// concurrency cap, and the orders/s the hottest partition lets through, whichever binds.
import type { Limits } from './limits';

export interface SpikeInputs {
  orders: number;
  /** Delivery function time per order (invocations per order × duration). */
  secondsPerOrder: number;
  /** The concurrency caps to compare (the stack's MaximumConcurrency, none). */
  caps: Array<{ label: string; concurrency: number }>;
  /** The DynamoDB limit on delivered orders/s, when there is one. */
  dynamoCap?: { resource: string; ordersPerSecond: number };
  limits: Limits;
}

export interface SpikeResult {
  orders: number;
  cap: string;
  /** The highest concurrency the drain reaches (the cap, less when DynamoDB binds first or the queue empties first). */
  concurrency: number;
  /** From the first batches to that concurrency. */
  scaleUpSeconds: number;
  drainSeconds: number;
  /** Delivered orders/s at that concurrency. */
  ordersPerSecond: number;
  limitedBy: string;
  /** Webhooks of the spike the stage throttle admits (the platforms retry the rest): 0 when the burst takes them all. */
  webhookAdmitSeconds: number;
}

const round = (v: number) => Math.round(v * 10) / 10;

/**
 * With concurrency c(t) = min(c_max, c0 + k·t) and each invocation slot delivering 1/s orders a second,
 * the orders delivered by t are (c0·t + k·t²/2)/s while ramping, then c_max/s a second.
 */
export function drainTime(orders: number, secondsPerOrder: number, c0: number, perSecond: number, cMax: number): { seconds: number; rampSeconds: number; reachedCap: boolean } {
  if (orders <= 0) return { seconds: 0, rampSeconds: 0, reachedCap: false };
  if (cMax <= c0 || perSecond <= 0) return { seconds: (orders * secondsPerOrder) / Math.min(cMax, c0), rampSeconds: 0, reachedCap: true };
  const rampSeconds = (cMax - c0) / perSecond;
  const rampOrders = (c0 * rampSeconds + (perSecond * rampSeconds ** 2) / 2) / secondsPerOrder;
  if (orders < rampOrders) {
    const t = (-c0 + Math.sqrt(c0 ** 2 + 2 * perSecond * orders * secondsPerOrder)) / perSecond;
    return { seconds: t, rampSeconds: t, reachedCap: false };
  }
  return { seconds: rampSeconds + ((orders - rampOrders) * secondsPerOrder) / cMax, rampSeconds, reachedCap: true };
}

/** A token bucket of `burst` refilled at `rate`/s: how long until `requests` have been let in. */
export const admitSeconds = (requests: number, burst: number, rate: number) => Math.max(0, (requests - burst) / rate);

export function drainSpike(inputs: SpikeInputs): SpikeResult[] {
  const { limits, secondsPerOrder } = inputs;
  if (!(secondsPerOrder > 0)) return [];
  const webhookAdmitSeconds = round(
    Math.max(admitSeconds(inputs.orders, limits.webhookStageBurst, limits.webhookStageRps), admitSeconds(inputs.orders, limits.apiGatewayAccountBurst, limits.apiGatewayAccountRps)),
  );
  return inputs.caps.map((cap) => {
    // The concurrency at which the hottest partition is full: more invocations would only be throttled.
    const dynamoConcurrency = inputs.dynamoCap ? inputs.dynamoCap.ordersPerSecond * secondsPerOrder : Infinity;
    const cMax = Math.min(cap.concurrency, dynamoConcurrency);
    const perSecond = limits.sqsScaleUpPerMinute / 60;
    const { seconds, rampSeconds, reachedCap } = drainTime(inputs.orders, secondsPerOrder, limits.sqsInitialConcurrency, perSecond, cMax);
    // Drained while still ramping: neither cap was reached, the poller's scale-up rate set the time.
    const reached = reachedCap ? cMax : limits.sqsInitialConcurrency + perSecond * rampSeconds;
    const rampBound = !reachedCap;
    return {
      orders: inputs.orders,
      cap: cap.label,
      concurrency: round(reached),
      scaleUpSeconds: round(rampSeconds),
      drainSeconds: round(seconds),
      ordersPerSecond: round(reached / secondsPerOrder),
      limitedBy: rampBound
        ? `the poller's scale-up (+${limits.sqsScaleUpPerMinute}/min): drained before reaching the cap`
        : dynamoConcurrency < cap.concurrency
          ? inputs.dynamoCap!.resource
          : `delivery concurrency: ${cap.label}`,
      webhookAdmitSeconds,
    };
  });
}
