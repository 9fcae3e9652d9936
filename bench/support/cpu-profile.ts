/*
 * Reads a V8 .cpuprofile (from the service under the bench) into self time per function and
 * per package: where the relay's CPU goes.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  name: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time not idle: what the process actually spent on CPU. */
  busyMs: number;
  topFunctions: ProfileEntry[];
  byCategory: ProfileEntry[];
}

/** Where code lives: our dist/src file, a package, node internals, or a V8 pseudo-frame. */
export function categoryOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const packages = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((match) => match[1]);
  if (packages.length === 1) return packages[0];
  if (packages.length > 1) return `${packages[packages.length - 1]} (under ${packages[0]})`;
  if (url.startsWith('node:')) return 'node internals';
  const ours = /\/(dist|src)\/(.+)$/.exec(url);
  if (ours) return `ours: ${ours[2]}`;
  return url;
}

function frameName(frame: CallFrame): string {
  const file = shortPath(frame.url);
  return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
}

/** node_modules/<package>/..., or dist/... / src/... for our own code. */
export function shortPath(url: string): string {
  if (!url) return '';
  const packageAt = url.lastIndexOf('/node_modules/');
  if (packageAt >= 0) return url.slice(packageAt + 1);
  const ours = /\/((?:dist|src)\/.+)$/.exec(url);
  return ours ? ours[1] : url;
}

export function summariseCpuProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let index = 0; index < samples.length; index++) {
    // timeDeltas[i] is the time before sample i; attribute the next delta to this sample.
    const micros = deltas[index + 1] ?? 0;
    selfMicros.set(samples[index], (selfMicros.get(samples[index]) ?? 0) + Math.max(0, micros));
  }
  const functions = new Map<string, number>();
  const categories = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, micros] of selfMicros) {
    const node = byId.get(id);
    if (!node) continue;
    total += micros;
    if (node.callFrame.functionName === '(idle)') {
      idle += micros;
      continue;
    }
    const name = frameName(node.callFrame);
    functions.set(name, (functions.get(name) ?? 0) + micros);
    const category = categoryOf(node.callFrame);
    categories.set(category, (categories.get(category) ?? 0) + micros);
  }
  const busy = total - idle;
  const entries = (map: Map<string, number>): ProfileEntry[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({
        name,
        selfMs: Math.round(micros / 100) / 10,
        percent: busy > 0 ? Math.round((micros / busy) * 1000) / 10 : 0,
      }));
  return {
    totalMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    topFunctions: entries(functions),
    byCategory: entries(categories),
  };
}

export function formatProfileSummary(summary: ProfileSummary, top = 15): string {
  const lines = [`busy ${summary.busyMs} ms of ${summary.totalMs} ms profiled`, 'self time by package / file:'];
  for (const entry of summary.byCategory.slice(0, top)) lines.push(`  ${entry.percent.toFixed(1).padStart(5)} %  ${entry.name}`);
  lines.push('self time by function:');
  for (const entry of summary.topFunctions.slice(0, top)) lines.push(`  ${entry.percent.toFixed(1).padStart(5)} %  ${entry.name}`);
  return lines.join('\n');
}

export interface BusyStretch {
  startMs: number;
  durationMs: number;
  /** The frames most often on the stack during the stretch (ours and packages), by share of samples. */
  onStack: { name: string; percent: number }[];
}

/**
 * Stretches where the thread never went idle for at least minMs: event-loop stalls. Each is
 * described by the frames most present on its stacks (inclusive), which names the culprit.
 */
export function busyStretches(profile: CpuProfile, minMs = 20, limit = 10): BusyStretch[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const stretches: { start: number; end: number; sampleIds: number[] }[] = [];
  let at = profile.startTime;
  let current: { start: number; end: number; sampleIds: number[] } | undefined;
  for (let index = 0; index < samples.length; index++) {
    at += deltas[index] ?? 0;
    const node = byId.get(samples[index]);
    const idle = !node || node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)';
    if (idle) {
      if (current && current.end - current.start >= minMs * 1000) stretches.push(current);
      current = undefined;
      continue;
    }
    current ??= { start: at, end: at, sampleIds: [] };
    current.end = at + (deltas[index + 1] ?? 0);
    current.sampleIds.push(samples[index]);
  }
  if (current && current.end - current.start >= minMs * 1000) stretches.push(current);
  return stretches
    .sort((a, b) => b.end - b.start - (a.end - a.start))
    .slice(0, limit)
    .map((stretch) => {
      const counts = new Map<string, number>();
      for (const id of stretch.sampleIds) {
        const seen = new Set<string>();
        for (let node = byId.get(id); node; node = byId.get(parent.get(node.id) ?? -1)) {
          const { url } = node.callFrame;
          if (!url || url.startsWith('node:')) continue;
          const name = frameName(node.callFrame);
          if (seen.has(name)) continue;
          seen.add(name);
          counts.set(name, (counts.get(name) ?? 0) + 1);
        }
      }
      const onStack = [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([name, count]) => ({ name, percent: Math.round((count / stretch.sampleIds.length) * 100) }));
      return {
        startMs: Math.round((stretch.start - profile.startTime) / 1000),
        durationMs: Math.round((stretch.end - stretch.start) / 1000),
        onStack,
      };
    });
}

export function formatBusyStretches(stretches: readonly BusyStretch[]): string {
  if (stretches.length === 0) return 'no busy stretch (event-loop stall) found';
  const lines = ['longest busy stretches (no idle sample in between):'];
  for (const stretch of stretches) {
    lines.push(`  ${stretch.durationMs} ms at +${stretch.startMs} ms:`);
    for (const frame of stretch.onStack.slice(0, 5)) lines.push(`      ${String(frame.percent).padStart(3)} %  ${frame.name}`);
  }
  return lines.join('\n');
}
