import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { fieldLogger } from '../common/field-logger';
import { Inject } from '@nestjs/common';
import { hostname } from 'node:os';
import { AgentConfigService } from '../agents/services/agent-config.service';
import { ENTRY_AGENT_KEY } from '../agents/agent-config.types';
import { ToolRegistry } from '../agents/tools/tool.registry';
import { ToolRunner } from '../agents/tools/tool.runner';
import { AppConfig } from '../config/app-config';
import { HandoffLogService } from '../handoff/handoff-log/handoff-log.service';
import { DrainState } from '../operations/drain-state';
import { EventLoopMonitor } from '../operations/event-loop-monitor';
import { MetricsService } from '../operations/metrics.service';
import { VOICE_AGENT_PROVIDER, VoiceAgentProvider } from '../voice-agent/voice-agent.types';
import { CallJournalService } from '../call-journal/call-journal.service';
import { maskPhoneNumber } from '../call-journal/phone-masking';
import { describeHistoryForPrompt } from '../caller-history/caller-history.prompt';
import { CallerHistoryService } from '../caller-history/caller-history.service';
import { CallEndReason } from '../call-journal/call-event.types';
import { AdmissionDecision, admitCall } from './call-admission';
import { CallSession } from './call-session';
import { CallSessionDependencies, TelephonyLeg } from './call-session.ports';
import { SupervisedCall } from './call-supervision.ports';
import { CallTelemetryService } from './call-telemetry';

/** Who is calling, as the voice webhook saw it: masked numbers and the history key, never the number. */
export interface AdmittedCaller {
  fromMasked: string;
  toMasked: string;
  /** HMAC of the caller's number (caller-history key); null when Twilio gave no number. */
  callerHash: string | null;
}

export interface IncomingCall {
  callSid: string;
  streamSid: string;
  caller: AdmittedCaller;
  leg: TelephonyLeg;
  /** A new Media Stream bringing back a caller whose warm transfer nobody took: the call is already live here. */
  rejoin?: boolean;
}

/** Twilio opens the Media Stream a second or two after the webhook; a place is held this long. */
const RESERVATION_MS = 15_000;

export class CallRefusedError extends Error {}

/** Builds call sessions from their collaborators and keeps this instance's live calls. */
@Injectable()
export class CallSessionService implements OnModuleDestroy {
  private readonly logger = fieldLogger(new Logger(CallSessionService.name));
  private readonly live = new Map<string, CallSession>();
  /** Call SID -> when its place lapses if no Media Stream starts. */
  private readonly reservations = new Map<string, number>();
  private readonly instanceId = `${hostname()}:${process.pid}`;
  private readonly dependencies: CallSessionDependencies;

  constructor(
    @Inject(VOICE_AGENT_PROVIDER) provider: VoiceAgentProvider,
    private readonly agents: AgentConfigService,
    registry: ToolRegistry,
    runner: ToolRunner,
    handoffLog: HandoffLogService,
    private readonly journal: CallJournalService,
    private readonly callerHistory: CallerHistoryService,
    private readonly metrics: MetricsService,
    private readonly drainState: DrainState,
    private readonly eventLoop: EventLoopMonitor,
    private readonly config: AppConfig,
    telemetry: CallTelemetryService,
  ) {
    this.dependencies = {
      provider,
      agents,
      tools: {
        run: (name, args, context, timeoutMs) => runner.run(name, args, context, timeoutMs),
        definition: (name) => (registry.has(name) ? registry.definition(name) : undefined),
      },
      recorder: journal,
      handoffs: handoffLog,
      logger: this.logger,
      telemetry,
      settings: {
        maxHandoffs: config.env.MAX_HANDOFFS_PER_CALL,
        toolTimeoutMs: config.env.TOOL_TIMEOUT_MS,
        conversationMemory: 20,
        holdPromptAfterMs: Math.min(2000, Math.floor(config.env.PROVIDER_RECOVERY_TIMEOUT_MS / 2)),
        silencePromptMs: config.env.CALLER_SILENCE_PROMPT_SECONDS * 1000,
        silenceEndMs: config.env.CALLER_SILENCE_END_SECONDS * 1000,
        maxCallMs: config.env.MAX_CALL_MINUTES * 60_000,
        warmTransferWaitMs: (config.env.HUMAN_DIAL_TIMEOUT_SECONDS + 60) * 1000,
      },
    };
  }

  get liveCallCount(): number {
    return this.live.size;
  }

  find(callSid: string): CallSession | undefined {
    return this.live.get(callSid);
  }

  /** A call live on this instance, as supervision may act on it. */
  supervised(callSid: string): SupervisedCall | undefined {
    return this.live.get(callSid);
  }

  /** What the voice webhook learns about the caller, in the only form the call keeps it. */
  describeCaller(from: string, to: string): AdmittedCaller {
    return {
      fromMasked: maskPhoneNumber(from),
      toMasked: maskPhoneNumber(to),
      callerHash: from ? this.callerHistory.hashCaller(from) : null,
    };
  }

