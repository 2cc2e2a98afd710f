// The README's chart, drawn as plain SVG from the results file (no plotting dependency).
import { BUNDLE_BYTES_BUDGET } from '#lib/bundling';
import type { BenchResults } from './results';

interface Series {
  name: string;
  color: string;
  values: Array<number | null>;
}

interface Panel {
  title: string;
  unit: string;
  groups: string[];
  series: Series[];
  /** A dashed horizontal line: a target or budget. */
  limit?: { value: number; label: string };
  /** Logarithmic y axis, for values spanning decades (latencies under and past saturation). */
  log?: boolean;
}

const WIDTH = 760;
const PANEL_HEIGHT = 250;
const MARGIN = { left: 64, right: 16, top: 36, bottom: 48 };
const PALETTE = ['#9aa5b1', '#d64545', '#2f80ed', '#27ae60', '#f2994a'];

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
const fmt = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : String(Math.round(v * 10) / 10));

/** A "nice" axis maximum: 1, 2 or 5 times a power of ten, at least `value`. */
function niceMax(value: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(value, 1e-9)));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= value) ?? value;
}

function drawPanel(panel: Panel, top: number): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const x0 = MARGIN.left;
  const y0 = top + MARGIN.top;
  const values = panel.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const max = niceMax(Math.max(...values, panel.limit?.value ?? 0) * 1.05);
  const logMin = 10 ** Math.floor(Math.log10(Math.max(1e-9, Math.min(...values))));
  const logMax = 10 ** Math.ceil(Math.log10(max));
  const y = panel.log
    ? (v: number) => y0 + plotH - ((Math.log10(Math.max(v, logMin)) - Math.log10(logMin)) / (Math.log10(logMax) - Math.log10(logMin))) * plotH
    : (v: number) => y0 + plotH - (v / max) * plotH;
  const ticks = panel.log
    ? Array.from({ length: Math.round(Math.log10(logMax / logMin)) + 1 }, (_, i) => logMin * 10 ** i)
    : Array.from({ length: 5 }, (_, i) => (max / 4) * i);
  const groupW = plotW / panel.groups.length;
  const barW = Math.min(28, (groupW * 0.8) / panel.series.length);
  const parts: string[] = [`<text x="${x0}" y="${top + 20}" font-size="14" font-weight="bold">${escapeXml(panel.title)}</text>`];
  for (const v of ticks) {
    parts.push(`<line x1="${x0}" x2="${x0 + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${x0 - 6}" y="${y(v) + 4}" font-size="10" text-anchor="end">${fmt(v)}</text>`);
  }
  parts.push(`<text x="14" y="${y0 + plotH / 2}" font-size="11" transform="rotate(-90 14 ${y0 + plotH / 2})" text-anchor="middle">${escapeXml(panel.unit)}</text>`);
  panel.groups.forEach((group, g) => {
    const gx = x0 + g * groupW + (groupW - barW * panel.series.length) / 2;
    panel.series.forEach((series, s) => {
      const v = series.values[g];
      if (v === null || !Number.isFinite(v)) return;
      const bx = gx + s * barW;
      parts.push(`<rect x="${bx}" y="${y(v)}" width="${barW - 2}" height="${Math.max(1, y0 + plotH - y(v))}" fill="${series.color}"><title>${escapeXml(`${series.name} ${group}: ${fmt(v)} ${panel.unit}`)}</title></rect>`);
    });
    parts.push(`<text x="${x0 + g * groupW + groupW / 2}" y="${y0 + plotH + 16}" font-size="11" text-anchor="middle">${escapeXml(group)}</text>`);
  });
  if (panel.limit) {
    parts.push(`<line x1="${x0}" x2="${x0 + plotW}" y1="${y(panel.limit.value)}" y2="${y(panel.limit.value)}" stroke="#333" stroke-dasharray="5 4"/>`);
    parts.push(`<text x="${x0 + plotW}" y="${y(panel.limit.value) - 4}" font-size="10" text-anchor="end">${escapeXml(panel.limit.label)}</text>`);
  }
  let lx = x0;
  for (const series of panel.series) {
    parts.push(`<rect x="${lx}" y="${y0 + plotH + 28}" width="10" height="10" fill="${series.color}"/>`);
    parts.push(`<text x="${lx + 14}" y="${y0 + plotH + 37}" font-size="11">${escapeXml(series.name)}</text>`);
    lx += 24 + series.name.length * 6.5;
  }
  return parts.join('\n');
}

function panelsOf(results: BenchResults): Panel[] {
  const panels: Panel[] = [];
  if (results.claim?.length) {
    const claimers = [...new Set(results.claim.map((r) => r.claimers))].sort((a, b) => a - b);
    const strategies = [...new Set(results.claim.map((r) => r.strategy))];
    panels.push({
      title: `Claims per second on one SKU (DynamoDB Local, ${results.claim[0].stockSize.toLocaleString('en-US')} codes)`,
      unit: 'claims/s',
      groups: claimers.map((c) => `${c} claimer${c === 1 ? '' : 's'}`),
      series: strategies.map((strategy, i) => ({
        name: strategy,
        color: PALETTE[i % PALETTE.length],
        values: claimers.map((c) => results.claim!.find((r) => r.strategy === strategy && r.claimers === c)?.claimsPerSec ?? null),
      })),
    });
  }
  if (results.e2e) {
    const steps = [{ label: `${results.e2e.fixedRate.ordersPerMin.toLocaleString('en-US')}/min (60 s)`, step: results.e2e.fixedRate }, ...results.e2e.ramp.map((step) => ({ label: `${step.ordersPerMin.toLocaleString('en-US')}/min`, step }))];
    panels.push({
      title: 'Payment to customer message, by offered load (local pipeline, log scale)',
      unit: 'ms',
      log: true,
      groups: steps.map((s) => s.label),
      series: [
        { name: 'p50', color: PALETTE[2], values: steps.map((s) => s.step.paymentToOutbox.p50Ms) },
        { name: 'p99', color: PALETTE[4], values: steps.map((s) => s.step.paymentToOutbox.p99Ms) },
      ],
      limit: { value: 3000, label: 'promise: 3 s' },
    });
  }
  if (results.functions?.length) {
    panels.push({
      title: 'Lambda bundle size (minified) and cold init (median of 10)',
      unit: 'KB / ms',
      groups: results.functions.map((f) => f.name),
      series: [
        { name: 'bundle KB', color: PALETTE[2], values: results.functions.map((f) => f.bundleBytes / 1024) },
        { name: 'init ms', color: PALETTE[3], values: results.functions.map((f) => f.initMs) },
      ],
      limit: { value: BUNDLE_BYTES_BUDGET / 1024, label: `budget: ${BUNDLE_BYTES_BUDGET / 1024} KB` },
    });
  }
  return panels;
}

export function renderChart(results: BenchResults): string {
  const panels = panelsOf(results);
  const height = panels.length * PANEL_HEIGHT + 24;
  const caption = `${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.node}; commit ${results.commit.slice(0, 7)}, ${results.date.slice(0, 10)}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...panels.map((panel, i) => drawPanel(panel, i * PANEL_HEIGHT)),
    `<text x="${WIDTH - MARGIN.right}" y="${height - 8}" font-size="10" text-anchor="end" fill="#666">${escapeXml(caption)}</text>`,
    '</svg>',
  ].join('\n');
}
