/**
 * The durable record of one call, in order. Appended to Redis as it happens (so a crash loses
 * nothing), written to Postgres by the post-call job. Caller numbers never appear raw.
 */
export const CALL_OUTCOMES = ['resolved', 'escalated', 'abandoned', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
/** stream-lost: Twilio's socket went silent (no audio, no close) and was given up on. */
export const CALL_END_REASONS = [
  'twilio-stop',
  'hangup',
  'stream-lost',
  'human-transfer',
  'provider-lost',
  'failure',
  'shutdown',
  'orphaned',
] as const;
export type CallEndReason = (typeof CALL_END_REASONS)[number];

interface EventBase {
  /** ISO timestamp. */
  at: string;
  /** Set when the journal cut the event to its limits (a huge transcript or tool argument): its size before. */
  truncated?: { originalChars: number };
}

export type CallEvent = EventBase &
  (
    | { type: 'call.started'; department: string; agentVersion: number; returningCaller: boolean }
    | { type: 'caller.said'; text: string }
    | {
        /** One per reply, recorded once the reply has played or was cut: what the caller heard. */
        type: 'agent.said';
        department: string;
        /** The words the caller heard: the whole reply, or its start when the caller cut in. */
        text: string;
        interrupted: boolean;
        /** Cut replies: how much of the reply's audio had played (by Twilio's marks). */
        heardMs?: number;
        /** Cut replies: the words the agent had generated, when the caller heard fewer. */
        generatedText?: string;
      }
    | { type: 'tool.called'; department: string; toolCallId: string; name: string; arguments: Record<string, unknown> }
    | {
        type: 'tool.result';
        department: string;
        toolCallId: string;
        name: string;
        result: Record<string, unknown>;
        ok: boolean;
        durationMs: number;
      }
    | { type: 'tool.result.dropped'; toolCallId: string; name: string; reason: 'interrupted' | 'session-ended' }
    | { type: 'interruption' }
    | {
        type: 'handoff';
        handoffId: string;
        from: string;
        to: string;
        reason: string;
        summary: string;
        status: 'applied' | 'refused' | 'cancelled';
        code?: string;
      }
    | { type: 'escalation'; reason: string; summary: string; target: string; transferred: boolean; detail?: string }
    | { type: 'provider.error'; code: string; message: string }
    | { type: 'provider.reconnected'; fresh: boolean }
    | { type: 'dtmf'; digit: string }
    | { type: 'twilio.status'; status: string }
    | { type: 'call.ended'; reason: CallEndReason; outcome: CallOutcome }
    /** Written by Redis when the owner took back a call another instance had closed as orphaned. */
    | { type: 'call.reclaimed'; closedAsOrphanAt: string; instanceId: string }
  );

export type CallEventType = CallEvent['type'];

/** What is known about a call besides its events; stored beside them in Redis. */
export interface CallMetadata {
  callSid: string;
  streamSid: string;
  /** '+1555***4567' style: enough for a supervisor to recognise, never the full number. */
  fromMasked: string;
  toMasked: string;
  /** HMAC of the caller's E.164 number (caller-history key). */
  callerHash: string | null;
  startedAt: string;
  instanceId: string;
}

export interface CallEnding {
  endedAt: string;
  reason: CallEndReason;
  outcome: CallOutcome;
  finalDepartment: string;
  departments: string[];
}
