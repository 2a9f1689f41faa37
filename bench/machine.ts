import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';

/** The machine a run happened on, so results from different machines are never compared blindly. */
export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  openssl: string;
  kernel: string;
  /** 1-minute load average when the run started: other work on a shared machine skews results. */
  loadAverage: number;
}

function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function kernel(): string {
  try {
    return readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

export function describeMachine(): Machine {
  return {
    cpus: availableParallelism(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    openssl: process.versions.openssl ?? 'unknown',
    kernel: kernel(),
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  };
}
