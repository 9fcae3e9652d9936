import { SessionConfig } from '../voice-agent.types';
import { TRANSITION_PHRASE } from './local-agent.brain';
import {
  ActiveReply,
  ForcedToolCall,
  LocalAgentConversation,
  PacedReplies,
  ReplyPlan,
  ReplyTicker,
  spokenWordCount,
} from './local-agent.conversation';
import { applySessionUpdate, ConfigProblem } from './local-session-config.validator';

// One provider session of the local server on the AssemblyAI wire: the conversation's replies as
// reply.* / tool.call / transcript.* messages. Survives socket drops (detach/attach) so
// session.resume keeps the context.

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

// 20 ms of mu-law silence at 8 kHz.
const SILENCE_FRAME = Buffer.alloc(160, 0xff).toString('base64');

export class LocalAgentSession implements PacedReplies {
  ready = false;
  ended = false;
  refuseResume = false;
  inputAudioFrames = 0;
  lastInputAudioAt: number | undefined;
  readonly startedAt: number;

  private output: LocalSessionOutput | undefined;
  private readonly conversation: LocalAgentConversation;

  constructor(
    readonly id: string,
    readonly callId: string,
    private currentConfig: SessionConfig,
    private readonly settings: LocalSessionSettings,
    private readonly ticker: ReplyTicker,
  ) {
    this.startedAt = ticker.now();
    this.conversation = new LocalAgentConversation(
      id.slice(-6),
      currentConfig.system_prompt,
      () => (this.currentConfig.tools ?? []).map((tool) => tool.name),
      settings,
      { now: () => ticker.now(), start: () => ticker.start(this) },
      {
        replyStarted: (reply) => this.onReplyStarted(reply),
        replyFrame: () => this.output?.sendAudio(SILENCE_FRAME),
        replyFinished: (reply) => this.onReplyFinished(reply),
      },
    );
  }

  get config(): SessionConfig {
    return this.currentConfig;
  }

  get connected(): boolean {
    return this.output !== undefined;
  }

  get replyAudioFrames(): number {
    return this.conversation.replyAudioFrames;
  }

  attach(output: LocalSessionOutput): void {
    this.output = output;
  }

  // The socket is gone: the reply in flight is lost with it, the context stays.
  detach(): void {
    this.output = undefined;
    this.conversation.stop();
  }

  // Every later reply starts this long after it would have (see LocalAgentConversation.setReplyDelay).
  setReplyDelay(replyDelayMs: number): void {
    this.conversation.setReplyDelay(replyDelayMs);
  }

  // A caller asking for a person is not acted on while set (see LocalAgentConversation.setIgnoreRequestsForPeople).
  setIgnoreRequestsForPeople(ignore: boolean): void {
    this.conversation.setIgnoreRequestsForPeople(ignore);
  }

  start(): void {
    this.ready = true;
    this.send({ type: 'session.ready', session_id: this.id });
    if (this.currentConfig.greeting) this.conversation.enqueue({ text: this.currentConfig.greeting, toolCalls: [] });
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
    if (promptChanged) this.conversation.promptChanged(check.config.system_prompt, true);
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
    const answer = this.conversation.answerToolCall(callId, result);
    if (!answer.ok) {
      this.sendError({ code: 'invalid_value', ...answer.problem });
      return;
    }
    // This wire continues on its own once every result of the tool reply is in.
    if (answer.completed)
      this.conversation.enqueue(this.conversation.respondToToolResults(answer.completed, this.settings.toolArgumentsAsString));
  }

  replyCreate(instructions?: string): void {
    this.conversation.enqueue(this.conversation.respondToReplyRequest(instructions));
  }

  callerSays(text: string): void {
    this.send({ type: 'input.speech.started' });
    this.interrupt();
    this.conversation.clearQueue();
    this.conversation.forgetPendingToolCalls();
    this.send({ type: 'transcript.user.delta', text });
    this.send({ type: 'transcript.user', text });
    this.send({ type: 'input.speech.stopped' });
    this.conversation.enqueue(this.conversation.respondToCaller(text, this.settings.toolArgumentsAsString));
  }

  forceToolCall(
    name: string,
    args: Record<string, unknown>,
    argumentsAsString: boolean,
    rawArguments?: string,
    alongside: readonly ForcedToolCall[] = [],
  ): void {
    const plan: ReplyPlan = {
      text: TRANSITION_PHRASE,
      toolCalls: [
        { name, arguments: args, asString: argumentsAsString, rawArguments },
        ...alongside.map((call) => ({ name: call.name, arguments: call.arguments ?? {}, asString: argumentsAsString })),
      ],
    };
    this.conversation.enqueue(plan);
  }

  // Returns the session's duration in seconds.
  end(now: number): number {
    this.ended = true;
    this.ready = false;
    this.conversation.stop();
    return Math.round((now - this.startedAt) / 100) / 10;
  }

  tick(now: number): boolean {
    return this.conversation.tick(now);
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

  // ---------- replies on this wire ----------

  private onReplyStarted(reply: ActiveReply): void {
    this.send({ type: 'reply.started', reply_id: reply.id });
    for (const call of reply.toolCalls) {
      const wireArguments = call.rawArguments ?? (call.asString ? JSON.stringify(call.arguments) : call.arguments);
      this.send({ type: 'tool.call', call_id: call.callId, name: call.name, arguments: wireArguments });
    }
    if (this.settings.agentTranscript === 'before-audio') this.send({ type: 'transcript.agent', text: reply.text });
  }

  private onReplyFinished(reply: ActiveReply): void {
    if (this.settings.agentTranscript === 'after-audio') this.send({ type: 'transcript.agent', text: reply.text });
    this.send({ type: 'reply.done' });
  }

  private interrupt(): void {
    const reply = this.conversation.interrupt();
    if (!reply) return;
    this.send({ type: 'transcript.agent', text: reply.words.slice(0, spokenWordCount(reply)).join(' '), interrupted: true });
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
