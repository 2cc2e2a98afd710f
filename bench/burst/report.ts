// The burst section of latest.md and its README line.
import type { BurstBenchResult, BurstRow } from './run-burst-bench';

const n = (v: number | null | undefined, digits = 0) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: digits }));
const s = (ms: number | null | undefined) => (ms === null || ms === undefined ? '–' : `${n(ms / 1000, 1)} s`);

/** Fewer orders than connections go out together: a rate computed over a few milliseconds means nothing. */
const AT_ONCE_MS = 100;
const sending = (sendMs: number, offeredPerMin: number) => (sendMs < AT_ONCE_MS ? 'sent at once' : `sent in ${s(sendMs)} (${n(offeredPerMin)}/min)`);

const describe = (row: BurstRow) =>
  `${n(row.orders)} orders ${sending(row.sendMs, row.offeredPerMin)}: ack p99 ${n(row.ack.p99Ms)} ms, ` +
  `payment → ${row.kind === 'in-stock' ? 'code' : '"on its way" notice'} p50 ${s(row.paymentToMessage.p50Ms)}, p99 ${s(row.paymentToMessage.p99Ms)}, max ${s(row.paymentToMessage.maxMs)}` +
  (row.lost > 0 ? `, ${n(row.lost)} without a message by the cut-off` : '');

export function burstHeadline(r: BurstBenchResult): string | undefined {
  const inStock = r.rows.filter((row) => row.kind === 'in-stock');
  const largest = inStock[inStock.length - 1];
  const empty = r.rows.find((row) => row.kind === 'no-stock');
  if (!largest) return undefined;
  const absorbedRow = r.absorbed && inStock.find((row) => row.orders === r.absorbed!.orders);
  const absorbed = r.absorbed
    ? `the largest burst delivered within ${n(r.settings.limitMs / 1000)} s p99 was ${n(r.absorbed.orders)} orders (${sending(absorbedRow!.sendMs, r.absorbed.offeredPerMin)})`
    : `no burst tried (${inStock.map((row) => n(row.orders)).join(', ')} orders) was delivered within ${n(r.settings.limitMs / 1000)} s p99`;
  return (
    `- **Bursts (${r.settings.connections} connections, each order sent as soon as the last was answered):** in stock, ${describe(largest)} ` +
    `(target p99 ≤ ${n(r.settings.limitMs / 1000)} s: ${largest.withinLimit ? 'met' : '**missed**'}); ${absorbed}` +
    (empty ? `; without stock, ${describe(empty)}.` : '.')
  );
}

export function burstSection(r: BurstBenchResult): string[] {
  const out = ['', `## Bursts (${r.settings.connections} connections, closed loop, on the E2E pipeline)`, ''];
  const head = ['SKU', 'orders', 'sent in ms', 'offered /min', 'ack p50 ms', 'ack p99 ms', 'payment → message p50 ms', 'p99 ms', 'max ms', 'codes', 'notices', 'no message by cut-off', `p99 ≤ ${n(r.settings.limitMs / 1000)} s`];
  out.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
  for (const row of r.rows) {
    const cells = [row.kind, n(row.orders), n(row.sendMs), row.sendMs < AT_ONCE_MS ? 'at once' : n(row.offeredPerMin), n(row.ack.p50Ms), n(row.ack.p99Ms), n(row.paymentToMessage.p50Ms), n(row.paymentToMessage.p99Ms), n(row.paymentToMessage.maxMs), n(row.delivered), n(row.notices), n(row.lost), row.withinLimit ? 'yes' : 'no'];
    out.push(`| ${cells.join(' | ')} |`);
  }
  out.push(
    '',
    `Each burst is ${r.settings.connections} senders posting signed Salla webhooks back to back (the next order as soon as the last was answered), after ${n(r.settings.warmUpOrders)} warm-up orders; ` +
      'in stock the message is the code, without stock (a SKU with no codes and no supplier, with the same value for the payment check) the "on its way" notice. ' +
      `"No message by cut-off": acknowledged orders with no message ${n(r.settings.drainMs / 1000)} s after the burst's last answer. The pipeline, its settings and its delivery concurrency are the E2E section's.`,
  );
  if (r.pipelineErrors.length) out.push('', `Pipeline errors: ${r.pipelineErrors.map((e) => `${e.source}: ${e.message}`).join('; ')}`);
  return out;
}
