// Names the component that ran out first, from the CPU each process used during a saturated step.
import type { PhaseResult } from './phase';

/** A process busy this share of one core (or an event loop this utilised) is saturated. */
const SATURATED = 0.9;

export const PROCESS_LABELS: Record<string, string> = {
  pipeline: 'pipeline process (Node event loop: local gateway, pollers and the webhook/delivery/restock handlers)',
  dynamodbLocal: 'DynamoDB Local (JVM)',
  sqsEmulator: 'SQS/SNS emulator (fauxqs, one Node event loop)',
  loadGenerator: 'load generator',
};

export function nameBottleneck(step: PhaseResult, cores: number): string {
  const shares = Object.entries(step.cpuCores)
    .filter((entry): entry is [string, number] => entry[1] !== null)
    .sort((a, b) => b[1] - a[1]);
  const total = shares.reduce((sum, [, share]) => sum + share, 0);
  const described = shares.map(([name, share]) => `${name} ${share.toFixed(2)} cores`).join(', ');
  const at = `at ${step.ordersPerMin.toLocaleString('en-US')} orders/min (CPU: ${described}; pipeline event loop ${Math.round(step.eventLoopUtilization * 100)}% busy; machine ${total.toFixed(2)} of ${cores} cores)`;
  if (step.eventLoopUtilization >= SATURATED) return `${PROCESS_LABELS.pipeline} ${at}`;
  const single = shares.find(([name, share]) => name !== 'dynamodbLocal' && share >= SATURATED);
  if (single) return `${PROCESS_LABELS[single[0]] ?? single[0]} ${at}`;
  if (total >= cores * SATURATED) return `the machine's ${cores} cores, shared by all processes; the largest user is ${PROCESS_LABELS[shares[0][0]] ?? shares[0][0]} ${at}`;
  return `no process saturated ${at}: latency grew from queueing, not CPU`;
}

export interface LimitExplanation {
  /** CPU each process spent per order during the step (ms). */
  cpuMsPerOrder: Record<string, number>;
  /**
   * The lower of: all cores doing nothing but this work (cores / total CPU per order), and the pipeline's
   * one event loop doing its share (1 core / the pipeline's CPU per order).
   */
  cpuBoundOrdersPerMin: number;
  text: string;
}

/** Why the local pipeline stops where it does, from the CPU one order costs each process. */
export function explainLimit(step: PhaseResult, cores: number): LimitExplanation {
  const cpuMsPerOrder: Record<string, number> = {};
  for (const [name, share] of Object.entries(step.cpuCores)) {
    if (share !== null && name !== 'loadGenerator') cpuMsPerOrder[name] = Math.round(((share * step.durationS * 1000) / step.orders) * 10) / 10;
  }
  const total = Object.values(cpuMsPerOrder).reduce((sum, ms) => sum + ms, 0);
  const machineBound = Math.round(((cores * 1000) / total) * 60);
  const eventLoopBound = cpuMsPerOrder.pipeline ? Math.round((1000 / cpuMsPerOrder.pipeline) * 60) : Infinity;
  const cpuBoundOrdersPerMin = Math.min(machineBound, eventLoopBound);
  const binding =
    eventLoopBound <= machineBound
      ? `the pipeline's single event loop (${cpuMsPerOrder.pipeline} ms per order on one core) caps it near ${eventLoopBound.toLocaleString('en-US')} orders/min, before the ${cores} cores (${machineBound.toLocaleString('en-US')})`
      : `${cores} cores cap the local pipeline near ${machineBound.toLocaleString('en-US')} orders/min`;
  const parts = Object.entries(cpuMsPerOrder)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${ms} ms`)
    .join(' + ');
  return {
    cpuMsPerOrder,
    cpuBoundOrdersPerMin,
    text:
      `one order costs ${parts} = ${Math.round(total)} ms of CPU here (at ${step.ordersPerMin.toLocaleString('en-US')}/min), so ${binding}. On AWS these are separate services: DynamoDB is not a local JVM, and delivery scales out ` +
      `across Lambda invocations (10,000/min is about 167 orders/s, a handful of concurrent invocations at tens of ms each).`,
  };
}
