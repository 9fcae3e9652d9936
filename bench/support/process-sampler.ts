import { readdirSync, readFileSync } from 'node:fs';

/*
 * CPU and memory of the bench's processes from /proc, sampled once a second. CPU % is of one
 * core (200 % = both cores of a 2-core machine busy). A tracked name is a set of processes:
 * one pid, a process tree (a cluster primary and the workers it forks, found anew at every
 * sample), or every process whose command line matches. Figures are summed over the set.
 */

export interface ProcessWindow {
  cpuPercent: number | null;
  /** Largest sum of the set's RSS at any one sample (shared pages count once per process). */
  rssKbMax: number | null;
  rssKbLast: number | null;
}

export interface ProcessShare {
  pid: number;
  cpuPercent: number | null;
  rssKbMax: number;
}

export interface MachineSample {
  at: number;
  busyTicks: number;
  totalTicks: number;
  stealTicks: number;
}

export interface ProcStat {
  ppid: number;
  /** utime + stime */
  ticks: number;
}

/** ppid, utime + stime from /proc/<pid>/stat; the command name may hold spaces and parentheses. */
export function parseProcStat(stat: string): ProcStat {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), fields[1] field 4 (ppid); utime and stime are fields 14 and 15.
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

export function parseProcStatTicks(stat: string): number {
  return parseProcStat(stat).ticks;
}

export function parseVmRssKb(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}

/** The root and every process below it, given each process's parent. */
export function descendantsOf(root: number, parents: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const siblings = children.get(ppid);
    if (siblings) siblings.push(pid);
    else children.set(ppid, [pid]);
  }
  const found: number[] = [];
  const queue = [root];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/**
 * The aggregate "cpu" line of /proc/stat: busy = total - idle - iowait; steal is time the
 * hypervisor ran something else while this VM wanted the CPU.
 */
export function parseMachineTicks(procStat: string): { busyTicks: number; totalTicks: number; stealTicks: number } {
  const line = procStat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) return { busyTicks: 0, totalTicks: 0, stealTicks: 0 };
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  const idle = values[3] + (values[4] ?? 0);
  return { busyTicks: total - idle, totalTicks: total, stealTicks: values[7] ?? 0 };
}

/** CPU % of one core between two samples. */
export function cpuPercentBetween(
  first: { at: number; cpuTicks: number },
  last: { at: number; cpuTicks: number },
  ticksPerSecond: number,
): number | null {
  const seconds = (last.at - first.at) / 1000;
  if (seconds <= 0) return null;
  return ((last.cpuTicks - first.cpuTicks) / ticksPerSecond / seconds) * 100;
}

export interface SetSample {
  at: number;
  /** pid -> CPU ticks and RSS of each process of the set seen at this sample. */
  byPid: Map<number, { ticks: number; rssKb: number }>;
}

/**
 * CPU ticks a set of processes used over a series of samples. Each process counts from its
 * first sample in the series (or from zero if it started inside the window) to its last one
 * (a process that exited keeps what it used while it was seen).
 */
export function setTicksOver(series: readonly SetSample[]): number {
  if (series.length < 2) return 0;
  const first = series[0].byPid;
  const lastSeen = new Map<number, number>();
  for (const sample of series) for (const [pid, { ticks }] of sample.byPid) lastSeen.set(pid, ticks);
  let ticks = 0;
  for (const [pid, last] of lastSeen) ticks += last - (first.get(pid)?.ticks ?? 0);
  return ticks;
}

type Membership =
  { kind: 'pid'; pid: number } | { kind: 'tree'; root: number } | { kind: 'group'; matches: (commandLine: string) => boolean };

interface TrackedSet {
  membership: Membership;
  samples: SetSample[];
}

