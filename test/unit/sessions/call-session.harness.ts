/** A CallSession on fakes: a provider connection that records what it was sent, a Twilio leg of jest mocks, the call's own clock. */
import { AgentConfig } from '../../../src/agents/agent-config.types';
import { FactsPatch } from '../../../src/agents/tools/known-facts';
import { HandoffLogEntry } from '../../../src/handoff/handoff.types';
import { CallEnding, CallerTurn, CallEvent } from '../../../src/call-journal/call-event.types';
import { CallSession } from '../../../src/sessions/call-session';
import {
  CallSessionDependencies,
  CallTelemetry,
  HandoffAttempt,
  HumanTransferOutcome,
  SpokenPrompt,
  TelephonyLeg,
  ToolOutsideTurn,
} from '../../../src/sessions/call-session.ports';
import { OpenVoiceAgentSession, SessionUpdate, VoiceAgentConnection, VoiceAgentProvider } from '../../../src/voice-agent/voice-agent.types';
import { factory } from '../../support/factories';
import { FieldLogger, silentLogger } from '../../../src/common/field-logger';

export class FakeConnection implements VoiceAgentConnection {
  sessionId = 'sess_1';
  ready = true;
  readonly sent: (
    | { type: 'tool.result'; callId: string; result: unknown }
    | { type: 'session.update'; update: SessionUpdate }
    | { type: 'audio' }
    | { type: 'end' }
  )[] = [];
  /** heardMs of every replyInterrupted, as the OpenAI client would truncate. */
  readonly interruptions: number[] = [];
  sendAudio(): void {
    this.sent.push({ type: 'audio' });
  }
  updateSession(update: SessionUpdate): void {
    this.sent.push({ type: 'session.update', update });
  }
  sendToolResult(callId: string, result: string): void {
    this.sent.push({ type: 'tool.result', callId, result: JSON.parse(result) });
  }
  readonly replyRequests: (string | undefined)[] = [];
  createReply(instructions?: string): void {
    this.replyRequests.push(instructions);
  }
  replyInterrupted(heardMs: number): void {
    this.interruptions.push(heardMs);
  }
  end(): void {
    this.sent.push({ type: 'end' });
  }
  results() {
    return this.sent.filter((message) => message.type === 'tool.result') as { callId: string; result: Record<string, unknown> }[];
  }
  updates() {
    return this.sent.filter((message) => message.type === 'session.update') as { update: SessionUpdate }[];
  }
}

interface PendingTool {
  name: string;
  resolve: (outcome: { result: Record<string, unknown>; facts?: FactsPatch; ok?: boolean }) => void;
}

/** A CallTelemetry that keeps what the call reported. */
export function recordingTelemetry(traceId?: string) {
  const reported = {
    turns: [] as CallerTurn[],
    toolsOutsideTurns: [] as ToolOutsideTurn[],
    handoffs: [] as HandoffAttempt[],
    interruptions: [] as string[],
    escalations: [] as { cause: string; result: string }[],
    escalationTriggers: [] as { trigger: string; action: string }[],
    endings: [] as { reason: string; outcome: string; department: string }[],
  };
  const telemetry: CallTelemetry & { reported: typeof reported } = {
    traceId,
    traceparent: traceId && `00-${traceId}-00f067aa0ba902b7-01`,
    reported,
    turn: (turn) => void reported.turns.push(turn),
    toolOutsideTurn: (tool) => void reported.toolsOutsideTurns.push(tool),
    handoff: (attempt) => void reported.handoffs.push(attempt),
    interruption: (department) => void reported.interruptions.push(department),
    escalation: (cause, result) => void reported.escalations.push({ cause, result }),
    escalationTriggered: (trigger, action) => void reported.escalationTriggers.push({ trigger, action }),
    providerError: () => undefined,
    providerReconnect: () => undefined,
    ended: (ending) => void reported.endings.push(ending),
  };
  return telemetry;
}

