import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AgentConfig } from '../agents/agent-config.types';
import { applyFactsPatch, emptyFacts, KnownFacts } from '../agents/tools/known-facts';
import { HUMAN_TRANSFER_TOOL, isTransferTool, transferTargetOf } from '../handoff/transfer-tools';
import { AppliedHop, decideHandoff, HandoffRefusalCode } from '../handoff/handoff-policy';
import { describeFacts, handoffUpdate, initialSession, instructionsUpdate, PromptContext, sessionTools } from './session-composer';
import { HandoffLogEntry } from '../handoff/handoff.types';
import { redact } from '../privacy/sensitive-data.redactor';
import { boundedJson, JsonLimits } from '../privacy/storable-text';
import {
  ConnectionClosedReason,
  ConversationTurn,
  ProviderEvent,
  ProviderTool,
  ResumeInfo,
  SessionConfig,
  ToolCallEvent,
  VoiceAgentCallbacks,
  VoiceAgentConnection,
} from '../voice-agent/voice-agent.types';
import {
  CallEndReason,
  CallerTurn,
  CallEvent,
  CallOutcome,
  EscalationCause,
  EscalationTrigger,
  Supervisor,
  SupervisorEndMode,
  WarmTransferStatus,
} from '../call-journal/call-event.types';
import { ESCALATION_DEPARTMENT_KEY } from '../agents/escalation-rules';
import {
  EscalationDecision,
  EscalationWatch,
  judgeCallerWords,
  judgeHandoffRefusal,
  judgeToolOutcome,
  Judged,
  progressed,
  startWatching,
} from './escalation-triggers';
import { decideCallOutcome, EMPTY_OUTCOME_TALLY, outcomeFactsOf, tallyOutcome } from '../call-journal/call-outcome.rules';
import { CallSessionDependencies, CallTelemetry, HumanTransferOutcome, SessionLogger, TelephonyLeg } from './call-session.ports';
import { CallerTurnTimer } from './caller-turn-timer';
import { CallAudioTap, SupervisedCall, SupervisorEndResult, SupervisorNote, TakeoverResult } from './call-supervision.ports';
import {
  callerMovedOn,
  emptyLedger,
  hasPendingTransfer,
  LedgerStep,
  PendingCall,
  recordCall,
  replyDone,
  settleCall,
  ToolCallLedger,
} from './tool-call-ledger';
import { voiceOn } from '../voice-agent/voice-agent.voices';
import { AgentTurn, heardTurn, HeardTurn, openTurn, withTranscript } from './agent-turn';
import { PlaybackPosition, ReplyPlaybackTracker } from './reply-playback';
import {
  BACK_FROM_TRANSFER,
  CLOSING_LINES,
  dialResultWords,
  escalationOpening,
  escalationRuleReason,
  PoliteEnding,
  STILL_THERE_PROMPT,
  supervisorHandoffOpening,
  SUPERVISOR_TAKEOVER_REASON,
  TRANSFER_NOT_PLACED,
  transferFailedNotice,
} from './service-lines';

export interface CallStart {
  callSid: string;
  streamSid: string;
  entryAgent: AgentConfig;
  returningCaller: boolean;
  /** Rendered caller history for the entry agent's prompt. */
  callerHistory?: string;
}

interface RequestedTransfer {
  toolCallId: string;
  targetKey: string;
  reason: string;
  summary: string;
  requestedAt: Date;
  requestedAtMs: number;
}

/**
 * A handoff the service decided on (a supervisor's takeover, an escalation rule), not the model:
 * applied at the next reply boundary, after which the new agent is asked to speak.
 */
interface ServiceHandoff {
  targetKey: string;
  reason: string;
  /** What the new agent is asked to say first (reply.create instructions). */
  opening: string;
  requestedAt: Date;
  requestedAtMs: number;
}

/** A polite end (a supervisor's, a silent caller, the call's time limit): the agent says a closing line, then the call ends. */
interface ClosingCall {
  reason: PoliteEnding;
  /** Ends the call if the closing line never comes. */
  deadline: NodeJS.Timeout;
  /** The closing line was asked for (at a reply boundary). */
  lineRequested: boolean;
  /** The reply carrying it has started: once it is recorded as heard (or cut), the call ends. */
  lineStarted: boolean;
}

/**
 * A rule-made handoff waits for the reply the caller's words are about to get; if none starts
 * within this, it is applied anyway.
 */
const RULE_HANDOFF_GRACE_MS = 1500;

/** A warm transfer under way: the person is being dialled and the call waits for Twilio's dial result, then for the caller to come back. */
interface WarmTransfer {
  cause: EscalationCause;
  reason: string;
  summary: string;
  trigger?: EscalationTrigger;
  /** Ends the wait if no dial result (or no returning stream) comes. */
  deadline: NodeJS.Timeout;
  /** Set once Twilio said how the dial ended. */
  result?: WarmTransferStatus;
  /** The provider's session ended while the caller was away. */
  providerLost?: boolean;
}

/** The Twilio leg while the caller is with Twilio's <Dial> (the Media Stream has stopped): nothing to send to. */
const AWAY_LEG: TelephonyLeg = {
  sendAudio: () => false,
  clearAudio: () => undefined,
  mark: () => undefined,
  playPrompt: async () => undefined,
  transferToHuman: async () => ({ status: 'failed', detail: 'the caller is away in a transfer' }),
  close: () => undefined,
};

/** A caller nobody answered for is brought back on a new Media Stream within this, or the call ends. */
const REJOIN_WAIT_MS = 30_000;

/** How long a polite end waits for the agent's closing line before ending the call anyway. */
const CLOSING_LINE_LIMIT_MS = 12_000;

type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;

/** No argument of any tool here needs more; a model that sends more gets it cut, not a frozen call. */
const TOOL_ARGUMENT_LIMITS: JsonLimits = { maxStringChars: 4000, maxTotalChars: 16_000, maxDepth: 8 };

/** Endings where Twilio's side is already gone: nothing of ours to close. */
const CALLER_SIDE_ENDINGS: ReadonlySet<CallEndReason> = new Set(['twilio-stop', 'hangup', 'stream-lost']);

/**
 * One live call: joins the Twilio leg and the provider leg, runs tools, applies handoffs at
 * reply boundaries and records everything that happens. Never throws into either leg.
 */
