// CPU time spent per claim, by the engine (the java process of DynamoDB Local) and by this Node process.
// On a shared, noisy 2-core machine throughput moves with whatever else runs; CPU per claim barely does,
// so it is recorded next to claims/s as the steadier measure of what a strategy costs.
import { readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime of a process in ms, or undefined where /proc is not available. */
export function processCpuMs(pid: number): number | undefined {
  try {
    // Fields after the ")" of the command name: state is field 3, utime 14 and stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

export interface CpuMeter {
  /** CPU ms spent by the engine and by this process since the meter started. */
  read(): { engineMs: number | undefined; clientMs: number };
}

export function cpuMeter(enginePid: number | undefined): CpuMeter {
  const engine0 = enginePid === undefined ? undefined : processCpuMs(enginePid);
  const client0 = process.cpuUsage();
  return {
    read() {
      const engine1 = enginePid === undefined ? undefined : processCpuMs(enginePid);
      const client = process.cpuUsage(client0);
      return {
        engineMs: engine0 === undefined || engine1 === undefined ? undefined : engine1 - engine0,
        clientMs: (client.user + client.system) / 1000,
      };
    },
  };
}
