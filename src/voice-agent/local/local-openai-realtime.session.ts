import { TRANSITION_PHRASE, ToolOutcome } from './local-agent.brain';
import {
  ActiveReply,
  ConversationSettings,
  ForcedToolCall,
  IssuedCall,
  LocalAgentConversation,
  PacedReplies,
  ReplyPlan,
  ReplyTicker,
  spokenWordCount,
} from './local-agent.conversation';
import {
  checkClientEvent,
  checkConversationItem,
  checkResponseCreate,
  checkTruncate,
  MessageRole,
  NewConversationItem,
  spokenTextOf,
} from './local-openai-client-event.validator';
import {
  applyRealtimeSessionUpdate,
  defaultRealtimeSession,
  missingParameter,
  problem,
  RealtimeAudioFormat,
  RealtimeProblem,
  RealtimeSession,
  typeError,
} from './local-openai-session.validator';
import { LocalSessionStats } from './local-voice-agent.session';

// One session of the local server on the OpenAI Realtime GA wire (PROTOCOL-OPENAI.md): the same
// conversation and brain as the AssemblyAI wire, with GA's rules for when a response starts.
// - A caller turn answers by itself only when turn_detection.create_response is on; with
//   turn_detection null the caller's words wait in the input buffer for input_audio_buffer.commit.
// - After function calls the reply continues on response.create, once every output is in.
// - response.create before any caller turn is the greeting (see spokenTextOf for the exact-words convention).
// - No resume: the session ends with its socket.

export interface RealtimeOutput {
  send(event: Record<string, unknown>): void;
  // A response.output_audio.delta frame, already serialised (the hot path: not observed).
  sendAudioDelta(frame: string): void;
}

export interface RecordedItem {
  id: string;
  type: 'message' | 'function_call' | 'function_call_output';
  origin: 'client' | 'server';
  status: 'completed' | 'incomplete' | 'in_progress';
  role?: MessageRole;
  // A message's text, or the transcript of the audio it carries.
  text?: string;
  call_id?: string;
  name?: string;
  arguments?: string;
  output?: string;
  // Assistant audio sent for this item.
  audio_ms?: number;
}

export interface TruncationRecord {
  item_id: string;
  content_index: number;
  audio_end_ms: number;
  at: number;
}

/** What a test can read through the control channel's stats: the effective session, the items, the truncations. */
export interface RealtimeSessionRecord {
  session: RealtimeSession;
  items: RecordedItem[];
  truncations: TruncationRecord[];
}

export interface RealtimeSessionStats extends LocalSessionStats {
  openai: RealtimeSessionRecord;
}

type CancelReason = 'turn_detected' | 'client_cancelled';

interface ResponseInFlight {
  id: string;
  reply: ActiveReply;
  output: Record<string, unknown>[];
  messageItemId: string;
  messageOutputIndex: number;
  textOnly: boolean;
  transcriptWords: number;
}

// Every format's frame is 20 ms of silence.
const FRAME_AUDIO_MS = 20;
const SILENCE_FRAMES: Record<RealtimeAudioFormat['type'], string> = {
  'audio/pcmu': Buffer.alloc(160, 0xff).toString('base64'),
  'audio/pcma': Buffer.alloc(160, 0xd5).toString('base64'),
  'audio/pcm': Buffer.alloc(960, 0).toString('base64'),
};
const SESSION_LIFETIME_SECONDS = 60 * 60;

export class LocalRealtimeSession implements PacedReplies {
  ended = false;
  inputAudioFrames = 0;
  lastInputAudioAt: number | undefined;
  readonly startedAt: number;

