// CPU time of other processes (DynamoDB Local's JVM, the emulator, the pipeline), read from /proc, so a
// benchmark can say what each one spent and which ran out first. Linux only; elsewhere undefined.
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of `pid` in ms, or undefined when /proc is not there. */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export type CpuShares = Record<string, number | null>;

/**
 * Starts measuring the named processes; `stop()` gives each one's CPU use over the interval in cores
 * (1.0 = one core busy the whole time).
 */
export function measureCpu(processes: Record<string, number>): { stop(): CpuShares } {
  const startedAt = performance.now();
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuTimeMs(pid)]));
  return {
    stop() {
      const elapsed = performance.now() - startedAt;
      return Object.fromEntries(
        Object.entries(processes).map(([name, pid]) => {
          const start = before[name];
          const end = cpuTimeMs(pid);
          return [name, start === undefined || end === undefined ? null : Math.round(((end - start) / elapsed) * 100) / 100];
        }),
      );
    },
  };
}
