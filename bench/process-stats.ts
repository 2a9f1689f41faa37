import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * CPU time and memory of a server process, read from Linux's /proc so the numbers cover the
 * process under test and not the load generator.
 *
 * @see https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
 * @see https://man7.org/linux/man-pages/man5/proc_pid_status.5.html
 */

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU seconds the process (all its threads) has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicks();
}

export interface Memory {
  /** Resident set size now, in bytes. */
  rss: number;
  /** Peak resident set size (VmHWM) since start or since the last {@link resetPeakRss}, in bytes. */
  peak: number;
}

export function memory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 'NaN') * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/**
 * Resets VmHWM to the current RSS (writing 5 to clear_refs, Linux 4.0+), so each run reports its
 * own peak. Returns false where the kernel or permissions refuse; the peak is then lifetime-wide.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples a process's CPU over an interval: `stop()` gives the share of one core used, in percent. */
export function startCpuMeter(pid: number): { stop(): number } {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  return {
    stop() {
      const seconds = (performance.now() - t0) / 1000;
      return seconds > 0 ? ((cpuSeconds(pid) - cpu0) / seconds) * 100 : 0;
    },
  };
}
