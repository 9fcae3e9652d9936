// The local provider's control channel (WebSocket /local-provider/control), JSON both ways.
// requestId is optional on every request; answers (ack, stats, control-error) echo it.

import { ForcedToolCall } from './local-agent.conversation';
import { RealtimeSessionRecord } from './local-openai-realtime.session';

export type { ForcedToolCall };

export type ControlRequest =
  | { type: 'subscribe'; callId: string; requestId?: string }
  | { type: 'unsubscribe'; callId: string; requestId?: string }
  | { type: 'say'; callId: string; text: string; requestId?: string }
  | {
      type: 'force-tool-call';
      callId: string;
      name: string;
      arguments?: Record<string, unknown>;
      argumentsAsString?: boolean;
      // Sent verbatim as the wire "arguments" string (to exercise unparsable arguments).
      rawArguments?: string;
      // Further calls issued in the same reply (two transfers at once, a transfer beside a backend tool).
      alongside?: ForcedToolCall[];
      requestId?: string;
    }
  | { type: 'drop-socket'; callId: string; refuseResume?: boolean; requestId?: string }
  | { type: 'inject-fault'; callId: string; fault: LocalProviderFault; requestId?: string }
  // Every later reply of the call's sessions (both wires, later sessions too) starts replyDelayMs late; 0 turns it off.
  | { type: 'pace'; callId: string; replyDelayMs: number; requestId?: string }
  // While ignore is true, the call's agent (both wires, later sessions too) misses a caller asking for a person:
  // it answers as if the words asked for nothing it handles and calls no transfer for them; false turns it off.
  | { type: 'ignore-requests-for-people'; callId: string; ignore: boolean; requestId?: string }
  | { type: 'stats'; callId: string; requestId?: string }
  | { type: 'configure'; toolArgumentsAsString?: boolean; requestId?: string };

/**
 * Faults a test can give one call's provider, to see what the service does when its peer misbehaves:
 * - withhold-ready: sessions of the call (now and later) never say session.ready;
 * - refuse-connections: new sockets for the call are dropped before the WebSocket handshake;
 * - end-session: the live session says session.ended and closes, mid-call;
 * - black-hole: the current socket (and any new one) neither reads nor writes: no FIN, no RST, no pong;
 * - lose-incoming: what the service sends on the current socket is silently discarded.
 */
export const LOCAL_PROVIDER_FAULTS = ['withhold-ready', 'refuse-connections', 'end-session', 'black-hole', 'lose-incoming'] as const;
export type LocalProviderFault = (typeof LOCAL_PROVIDER_FAULTS)[number];

export const MAX_REPLY_DELAY_MS = 30_000;

export type ObservedDirection = 'client-to-provider' | 'provider-to-client';

export interface ObservedEvent {
  type: 'observed';
  callId: string;
  sessionId: string | null;
  direction: ObservedDirection;
  message: Record<string, unknown>;
  at: number;
}

export interface SessionLifecycleEvent {
  type: 'session-opened' | 'session-closed' | 'session-resumed' | 'session-dropped';
  callId: string;
  sessionId: string;
  reason?: string;
  at: number;
}

export interface StatsEvent {
  type: 'stats';
  callId: string;
  sessionId: string;
  inputAudioFrames: number;
  lastInputAudioAt: number | null;
  replyAudioFrames: number;
  tools: string[];
  systemPrompt: string;
  voice: string | undefined;
  ready: boolean;
  connected: boolean;
  // Sessions on the OpenAI Realtime wire: the effective session, the conversation items, the truncations.
  openai?: RealtimeSessionRecord;
  requestId?: string;
}

export interface AckEvent {
  type: 'ack';
  request: ControlRequest['type'];
  requestId?: string;
}

export interface ControlErrorEvent {
  type: 'control-error';
  message: string;
  requestId?: string;
}

export type ControlEvent = ObservedEvent | SessionLifecycleEvent | StatsEvent | AckEvent | ControlErrorEvent;