export class CallSession implements VoiceAgentCallbacks, SupervisedCall {
  private agent: AgentConfig;
  private facts: KnownFacts = emptyFacts();
  private ledger: ToolCallLedger = emptyLedger();
  private readonly hops: AppliedHop[] = [];
  private readonly departments: string[];
  private readonly transfers = new Map<string, RequestedTransfer>();
  private readonly recentConversation: ConversationTurn[] = [];
  private voice?: string;
  private readonly toolCallIds = new Set<string>();
  private availableTools = new Set<string>();
  private connection?: VoiceAgentConnection;
  private playback = new ReplyPlaybackTracker();
  private readonly turnTimer: CallerTurnTimer;
  private readonly telemetry: CallTelemetry;
  /** The reply being generated or still playing; recorded once, as heard (recordTurn). */
  private turn?: AgentTurn;
  /** What the outcome rule needs, folded from the events as they are recorded. */
  private outcomeTally = EMPTY_OUTCOME_TALLY;
  private failing = false;
  /** What the current department's prompt was composed with, besides facts and notes: composed again when notes change. */
  private promptBase: Omit<PromptContext, 'facts' | 'supervisorNotes'> = {};
  private notes: SupervisorNote[] = [];
  /** The notes changed since the provider last had the instructions: sent at the next reply boundary. */
  private instructionsStale = false;
  private serviceHandoff?: ServiceHandoff;
  private serviceHandoffGrace?: NodeJS.Timeout;
  private closing?: ClosingCall;
  private audioTap?: CallAudioTap;
  private escalationWatch: EscalationWatch;
  /** A transfer to a person is being placed (by a rule, a supervisor or the model): nothing else may start one. */
  private placingHumanTransfer = false;
  private silenceTimer?: NodeJS.Timeout;
  /** The caller was asked whether they are still there and has not spoken since. */
  private askedIfStillThere = false;
  private callTimeLimit?: NodeJS.Timeout;
  private warmTransfer?: WarmTransfer;
  /** Something the agent must know about the call from now on (a transfer that did not go through), in its prompt. */
  private callNotice?: string;
  /** The Media Stream ended while a transfer was being placed: the caller left, unless the transfer took them. */
  private streamLostWhilePlacing?: CallEndReason;
  private waitingForProvider?: NodeJS.Timeout;
  private ending?: Promise<void>;
  private resolveFinished!: (reason: CallEndReason) => void;
  /** Settles once the call has ended, however it ended, and its record is handed on. */
  readonly finished: Promise<CallEndReason> = new Promise((resolve) => (this.resolveFinished = resolve));
  readonly startedAt: Date;

  private readonly logger: SessionLogger;

  constructor(
    private readonly start: CallStart,
    private leg: TelephonyLeg,
    private readonly deps: CallSessionDependencies,
  ) {
    this.agent = start.entryAgent;
    this.departments = [start.entryAgent.key];
    this.startedAt = this.now();
    this.turnTimer = new CallerTurnTimer(deps.provider.name);
    this.escalationWatch = startWatching(this.monotonicMs());
    this.telemetry = deps.telemetry.forCall({
      callSid: start.callSid,
      department: start.entryAgent.key,
      provider: deps.provider.name,
      startedAt: this.startedAt,
    });
    const traceId = this.telemetry.traceId;
    this.logger = deps.logger.child({ callSid: start.callSid, ...(traceId ? { traceId } : {}) });
  }

  /** W3C traceparent of the call's trace (undefined while tracing is off), for work done after the call. */
  get traceparent(): string | undefined {
    return this.telemetry.traceparent;
  }

  get callSid(): string {
    return this.start.callSid;
  }

  get department(): string {
    return this.agent.key;
  }

  get knownFacts(): Readonly<KnownFacts> {
    return this.facts;
  }

  get ended(): boolean {
    return this.ending !== undefined;
  }

  open(): void {
    const tools = this.offer(this.toolsFor(this.agent));
    this.promptBase = { callerHistory: this.start.callerHistory };
    const session = initialSession(this.speaking(this.agent), tools, this.promptContext());
    this.record({
      type: 'call.started',
      department: this.agent.key,
      agentVersion: this.agent.version,
      returningCaller: this.start.returningCaller,
    });
    this.connection = this.deps.provider.open({ callId: this.callSid, session, callbacks: this });
    this.holdTheLineIfProviderIsSlow();
    const { maxCallMs } = this.deps.settings;
    if (maxCallMs > 0) {
      this.callTimeLimit = setTimeout(() => this.closePolitely('max-duration'), maxCallMs);
      this.callTimeLimit.unref?.();
    }
  }

  // ---- Twilio leg -------------------------------------------------------------------------

  callerAudio(base64Audio: string): void {
    // While the agent says a supervisor's closing line, the caller is heard by listeners but cannot start a new turn.
    if (!this.closing) this.connection?.sendAudio(base64Audio);
    this.audioTap?.callerAudio(base64Audio);
  }

  dtmf(digit: string): void {
    this.record({ type: 'dtmf', digit });
  }

  /** Twilio echoed a mark: how far the reply has played. */
  markPlayed(name: string): void {
    if (this.playback.markEchoed(name)) this.recordTurnOnceSettled();
  }

  /** Ends the call once, whatever ended it. Resolves when the call's record is durable. */
  end(reason: CallEndReason): Promise<void> {
    if (!this.ending && (this.warmTransfer || this.placingHumanTransfer) && CALLER_SIDE_ENDINGS.has(reason)) {
      // The Media Stream stopped because the call went to <Dial> (Twilio may stop it before its REST answer
      // reaches us): the call goes on, away from us, until the dial result.
      this.leg = AWAY_LEG;
      if (this.placingHumanTransfer) this.streamLostWhilePlacing ??= reason;
      return this.finished.then(() => undefined);
    }
    this.ending ??= this.finish(reason);
    return this.ending;
  }

  // ---- warm transfer at Twilio -----------------------------------------------------------------

  /** The caller is away in a warm transfer whose dial did not connect: a new Media Stream of the call brings them back. */
  get awaitingRejoin(): boolean {
    const result = this.warmTransfer?.result;
    return result !== undefined && result !== 'answered' && result !== 'canceled';
  }

  /**
   * Twilio's word on the warm transfer: the person took the call (answered: the call is escalated and
   * leaves us), or the caller hung up, or nobody took it and the caller is coming back (`rejoin`).
   */
  warmTransferResult(status: WarmTransferStatus): 'ended' | 'rejoin' | 'none' {
    const transfer = this.warmTransfer;
    if (!transfer || transfer.result || this.ended) return 'none';
    transfer.result = status;
    clearTimeout(transfer.deadline);
    this.record({ type: 'transfer.result', status });
    const connected = status === 'answered';
    this.telemetry.escalation(transfer.cause, connected ? 'transferred' : 'failed');
    this.record({
      type: 'escalation',
      cause: transfer.cause,
      reason: transfer.reason,
      summary: transfer.summary,
      target: 'human',
      transferred: connected,
      detail: `warm transfer: ${dialResultWords(status)}`,
      ...(transfer.trigger ? { trigger: transfer.trigger } : {}),
    });
    if (connected || status === 'canceled' || status === 'timeout') {
      this.warmTransfer = undefined;
      if (connected) this.departments.push('human');
      void this.end(connected ? 'human-transfer' : 'hangup');
      return 'ended';
    }
    transfer.deadline = setTimeout(() => {
      this.warmTransfer = undefined;
      void this.end('hangup');
    }, REJOIN_WAIT_MS);
    transfer.deadline.unref?.();
    return 'rejoin';
  }

