import {
  BrainContext,
  BrainMemory,
  emptyBrainMemory,
  introductionFromPrompt,
  learnFromSystemPrompt,
  learnFromToolResult,
  respondToCaller,
  respondToGreetingRequest,
  respondToReplyRequest,
  respondToToolResults,
  ToolOutcome,
} from './local-agent.brain';

// The wire-neutral part of a local provider session: the brain's memory, the tool calls it
// issued and the replies it plays at real-time pace. Each wire (AssemblyAI in
// local-voice-agent.session.ts, OpenAI Realtime in local-openai-realtime.session.ts) turns
// what happens here into its own messages and decides when a reply starts.

export interface PacedReplies {
  // Called every frame while replies play or wait to start; false once there is neither.
  tick(now: number): boolean;
}

export interface ReplyTicker {
  now(): number;
  // The owner wants tick() calls every frame until tick() returns false.
  start(replies: PacedReplies): void;
}

export interface PlannedCall {
  name: string;
  arguments: Record<string, unknown>;
  asString: boolean;
  // Sent verbatim as the wire arguments (to exercise unparsable arguments).
  rawArguments?: string;
}

/** A call the control channel makes the agent issue, beside others in the same reply. */
export interface ForcedToolCall {
  name: string;
  arguments?: Record<string, unknown>;
}

export interface ReplyPlan {
  text: string;
  toolCalls: PlannedCall[];
}

export interface IssuedCall extends PlannedCall {
  callId: string;
}

export interface ActiveReply {
  id: string;
  text: string;
  words: string[];
  toolCalls: IssuedCall[];
  totalFrames: number;
  sentFrames: number;
  startedAt: number;
}

export interface ConversationEvents {
  // The reply's tool calls are already issued (reply.toolCalls); its first frames follow.
  replyStarted(reply: ActiveReply): void;
  // One more frame of the reply's audio is due (reply.sentFrames counts it).
  replyFrame(reply: ActiveReply): void;
  replyFinished(reply: ActiveReply): void;
}

export interface ConversationSettings {
  msPerWord: number;
  frameMs: number;
}

export type ToolResultProblem = { param: 'call_id'; message: string };

interface CallRecord {
  name: string;
  arguments: Record<string, unknown>;
  answered: boolean;
}

export function replyFrameCount(text: string, msPerWord: number, frameMs: number): number {
  const words = text.split(/\s+/).filter((word) => word !== '').length;
  return Math.max(3, Math.round((words * msPerWord) / frameMs));
}

export function spokenWordCount(reply: ActiveReply): number {
  return Math.floor((reply.words.length * reply.sentFrames) / reply.totalFrames);
}

export class LocalAgentConversation implements PacedReplies {
  replyAudioFrames = 0;

  private memory: BrainMemory;
  private introduction: string | undefined;
  private active: ActiveReply | undefined;
  // The next reply, held back replyDelayMs like a model thinking; never set while one is active.
  private waiting: { plan: ReplyPlan; startsAt: number } | undefined;
  private queue: ReplyPlan[] = [];
  private replyDelayMs = 0;
  private ignoreRequestsForPeople = false;
  private readonly issued = new Map<string, CallRecord>();
  // The tool calls of the latest tool reply; the follow-up waits for all of their results.
  private group: { callIds: string[]; outcomes: ToolOutcome[] } | undefined;
  private replySequence = 0;
  private callSequence = 0;

  constructor(
    private readonly callIdPrefix: string,
    prompt: string,
    private readonly toolNames: () => readonly string[],
    private readonly settings: ConversationSettings,
    private readonly ticker: ReplyTicker,
    private readonly events: ConversationEvents,
  ) {
    this.memory = learnFromSystemPrompt(emptyBrainMemory(), prompt);
  }

  get brainMemory(): BrainMemory {
    return this.memory;
  }

  get activeReply(): ActiveReply | undefined {
    return this.active;
  }

  get replyWaiting(): boolean {
    return this.waiting !== undefined;
  }

  // Applies to replies that start waiting from now on; one already waiting keeps its start time.
  setReplyDelay(replyDelayMs: number): void {
    this.replyDelayMs = replyDelayMs;
  }

  // Applies to what the brain answers from now on (see BrainContext.ignoreRequestsForPeople).
  setIgnoreRequestsForPeople(ignore: boolean): void {
    this.ignoreRequestsForPeople = ignore;
  }

  // introduce: the next reply opens with who the new prompt says the agent is (a handoff).
  promptChanged(prompt: string, introduce: boolean): void {
    this.memory = learnFromSystemPrompt(this.memory, prompt);
    if (introduce) this.introduction = introductionFromPrompt(prompt);
  }

  // ---------- what the brain says ----------

  respondToCaller(text: string, toolArgumentsAsString: boolean): ReplyPlan {
    const turn = respondToCaller(this.memory, text, this.brainContext());
    this.memory = turn.memory;
    return planFrom(turn.text, turn.toolCalls, toolArgumentsAsString);
  }

  respondToReplyRequest(instructions?: string): ReplyPlan {
    const turn = respondToReplyRequest(this.memory, this.brainContext(), instructions);
    return { text: turn.text, toolCalls: [] };
  }