export class ProcessSampler {
  private readonly sets = new Map<string, TrackedSet>();
  private readonly machine: MachineSample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ticksPerSecond = 100,
    private readonly intervalMs = 1000,
    private readonly keep = 3600,
  ) {}

  track(name: string, pid: number): void {
    this.sets.set(name, { membership: { kind: 'pid', pid }, samples: [] });
  }

  /** The process and all its descendants, found again at every sample (workers may restart). */
  trackTree(name: string, root: number): void {
    this.sets.set(name, { membership: { kind: 'tree', root }, samples: [] });
  }

  /** Processes whose command line matches, summed (processes come and go: each counts while seen). */
  trackGroup(name: string, matches: (commandLine: string) => boolean): void {
    this.sets.set(name, { membership: { kind: 'group', matches }, samples: [] });
  }

  start(): void {
    this.sampleNow();
    this.timer = setInterval(() => this.sampleNow(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  sampleNow(): void {
    const at = Date.now();
    const needsScan = [...this.sets.values()].some((set) => set.membership.kind !== 'pid');
    const stats = needsScan ? this.scan() : new Map<number, ProcStat>();
    const parents = new Map([...stats].map(([pid, stat]) => [pid, stat.ppid]));
    for (const set of this.sets.values()) {
      const pids = this.members(set.membership, parents);
      const byPid = new Map<number, { ticks: number; rssKb: number }>();
      for (const pid of pids) {
        try {
          const ticks = stats.get(pid)?.ticks ?? parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).ticks;
          byPid.set(pid, { ticks, rssKb: parseVmRssKb(readFileSync(`/proc/${pid}/status`, 'utf8')) });
        } catch {
          // Exited while we looked; its earlier samples stay.
        }
      }
      push(set.samples, { at, byPid }, this.keep);
    }
    try {
      push(this.machine, { at, ...parseMachineTicks(readFileSync('/proc/stat', 'utf8')) }, this.keep);
    } catch {
      // Not Linux: machine totals stay empty.
    }
  }

  private members(membership: Membership, parents: ReadonlyMap<number, number>): number[] {
    switch (membership.kind) {
      case 'pid':
        return [membership.pid];
      case 'tree':
        return parents.has(membership.root) ? descendantsOf(membership.root, parents) : [];
      case 'group':
        return [...parents.keys()].filter((pid) => {
          try {
            return membership.matches(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
          } catch {
            return false;
          }
        });
    }
  }

  /** Every process's parent and CPU ticks. */
  private scan(): Map<number, ProcStat> {
    const stats = new Map<number, ProcStat>();
    let entries: string[] = [];
    try {
      entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
    } catch {
      return stats;
    }
    for (const entry of entries.slice(0, 10_000)) {
      try {
        stats.set(Number(entry), parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8')));
      } catch {
        // Exited while we looked.
      }
    }
    return stats;
  }

  private series(name: string, since: number): SetSample[] {
    return (this.sets.get(name)?.samples ?? []).filter((sample) => sample.at >= since - this.intervalMs / 2);
  }

  /** The pids of a set at its latest sample. */
  pids(name: string): number[] {
    const samples = this.sets.get(name)?.samples ?? [];
    return [...(samples[samples.length - 1]?.byPid.keys() ?? [])];
  }

  /** Every pid a set held since `since` (workers that were restarted show up as extra pids). */
  pidsSeen(name: string, since: number): number[] {
    const seen = new Set<number>();
    for (const sample of this.series(name, since)) for (const pid of sample.byPid.keys()) seen.add(pid);
    return [...seen];
  }

  /** RSS summed over the set at its latest sample. */
  latestRssKb(name: string): number | undefined {
    const samples = this.sets.get(name)?.samples ?? [];
    const last = samples[samples.length - 1];
    return last && last.byPid.size > 0 ? sumRss(last) : undefined;
  }

  /** From `since` (a Date.now()) to the latest sample. */
  window(name: string, since: number): ProcessWindow {
    const series = this.series(name, since).filter((sample) => sample.byPid.size > 0);
    const rss = series.map(sumRss);
    if (series.length < 2) return { cpuPercent: null, rssKbMax: rss[0] ?? null, rssKbLast: rss[0] ?? null };
    const first = series[0];
    const last = series[series.length - 1];
    return {
      cpuPercent: cpuPercentBetween({ at: first.at, cpuTicks: 0 }, { at: last.at, cpuTicks: setTicksOver(series) }, this.ticksPerSecond),
      rssKbMax: Math.max(...rss),
      rssKbLast: rss[rss.length - 1],
    };
  }

  /** Each process of the set over the window (e.g. how evenly the workers share the load). */
  shares(name: string, since: number): ProcessShare[] {
    const series = this.series(name, since);
    if (series.length < 2) return [];
    const first = series[0];
    const last = series[series.length - 1];
    return this.pidsSeen(name, since).map((pid) => {
      const own: SetSample[] = series.map((sample) => {
        const figures = sample.byPid.get(pid);
        return { at: sample.at, byPid: figures ? new Map([[pid, figures]]) : new Map() };
      });
      return {
        pid,
        cpuPercent: cpuPercentBetween({ at: first.at, cpuTicks: 0 }, { at: last.at, cpuTicks: setTicksOver(own) }, this.ticksPerSecond),
        rssKbMax: Math.max(...series.map((sample) => sample.byPid.get(pid)?.rssKb ?? 0)),
      };
    });
  }

  /** Sum of the CPU % of every tracked set over the window. */
  trackedCpuPercent(since: number): number {
    let sum = 0;
    for (const name of this.sets.keys()) sum += this.window(name, since).cpuPercent ?? 0;
    return sum;
  }

  /** Steal over the window, % of one core. */
  machineStealPercent(since: number): number | null {
    const series = this.machine.filter((sample) => sample.at >= since - this.intervalMs / 2);
    if (series.length < 2) return null;
    const first = series[0];
    const last = series[series.length - 1];
    return cpuPercentBetween({ at: first.at, cpuTicks: first.stealTicks }, { at: last.at, cpuTicks: last.stealTicks }, this.ticksPerSecond);
  }

  /** Whole-machine busy % (of all cores) over the window. */
  machineBusyPercent(since: number): number | null {
    const series = this.machine.filter((sample) => sample.at >= since - this.intervalMs / 2);
    if (series.length < 2) return null;
    const first = series[0];
    const last = series[series.length - 1];
    const total = last.totalTicks - first.totalTicks;
    return total > 0 ? ((last.busyTicks - first.busyTicks) / total) * 100 : null;
  }
}

function sumRss(sample: SetSample): number {
  let sum = 0;
  for (const { rssKb } of sample.byPid.values()) sum += rssKb;
  return sum;
}

function push<T>(series: T[], value: T, keep: number): void {
  series.push(value);
  if (series.length > keep) series.shift();
}