  /**
   * The caller is back on a new Media Stream after a warm transfer nobody answered: the escalation
   * agent (or the current one, told in a session.update) takes them, knowing the transfer failed.
   */
  rejoin(leg: TelephonyLeg, streamSid: string): void {
    const transfer = this.warmTransfer;
    if (!transfer?.result || !this.awaitingRejoin) return;
    clearTimeout(transfer.deadline);
    this.warmTransfer = undefined;
    this.leg = leg;
    this.playback = new ReplyPlaybackTracker();
    this.record({ type: 'call.rejoined', streamSid });
    this.logger.log('Caller back from a warm transfer nobody took', { result: transfer.result });
    if (transfer.providerLost || !this.connection) {
      void this.leg
        .playPrompt('apology')
        .then(() => this.leg.playPrompt('goodbye'))
        .then(() => this.end('provider-lost'));
      return;
    }
    this.callNotice = transferFailedNotice(transfer.result);
    const escalation = this.deps.agents.active(ESCALATION_DEPARTMENT_KEY);
    if (escalation && escalation.key !== this.agent.key) {
      this.moveTo(escalation, {
        toolCallId: `service-${randomUUID()}`,
        targetKey: escalation.key,
        reason: `transfer to a person failed (${dialResultWords(transfer.result)})`,
        summary: this.conversationSummary(),
        requestedAt: this.now(),
        requestedAtMs: performance.now(),
      });
    } else {
      this.connection.updateSession(instructionsUpdate(this.agent, this.promptContext()));
    }
    this.connection.createReply(BACK_FROM_TRANSFER);
    this.watchForSilence();
  }

  private awaitWarmTransfer(request: { cause: EscalationCause; reason: string; summary: string; trigger?: EscalationTrigger }): void {
    this.stopWatchingForSilence();
    this.record({ type: 'transfer.dialing', cause: request.cause, target: 'human', reason: request.reason, summary: request.summary });
    const deadline = setTimeout(() => this.warmTransferResult('timeout'), this.deps.settings.warmTransferWaitMs);
    deadline.unref?.();
    this.warmTransfer = { ...request, deadline };
  }

  // ---- provider leg (VoiceAgentCallbacks) -------------------------------------------------

  onAudio(base64Audio: string): void {
    if (this.ended || !this.leg.sendAudio(base64Audio)) return;
    this.leg.mark(this.playback.audioSent(base64Audio));
    this.audioTap?.agentAudio(base64Audio);
    if (this.turnTimer.awaitingAudio) this.turnTimer.agentAudio(this.monotonicMs(), this.agent.key);
  }

  onEvent(event: ProviderEvent): void {
    if (this.ended) return;
    switch (event.type) {
      case 'session.ready':
        this.stopHoldingTheLine();
        this.watchForSilence();
        return;
      case 'session.updated':
      case 'session.ended':
      case 'transcript.user.delta':
        return;
      case 'input.speech.stopped':
        this.recordCallerTurn(this.turnTimer.callerStopped(this.monotonicMs(), this.now(), this.agent.key));
        return;
      case 'reply.started':
        // An earlier reply still open (its audio still playing, or its reply.done lost) is recorded as it stands.
        this.recordTurn();
        this.playback.startReply();
        this.turn = openTurn(this.agent.key);
        this.stopWatchingForSilence();
        if (this.closing?.lineRequested) this.closing.lineStarted = true;
        this.turnTimer.replyStarted(this.monotonicMs());
        return;
      case 'transcript.user':
        this.recordCallerTurn(this.turnTimer.callerTranscript(this.monotonicMs(), this.now(), this.agent.key, this.replyPlaying));
        // The caller spoke after the reply ended without cutting in: it has played as far as it will.
        if (this.turn?.finished) this.recordTurn();
        this.remember({ role: 'caller', text: event.text });
        this.record({ type: 'caller.said', text: event.text });
        this.askedIfStillThere = false;
        this.watchForSilence();
        this.judge(judgeCallerWords(this.agent.escalation, this.escalationWatch, event.text, this.monotonicMs()));
        return;
      case 'transcript.agent':
        if (this.turn) {
          this.turn = withTranscript(this.turn, event.text, event.interrupted === true);
          this.recordTurnOnceSettled();
        } else {
          // Words outside any reply (no reply.started): nothing to wait for.
          this.recordAgentSaid({ department: this.agent.key, text: event.text, interrupted: event.interrupted === true });
        }
        return;
      case 'input.speech.started':
        this.askedIfStillThere = false;
        this.stopWatchingForSilence();
        this.recordCallerTurn(this.turnTimer.callerStarted(this.agent.key));
        if (this.replyPlaying || this.ledger.pending.length > 0) {
          this.record({ type: 'interruption' });
          this.telemetry.interruption(this.agent.key);
        }
        this.cutIn();
        this.apply(callerMovedOn(this.ledger), 'interrupted');
        return;
      case 'reply.done': {
        const interrupted = event.status === 'interrupted';
        if (interrupted) this.cutIn();
        this.replyEnded();
        this.apply(replyDone(this.ledger, interrupted), 'interrupted');
        this.atReplyBoundary();
        this.watchForSilence();
        return;
      }
      case 'tool.call':
        this.onToolCall(event);
        return;
      case 'session.error':
        this.telemetry.providerError(event.code);
        this.record({ type: 'provider.error', code: event.code, message: event.message });
        this.logger.warn('Provider session.error', { code: event.code, param: event.param });
        return;
      default: {
        const unhandled: never = event;
        this.logger.warn('Unhandled provider event', { event: (unhandled as { type?: string }).type });
      }
    }
  }

  onReconnecting(): void {
    this.holdTheLineIfProviderIsSlow();
  }

  onResumed(info?: ResumeInfo): void {
    this.stopHoldingTheLine();
    const fresh = info?.fresh === true;
    this.telemetry.providerReconnect(fresh ? 'fresh' : 'resumed');
    this.record({ type: 'provider.reconnected', fresh });
    this.logger.log(fresh ? 'Provider session rebuilt after refused resume' : 'Provider session resumed');
    // A reply cut off by the drop never sends its reply.done: its boundary has passed, so what waits on it goes now.
    this.replyEnded();
    if (!fresh) this.apply(replyDone(this.ledger, false), 'interrupted');
    this.atReplyBoundary();
  }

