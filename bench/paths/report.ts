// The requestsPerOrder section in the readable table and the README headline.
import type { PathsBenchResult } from './run-paths-bench';

const n = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: digits });
const pass = (ok: boolean) => (ok ? 'met' : '**missed**');
const table = (head: string[], rows: Array<Array<string | number>>) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function pathsHeadline(r: PathsBenchResult): string {
  const [classic, lean] = r.paths;
  return (
    `- **Requests per order, side by side with the path before (classic), ${n(r.settings.phase.ordersPerMin, 0)} one-unit orders/min:** ` +
    `delivery ${n(lean.deliveryDynamoRequestsPerOrder, 2)} DynamoDB requests per order against ${n(classic.deliveryDynamoRequestsPerOrder, 2)} (${n(r.ratios.deliveryDynamoRequests, 2)}×; target ≤ ${r.targets.deliveryDynamoRequestsPerOrder}: ${pass(lean.deliveryDynamoRequestsPerOrder <= r.targets.deliveryDynamoRequestsPerOrder)}), ` +
    `webhook ${n(lean.webhookDynamoRequestsPerOrder, 2)} against ${n(classic.webhookDynamoRequestsPerOrder, 2)}; ` +
    `CPU per order (pipeline + DynamoDB Local) ${n(lean.cpuMsPerOrder.total)} ms against ${n(classic.cpuMsPerOrder.total)} ms (${n(r.ratios.cpuPerOrder, 2)}×; target ≤ ${r.targets.cpuRatio}×: ${pass(r.ratios.cpuPerOrder <= r.targets.cpuRatio)}).`
  );
}

export function pathsSection(r: PathsBenchResult): string[] {
  const operations = [...new Set(r.paths.flatMap((p) => Object.keys(p.deliveryRequests)))].sort();
  const webhookOperations = [...new Set(r.paths.flatMap((p) => Object.keys(p.webhookRequests ?? {})))].sort();
  const out = ['', `## Requests per order (lean, as built, beside classic, the path before)`, ''];
  out.push(
    table(
      [
        'path',
        ...operations.map((op) => `delivery ${op}`),
        'delivery DynamoDB requests',
        ...webhookOperations.map((op) => `webhook ${op}`),
        'webhook DynamoDB requests',
        'delivery WRU reported locally',
        'CPU ms per order: pipeline',
        'DynamoDB Local',
        'total',
        'p99 ms',
      ],
      r.paths.map((p) => [
        p.path,
        ...operations.map((op) => n(p.deliveryRequests[op] ?? 0, 3)),
        n(p.deliveryDynamoRequestsPerOrder, 3),
        ...webhookOperations.map((op) => n(p.webhookRequests?.[op] ?? 0, 3)),
        n(p.webhookDynamoRequestsPerOrder, 3),
        n(p.deliveryWriteUnitsPerOrder, 2),
        n(p.cpuMsPerOrder.pipeline),
        n(p.cpuMsPerOrder.dynamodbLocal),
        n(p.cpuMsPerOrder.total),
        n(p.p99Ms, 0),
      ]),
    ),
  );
  out.push(
    '',
    `Lean ÷ classic: ${n(r.ratios.deliveryDynamoRequests, 3)}× the delivery function's DynamoDB requests, ${n(r.ratios.webhookDynamoRequests, 3)}× the webhook's, ${n(r.ratios.cpuPerOrder, 3)}× the CPU per order ` +
      `(pipeline ${n(r.ratios.pipelineCpuPerOrder, 3)}×, DynamoDB Local ${n(r.ratios.dynamodbLocalCpuPerOrder, 3)}×). Medians of ${r.settings.rounds} round(s), ${r.settings.order}; ` +
      `each run: a warm-up of ${n(r.settings.warmUp.durationMs / 1000, 0)} s, then ${n(r.settings.phase.durationMs / 1000, 0)} s at ${n(r.settings.phase.ordersPerMin, 0)} one-unit orders/min with stock. ` +
      `Settings: ${Object.entries(r.settings.env).map(([path, env]) => `${path} ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}`).join('; ')}. ` +
      'Lean: the first message to ensure its order skips the query for units an earlier attempt left (there can be none), and the webhook keeps a product mapping it found for 30 s. ' +
      'CPU: utime + stime of each process from the first order sent to the last one delivered, per order. The velocity limit is on (2 counter updates per order: phone and e-mail).',
  );
  return out;
}