  respondToGreetingRequest(prompt: string): ReplyPlan {
    this.introduction = undefined;
    return { text: respondToGreetingRequest(this.memory, prompt).text, toolCalls: [] };
  }

  respondToToolResults(outcomes: readonly ToolOutcome[], toolArgumentsAsString: boolean): ReplyPlan {
    const turn = respondToToolResults(this.memory, outcomes, this.brainContext());
    this.memory = turn.memory;
    return planFrom(turn.text, turn.toolCalls, toolArgumentsAsString);
  }

  // ---------- tool calls ----------

  /** Records a result; returns the outcomes of the latest tool reply once all of them are in. */
  answerToolCall(callId: string, result: string): { ok: false; problem: ToolResultProblem } | { ok: true; completed?: ToolOutcome[] } {
    const call = this.issued.get(callId);
    if (!call) return { ok: false, problem: { param: 'call_id', message: `unknown call_id ${callId}` } };
    if (call.answered) return { ok: false, problem: { param: 'call_id', message: `call_id ${callId} was already answered` } };
    call.answered = true;
    const outcome: ToolOutcome = { name: call.name, arguments: call.arguments, result };
    this.memory = learnFromToolResult(this.memory, outcome);
    const group = this.group;
    if (!group || !group.callIds.includes(callId)) return { ok: true };
    group.outcomes.push(outcome);
    if (group.outcomes.length < group.callIds.length) return { ok: true };
    this.group = undefined;
    return { ok: true, completed: group.outcomes };
  }

  isIssued(callId: string): boolean {
    return this.issued.has(callId);
  }

  // The caller moved on: results still pending for an earlier reply no longer get a follow-up.
  forgetPendingToolCalls(): void {
    this.group = undefined;
  }

  // ---------- playback ----------

  enqueue(plan: ReplyPlan): void {
    if (this.active || this.waiting) this.queue.push(plan);
    else this.startAfterDelay(plan);
  }

  // A reply still waiting to start goes with the queue: it was never announced on the wire.
  clearQueue(): void {
    this.queue = [];
    this.waiting = undefined;
  }

  /** Stops the reply in flight without finishing it (or drops the one waiting to start); the wire says how it was cut. */
  interrupt(): ActiveReply | undefined {
    const reply = this.active;
    this.active = undefined;
    this.waiting = undefined;
    return reply;
  }

  // Nothing plays any more (socket gone, session ended); memory and tool calls stay.
  stop(): void {
    this.active = undefined;
    this.waiting = undefined;
    this.queue = [];
  }

  tick(now: number): boolean {
    const waiting = this.waiting;
    if (waiting && now >= waiting.startsAt) {
      this.waiting = undefined;
      // Timed from when it was due, not from this tick, so the delay is exact whatever the frame phase.
      this.startReply(waiting.plan, waiting.startsAt);
    }
    const reply = this.active;
    if (!reply) return this.waiting !== undefined;
    const due = Math.min(reply.totalFrames, Math.floor((now - reply.startedAt) / this.settings.frameMs) + 1);
    while (reply.sentFrames < due && this.active === reply) {
      reply.sentFrames++;
      this.replyAudioFrames++;
      this.events.replyFrame(reply);
    }
    if (this.active === reply && reply.sentFrames >= reply.totalFrames) this.finishReply(reply);
    return this.active !== undefined || this.waiting !== undefined;
  }

  private brainContext(): BrainContext {
    const context: BrainContext = {
      toolNames: this.toolNames(),
      introduction: this.introduction,
      ignoreRequestsForPeople: this.ignoreRequestsForPeople,
    };
    this.introduction = undefined;
    return context;
  }

  private startAfterDelay(plan: ReplyPlan): void {
    const now = this.ticker.now();
    if (this.replyDelayMs === 0) {
      this.startReply(plan, now);
      return;
    }
    this.waiting = { plan, startsAt: now + this.replyDelayMs };
    // The ticker's frames time the wait too: no timer of our own to leak past stop().
    this.ticker.start(this);
  }

  private startReply(plan: ReplyPlan, startedAt: number): void {
    const toolCalls = plan.toolCalls.map((call) => ({ ...call, callId: `call_${this.callIdPrefix}_${++this.callSequence}` }));
    for (const call of toolCalls) this.issued.set(call.callId, { name: call.name, arguments: call.arguments, answered: false });
    if (toolCalls.length > 0) this.group = { callIds: toolCalls.map((call) => call.callId), outcomes: [] };
    const reply: ActiveReply = {
      id: `reply_${++this.replySequence}`,
      text: plan.text,
      words: plan.text.split(/\s+/).filter((word) => word !== ''),
      toolCalls,
      totalFrames: replyFrameCount(plan.text, this.settings.msPerWord, this.settings.frameMs),
      sentFrames: 0,
      startedAt,
    };
    this.active = reply;
    this.events.replyStarted(reply);
    if (this.tick(reply.startedAt)) this.ticker.start(this);
  }

  private finishReply(reply: ActiveReply): void {
    this.events.replyFinished(reply);
    this.active = undefined;
    const next = this.queue.shift();
    if (next) this.startAfterDelay(next);
  }
}

function planFrom(text: string, calls: { name: string; arguments: Record<string, unknown> }[], asString: boolean): ReplyPlan {
  return { text, toolCalls: calls.map((call) => ({ ...call, asString })) };
}