  onFreshSessionRequired(): SessionConfig {
    // The new session knows nothing: anything pending belonged to the old one, and it numbers its calls afresh.
    this.apply(callerMovedOn(this.ledger), 'session-ended');
    this.toolCallIds.clear();
    const history = [...this.recentConversation];
    this.promptBase = { conversationSoFar: history.map((turn) => `${turn.role === 'caller' ? 'Caller' : 'Agent'}: ${turn.text}`) };
    this.instructionsStale = false;
    const session = initialSession(
      this.speaking(this.agent),
      this.offer(this.toolsFor(this.agent)),
      this.promptContext(),
      "Sorry about that, the line dropped for a moment. I'm back with you.",
    );
    return { ...session, history };
  }

  onClosed(reason: ConnectionClosedReason): void {
    if (this.ended) return;
    if (this.warmTransfer) {
      // Nobody to apologise to while the caller is away: dealt with if they come back.
      this.warmTransfer.providerLost = true;
      this.logger.warn('Provider session closed during a warm transfer', { kind: reason.kind });
      return;
    }
    if (reason.kind === 'ended') {
      this.logger.warn('Provider ended the session while the call was live');
    } else {
      this.logger.error('Provider connection failed; apologising and handing the caller to a human', { ...reason });
    }
    void this.failSafely(
      reason.kind === 'lost' ? 'provider-lost' : 'failure',
      reason.kind === 'ended' ? 'voice agent session ended unexpectedly' : reason.message,
    );
  }

  // ---- tools and handoffs -----------------------------------------------------------------

  private onToolCall(received: ToolCallEvent): void {
    // What the model sends is bounded and made storable once, here: tools, the journal and Postgres all get this copy.
    const bounded = boundedJson(received.arguments, TOOL_ARGUMENT_LIMITS);
    const call: ToolCallEvent = { ...received, arguments: bounded.value as Record<string, unknown> };
    const { call_id: toolCallId, name } = call;
    this.record({
      type: 'tool.called',
      department: this.agent.key,
      toolCallId,
      name,
      arguments: call.arguments,
      ...(bounded.truncated ? { truncated: { originalChars: bounded.originalChars } } : {}),
    });
    if (this.toolCallIds.has(toolCallId)) {
      // Running it again would answer one id twice; the model gets a clear error for the copy instead.
      return this.reject(toolCallId, name, {
        error: 'duplicate_call_id',
        message: `Tool call ${toolCallId} was already made in this call; make a new call to run ${name} again.`,
      });
    }
    this.toolCallIds.add(toolCallId);
    if (call.invalidArguments) {
      return this.reject(toolCallId, name, { error: 'invalid_arguments', message: 'Tool arguments were not a JSON object.' });
    }
    if (!this.availableTools.has(name)) {
      return this.reject(toolCallId, name, {
        error: 'tool_not_available',
        tool: name,
        message: `${name} is not available to the ${this.agent.displayName} agent.`,
      });
    }
    if (name === HUMAN_TRANSFER_TOOL) return this.requestHumanTransfer(call);
    if (isTransferTool(name)) return this.requestHandoff(call);
    this.runBackendTool(toolCallId, name, call.arguments);
  }

  private runBackendTool(toolCallId: string, name: string, args: Record<string, unknown>): void {
    this.apply(recordCall(this.ledger, { toolCallId, name, kind: 'backend' }), 'interrupted');
    const department = this.agent.key;
    const startedAt = Date.now();
    const inTurn = this.turnTimer.toolStarted(this.monotonicMs(), toolCallId, name);
    this.deps.tools
      .run(name, args, { callId: this.callSid, facts: this.facts }, this.deps.settings.toolTimeoutMs)
      .catch((error: unknown) => ({ result: { error: 'tool_failed', message: String(error) }, ok: false, durationMs: 0, facts: undefined }))
      .then((outcome) => {
        // What the tool did happened, even if the caller has moved on since.
        this.facts = applyFactsPatch(this.facts, outcome.facts);
        this.turnTimer.toolFinished(this.monotonicMs(), toolCallId, outcome.ok);
        if (!inTurn) this.telemetry.toolOutsideTurn({ name, toolCallId, startedAt, durationMs: outcome.durationMs, ok: outcome.ok });
        this.record({
          type: 'tool.result',
          department,
          toolCallId,
          name,
          result: outcome.result,
          ok: outcome.ok,
          durationMs: outcome.durationMs,
        });
        if (this.ended) return;
        this.apply(settleCall(this.ledger, toolCallId, JSON.stringify(outcome.result)), 'interrupted');
        this.judge(judgeToolOutcome(this.agent.escalation, this.escalationWatch, outcome.ok, this.monotonicMs()));
      });
  }

  /** Answers a tool call the model should not have made; `failedTool` counts it in the failed-tools streak (a refused transfer does not). */
  private reject(toolCallId: string, name: string, result: Record<string, unknown>, failedTool = true): void {
    this.record({ type: 'tool.result', department: this.agent.key, toolCallId, name, result, ok: false, durationMs: 0 });
    this.apply(recordCall(this.ledger, { toolCallId, name, kind: 'rejected', result: JSON.stringify(result) }), 'interrupted');
    if (failedTool) this.judge(judgeToolOutcome(this.agent.escalation, this.escalationWatch, false, this.monotonicMs()));
  }

  private requestHandoff(call: ToolCallEvent): void {
    const targetKey = transferTargetOf(call.name) ?? '';
    const requested: RequestedTransfer = {
      toolCallId: call.call_id,
      targetKey,
      ...transferArguments(call.arguments),
      requestedAt: this.now(),
      requestedAtMs: performance.now(),
    };
    this.turnTimer.handoffRequested(this.monotonicMs(), call.call_id, this.agent.key, targetKey);
    const target = this.deps.agents.active(targetKey);
    const decision = decideHandoff({
      current: this.agent,
      targetKey,
      target,
      appliedHops: this.hops,
      maxHandoffs: this.deps.settings.maxHandoffs,
      transferPendingInThisReply: hasPendingTransfer(this.ledger),
    });
    if (!decision.allowed) {
      this.logHandoff(requested, 'refused', decision.code, target);
      this.reject(call.call_id, call.name, { error: 'handoff_refused', code: decision.code, message: decision.message }, false);
      this.judge(judgeHandoffRefusal(this.agent.escalation, this.escalationWatch, decision.code));
      return;
    }
    this.transfers.set(call.call_id, requested);
    this.apply(recordCall(this.ledger, { toolCallId: call.call_id, name: call.name, kind: 'transfer' }), 'interrupted');
  }

  private requestHumanTransfer(call: ToolCallEvent): void {
    if (hasPendingTransfer(this.ledger) || this.placingHumanTransfer) {
      return this.reject(
        call.call_id,
        call.name,
        {
          error: 'handoff_refused',
          code: HandoffRefusalCode.TransferAlreadyPending,
          message: 'Another transfer is already being applied.',
        },
        false,
      );
    }
    this.transfers.set(call.call_id, {
      toolCallId: call.call_id,
      targetKey: 'human',
      ...transferArguments(call.arguments),
      requestedAt: this.now(),
      requestedAtMs: performance.now(),
    });
    this.apply(recordCall(this.ledger, { toolCallId: call.call_id, name: call.name, kind: 'human-transfer' }), 'interrupted');
  }

