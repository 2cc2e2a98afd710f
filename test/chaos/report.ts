// How chaos results read: one line per scenario on the terminal, and the reliability table.
import type { MachineInfo } from '#bench/lib/machine';
import type { ScenarioResult } from './run-one';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function summaryLine(r: ScenarioResult): string {
  const f = r.figures;
  const figures = f
    ? `${f.orders} orders, ${f.units} units (${f.delivered} delivered, ${f.backordered} backordered, ${f.held} held, ${f.cancelled} cancelled); ` +
      `${f.faultsInjected} faults; lost ${f.lost}, double-sold ${f.doubleSold}, repeated messages ${f.duplicateMessages} (${f.allowedDuplicates} after a crash)${f.timeouts ? `, ${f.timeouts} invocations stopped at their timeout` : ''}; recovered in ${seconds(f.recoverMs)}`
    : 'no figures';
  return `${r.passed ? 'PASS' : 'FAIL'} ${r.name.padEnd(26)} ${figures}${r.note ? `; ${r.note}` : ''} [${seconds(r.durationMs)}]`;
}

export interface ChaosRun {
  date: string;
  commit: string;
  dirty: boolean;
  machine: MachineInfo;
  totalMs: number;
  results: ScenarioResult[];
}

export function renderTable(run: ChaosRun): string {
  const header = '| Scenario | Faults injected | Orders (units) | Lost | Double-sold | Repeated messages | Time to recover | Result |\n|---|---|---|---|---|---|---|---|\n';
  const rows = run.results.map((r) => {
    const f = r.figures;
    const repeated = f ? (f.duplicateMessages === 0 ? '0' : `${f.duplicateMessages} (each after a crash between send and record)`) : '–';
    return `| ${r.name} | ${r.faults} (${f?.faultsInjected ?? 0} counted) | ${f ? `${f.orders} (${f.units})` : '–'} | ${f?.lost ?? '–'} | ${f?.doubleSold ?? '–'} | ${repeated} | ${f ? seconds(f.recoverMs) : '–'} | ${r.passed ? 'pass' : `FAIL: ${r.failures.join('; ')}`} |`;
  });
  const m = run.machine;
  return `${header}${rows.join('\n')}\n\nRun ${run.date.slice(0, 16).replace('T', ' ')} UTC, commit ${run.commit.slice(0, 7)}${run.dirty ? ' (uncommitted changes)' : ''}, ${m.cpuModel} × ${m.cores} cores, Node ${m.node}; ${run.results.length} scenarios in ${seconds(run.totalMs)}.\n`;
}