  private effective: RealtimeSession;
  private readonly conversation: LocalAgentConversation;
  private output: RealtimeOutput | undefined;
  private response: ResponseInFlight | undefined;
  private assistantAudioSent = false;
  private responsesStarted = 0;
  private callerTurns = 0;
  // Outputs of every call of the latest tool response: the next response.create speaks about them.
  private answeredToolCalls: ToolOutcome[] | undefined;
  // A caller turn heard while create_response is off: the next response.create answers it.
  private unansweredCallerTurn: ReplyPlan | undefined;
  // What the caller said with turn detection off, until the client commits the buffer.
  private uncommittedSpeech: string[] = [];
  private audioFramesSinceCommit = 0;
  private readonly items = new Map<string, RecordedItem>();
  private readonly truncations: TruncationRecord[] = [];
  private lastItemId: string | null = null;
  private eventSequence = 0;
  private itemSequence = 0;
  private responseSequence = 0;

  constructor(
    readonly id: string,
    readonly callId: string,
    model: string,
    settings: ConversationSettings,
    private readonly ticker: ReplyTicker,
  ) {
    this.startedAt = ticker.now();
    this.effective = defaultRealtimeSession(id, model, Math.floor(this.startedAt / 1000) + SESSION_LIFETIME_SECONDS);
    this.conversation = new LocalAgentConversation(
      id.slice(-6),
      '',
      () => this.effective.tools.map((tool) => tool.name),
      settings,
      { now: () => ticker.now(), start: () => ticker.start(this) },
      {
        replyStarted: (reply) => this.onReplyStarted(reply),
        replyFrame: (reply) => this.onReplyFrame(reply),
        replyFinished: (reply) => this.onReplyFinished(reply),
      },
    );
  }

  get session(): RealtimeSession {
    return this.effective;
  }

  get connected(): boolean {
    return this.output !== undefined;
  }

  attach(output: RealtimeOutput): void {
    this.output = output;
  }

  open(): void {
    this.send({ type: 'session.created', session: this.effective });
  }

  // The socket is gone, and with it the session: this protocol has no resume.
  end(): void {
    this.ended = true;
    this.output = undefined;
    this.response = undefined;
    this.conversation.stop();
  }

  tick(now: number): boolean {
    return this.conversation.tick(now);
  }

  // Every later response is created this long after it would have been (see LocalAgentConversation.setReplyDelay).
  setReplyDelay(replyDelayMs: number): void {
    this.conversation.setReplyDelay(replyDelayMs);
  }

  // A caller asking for a person is not acted on while set (see LocalAgentConversation.setIgnoreRequestsForPeople).
  setIgnoreRequestsForPeople(ignore: boolean): void {
    this.conversation.setIgnoreRequestsForPeople(ignore);
  }

  receiveAudio(now: number): void {
    this.inputAudioFrames++;
    this.audioFramesSinceCommit++;
    this.lastInputAudioAt = now;
  }

  /** A parsed client event (anything but a JSON object is refused before it gets here). */
  receive(message: Record<string, unknown>, now: number): void {
    const clientEventId = typeof message.event_id === 'string' ? message.event_id : null;
    const refuse = (found: RealtimeProblem) => this.sendError(found, clientEventId);
    const event = checkClientEvent(message);
    if (!event.ok) return refuse(event.problem);
    switch (event.value) {
      case 'session.update':
        return this.updateSession(message.session, refuse);
      case 'input_audio_buffer.append':
        if (typeof message.audio !== 'string') return refuse(typeError('audio', 'a base64 string'));
        return this.receiveAudio(now);
      case 'input_audio_buffer.commit':
        return this.commitInputAudio(refuse);
      case 'input_audio_buffer.clear':
        this.uncommittedSpeech = [];
        this.audioFramesSinceCommit = 0;
        return this.send({ type: 'input_audio_buffer.cleared' });
      case 'conversation.item.create':
        return this.createItem(message.item, message.previous_item_id, refuse);
      case 'conversation.item.truncate':
        return this.truncateItem(message, now, refuse);
      case 'conversation.item.delete':
        return this.deleteItem(message.item_id, refuse);
      case 'response.create':
        return this.createResponse(message.response, refuse);
      case 'response.cancel':
        return this.cancelResponseOnRequest(message.response_id, refuse);
    }
  }