  /** Delivers what the ledger says is due, and accounts for what it dropped. */
  private apply(step: LedgerStep, dropReason: 'interrupted' | 'session-ended'): void {
    this.ledger = step.ledger;
    for (const dropped of step.dropped) this.onDropped(dropped, dropReason);
    if (step.flush.length === 0) return;
    // A transfer first: the results that follow belong to the new department's session.
    const transfer = step.flush.find((entry) => entry.kind === 'transfer');
    const transferResult = transfer ? this.applyHandoff(transfer) : undefined;
    for (const entry of step.flush) {
      if (entry.kind === 'human-transfer') continue;
      const result = entry === transfer ? transferResult : entry.result;
      if (result !== undefined) {
        this.connection?.sendToolResult(entry.toolCallId, result);
      }
    }
    const human = step.flush.find((entry) => entry.kind === 'human-transfer');
    if (human) void this.transferToHuman(human.toolCallId);
  }

  private onDropped(entry: PendingCall, reason: 'interrupted' | 'session-ended'): void {
    const transfer = this.transfers.get(entry.toolCallId);
    this.transfers.delete(entry.toolCallId);
    if (entry.kind === 'transfer' && transfer) {
      this.logHandoff(
        transfer,
        'cancelled',
        reason === 'interrupted' ? 'INTERRUPTED' : 'SESSION_ENDED',
        this.deps.agents.active(transfer.targetKey),
      );
      return;
    }
    this.record({ type: 'tool.result.dropped', toolCallId: entry.toolCallId, name: entry.name, reason });
  }

  /** Sends the one session.update of a handoff; returns the transfer call's JSON result. */
  private applyHandoff(entry: PendingCall): string {
    const requested = this.transfers.get(entry.toolCallId)!;
    this.transfers.delete(entry.toolCallId);
    const target = this.deps.agents.active(requested.targetKey);
    if (!target) {
      this.logHandoff(requested, 'refused', HandoffRefusalCode.UnknownDepartment, undefined);
      return JSON.stringify({
        error: 'handoff_refused',
        code: HandoffRefusalCode.UnknownDepartment,
        message: `The ${requested.targetKey} department no longer exists.`,
      });
    }
    this.moveTo(target, requested);
    return JSON.stringify({
      status: 'transferred',
      department: target.key,
      message: `The caller is now with ${target.displayName}. Continue as the ${target.displayName} agent.`,
    });
  }

  /** The one session.update of a handoff (the supervisor notes in force go with the caller), and its record. */
  private moveTo(target: AgentConfig, requested: RequestedTransfer): void {
    const from = this.agent;
    const tools = this.offer(this.toolsFor(target));
    this.promptBase = { handoff: { fromDisplayName: from.displayName, reason: requested.reason, summary: requested.summary } };
    this.connection?.updateSession(
      handoffUpdate(target, tools, this.promptContext(), this.deps.provider.capabilities.voiceChangeMidSession),
    );
    const latencyMs = performance.now() - requested.requestedAtMs;
    this.agent = target;
    this.hops.push({ from: from.key, to: target.key });
    this.departments.push(target.key);
    this.logHandoff(requested, 'applied', null, target, from, latencyMs);
    this.instructionsSent();
    this.escalationWatch = progressed(this.escalationWatch, this.monotonicMs());
  }

  private async transferToHuman(toolCallId: string): Promise<void> {
    const requested = this.transfers.get(toolCallId);
    this.transfers.delete(toolCallId);
    const reason = requested?.reason ?? 'caller asked for a human';
    const summary = requested?.summary ?? '';
    const handover = await this.placeHumanTransfer({ cause: 'agent-requested', reason, summary });
    if (this.ended || handover.status === 'dialing') return;
    if (handover.status === 'failed') {
      // The caller is still on the line with the agent: tell the model, so it says so and carries on.
      const result = {
        error: 'transfer_failed',
        message: TRANSFER_NOT_PLACED,
      };
      this.record({
        type: 'tool.result',
        department: this.agent.key,
        toolCallId,
        name: HUMAN_TRANSFER_TOOL,
        result,
        ok: false,
        durationMs: 0,
      });
      this.connection?.sendToolResult(toolCallId, JSON.stringify(result));
      return;
    }
    this.departments.push('human');
    await this.end('human-transfer');
  }

  /**
   * The provider is gone for good: apologise in our own recorded voice, try a human, and
   * otherwise say goodbye. Every step is bounded, so the caller never waits on an open line.
   */
  private async failSafely(reason: CallEndReason, detail: string): Promise<void> {
    if (this.ended || this.failing) return;
    this.failing = true;
    this.stopHoldingTheLine();
    await this.leg.playPrompt('apology');
    if (this.ended) return;
    const handover = await this.placeHumanTransfer({
      cause: 'provider-failure',
      cold: true,
      reason: 'voice agent unavailable',
      summary: `The AI agent failed (${detail}). Last department: ${this.agent.displayName}.`,
    });
    if (this.ended) return;
    if (handover.status === 'failed') {
      await this.leg.playPrompt('goodbye');
    } else {
      this.departments.push('human');
    }
    await this.end(reason);
  }

  private async placeHumanTransfer(request: {
    cause: EscalationCause;
    reason: string;
    summary: string;
    trigger?: EscalationTrigger;
    cold?: boolean;
  }): Promise<HumanTransferOutcome> {
    this.placingHumanTransfer = true;
    const handover = await this.leg
      .transferToHuman({ reason: request.reason, summary: request.summary, ...(request.cold ? { cold: true } : {}) })
      .catch((error: unknown): HumanTransferOutcome => ({ status: 'failed', detail: `transfer failed: ${String(error)}` }))
      .finally(() => (this.placingHumanTransfer = false));
    const streamLost = this.streamLostWhilePlacing;
    this.streamLostWhilePlacing = undefined;
    // Twilio did not take the call, yet its stream is gone: the caller hung up meanwhile.
    if (streamLost && handover.status === 'failed') void this.end(streamLost);
    if (handover.status === 'dialing') {
      const { cold: _cold, ...transfer } = request;
      this.awaitWarmTransfer(transfer);
      return handover;
    }
    this.telemetry.escalation(request.cause, handover.status);
    this.record({
      type: 'escalation',
      cause: request.cause,
      reason: request.reason,
      summary: request.summary,
      target: 'human',
      transferred: handover.status !== 'failed',
      detail: handover.detail,
      ...(request.trigger ? { trigger: request.trigger } : {}),
    });
    if (handover.status === 'failed') this.logger.warn('Transfer to a human could not be placed', { detail: handover.detail });
    return handover;
  }

