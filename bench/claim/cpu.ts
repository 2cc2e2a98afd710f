// CPU time spent per claim, by the engine (the java process of DynamoDB Local) and by this Node process.
// On a shared, noisy 2-core machine throughput moves with whatever else runs; CPU per claim barely does,
// so it is recorded next to claims/s as the steadier measure of what a strategy costs.
import { cpuTimeMs } from '../lib/process-cpu';

export interface CpuMeter {
  /** CPU ms spent by the engine and by this process since the meter started. */
  read(): { engineMs: number | undefined; clientMs: number };
}

export function cpuMeter(enginePid: number | undefined): CpuMeter {
  const engine0 = enginePid === undefined ? undefined : cpuTimeMs(enginePid);
  const client0 = process.cpuUsage();
  return {
    read() {
      const engine1 = enginePid === undefined ? undefined : cpuTimeMs(enginePid);
      const client = process.cpuUsage(client0);
      return {
        engineMs: engine0 === undefined || engine1 === undefined ? undefined : engine1 - engine0,
        clientMs: (client.user + client.system) / 1000,
      };
    },
  };
}
