import { SessionConfig } from '../voice-agent.types';
import {
  BrainContext,
  BrainMemory,
  emptyBrainMemory,
  introductionFromPrompt,
  learnFromSystemPrompt,
  learnFromToolResult,
  respondToCaller,
  respondToReplyRequest,
  respondToToolResults,
  ToolOutcome,
  TRANSITION_PHRASE,
} from './local-agent.brain';
import { applySessionUpdate, ConfigProblem } from './local-session-config.validator';

// One provider session of the local server: the reply engine around the brain. Survives
// socket drops (detach/attach) so session.resume keeps the context.

export interface LocalSessionSettings {
  msPerWord: number;
  frameMs: number;
  toolArgumentsAsString: boolean;
  // The real API sends transcript.agent after the reply's audio; 'before-audio' sends it
  // right after reply.started (and again, trimmed, when interrupted).
  agentTranscript: 'after-audio' | 'before-audio';
  voices: readonly string[];
}

export interface LocalSessionOutput {
  send(message: Record<string, unknown>): void;
  sendAudio(base64Audio: string): void;
}

export interface ReplyTicker {
  now(): number;
  // The session wants tick() calls every frame until tick() returns false.
  start(session: LocalAgentSession): void;
}

export interface LocalSessionStats {
  sessionId: string;
  inputAudioFrames: number;
  lastInputAudioAt: number | null;
  replyAudioFrames: number;
  tools: string[];
  systemPrompt: string;
  voice: string | undefined;
  ready: boolean;
  connected: boolean;
}

interface PlannedCall {
  name: string;
  arguments: Record<string, unknown>;
  asString: boolean;
  rawArguments?: string;
}

interface ReplyPlan {
  text: string;
  toolCalls: PlannedCall[];
}

interface ActiveReply {
  id: string;
  text: string;
  words: string[];
  totalFrames: number;
  sentFrames: number;
  startedAt: number;
}

interface IssuedCall {
  name: string;
  arguments: Record<string, unknown>;
  answered: boolean;
}

// 20 ms of mu-law silence at 8 kHz.
const SILENCE_FRAME = Buffer.alloc(160, 0xff).toString('base64');

export function replyFrameCount(text: string, msPerWord: number, frameMs: number): number {
  const words = text.split(/\s+/).filter((word) => word !== '').length;
  return Math.max(3, Math.round((words * msPerWord) / frameMs));
}

export class LocalAgentSession {
  ready = false;
  ended = false;
  refuseResume = false;
  inputAudioFrames = 0;
  lastInputAudioAt: number | undefined;
  replyAudioFrames = 0;
  readonly startedAt: number;

  private memory: BrainMemory;
  private output: LocalSessionOutput | undefined;
  private active: ActiveReply | undefined;
  private queue: ReplyPlan[] = [];
  private readonly issued = new Map<string, IssuedCall>();
  // The tool calls of the latest tool reply; the follow-up waits for all of their results.
  private group: { callIds: string[]; outcomes: ToolOutcome[] } | undefined;
  private introduction: string | undefined;
  private replySequence = 0;
  private callSequence = 0;

  constructor(
    readonly id: string,
    readonly callId: string,
    private currentConfig: SessionConfig,
    private readonly settings: LocalSessionSettings,
    private readonly ticker: ReplyTicker,
  ) {
    this.startedAt = ticker.now();
    this.memory = learnFromSystemPrompt(emptyBrainMemory(), currentConfig.system_prompt);
  }

  get config(): SessionConfig {
    return this.currentConfig;
  }

  get connected(): boolean {
    return this.output !== undefined;
  }

  get brainMemory(): BrainMemory {
    return this.memory;
  }

  attach(output: LocalSessionOutput): void {
    this.output = output;
  }

  // The socket is gone: the reply in flight is lost with it, the context stays.
  detach(): void {
    this.output = undefined;
    this.active = undefined;
    this.queue = [];
  }

  start(): void {
    this.ready = true;
    this.send({ type: 'session.ready', session_id: this.id });
    if (this.currentConfig.greeting) this.enqueue({ text: this.currentConfig.greeting, toolCalls: [] });
  }

  resume(): void {
    this.send({ type: 'session.ready', session_id: this.id });
  }

  receiveAudio(now: number): void {
    this.inputAudioFrames++;
    this.lastInputAudioAt = now;
  }

  update(raw: unknown): void {
    const check = applySessionUpdate(this.currentConfig, raw, this.settings.voices);
    if (!check.ok) {
      this.sendError(check.problem);
      return;
    }
    const promptChanged = check.config.system_prompt !== this.currentConfig.system_prompt;
    this.currentConfig = check.config;
    if (promptChanged) {
      this.memory = learnFromSystemPrompt(this.memory, check.config.system_prompt);
      this.introduction = introductionFromPrompt(check.config.system_prompt);
    }
    this.send({ type: 'session.updated' });
  }

  toolResult(callId: unknown, result: unknown): void {
    if (typeof callId !== 'string') {
      this.sendError({ code: 'invalid_value', message: 'tool.result needs a call_id', param: 'call_id' });
      return;
    }
    if (typeof result !== 'string') {
      this.sendError({ code: 'invalid_value', message: 'tool.result result must be a JSON-encoded string', param: 'result' });
      return;
    }
    const call = this.issued.get(callId);
    if (!call) {
      this.sendError({ code: 'invalid_value', message: `unknown call_id ${callId}`, param: 'call_id' });
      return;
    }
    if (call.answered) {
      this.sendError({ code: 'invalid_value', message: `call_id ${callId} was already answered`, param: 'call_id' });
      return;
    }
    call.answered = true;
    const outcome: ToolOutcome = { name: call.name, arguments: call.arguments, result };
    this.memory = learnFromToolResult(this.memory, outcome);
    const group = this.group;
    if (!group || !group.callIds.includes(callId)) return;
    group.outcomes.push(outcome);
    if (group.outcomes.length < group.callIds.length) return;
    this.group = undefined;
    const turn = respondToToolResults(this.memory, group.outcomes, this.brainContext());
    this.memory = turn.memory;
    this.enqueue(this.planFrom(turn.text, turn.toolCalls));
  }