  // ---- escalation the service enforces (the department's rules) -----------------------------

  /** Keeps what the rules counted, and acts on a rule that fired: the model is not asked. */
  private judge({ watch, decision }: Judged): void {
    this.escalationWatch = watch;
    if (!decision || this.ended || this.closing || this.failing || this.placingHumanTransfer || this.warmTransfer) return;
    this.record({ type: 'escalation.triggered', ...decision, department: this.agent.key });
    this.telemetry.escalationTriggered(decision.trigger, decision.action);
    this.logger.log('Escalation rule fired', { trigger: decision.trigger, action: decision.action, department: this.agent.key });
    const escalation = this.deps.agents.active(ESCALATION_DEPARTMENT_KEY);
    // Handing over to escalation from escalation (or with no such department) would go nowhere: a person it is.
    if (decision.action === 'human-transfer' || !escalation || this.agent.key === escalation.key) {
      void this.escalateToHuman(decision);
      return;
    }
    if (this.serviceHandoff?.targetKey === escalation.key) return;
    this.handOverWhenTheReplyEnds({
      targetKey: escalation.key,
      reason: escalationRuleReason(decision.trigger, decision.detail),
      opening: escalationOpening(decision.trigger, escalation.displayName),
      requestedAt: this.now(),
      requestedAtMs: performance.now(),
    });
  }

  /** A person now: the agent stops mid-word if it must (a red flag does not wait for a sentence to end). */
  private async escalateToHuman(decision: EscalationDecision): Promise<void> {
    this.cutIn();
    const handover = await this.placeHumanTransfer({
      cause: 'escalation-rule',
      trigger: decision.trigger,
      reason: escalationRuleReason(decision.trigger, decision.detail),
      summary: this.conversationSummary(),
    });
    if (this.ended || handover.status === 'dialing') return;
    if (handover.status !== 'failed') {
      this.departments.push('human');
      await this.end('human-transfer');
      return;
    }
    // Nobody could be reached: the caller stays with an agent who knows it, and can offer a ticket or a callback.
    const escalation = this.deps.agents.active(ESCALATION_DEPARTMENT_KEY);
    const opening = TRANSFER_NOT_PLACED;
    if (escalation && escalation.key !== this.agent.key) {
      this.handOverWhenTheReplyEnds({
        targetKey: escalation.key,
        reason: 'transfer to a person failed',
        opening,
        requestedAt: this.now(),
        requestedAtMs: performance.now(),
      });
    } else {
      this.connection?.createReply(opening);
    }
  }

  /**
   * The caller's words usually get a reply from the current agent first: the handoff waits for that
   * reply to end (the reply boundary), or applies after a short grace when no reply starts.
   */
  private handOverWhenTheReplyEnds(handoff: ServiceHandoff): void {
    this.serviceHandoff = handoff;
    if (this.serviceHandoffGrace) clearTimeout(this.serviceHandoffGrace);
    this.serviceHandoffGrace = setTimeout(() => {
      this.serviceHandoffGrace = undefined;
      if (!this.replyInProgress) this.atReplyBoundary();
    }, RULE_HANDOFF_GRACE_MS);
    this.serviceHandoffGrace.unref?.();
  }

  // ---- call guards: a silent caller, the call's time limit ----------------------------------

  /** Starts (or restarts) the silence clock, when nothing else is going on: no reply, no tool pending. */
  private watchForSilence(): void {
    this.stopWatchingForSilence();
    const { silencePromptMs, silenceEndMs } = this.deps.settings;
    if (silencePromptMs <= 0 || this.ended || this.closing || this.failing || this.warmTransfer) return;
    if (this.replyInProgress || this.ledger.pending.length > 0) return;
    // The clock starts once the agent's last words have played out.
    const delayMs = (this.askedIfStillThere ? silenceEndMs : silencePromptMs) + this.playback.unplayedMs;
    this.silenceTimer = setTimeout(() => this.callerWasSilent(), delayMs);
    this.silenceTimer.unref?.();
  }

  private stopWatchingForSilence(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
  }

  private callerWasSilent(): void {
    this.silenceTimer = undefined;
    if (this.ended || this.closing || this.failing || this.replyInProgress) return;
    if (this.askedIfStillThere) {
      this.closePolitely('caller-silent');
      return;
    }
    this.askedIfStillThere = true;
    this.record({ type: 'call.guard', guard: 'silence-prompt' });
    if (this.connection?.ready) this.connection.createReply(STILL_THERE_PROMPT);
    else this.watchForSilence();
  }

  /**
   * Ends the call once the agent has said a closing line (asked for at the next reply boundary);
   * our own recorded goodbye when the provider is away. Bounded either way.
   */
  private closePolitely(reason: PoliteEnding): void {
    if (this.ended || this.closing || this.failing) return;
    if (reason !== 'supervisor-ended')
      this.record({ type: 'call.guard', guard: reason === 'caller-silent' ? 'silence-end' : 'max-duration' });
    this.stopWatchingForSilence();
    this.serviceHandoff = undefined;
    const deadline = setTimeout(() => void this.end(reason), CLOSING_LINE_LIMIT_MS);
    deadline.unref?.();
    this.closing = { reason, deadline, lineRequested: false, lineStarted: false };
    if (!this.connection?.ready) {
      void this.leg.playPrompt('goodbye').then(() => this.end(reason));
    } else if (!this.replyInProgress) {
      this.atReplyBoundary();
    }
  }

  // ---- supervision (SupervisedCall) ----------------------------------------------------------

  setAudioTap(tap: CallAudioTap | undefined): void {
    this.audioTap = this.ended ? undefined : tap;
  }

  listening(by: Supervisor, listenerId: string, state: 'started' | 'stopped'): void {
    // Listening stops with the call: the record is closed, and a listener still there is taken to have listened to the end.
    if (this.ended) return;
    this.record({ type: 'supervision.listen', by, listenerId, state });
  }

  get supervisorNotes(): readonly SupervisorNote[] {
    return this.notes;
  }

  whisper(text: string, by: Supervisor): SupervisorNote {
    const note: SupervisorNote = { noteId: randomUUID(), text, by, at: this.now().toISOString() };
    this.notes = [...this.notes, note];
    this.record({ type: 'supervision.whisper', by, noteId: note.noteId, text });
    this.instructionsChanged();
    return note;
  }

  withdrawWhisper(noteId: string, by: Supervisor): boolean {
    if (!this.notes.some((note) => note.noteId === noteId)) return false;
    this.notes = this.notes.filter((note) => note.noteId !== noteId);
    this.record({ type: 'supervision.whisper.withdrawn', by, noteId });
    this.instructionsChanged();
    return true;
  }

