import {
  cpuPercentBetween,
  descendantsOf,
  parseMachineTicks,
  parseProcStat,
  parseProcStatTicks,
  parseVmRssKb,
  SetSample,
  setTicksOver,
} from '../../../bench/support/process-sampler';

describe('process sampler parsing', () => {
  const statLine = (comm: string, utime: number, stime: number): string =>
    `4242 (${comm}) S 1 4242 4242 0 -1 4194560 1234 0 0 0 ${utime} ${stime} 0 0 20 0 11 0 123456 1234567 8910 18446744073709551615`;

  it('reads utime + stime from /proc/<pid>/stat', () => {
    expect(parseProcStatTicks(statLine('node', 150, 50))).toBe(200);
  });

  it('is not fooled by spaces and parentheses in the command name', () => {
    expect(parseProcStatTicks(statLine('node (main) x', 7, 3))).toBe(10);
  });

  it('reads VmRSS in kB', () => {
    expect(parseVmRssKb('Name:\tnode\nVmPeak:\t 999 kB\nVmRSS:\t  123456 kB\nThreads:\t11\n')).toBe(123456);
    expect(parseVmRssKb('Name:\tzombie\n')).toBe(0);
  });

  it('reads busy and total ticks of the whole machine', () => {
    expect(parseMachineTicks('cpu  100 0 50 780 50 0 0 20 0 0\ncpu0 1 2 3 4\n')).toEqual({
      busyTicks: 170,
      totalTicks: 1000,
      stealTicks: 20,
    });
  });

  it('turns ticks over wall time into % of one core', () => {
    expect(cpuPercentBetween({ at: 0, cpuTicks: 0 }, { at: 2000, cpuTicks: 300 }, 100)).toBe(150);
    expect(cpuPercentBetween({ at: 5, cpuTicks: 0 }, { at: 5, cpuTicks: 3 }, 100)).toBeNull();
  });

  it('reads the parent pid', () => {
    expect(parseProcStat(statLine('node (worker)', 7, 3))).toEqual({ ppid: 1, ticks: 10 });
  });

  it('finds a process tree: a cluster primary, its workers and their children, nothing else', () => {
    const parents = new Map([
      [10, 1],
      [20, 10],
      [21, 10],
      [30, 21],
      [40, 1],
      [41, 40],
    ]);
    expect(descendantsOf(10, parents).sort()).toEqual([10, 20, 21, 30]);
    expect(descendantsOf(99, parents)).toEqual([99]);
  });

  describe('CPU ticks of a set of processes over a window', () => {
    const sample = (at: number, ticks: Record<number, number>): SetSample => ({
      at,
      byPid: new Map(Object.entries(ticks).map(([pid, value]) => [Number(pid), { ticks: value, rssKb: 1000 }])),
    });

    it('sums what every process used between the first and the last sample', () => {
      expect(setTicksOver([sample(0, { 10: 5, 20: 100, 21: 200 }), sample(1000, { 10: 6, 20: 150, 21: 260 })])).toBe(111);
    });

    it('counts a worker started inside the window from zero, and keeps what an exited one used while seen', () => {
      const series = [sample(0, { 10: 5, 20: 100 }), sample(1000, { 10: 5, 20: 140, 22: 30 }), sample(2000, { 10: 5, 22: 70 })];
      expect(setTicksOver(series)).toBe(40 + 70);
    });

    it('is zero with fewer than two samples', () => {
      expect(setTicksOver([sample(0, { 10: 5 })])).toBe(0);
    });
  });
});
