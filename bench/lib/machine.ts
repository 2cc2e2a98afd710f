// Where and on what a benchmark ran: part of every results file, so figures are never quoted bare.
import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem, type as osType } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  java: string | null;
}

const run = (cmd: string, args: string[]): string | null => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};

export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    os: `${osType()} ${release()}`,
    node: process.version,
    // `java -version` writes to stderr.
    java: run('sh', ['-c', 'java -version 2>&1'])?.split('\n')[0] ?? null,
  };
}

export function gitCommit(): { commit: string; dirty: boolean } {
  const commit = run('git', ['rev-parse', 'HEAD']) ?? 'unknown';
  const status = run('git', ['status', '--porcelain', '--untracked-files=no']);
  return { commit, dirty: Boolean(status) };
}
