import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

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

/**
 * A process and all its descendants (Cognate with `workers` above 1 is a supervisor and its
 * workers), from /proc/<pid>/task/<tid>/children. Processes that exit meanwhile are skipped.
 */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${tree[i]}/task`)) {
        const children = readFileSync(`/proc/${tree[i]}/task/${task}/children`, 'utf8').trim();
        if (children) tree.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // exited
    }
  }
  return tree;
}

/**
 * User + system CPU seconds the process (all its threads) has used so far, or with `mainThread`
 * only its main thread (the event loop, whose task id is the pid); 0 once it has exited.
 */
export function cpuSeconds(pid: number, mainThread = false): number {
  let stat: string;
  try {
    stat = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicks();
}

/** System (kernel) CPU seconds the process (all its threads) has used so far: its reads and writes of files among them. */
export function systemCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[12]) / clockTicks();
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of this process plus those of its children that have exited and been waited for
 * (/proc/self/stat's cutime and cstime): the load generator's own cost, wrk processes included.
 */
export function selfAndReapedChildrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / clockTicks();
}

export interface Memory {
  /** Resident set size now, in bytes. */
  rss: number;
  /** Peak resident set size (VmHWM) since start or since the last {@link resetPeakRss}, in bytes. */
  peak: number;
}

/**
 * Memory of a process and its descendants, summed. The summed peak is each process's own peak
 * added up, an upper bound of the tree's peak (the processes need not peak at once).
 */
export function memory(pid: number): Memory {
  const total = { rss: 0, peak: 0 };
  for (const member of processTree(pid)) {
    let status: string;
    try {
      status = readFileSync(`/proc/${member}/status`, 'utf8');
    } catch {
      continue;
    }
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 'NaN') * 1024;
    total.rss += kb('VmRSS');
    total.peak += kb('VmHWM');
  }
  return total;
}

/**
 * Resets VmHWM to the current RSS (writing 5 to clear_refs, Linux 4.0+), so each run reports its
 * own peak. Returns false where the kernel or permissions refuse; the peak is then lifetime-wide.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    for (const member of processTree(pid)) writeFileSync(`/proc/${member}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Samples the CPU of processes and their descendants over an interval: `stop()` gives the share of
 * one core used, in percent. A process that appears meanwhile counts its whole life.
 */
export function startCpuMeter(pids: readonly number[], mainThread = false): { stop(): number } {
  const tree = (): number[] => pids.flatMap(processTree);
  const cpu0 = new Map(tree().map((pid) => [pid, cpuSeconds(pid, mainThread)]));
  const t0 = performance.now();
  return {
    stop() {
      const seconds = (performance.now() - t0) / 1000;
      const used = tree().reduce((sum, pid) => sum + cpuSeconds(pid, mainThread) - (cpu0.get(pid) ?? 0), 0);
      return seconds > 0 ? (used / seconds) * 100 : 0;
    },
  };
}