  async takeOver(to: string, by: Supervisor): Promise<TakeoverResult> {
    if (this.ended || this.closing || this.failing) return { ok: false, code: 'call_ending', message: 'The call is already ending.' };
    if (this.placingHumanTransfer || this.warmTransfer) {
      return { ok: false, code: 'call_ending', message: 'A transfer to a person is already under way.' };
    }
    if (to === 'human') {
      this.record({ type: 'supervision.takeover', by, to });
      const handover = await this.placeHumanTransfer({
        cause: 'supervisor-takeover',
        reason: SUPERVISOR_TAKEOVER_REASON,
        summary: this.takeoverSummary(by),
      });
      if (handover.status === 'failed') return { ok: false, code: 'transfer_failed', message: handover.detail };
      if (handover.status === 'dialing') return { ok: true, to, status: 'dialing' };
      if (!this.ended) {
        this.departments.push('human');
        void this.end('human-transfer');
      }
      return { ok: true, to, status: handover.status };
    }
    const target = this.deps.agents.active(to);
    if (!target) return { ok: false, code: 'unknown_department', message: `There is no ${to} department.` };
    if (to === (this.serviceHandoff?.targetKey ?? this.agent.key)) {
      return { ok: false, code: 'already_there', message: `The caller is already with ${target.displayName}.` };
    }
    this.record({ type: 'supervision.takeover', by, to });
    this.serviceHandoff = {
      targetKey: to,
      reason: SUPERVISOR_TAKEOVER_REASON,
      opening: supervisorHandoffOpening(target.displayName),
      requestedAt: this.now(),
      requestedAtMs: performance.now(),
    };
    if (this.replyInProgress) return { ok: true, to, status: 'pending' };
    this.atReplyBoundary();
    return { ok: true, to, status: 'applied' };
  }

  endBySupervisor(mode: SupervisorEndMode, by: Supervisor): SupervisorEndResult {
    if (this.ended || this.closing) return { ok: false, code: 'call_ending', message: 'The call is already ending.' };
    this.record({ type: 'supervision.end', by, mode });
    if (mode === 'now') {
      void this.end('supervisor-ended');
      return { ok: true, mode, status: 'ended' };
    }
    this.closePolitely('supervisor-ended');
    return { ok: true, mode, status: 'closing' };
  }

  /** Notes given or withdrawn: the provider gets the new instructions now, or when the reply under way ends. */
  private instructionsChanged(): void {
    this.instructionsStale = true;
    if (!this.replyInProgress) this.atReplyBoundary();
  }

  /**
   * A reply ended (or none is under way): what supervisors asked for meanwhile reaches the
   * provider here, after the tool results and transfers due at the same boundary.
   */
  private atReplyBoundary(): void {
    if (this.ended || this.failing) return;
    if (this.closing) {
      if (!this.closing.lineRequested && this.connection?.ready) {
        this.closing.lineRequested = true;
        this.connection.createReply(CLOSING_LINES[this.closing.reason]);
      }
      return;
    }
    if (this.serviceHandoff) this.applyServiceHandoff(this.serviceHandoff);
    if (this.instructionsStale) {
      this.connection?.updateSession(instructionsUpdate(this.agent, this.promptContext()));
      this.instructionsSent();
    }
  }

  private applyServiceHandoff(pending: ServiceHandoff): void {
    this.serviceHandoff = undefined;
    if (this.serviceHandoffGrace) clearTimeout(this.serviceHandoffGrace);
    this.serviceHandoffGrace = undefined;
    const target = this.deps.agents.active(pending.targetKey);
    if (!target || target.key === this.agent.key) return;
    this.moveTo(target, {
      toolCallId: `service-${randomUUID()}`,
      targetKey: target.key,
      reason: pending.reason,
      summary: this.conversationSummary(),
      requestedAt: pending.requestedAt,
      requestedAtMs: pending.requestedAtMs,
    });
    // Nobody asked the new agent anything: it greets the caller and carries on.
    this.connection?.createReply(pending.opening);
  }

  /** The provider now has the notes in force (an instructions update, or a handoff's). */
  private instructionsSent(): void {
    if (!this.instructionsStale) return;
    this.instructionsStale = false;
    this.record({ type: 'supervision.notes.applied', department: this.agent.key, noteIds: this.notes.map((note) => note.noteId) });
  }

  private promptContext(): PromptContext {
    return {
      ...this.promptBase,
      facts: this.facts,
      supervisorNotes: this.notes.map((note) => note.text),
      ...(this.callNotice ? { callNotice: this.callNotice } : {}),
    };
  }

  /** What the next department or the person taking over reads: where the call has been, what is known, the last words. */
  private conversationSummary(): string {
    const lastWords = this.recentConversation
      .slice(-4)
      .map((turn) => `${turn.role === 'caller' ? 'Caller' : 'Agent'}: ${turn.text}`)
      .join(' / ');
    const parts = [`Departments so far: ${this.departments.join(' -> ')}.`, ...describeFacts(this.facts)];
    if (lastWords) parts.push(`Last words: ${lastWords}`);
    return redact(parts.join(' '));
  }

  private takeoverSummary(by: Supervisor): string {
    return `Supervisor ${by.name} took the call over from the ${this.agent.displayName} agent. ${this.conversationSummary()}`;
  }

  // ---- what the caller heard ----------------------------------------------------------------

  /** The provider is generating a reply: its reply.done is the next boundary. */
  private get replyInProgress(): boolean {
    return this.turn !== undefined && !this.turn.finished;
  }

  /** A reply is being generated, or its audio has not all played yet, and the caller has not cut it. */
  private get replyPlaying(): boolean {
    return (this.turn !== undefined && !this.turn.finished && !this.turn.cutAt) || this.playback.unplayedMs > 0;
  }

  /**
   * The caller cut in (or the provider cut its reply): Twilio drops what it has buffered, the
   * provider learns how much of the reply was heard, and the reply is cut there.
   */
  private cutIn(): void {
    const replyPlaying = this.replyPlaying;
    const position = this.clearTwilio();
    if (!replyPlaying) return;
    this.connection?.replyInterrupted?.(position.heardMs);
    if (!this.turn || this.turn.cutAt) return;
    this.turn = { ...this.turn, cutAt: position };
    // A reply whose reply.done has come (OpenAI generates far ahead of playback) is recorded now.
    this.recordTurnOnceSettled();
  }

  private clearTwilio(): PlaybackPosition {
    this.leg.clearAudio();
    this.audioTap?.agentAudioCleared();
    return this.playback.clear();
  }

  /** The provider sends nothing more for the reply (reply.done, or a dropped socket). */
  private replyEnded(): void {
    if (!this.turn) return;
    this.turn = { ...this.turn, finished: true };
    this.recordTurnOnceSettled();
  }

