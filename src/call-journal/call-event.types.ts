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
  'supervisor-ended',
  'caller-silent',
  'max-duration',
] as const;
export type CallEndReason = (typeof CALL_END_REASONS)[number];

/**
 * agent-requested: the model called transfer_to_human. provider-failure: the voice agent was lost mid-call.
 * supervisor-takeover: a supervisor moved the call to a person from the console or the API.
 */
export const ESCALATION_CAUSES = ['agent-requested', 'provider-failure', 'supervisor-takeover', 'escalation-rule'] as const;
export type EscalationCause = (typeof ESCALATION_CAUSES)[number];

/** What set off an escalation the service enforced (the department's escalation rules): events, metrics and /stats use these names. */
export const ESCALATION_TRIGGERS = ['human-request', 'frustration', 'red-flag', 'failed-tools', 'handoff-refused', 'no-progress'] as const;
export type EscalationTrigger = (typeof ESCALATION_TRIGGERS)[number];

/** Where the caller's wait went: parts of answerLatencyMs covered by tools, by handoffs, and the rest (provider, network). */
export interface TurnBreakdown {
  toolsMs: number;
  handoffsMs: number;
  otherMs: number;
}

/** A tool call made during a caller turn; startMs is measured from the moment the caller stopped speaking. */
export interface TurnTool {
  toolCallId: string;
  name: string;
  startMs: number;
  /** null: still running when the turn closed (the caller spoke again, or hung up). */
  durationMs: number | null;
  ok: boolean | null;
}

/** A handoff requested during a caller turn; latencyMs runs from the transfer call to its session.update. */
export interface TurnHandoff {
  from: string;
  to: string;
  status: 'applied' | 'refused' | 'cancelled';
  startMs: number;
  latencyMs: number | null;
}

/**
 * One caller turn, as the caller lived it: from the moment they stopped speaking until the
 * agent's first audio of the answer left for Twilio. Recorded once the turn is over (the caller
 * speaks again, or the call ends).
 */
export interface CallerTurn {
  /** 1, 2, ... within the call. */
  turn: number;
  /** The department that answered (after a handoff in the turn, the new one). */
  department: string;
  /** The voice agent provider of the call (assemblyai, openai, local). */
  provider: string;
  /** ISO time the caller stopped speaking. */
  callerStoppedAt: string;
  /** speech-end: the provider's end-of-speech event; transcript: the caller's transcript (no such event came). */
  measuredFrom: 'speech-end' | 'transcript';
  /** Caller stopped -> first agent audio sent to Twilio (a "let me check" counts: it is what the caller hears). null: no answer. */
  responseLatencyMs: number | null;
  /**
   * Caller stopped -> first audio of the reply that came after the turn's last tool or handoff
   * had settled (the answer that used their results). Equal to responseLatencyMs in a turn
   * without tools or handoffs. null: no such reply before the turn closed.
   */
  answerLatencyMs: number | null;
  /** How answerLatencyMs divides (absent when there was no answer). */
  breakdown?: TurnBreakdown;
  tools: TurnTool[];
  handoffs: TurnHandoff[];
}

export const WARM_TRANSFER_STATUSES = ['answered', 'no-answer', 'busy', 'failed', 'canceled', 'timeout'] as const;
export type WarmTransferStatus = (typeof WARM_TRANSFER_STATUSES)[number];

/** Who did a supervision action: the role of the bearer token used, and the name the supervisor gave. */
export interface Supervisor {
  role: 'supervisor' | 'admin';
  name: string;
}

/** polite: the agent says a closing line first. now: the call ends at once. */
export const SUPERVISOR_END_MODES = ['polite', 'now'] as const;
export type SupervisorEndMode = (typeof SUPERVISOR_END_MODES)[number];

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
    | {
        type: 'escalation';
        /** Why the call went to a person, as a bounded category (the model's own words are in reason). Older records lack it. */
        cause?: EscalationCause;
        reason: string;
        summary: string;
        target: string;
        transferred: boolean;
        detail?: string;
        /** cause escalation-rule: the rule that fired. */
        trigger?: EscalationTrigger;
      }
    /**
     * A department's escalation rule fired: the service moves the caller itself (a handoff to
     * escalation, or a person at once), whatever the model said. The handoff or escalation event follows.
     */
    | {
        type: 'escalation.triggered';
        trigger: EscalationTrigger;
        action: 'escalation-handoff' | 'human-transfer';
        department: string;
        detail: string;
      }
    /**
     * A call guard acted: silence-prompt (the caller was asked whether they are still there),
     * silence-end (still silent: the call ends politely), max-duration (the call's time limit).
     */
    | { type: 'call.guard'; guard: 'silence-prompt' | 'silence-end' | 'max-duration' }
    /** A warm transfer: the person is being dialled (with a whisper of who is calling and why); the caller waits. */
    | { type: 'transfer.dialing'; cause: EscalationCause; target: string; reason: string; summary: string }
    /** How the warm transfer's dial ended (Twilio's DialCallStatus; timeout: no result came). The escalation event follows. */
    | { type: 'transfer.result'; status: WarmTransferStatus }
    /** The caller is back on a new Media Stream of the same call after a warm transfer nobody answered. */
    | { type: 'call.rejoined'; streamSid: string }
    | ({ type: 'turn' } & CallerTurn)
    | { type: 'provider.error'; code: string; message: string }
    | { type: 'provider.reconnected'; fresh: boolean }
    | { type: 'dtmf'; digit: string }
    /** A supervisor started or stopped listening to the call (one listener: one browser tab or API client). */
    | { type: 'supervision.listen'; by: Supervisor; listenerId: string; state: 'started' | 'stopped' }
    /** Guidance for the agent, in force from the next reply boundary until withdrawn (across handoffs). */
    | { type: 'supervision.whisper'; by: Supervisor; noteId: string; text: string }
    | { type: 'supervision.whisper.withdrawn'; by: Supervisor; noteId: string }
    /** The session.update carrying the supervisor notes now in force went to the provider (noteIds may be empty: all withdrawn). */
    | { type: 'supervision.notes.applied'; department: string; noteIds: string[] }
    /**
     * A supervisor moved the call: to a person ('human'; the escalation event says how the transfer went)
     * or to a department (the handoff event, reason "supervisor takeover", says when it was applied).
     */
    | { type: 'supervision.takeover'; by: Supervisor; to: string }
    | { type: 'supervision.end'; by: Supervisor; mode: SupervisorEndMode }
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
  /** W3C traceparent of the call's trace, when tracing is on: the post-call job's span joins it. */
  traceparent?: string;
}

export interface CallEnding {
  endedAt: string;
  reason: CallEndReason;
  outcome: CallOutcome;
  finalDepartment: string;
  departments: string[];
}
