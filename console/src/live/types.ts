/** One call on a line, as GET /calls/live and the live-calls event give it. */
export interface LiveCallView {
  callSid: string;
  fromMasked: string;
  startedAt: string;
  instanceId: string;
  lastHeartbeatAt: string;
  department?: string;
  lastSaid: { speaker: 'caller' | 'agent'; text: string; at: string } | null;
  pending: { tools: string[]; handoffTo: string | null };
  turns: number;
  lastResponseLatencyMs: number | null;
}

/** The data of an `event: live-calls`: every live call, as of `at` (the server's clock). */
export interface LiveCallsSnapshot {
  calls: LiveCallView[];
  at: string;
}

/**
 * The snapshot in a live-calls event, or undefined when it is not one. Fields the server adds
 * later are optional here so an older server's rows still show (without what they lack).
 */
export function liveCallsSnapshotOf(data: string): LiveCallsSnapshot | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !Array.isArray(parsed.calls)) return undefined;
  const at = typeof parsed.at === 'string' ? parsed.at : new Date().toISOString();
  return { at, calls: parsed.calls.flatMap((call) => liveCallOf(call) ?? []) };
}

function liveCallOf(value: unknown): LiveCallView | undefined {
  if (!isObject(value) || typeof value.callSid !== 'string' || typeof value.startedAt !== 'string') return undefined;
  const lastSaid = isObject(value.lastSaid) ? value.lastSaid : null;
  const pending = isObject(value.pending) ? value.pending : {};
  return {
    callSid: value.callSid,
    fromMasked: typeof value.fromMasked === 'string' ? value.fromMasked : '',
    startedAt: value.startedAt,
    instanceId: typeof value.instanceId === 'string' ? value.instanceId : '',
    lastHeartbeatAt: typeof value.lastHeartbeatAt === 'string' ? value.lastHeartbeatAt : value.startedAt,
    ...(typeof value.department === 'string' ? { department: value.department } : {}),
    lastSaid:
      lastSaid && (lastSaid.speaker === 'caller' || lastSaid.speaker === 'agent') && typeof lastSaid.text === 'string'
        ? { speaker: lastSaid.speaker, text: lastSaid.text, at: typeof lastSaid.at === 'string' ? lastSaid.at : '' }
        : null,
    pending: {
      tools: Array.isArray(pending.tools) ? pending.tools.filter((tool): tool is string => typeof tool === 'string') : [],
      handoffTo: typeof pending.handoffTo === 'string' ? pending.handoffTo : null,
    },
    turns: typeof value.turns === 'number' ? value.turns : 0,
    lastResponseLatencyMs: typeof value.lastResponseLatencyMs === 'number' ? value.lastResponseLatencyMs : null,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