  /**
   * A turn is recorded once the provider has finished it, its words have come (they may follow
   * reply.done) and the caller has either heard all of its audio (the last mark came back) or
   * cut it. Otherwise the next reply, the caller's next words or the call's end
   * records it as it stands.
   */
  private recordTurnOnceSettled(): void {
    const turn = this.turn;
    if (turn?.finished && turn.text !== undefined && (turn.cutAt || this.playback.unplayedMs === 0)) this.recordTurn();
  }

  private recordTurn(): void {
    const turn = this.turn;
    this.turn = undefined;
    const heard = turn && heardTurn(turn);
    if (heard) this.recordAgentSaid(heard);
    // The closing line has played (or the caller cut it): the call ends.
    if (turn && this.closing?.lineStarted && !this.ended) void this.end(this.closing.reason);
  }

  private recordCallerTurn(turn: CallerTurn | undefined): void {
    if (!turn) return;
    this.record({ type: 'turn', ...turn });
    this.telemetry.turn(turn);
  }

  private recordAgentSaid(heard: HeardTurn): void {
    if (heard.text !== '') this.remember({ role: 'agent', text: heard.text });
    this.record({ type: 'agent.said', ...heard });
  }

  // ---- the line while the provider is away --------------------------------------------------

  /** Silence longer than this while the provider (re)connects gets a spoken "one moment". */
  private holdTheLineIfProviderIsSlow(): void {
    this.stopHoldingTheLine();
    this.waitingForProvider = setTimeout(() => {
      this.waitingForProvider = undefined;
      if (!this.ended && !this.failing) void this.leg.playPrompt('hold');
    }, this.deps.settings.holdPromptAfterMs);
    this.waitingForProvider.unref?.();
  }

  private stopHoldingTheLine(): void {
    if (this.waitingForProvider) clearTimeout(this.waitingForProvider);
    this.waitingForProvider = undefined;
  }

  private async finish(reason: CallEndReason): Promise<void> {
    this.stopHoldingTheLine();
    if (this.closing) clearTimeout(this.closing.deadline);
    if (this.serviceHandoffGrace) clearTimeout(this.serviceHandoffGrace);
    if (this.callTimeLimit) clearTimeout(this.callTimeLimit);
    if (this.warmTransfer) clearTimeout(this.warmTransfer.deadline);
    this.stopWatchingForSilence();
    this.audioTap = undefined;
    this.apply(callerMovedOn(this.ledger), 'session-ended');
    this.connection?.end();
    // A reply still playing when the call ends is recorded as generated: a hang-up is not a barge-in.
    this.recordTurn();
    this.recordCallerTurn(this.turnTimer.callEnded(this.agent.key));
    const outcome = this.outcome(reason);
    this.record({ type: 'call.ended', reason, outcome });
    this.telemetry.ended({ reason, outcome, department: this.agent.key });
    // Whatever ended the call, the Media Stream closes: Twilio then ends or moves the call.
    if (!CALLER_SIDE_ENDINGS.has(reason)) this.leg.close(reason);
    try {
      await this.deps.recorder.finish(this.callSid, {
        endedAt: this.now().toISOString(),
        reason,
        outcome,
        finalDepartment: this.agent.key,
        departments: [...this.departments],
      });
    } catch (error) {
      this.logger.error('Could not hand the finished call to the post-call pipeline', { error: String(error) });
    } finally {
      this.resolveFinished(reason);
    }
  }

  /** The same rule, on the same facts, as a call closed from its journal. */
  private outcome(reason: CallEndReason): CallOutcome {
    return decideCallOutcome(outcomeFactsOf(this.outcomeTally, this.now().getTime()), reason);
  }

  // ---- helpers ----------------------------------------------------------------------------

  private toolsFor(agent: AgentConfig): ProviderTool[] {
    const agents = new Map(this.deps.agents.activeAll().map((config) => [config.key, config]));
    return sessionTools(agent, agents, this.deps.tools);
  }

  /** The tools the provider session currently has: a call to anything else is refused, not run. */
  private offer(tools: ProviderTool[]): ProviderTool[] {
    this.availableTools = new Set(tools.map((tool) => tool.name));
    return tools;
  }

  private logHandoff(
    requested: RequestedTransfer,
    status: HandoffLogEntry['status'],
    code: string | null,
    target: AgentConfig | undefined,
    from = this.agent,
    latencyMs: number | null = null,
  ): void {
    const appliedAt = status === 'applied' ? this.now().toISOString() : null;
    const id = randomUUID();
    const inTurn = this.turnTimer.handoffSettled(this.monotonicMs(), requested.toolCallId, status, latencyMs);
    this.telemetry.handoff({
      from: from.key,
      to: requested.targetKey,
      status,
      requestedAt: requested.requestedAt.getTime(),
      latencyMs,
      inTurn,
    });
    this.deps.handoffs.record({
      id,
      callId: this.callSid,
      fromAgent: from.key,
      toAgent: requested.targetKey,
      // The prompt of the next department gets the model's words as they are; the stored log is redacted.
      reason: redact(requested.reason),
      summary: redact(requested.summary),
      status,
      code,
      requestedAt: requested.requestedAt.toISOString(),
      appliedAt,
      latencyMs,
      fromVersion: from.version,
      toVersion: target?.version ?? null,
    });
    this.record({
      type: 'handoff',
      handoffId: id,
      from: from.key,
      to: requested.targetKey,
      reason: requested.reason,
      summary: requested.summary,
      status,
      ...(code ? { code } : {}),
    });
  }

  /** The agent as the provider hears it: the call keeps the voice it started with, one this provider has. */
  private speaking(agent: AgentConfig): AgentConfig {
    this.voice ??= voiceOn(this.deps.provider.capabilities, agent.voice);
    return agent.voice === this.voice ? agent : { ...agent, voice: this.voice };
  }

  private remember(turn: ConversationTurn): void {
    this.recentConversation.push(turn);
    if (this.recentConversation.length > this.deps.settings.conversationMemory) this.recentConversation.shift();
  }

  private record(event: DistributiveOmit<CallEvent, 'at'>): void {
    const recorded = { ...event, at: this.now().toISOString() } as CallEvent;
    this.outcomeTally = tallyOutcome(this.outcomeTally, recorded);
    this.deps.recorder.record(this.callSid, recorded);
  }

  private now(): Date {
    return this.deps.now ? this.deps.now() : new Date();
  }

  /** For intervals (turn latency): the monotonic clock, or the test's clock when one is given. */
  private monotonicMs(): number {
    return this.deps.now ? this.deps.now().getTime() : performance.now();
  }
}

function transferArguments(args: Record<string, unknown>): { reason: string; summary: string } {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 2000) : '');
  return { reason: text(args.reason) || 'not given', summary: text(args.summary) };
}