  replyCreate(): void {
    const turn = respondToReplyRequest(this.memory, this.brainContext());
    this.enqueue({ text: turn.text, toolCalls: [] });
  }

  callerSays(text: string): void {
    this.send({ type: 'input.speech.started' });
    this.interrupt();
    this.queue = [];
    // Results still pending for an earlier reply no longer get a follow-up: the caller moved on.
    this.group = undefined;
    this.send({ type: 'transcript.user.delta', text });
    this.send({ type: 'transcript.user', text });
    this.send({ type: 'input.speech.stopped' });
    const turn = respondToCaller(this.memory, text, this.brainContext());
    this.memory = turn.memory;
    this.enqueue(this.planFrom(turn.text, turn.toolCalls));
  }

  forceToolCall(name: string, args: Record<string, unknown>, argumentsAsString: boolean, rawArguments?: string): void {
    this.enqueue({ text: TRANSITION_PHRASE, toolCalls: [{ name, arguments: args, asString: argumentsAsString, rawArguments }] });
  }

  // Returns the session's duration in seconds.
  end(now: number): number {
    this.ended = true;
    this.ready = false;
    this.active = undefined;
    this.queue = [];
    return Math.round((now - this.startedAt) / 100) / 10;
  }

  // Called by the ticker every frame while a reply plays; false once nothing is playing.
  tick(now: number): boolean {
    const reply = this.active;
    if (!reply) return false;
    const due = Math.min(reply.totalFrames, Math.floor((now - reply.startedAt) / this.settings.frameMs) + 1);
    while (reply.sentFrames < due) {
      reply.sentFrames++;
      this.replyAudioFrames++;
      this.output?.sendAudio(SILENCE_FRAME);
    }
    if (reply.sentFrames >= reply.totalFrames) this.finishReply(reply);
    return this.active !== undefined;
  }

  stats(): LocalSessionStats {
    return {
      sessionId: this.id,
      inputAudioFrames: this.inputAudioFrames,
      lastInputAudioAt: this.lastInputAudioAt ?? null,
      replyAudioFrames: this.replyAudioFrames,
      tools: (this.currentConfig.tools ?? []).map((tool) => tool.name),
      systemPrompt: this.currentConfig.system_prompt,
      voice: this.currentConfig.output?.voice,
      ready: this.ready,
      connected: this.connected,
    };
  }

  // ---------- replies ----------

  private brainContext(): BrainContext {
    const context: BrainContext = {
      toolNames: (this.currentConfig.tools ?? []).map((tool) => tool.name),
      introduction: this.introduction,
    };
    this.introduction = undefined;
    return context;
  }

  private planFrom(text: string, calls: { name: string; arguments: Record<string, unknown> }[]): ReplyPlan {
    return { text, toolCalls: calls.map((call) => ({ ...call, asString: this.settings.toolArgumentsAsString })) };
  }

  private enqueue(plan: ReplyPlan): void {
    if (this.active) this.queue.push(plan);
    else this.startReply(plan);
  }

  private startReply(plan: ReplyPlan): void {
    const replyId = `reply_${++this.replySequence}`;
    this.send({ type: 'reply.started', reply_id: replyId });
    if (plan.toolCalls.length > 0) {
      const callIds: string[] = [];
      for (const call of plan.toolCalls) {
        const callId = `call_${this.id.slice(-6)}_${++this.callSequence}`;
        callIds.push(callId);
        this.issued.set(callId, { name: call.name, arguments: call.arguments, answered: false });
        const wireArguments = call.rawArguments ?? (call.asString ? JSON.stringify(call.arguments) : call.arguments);
        this.send({ type: 'tool.call', call_id: callId, name: call.name, arguments: wireArguments });
      }
      this.group = { callIds, outcomes: [] };
    }
    if (this.settings.agentTranscript === 'before-audio') this.send({ type: 'transcript.agent', text: plan.text });
    const reply: ActiveReply = {
      id: replyId,
      text: plan.text,
      words: plan.text.split(/\s+/).filter((word) => word !== ''),
      totalFrames: replyFrameCount(plan.text, this.settings.msPerWord, this.settings.frameMs),
      sentFrames: 0,
      startedAt: this.ticker.now(),
    };
    this.active = reply;
    if (this.tick(reply.startedAt)) this.ticker.start(this);
  }

  private finishReply(reply: ActiveReply): void {
    if (this.settings.agentTranscript === 'after-audio') this.send({ type: 'transcript.agent', text: reply.text });
    this.send({ type: 'reply.done' });
    this.active = undefined;
    const next = this.queue.shift();
    if (next) this.startReply(next);
  }

  private interrupt(): void {
    const reply = this.active;
    if (!reply) return;
    this.active = undefined;
    const spokenWords = Math.floor((reply.words.length * reply.sentFrames) / reply.totalFrames);
    this.send({ type: 'transcript.agent', text: reply.words.slice(0, spokenWords).join(' '), interrupted: true });
    this.send({ type: 'reply.done', status: 'interrupted' });
  }

  private sendError(problem: ConfigProblem): void {
    const message: Record<string, unknown> = { type: 'session.error', code: problem.code, message: problem.message };
    if (problem.param) message.param = problem.param;
    this.send(message);
  }

  private send(message: Record<string, unknown>): void {
    this.output?.send(message);
  }
}