export function harness(
  options: {
    agents?: Map<string, AgentConfig>;
    maxHandoffs?: number;
    voiceChangeMidSession?: boolean;
    transfer?: HumanTransferOutcome;
    holdPromptAfterMs?: number;
    traceId?: string;
    logger?: FieldLogger;
    callerHistory?: string;
    silencePromptMs?: number;
    silenceEndMs?: number;
    maxCallMs?: number;
  } = {},
) {
  const agents = options.agents ?? factory.departments();
  const connection = new FakeConnection();
  let opened: OpenVoiceAgentSession | undefined;
  const provider: VoiceAgentProvider = {
    name: 'fake',
    capabilities: {
      voices: ['ivy', 'james', 'sophie'],
      defaultVoice: 'ivy',
      voiceChangeMidSession: options.voiceChangeMidSession ?? false,
    },
    open: (request) => {
      opened = request;
      return connection;
    },
  };
  const pendingTools: PendingTool[] = [];
  // The call's own clock: outcomes depend on how long a call lasted.
  let clock = Date.parse('2025-11-18T10:00:00.000Z');
  const events: CallEvent[] = [];
  const handoffs: HandoffLogEntry[] = [];
  const endings: CallEnding[] = [];
  const telemetry = recordingTelemetry(options.traceId);
  const leg = {
    sendAudio: jest.fn((_audio: string) => true),
    clearAudio: jest.fn(),
    mark: jest.fn(),
    close: jest.fn(),
    playPrompt: jest.fn(async (_prompt: SpokenPrompt) => undefined),
    transferToHuman: jest.fn(async (): Promise<HumanTransferOutcome> => options.transfer ?? { status: 'transferred', detail: 'moved' }),
  } satisfies TelephonyLeg;
  const deps: CallSessionDependencies = {
    provider,
    agents: { active: (key) => agents.get(key), activeAll: () => [...agents.values()] },
    tools: {
      run: (name) =>
        new Promise((resolve) =>
          pendingTools.push({ name, resolve: (outcome) => resolve({ ok: !('error' in outcome.result), durationMs: 1, ...outcome }) }),
        ),
      definition: (name) => factory.tool(name),
    },
    recorder: { record: (_sid, event) => events.push(event), finish: async (_sid, ending) => void endings.push(ending) },
    handoffs: { record: (entry) => handoffs.push(entry) },
    telemetry: { forCall: () => telemetry },
    logger: options.logger ?? silentLogger,
    settings: {
      maxHandoffs: options.maxHandoffs ?? 6,
      toolTimeoutMs: 1000,
      conversationMemory: 10,
      holdPromptAfterMs: options.holdPromptAfterMs ?? 60_000,
      silencePromptMs: options.silencePromptMs ?? 0,
      silenceEndMs: options.silenceEndMs ?? 10_000,
      maxCallMs: options.maxCallMs ?? 0,
      warmTransferWaitMs: 80_000,
    },
    now: () => new Date(clock),
  };
  const session = new CallSession(
    {
      callSid: 'CA1',
      streamSid: 'MZ1',
      entryAgent: agents.get('triage')!,
      returningCaller: options.callerHistory !== undefined,
      callerHistory: options.callerHistory,
    },
    leg,
    deps,
  );
  session.open();
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  let marksEchoed = 0;
  const marksSent = () => leg.mark.mock.calls.map(([name]) => name);
  const echoMarks = (count: number) => {
    for (const name of marksSent().slice(marksEchoed, marksEchoed + count)) session.markPlayed(name);
    marksEchoed = Math.min(marksSent().length, marksEchoed + count);
  };
  return {
    session,
    connection,
    leg,
    events,
    handoffs,
    endings,
    pendingTools,
    opened: () => opened!,
    flush,
    telemetry: telemetry.reported,
    wait: (seconds: number) => void (clock += seconds * 1000),
    waitMs: (ms: number) => void (clock += ms),
    callerSays: (text: string) => session.onEvent({ type: 'transcript.user', text }),
    agentSays: (text: string) => session.onEvent({ type: 'transcript.agent', text }),
    toolCall: (call_id: string, name: string, args: Record<string, unknown> = {}) =>
      session.onEvent({ type: 'tool.call', call_id, name, arguments: args }),
    replyDone: (status?: string) => session.onEvent({ type: 'reply.done', ...(status ? { status } : {}) }),
    replyStarted: () => session.onEvent({ type: 'reply.started', reply_id: 'r1' }),
    /** The provider sends `ms` of reply audio in 20 ms chunks. */
    agentAudio(ms: number) {
      for (let sent = 0; sent < ms; sent += 20) session.onAudio(TWENTY_MS_OF_AUDIO);
    },
    /** Twilio has played `ms` more of the audio it was sent: it echoes the marks that followed it. */
    twilioPlays: (ms: number) => echoMarks(ms / 20),
    /** Twilio echoes every mark still pending, as it does when it clears. */
    twilioEchoesTheRest: () => echoMarks(Number.POSITIVE_INFINITY),
    agentTurns: () => events.filter((event) => event.type === 'agent.said'),
    async settle(index: number, result: Record<string, unknown>, facts?: FactsPatch) {
      pendingTools[index].resolve({ result, facts });
      await flush();
    },
  };
}

export const TWENTY_MS_OF_AUDIO = Buffer.alloc(160, 0xff).toString('base64');
export const TEN_WORDS = 'one two three four five six seven eight nine ten';

export async function waitForCondition(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 50 && !condition(); turn++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition never held');
}