export function parseControlRequest(
  text: string,
): { ok: true; request: ControlRequest } | { ok: false; message: string; requestId?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, message: 'control message is not JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, message: 'control message must be a JSON object' };
  const message = raw as Record<string, unknown>;
  const requestId = typeof message.requestId === 'string' ? message.requestId : undefined;
  const fail = (why: string) => ({ ok: false as const, message: why, requestId });
  const callId = typeof message.callId === 'string' && message.callId !== '' ? message.callId : undefined;
  const needsCallId = () => fail(`${String(message.type)} needs a callId`);

  switch (message.type) {
    case 'subscribe':
    case 'unsubscribe':
    case 'stats':
      return callId ? { ok: true, request: { type: message.type, callId, requestId } } : needsCallId();
    case 'say':
      if (!callId) return needsCallId();
      if (typeof message.text !== 'string' || message.text.trim() === '') return fail('say needs a non-empty text');
      return { ok: true, request: { type: 'say', callId, text: message.text, requestId } };
    case 'force-tool-call': {
      if (!callId) return needsCallId();
      if (typeof message.name !== 'string' || message.name === '') return fail('force-tool-call needs a tool name');
      const args = message.arguments;
      if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args)))
        return fail('force-tool-call arguments must be an object');
      if (message.rawArguments !== undefined && typeof message.rawArguments !== 'string')
        return fail('force-tool-call rawArguments must be a string');
      const alongside = message.alongside;
      if (alongside !== undefined && (!Array.isArray(alongside) || !alongside.every(isForcedToolCall)))
        return fail('force-tool-call alongside must be a list of { name, arguments? }');
      return {
        ok: true,
        request: {
          type: 'force-tool-call',
          callId,
          name: message.name,
          arguments: args as Record<string, unknown> | undefined,
          argumentsAsString: message.argumentsAsString === true,
          rawArguments: message.rawArguments as string | undefined,
          ...(alongside ? { alongside } : {}),
          requestId,
        },
      };
    }
    case 'drop-socket':
      if (!callId) return needsCallId();
      return { ok: true, request: { type: 'drop-socket', callId, refuseResume: message.refuseResume === true, requestId } };
    case 'inject-fault':
      if (!callId) return needsCallId();
      if (!(LOCAL_PROVIDER_FAULTS as readonly unknown[]).includes(message.fault))
        return fail(`inject-fault needs a fault: one of ${LOCAL_PROVIDER_FAULTS.join(', ')}`);
      return { ok: true, request: { type: 'inject-fault', callId, fault: message.fault as LocalProviderFault, requestId } };
    case 'pace': {
      if (!callId) return needsCallId();
      const delay = message.replyDelayMs;
      if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > MAX_REPLY_DELAY_MS)
        return fail(`pace needs replyDelayMs: an integer from 0 to ${MAX_REPLY_DELAY_MS}`);
      return { ok: true, request: { type: 'pace', callId, replyDelayMs: delay, requestId } };
    }
    case 'ignore-requests-for-people':
      if (!callId) return needsCallId();
      if (typeof message.ignore !== 'boolean') return fail('ignore-requests-for-people needs ignore: true or false');
      return { ok: true, request: { type: 'ignore-requests-for-people', callId, ignore: message.ignore, requestId } };
    case 'configure':
      if (message.toolArgumentsAsString !== undefined && typeof message.toolArgumentsAsString !== 'boolean') {
        return fail('configure toolArgumentsAsString must be a boolean');
      }
      return {
        ok: true,
        request: { type: 'configure', toolArgumentsAsString: message.toolArgumentsAsString as boolean | undefined, requestId },
      };
    default:
      return fail(`unknown control message type ${JSON.stringify(message.type)}`);
  }
}

function isForcedToolCall(value: unknown): value is ForcedToolCall {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const call = value as Record<string, unknown>;
  const args = call.arguments;
  return (
    typeof call.name === 'string' &&
    call.name !== '' &&
    (args === undefined || (typeof args === 'object' && args !== null && !Array.isArray(args)))
  );
}