  /**
   * The webhook's question: take this call? An admitted call holds a place until its Media
   * Stream starts, so calls let in together cannot overshoot the limit and then be dropped
   * after being answered.
   */
  reserve(callSid: string): AdmissionDecision {
    this.forgetExpiredReservations();
    const decision = this.admission();
    if (decision.admitted) this.reservations.set(callSid, Date.now() + RESERVATION_MS);
    return decision;
  }

  /** Whether this process should take a new call now. */
  admission(): AdmissionDecision {
    return admitCall({
      draining: this.drainState.draining,
      liveCalls: this.live.size + this.reservations.size,
      maxLiveCalls: this.config.env.MAX_LIVE_CALLS,
      eventLoopLagMs: this.eventLoop.lagP99Ms,
      maxEventLoopLagMs: this.config.env.ADMISSION_MAX_EVENT_LOOP_LAG_MS,
    });
  }

  async startCall(call: IncomingCall): Promise<CallSession> {
    if (call.rejoin) return this.rejoin(call);
    // The place stays held until the call is live (or refused): while its history loads,
    // the call must still count against the limit for webhooks arriving meanwhile.
    try {
      return await this.admitAndStart(call);
    } finally {
      this.reservations.delete(call.callSid);
    }
  }

  private rejoin(call: IncomingCall): CallSession {
    const session = this.live.get(call.callSid);
    if (!session?.awaitingRejoin)
      throw new CallRefusedError(`call ${call.callSid} is not waiting on this instance for its caller to come back`);
    session.rejoin(call.leg, call.streamSid);
    return session;
  }

  private async admitAndStart(call: IncomingCall): Promise<CallSession> {
    const reserved = this.reservations.has(call.callSid);
    const admission: AdmissionDecision = reserved
      ? this.drainState.draining
        ? { admitted: false, reason: 'draining' }
        : { admitted: true }
      : this.admission();
    if (!admission.admitted) {
      this.metrics.callsRefused.inc({ reason: admission.reason });
      throw new CallRefusedError(`call refused: ${admission.reason}`);
    }
    if (this.live.has(call.callSid)) throw new CallRefusedError(`call ${call.callSid} is already live on this instance`);
    const entryAgent = this.agents.active(ENTRY_AGENT_KEY);
    if (!entryAgent) throw new CallRefusedError(`no "${ENTRY_AGENT_KEY}" agent is configured`);

    const history = call.caller.callerHash ? await this.callerHistory.load(call.caller.callerHash) : null;
    const session = new CallSession(
      {
        callSid: call.callSid,
        streamSid: call.streamSid,
        entryAgent,
        returningCaller: (history?.length ?? 0) > 0,
        callerHistory: history && history.length > 0 ? describeHistoryForPrompt(history, new Date()) : undefined,
      },
      call.leg,
      this.dependencies,
    );
    this.live.set(call.callSid, session);
    // One end path: however the call ends (Twilio, the caller, a transfer, a provider failure), it leaves here.
    void session.finished.then((reason) => this.forget(session, reason));
    this.reservations.delete(call.callSid);
    this.metrics.liveCalls.set(this.live.size);
    this.metrics.callsStarted.inc();
    await this.journal
      .begin({
        callSid: call.callSid,
        streamSid: call.streamSid,
        fromMasked: call.caller.fromMasked,
        toMasked: call.caller.toMasked,
        callerHash: call.caller.callerHash,
        startedAt: session.startedAt.toISOString(),
        instanceId: this.instanceId,
        ...(session.traceparent ? { traceparent: session.traceparent } : {}),
      })
      .catch((error: unknown) =>
        this.logger.warn('Call journal unavailable at call start; events are buffered', { callSid: call.callSid, error: String(error) }),
      );
    session.open();
    this.logger.log('Call started', { callSid: call.callSid, from: call.caller.fromMasked, returningCaller: (history?.length ?? 0) > 0 });
    return session;
  }

  /** Ends a call from outside (Twilio stop, hang-up, shutdown); resolves once it has left this instance. */
  async endCall(session: CallSession, reason: CallEndReason): Promise<void> {
    await session.end(reason);
    this.forget(session, await session.finished);
  }

  private forget(session: CallSession, reason: CallEndReason): void {
    if (this.live.get(session.callSid) !== session) return;
    this.live.delete(session.callSid);
    this.metrics.liveCalls.set(this.live.size);
    this.metrics.callsEnded.inc({ reason });
    this.logger.log('Call ended', { callSid: session.callSid, reason, department: session.department });
  }

  private forgetExpiredReservations(): void {
    const now = Date.now();
    for (const [callSid, expiresAt] of this.reservations) if (expiresAt <= now) this.reservations.delete(callSid);
  }

  /** Stops taking calls and waits (bounded) for live ones to finish. */
  async drain(timeoutMs: number): Promise<number> {
    this.drainState.startDraining();
    const deadline = Date.now() + timeoutMs;
    while (this.live.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return this.live.size;
  }

  async onModuleDestroy(): Promise<void> {
    this.drainState.startDraining();
    await Promise.allSettled([...this.live.values()].map((session) => this.endCall(session, 'shutdown')));
  }
}