  /** The control channel's caller speaks (as if server VAD heard it in the audio). */
  callerSays(text: string): void {
    const detection = this.effective.audio.input.turn_detection;
    if (!detection) {
      this.uncommittedSpeech.push(text);
      return;
    }
    const itemId = this.nextItemId();
    const at = this.ticker.now() - this.startedAt;
    this.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: at, item_id: itemId });
    // A response still waiting to be created is dropped like a queued one (nothing of it was sent).
    if (detection.interrupt_response && (this.response || this.conversation.replyWaiting)) {
      this.cancelResponse('turn_detected');
      this.conversation.clearQueue();
    }
    this.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: at + wordsMs(text), item_id: itemId });
    this.commitCallerTurn(itemId, text, detection.create_response);
  }

  forceToolCall(
    name: string,
    args: Record<string, unknown>,
    _argumentsAsString: boolean,
    rawArguments?: string,
    alongside: readonly ForcedToolCall[] = [],
  ): void {
    // Arguments are always a JSON string on this wire.
    this.conversation.enqueue({
      text: TRANSITION_PHRASE,
      toolCalls: [
        { name, arguments: args, asString: true, rawArguments },
        ...alongside.map((call) => ({ name: call.name, arguments: call.arguments ?? {}, asString: true })),
      ],
    });
  }

  stats(): RealtimeSessionStats {
    const voice = this.effective.audio.output.voice;
    return {
      sessionId: this.id,
      inputAudioFrames: this.inputAudioFrames,
      lastInputAudioAt: this.lastInputAudioAt ?? null,
      replyAudioFrames: this.conversation.replyAudioFrames,
      tools: this.effective.tools.map((tool) => tool.name),
      systemPrompt: this.effective.instructions,
      voice: typeof voice === 'string' ? voice : voice.id,
      ready: !this.ended,
      connected: this.connected,
      openai: this.record(),
    };
  }

  record(): RealtimeSessionRecord {
    return {
      session: structuredClone(this.effective),
      items: [...this.items.values()].map((item) => ({ ...item })),
      truncations: this.truncations.map((truncation) => ({ ...truncation })),
    };
  }

  sendError(found: RealtimeProblem, clientEventId: string | null = null): void {
    this.send({
      type: 'error',
      error: { type: 'invalid_request_error', code: found.code, message: found.message, param: found.param, event_id: clientEventId },
    });
  }

  // ---------- client events ----------

  private updateSession(raw: unknown, refuse: (found: RealtimeProblem) => void): void {
    const check = applyRealtimeSessionUpdate(this.effective, raw, { voiceLocked: this.assistantAudioSent });
    if (!check.ok) return refuse(check.problem);
    const instructionsChanged = check.value.instructions !== this.effective.instructions;
    this.effective = check.value;
    // New instructions once the agent has spoken are a handoff: the next reply introduces the new agent.
    if (instructionsChanged) this.conversation.promptChanged(check.value.instructions, this.responsesStarted > 0);
    this.send({ type: 'session.updated', session: this.effective });
  }

  private commitInputAudio(refuse: (found: RealtimeProblem) => void): void {
    if (this.uncommittedSpeech.length === 0 && this.audioFramesSinceCommit === 0) {
      return refuse(problem('input_audio_buffer_commit_empty', 'Error committing input audio buffer: the buffer is empty.', null));
    }
    const itemId = this.nextItemId();
    const text = this.uncommittedSpeech.join(' ');
    this.uncommittedSpeech = [];
    // Committed by hand: a response comes only from response.create.
    this.commitCallerTurn(itemId, text, false);
  }

  private createItem(raw: unknown, previousItemId: unknown, refuse: (found: RealtimeProblem) => void): void {
    const check = checkConversationItem(raw);
    if (!check.ok) return refuse(check.problem);
    if (previousItemId !== undefined && previousItemId !== null && previousItemId !== 'root' && !this.items.has(previousItemId as string)) {
      return refuse(problem('invalid_value', `previous_item_id ${JSON.stringify(previousItemId)} does not exist.`, 'previous_item_id'));
    }
    const item = check.value;
    if (item.id !== undefined && this.items.has(item.id)) {
      return refuse(problem('invalid_value', `Item ${item.id} already exists.`, 'item.id'));
    }
    if (item.type === 'function_call_output') {
      if (this.conversation.isIssued(item.call_id)) {
        const answer = this.conversation.answerToolCall(item.call_id, item.output);
        if (!answer.ok) return refuse(problem('invalid_value', answer.problem.message, 'item.call_id'));
        if (answer.completed) this.answeredToolCalls = answer.completed;
      } else if (!this.hasSeededCall(item.call_id)) {
        // An output for a function_call item the client seeded itself is history: recorded, nothing more.
        return refuse(problem('invalid_value', `Tool call ID '${item.call_id}' not found in conversation.`, 'item.call_id'));
      }
    }
    const id = item.id ?? this.nextItemId();
    const previous = typeof previousItemId === 'string' ? previousItemId : this.lastItemId;
    this.recordItem(recordOf(id, item));
    this.announceItem({ ...wireItemOf(item), id, object: 'realtime.item', status: 'completed' }, previous);
  }

  private truncateItem(message: Record<string, unknown>, now: number, refuse: (found: RealtimeProblem) => void): void {
    const check = checkTruncate(message);
    if (!check.ok) return refuse(check.problem);
    const { item_id: itemId, content_index: contentIndex, audio_end_ms: audioEndMs } = check.value;
    const item = this.items.get(itemId);
    if (!item) return refuse(problem('invalid_value', `Item with item_id not found: ${itemId}.`, 'item_id'));
    if (item.type !== 'message' || item.role !== 'assistant') {
      return refuse(problem('invalid_value', 'Only assistant message items can be truncated.', 'item_id'));
    }
    if (contentIndex !== 0) {
      return refuse(problem('invalid_value', 'content_index must be 0: the item has one audio part.', 'content_index'));
    }
    const sentMs = item.audio_ms ?? 0;
    if (audioEndMs > sentMs) {
      return refuse(problem('invalid_value', `audio_end_ms ${audioEndMs} is longer than the item's audio (${sentMs} ms).`, 'audio_end_ms'));
    }
    this.truncations.push({ item_id: itemId, content_index: contentIndex, audio_end_ms: audioEndMs, at: now });
    item.audio_ms = audioEndMs;
    this.send({ type: 'conversation.item.truncated', item_id: itemId, content_index: contentIndex, audio_end_ms: audioEndMs });
  }

  private deleteItem(itemId: unknown, refuse: (found: RealtimeProblem) => void): void {
    if (typeof itemId !== 'string') {
      return refuse(missingParameter('item_id'));
    }
    if (!this.items.delete(itemId)) return refuse(problem('invalid_value', `Item with item_id not found: ${itemId}.`, 'item_id'));
    if (this.lastItemId === itemId) this.lastItemId = null;
    this.send({ type: 'conversation.item.deleted', item_id: itemId });
  }

  private createResponse(raw: unknown, refuse: (found: RealtimeProblem) => void): void {
    const check = checkResponseCreate(raw);
    if (!check.ok) return refuse(check.problem);
    if (this.response) {
      return refuse(
        problem(
          'conversation_already_has_active_response',
          `Conversation already has an active response in progress: ${this.response.id}. Wait until the response is finished before creating a new one.`,
          null,
        ),
      );
    }
    this.conversation.enqueue(this.planForResponseRequest(check.value.instructions));
  }

  // What a response.create makes the agent say, first match wins.
  private planForResponseRequest(instructions: string | undefined): ReplyPlan {
    const exactWords = spokenTextOf(instructions);
    if (exactWords) return { text: exactWords, toolCalls: [] };
    const outcomes = this.answeredToolCalls;
    if (outcomes) {
      this.answeredToolCalls = undefined;
      return this.conversation.respondToToolResults(outcomes, true);
    }
    const callerTurn = this.unansweredCallerTurn;
    if (callerTurn) {
      this.unansweredCallerTurn = undefined;
      return callerTurn;
    }
    if (this.callerTurns === 0 && this.responsesStarted === 0) {
      return this.conversation.respondToGreetingRequest(this.effective.instructions);
    }
    return this.conversation.respondToReplyRequest(instructions);
  }

  private cancelResponseOnRequest(responseId: unknown, refuse: (found: RealtimeProblem) => void): void {
    if (!this.response) return refuse(problem('response_cancel_not_active', 'Cancellation failed: no active response found.', null));
    if (responseId !== undefined && responseId !== this.response.id) {
      return refuse(problem('invalid_value', `Response ${JSON.stringify(responseId)} is not the active response.`, 'response_id'));
    }
    this.cancelResponse('client_cancelled');
    this.conversation.clearQueue();
  }

  // ---------- caller turns ----------

  private commitCallerTurn(itemId: string, text: string, respondNow: boolean): void {
    this.audioFramesSinceCommit = 0;
    const previous = this.lastItemId;
    this.send({ type: 'input_audio_buffer.committed', previous_item_id: previous, item_id: itemId });
    this.recordItem({ id: itemId, type: 'message', origin: 'server', status: 'completed', role: 'user', text });
    const content = [{ type: 'input_audio', transcript: null }];
    this.announceItem({ id: itemId, object: 'realtime.item', type: 'message', status: 'completed', role: 'user', content }, previous);
    if (text === '') return;
    if (this.effective.audio.input.transcription) {
      this.send({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: itemId,
        content_index: 0,
        transcript: text,
        usage: { type: 'duration', seconds: Math.max(1, Math.round(wordsMs(text) / 1000)) },
      });
    }
    this.callerTurns++;
    // The caller moved on: outputs of an earlier tool response no longer get a follow-up.
    this.conversation.forgetPendingToolCalls();
    this.answeredToolCalls = undefined;
    const plan = this.conversation.respondToCaller(text, true);
    if (respondNow) this.conversation.enqueue(plan);
    else this.unansweredCallerTurn = plan;
  }

  // ---------- responses on this wire ----------

  private onReplyStarted(reply: ActiveReply): void {
    this.responsesStarted++;
    const response: ResponseInFlight = {
      id: `resp_${this.id.slice(-6)}_${++this.responseSequence}`,
      reply,
      output: [],
      messageItemId: this.nextItemId(),
      messageOutputIndex: reply.toolCalls.length,
      textOnly: this.effective.output_modalities[0] === 'text',
      transcriptWords: 0,
    };
    this.response = response;
    this.send({ type: 'response.created', response: this.responseResource(response, 'in_progress') });
    // Our audio plays in real time where a model's runs ahead of playback: calls first, so a client
    // sees a call complete while the reply's audio is still coming, as it would with the real API.
    reply.toolCalls.forEach((call, outputIndex) => this.sendFunctionCall(response, call, outputIndex));
    this.openMessageItem(response);
  }

  private sendFunctionCall(response: ResponseInFlight, call: IssuedCall, outputIndex: number): void {
    const itemId = this.nextItemId();
    const args = call.rawArguments ?? JSON.stringify(call.arguments);
    const item = { id: itemId, object: 'realtime.item', type: 'function_call', name: call.name, call_id: call.callId };
    const ids = { response_id: response.id, item_id: itemId, output_index: outputIndex, call_id: call.callId };
    const started = { ...item, status: 'in_progress', arguments: '' };
    this.send({ type: 'response.output_item.added', response_id: response.id, output_index: outputIndex, item: started });
    this.send({ type: 'conversation.item.added', previous_item_id: this.lastItemId, item: started });
    this.recordItem({
      id: itemId,
      type: 'function_call',
      origin: 'server',
      status: 'completed',
      call_id: call.callId,
      name: call.name,
      arguments: args,
    });
    this.send({ type: 'response.function_call_arguments.delta', ...ids, delta: args });
    this.send({ type: 'response.function_call_arguments.done', ...ids, name: call.name, arguments: args });
    const done = { ...item, status: 'completed', arguments: args };
    this.send({ type: 'response.output_item.done', response_id: response.id, output_index: outputIndex, item: done });
    this.send({ type: 'conversation.item.done', item: done });
    response.output.push(done);
  }

  private openMessageItem(response: ResponseInFlight): void {
    const started = {
      id: response.messageItemId,
      object: 'realtime.item',
      type: 'message',
      role: 'assistant',
      status: 'in_progress',
      content: [],
    };
    this.send({ type: 'response.output_item.added', response_id: response.id, output_index: response.messageOutputIndex, item: started });
    this.send({ type: 'conversation.item.added', previous_item_id: this.lastItemId, item: started });
    this.recordItem({
      id: response.messageItemId,
      type: 'message',
      origin: 'server',
      status: 'in_progress',
      role: 'assistant',
      text: '',
      audio_ms: 0,
    });
    this.send({ type: 'response.content_part.added', ...this.partIds(response), part: this.part(response, '') });
  }

  private onReplyFrame(reply: ActiveReply): void {
    const response = this.response;
    if (!response || response.reply !== reply) return;
    if (!response.textOnly) {
      const item = this.items.get(response.messageItemId);
      if (item) item.audio_ms = (item.audio_ms ?? 0) + FRAME_AUDIO_MS;
      this.assistantAudioSent = true;
      this.output?.sendAudioDelta(
        encodeAudioDelta(
          this.nextEventId(),
          response.id,
          response.messageItemId,
          response.messageOutputIndex,
          SILENCE_FRAMES[this.effective.audio.output.format.type],
        ),
      );
    }
    const spoken = spokenWordCount(reply);
    const deltaType = response.textOnly ? 'response.output_text.delta' : 'response.output_audio_transcript.delta';
    while (response.transcriptWords < spoken) {
      const word = reply.words[response.transcriptWords];
      this.send({ type: deltaType, ...this.partIds(response), delta: response.transcriptWords === 0 ? word : ` ${word}` });
      response.transcriptWords++;
    }
  }

  private onReplyFinished(reply: ActiveReply): void {
    const response = this.response;
    if (!response || response.reply !== reply) return;
    const ids = this.partIds(response);
    if (response.textOnly) this.send({ type: 'response.output_text.done', ...ids, text: reply.text });
    else {
      this.send({ type: 'response.output_audio.done', ...ids });
      this.send({ type: 'response.output_audio_transcript.done', ...ids, transcript: reply.text });
    }
    this.send({ type: 'response.content_part.done', ...ids, part: this.part(response, reply.text) });
    this.closeMessageItem(response, 'completed', reply.text);
    this.send({ type: 'response.done', response: this.responseResource(response, 'completed') });
    this.response = undefined;
  }

  private cancelResponse(reason: CancelReason): void {
    const response = this.response;
    const reply = this.conversation.interrupt();
    this.response = undefined;
    if (!response || !reply) return;
    const heard = reply.words.slice(0, spokenWordCount(reply)).join(' ');
    this.closeMessageItem(response, 'incomplete', heard);
    this.send({ type: 'response.done', response: this.responseResource(response, 'cancelled', { type: 'cancelled', reason }) });
  }

  private closeMessageItem(response: ResponseInFlight, status: 'completed' | 'incomplete', text: string): void {
    const item = this.items.get(response.messageItemId);
    if (item) {
      item.status = status;
      item.text = text;
    }
    const done = {
      id: response.messageItemId,
      object: 'realtime.item',
      type: 'message',
      role: 'assistant',
      status,
      content: [this.part(response, text)],
    };
    this.send({ type: 'response.output_item.done', response_id: response.id, output_index: response.messageOutputIndex, item: done });
    this.send({ type: 'conversation.item.done', item: done });
    response.output.push(done);
  }

  private responseResource(
    response: ResponseInFlight,
    status: 'in_progress' | 'completed' | 'cancelled',
    statusDetails: Record<string, unknown> | null = null,
  ): Record<string, unknown> {
    return {
      object: 'realtime.response',
      id: response.id,
      status,
      status_details: statusDetails,
      output: response.output,
      conversation_id: `conv_${this.id.slice(-6)}`,
      output_modalities: this.effective.output_modalities,
      max_output_tokens: this.effective.max_output_tokens,
      audio: { output: { format: this.effective.audio.output.format, voice: this.effective.audio.output.voice } },
      usage: null,
      metadata: null,
    };
  }

  private part(response: ResponseInFlight, text: string): Record<string, unknown> {
    return response.textOnly ? { type: 'output_text', text } : { type: 'output_audio', transcript: text };
  }

  private partIds(response: ResponseInFlight): Record<string, unknown> {
    return { response_id: response.id, item_id: response.messageItemId, output_index: response.messageOutputIndex, content_index: 0 };
  }

  // ---------- items and events ----------

  private hasSeededCall(callId: string): boolean {
    return [...this.items.values()].some((item) => item.type === 'function_call' && item.origin === 'client' && item.call_id === callId);
  }

  private recordItem(item: RecordedItem): void {
    this.items.set(item.id, item);
    this.lastItemId = item.id;
  }

  private announceItem(item: Record<string, unknown>, previousItemId: string | null): void {
    this.send({ type: 'conversation.item.added', previous_item_id: previousItemId, item });
    this.send({ type: 'conversation.item.done', previous_item_id: previousItemId, item });
  }

  private nextItemId(): string {
    return `item_${this.id.slice(-6)}_${++this.itemSequence}`;
  }

  private nextEventId(): string {
    return `event_${this.id.slice(-6)}_${++this.eventSequence}`;
  }

  private send(event: Record<string, unknown>): void {
    const { type, ...body } = event;
    this.output?.send({ type, event_id: this.nextEventId(), ...body });
  }
}

