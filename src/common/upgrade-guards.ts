import { IncomingMessage } from 'node:http';

export type UpgradeVerdict = { allowed: true } | { allowed: false; status: number; message: string; headers?: Record<string, string> };
export type UpgradeGuard = (request: IncomingMessage) => UpgradeVerdict | Promise<UpgradeVerdict>;

/** A module's WebSocket upgrade guards, by the path its gateway declares ('/twilio/media-stream', '/calls/:callSid/listen'). */
export type UpgradeGuards = Readonly<Record<string, UpgradeGuard>>;

/**
 * Each module that serves WebSocket paths provides its guards under a token of its own; the app
 * root merges them. A path claimed twice is a wiring mistake, refused at start-up.
 */
export function mergeUpgradeGuards(guardSets: readonly UpgradeGuards[]): UpgradeGuards {
  const merged: Record<string, UpgradeGuard> = {};
  for (const guards of guardSets) {
    for (const [path, guard] of Object.entries(guards)) {
      if (merged[path]) throw new Error(`Two modules guard the WebSocket path ${path}`);
      merged[path] = guard;
    }
  }
  return merged;
}

/**
 * Matches a request path against a gateway's path pattern: a literal segment matches itself, a
 * `:name` segment any one non-empty segment. The named segments (URI-decoded), or undefined.
 */
export function matchUpgradePath(pattern: string, pathname: string): Record<string, string> | undefined {
  const expected = pattern.split('/');
  const given = pathname.split('/');
  if (expected.length !== given.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < expected.length; index++) {
    const segment = expected[index];
    if (!segment.startsWith(':')) {
      if (segment !== given[index]) return undefined;
      continue;
    }
    if (given[index] === '') return undefined;
    try {
      params[segment.slice(1)] = decodeURIComponent(given[index]);
    } catch {
      return undefined;
    }
  }
  return params;
}