function recordOf(id: string, item: NewConversationItem): RecordedItem {
  switch (item.type) {
    case 'message':
      return { id, type: 'message', origin: 'client', status: 'completed', role: item.role, text: item.text };
    case 'function_call':
      return {
        id,
        type: 'function_call',
        origin: 'client',
        status: 'completed',
        call_id: item.call_id,
        name: item.name,
        arguments: item.arguments,
      };
    case 'function_call_output':
      return { id, type: 'function_call_output', origin: 'client', status: 'completed', call_id: item.call_id, output: item.output };
  }
}

function wireItemOf(item: NewConversationItem): Record<string, unknown> {
  switch (item.type) {
    case 'message':
      return { type: 'message', role: item.role, content: item.content };
    case 'function_call':
      return { type: 'function_call', call_id: item.call_id, name: item.name, arguments: item.arguments };
    case 'function_call_output':
      return { type: 'function_call_output', call_id: item.call_id, output: item.output };
  }
}

// Roughly how long the caller took to say it (for the VAD timestamps).
function wordsMs(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length * 300;
}

// Built by hand: 50 per second per call, and every field is an id, a number or base64.
function encodeAudioDelta(eventId: string, responseId: string, itemId: string, outputIndex: number, delta: string): string {
  return `{"type":"response.output_audio.delta","event_id":"${eventId}","response_id":"${responseId}","item_id":"${itemId}","output_index":${outputIndex},"content_index":0,"delta":"${delta}"}`;
}
