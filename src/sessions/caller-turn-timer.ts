import { CallerTurn, TurnBreakdown, TurnHandoff, TurnTool } from '../call-journal/call-event.types';

/**
 * Measures each caller turn: from the moment the caller stopped speaking to the first agent
 * audio sent to Twilio, and on to the first audio of the reply that came after the turn's tools
 * and handoffs settled. A turn is over when the caller speaks again or the call ends.
 *
 * No I/O and no clock of its own: every method takes the time (`at`, monotonic ms); the wall
 * time the caller stopped is passed once, for the record.
 */
export class CallerTurnTimer {
  private open?: OpenTurn;
  private recorded = 0;
  /** Once the provider has sent an end-of-speech event, transcripts no longer start turns. */
  private providerSignalsSpeechEnd = false;

  constructor(private readonly provider: string) {}

  /** True while the reply under way in an open turn (or its first, unannounced one) has sent no audio yet: the audio path asks this first. */
  get awaitingAudio(): boolean {
    return this.open !== undefined && (this.open.replyAwaitingAudio || this.open.replies.length === 0);
  }

  get turnOpen(): boolean {
    return this.open !== undefined;
  }

  /** The provider's end-of-speech event: a new turn starts (closing one still open). */
  callerStopped(at: number, wallTime: Date, department: string): CallerTurn | undefined {
    this.providerSignalsSpeechEnd = true;
    const previous = this.open;
    // A turn begun from the transcript of this same utterance is re-timed, not closed.
    const closed = previous && !(previous.measuredFrom === 'transcript' && isEmpty(previous)) ? this.close(department) : undefined;
    this.open = newTurn(at, wallTime, 'speech-end');
    return closed;
  }

  /**
   * The caller's transcript: starts a turn only for a provider without end-of-speech events,
   * and only when no reply is under way (otherwise the words belong to a turn already answered).
   */
  callerTranscript(at: number, wallTime: Date, department: string, replyUnderWay: boolean): CallerTurn | undefined {
    if (this.providerSignalsSpeechEnd || replyUnderWay) return undefined;
    const closed = this.open ? this.close(department) : undefined;
    this.open = newTurn(at, wallTime, 'transcript');
    return closed;
  }

  /** The caller started speaking again: the turn is over. `department`: whom the caller is with now. */
  callerStarted(department: string): CallerTurn | undefined {
    return this.open ? this.close(department) : undefined;
  }

  replyStarted(at: number): void {
    const turn = this.open;
    if (!turn) return;
    turn.replies.push({ startedAt: at });
    turn.replyAwaitingAudio = true;
  }

  /** The first chunk of agent audio of a reply left for Twilio, spoken by `department`. */
  agentAudio(at: number, department: string): void {
    const turn = this.open;
    if (!turn) return;
    turn.replyAwaitingAudio = false;
    const reply = turn.replies.at(-1);
    // Audio with no reply.started before it is a reply of its own.
    if (reply && reply.firstAudioAt === undefined) Object.assign(reply, { firstAudioAt: at, department });
    else turn.replies.push({ startedAt: at, firstAudioAt: at, department });
  }

  /** Returns false when no turn is open (the call's trace gets the tool on its own). */
  toolStarted(at: number, toolCallId: string, name: string): boolean {
    const turn = this.open;
    if (!turn) return false;
    turn.tools.push({ toolCallId, name, startedAt: at });
    return true;
  }

  toolFinished(at: number, toolCallId: string, ok: boolean): void {
    const tool = this.open?.tools.find((candidate) => candidate.toolCallId === toolCallId && candidate.endedAt === undefined);
    if (!tool) return;
    tool.endedAt = at;
    tool.ok = ok;
  }

  /** A transfer call came in (allowed so far); it settles with handoffSettled. Returns false outside a turn. */
  handoffRequested(at: number, toolCallId: string, from: string, to: string): boolean {
    const turn = this.open;
    if (!turn) return false;
    turn.handoffs.push({ toolCallId, from, to, startedAt: at });
    return true;
  }

  /** Returns whether the handoff belonged to the open turn. */
  handoffSettled(at: number, toolCallId: string, status: TurnHandoff['status'], latencyMs: number | null): boolean {
    const handoff = this.open?.handoffs.find((candidate) => candidate.toolCallId === toolCallId && candidate.status === undefined);
    if (!handoff) return false;
    handoff.endedAt = at;
    handoff.status = status;
    handoff.latencyMs = latencyMs;
    return true;
  }

  /** The call ended: a turn still open is recorded (unanswered when no audio came). */
  callEnded(department: string): CallerTurn | undefined {
    return this.open ? this.close(department) : undefined;
  }

  private close(department: string): CallerTurn | undefined {
    const turn = this.open!;
    this.open = undefined;
    // The caller paused and went on before anything happened: one utterance, not a turn.
    if (isEmpty(turn)) return undefined;
    return this.record(turn, department);
  }

  private record(turn: OpenTurn, departmentNow: string): CallerTurn {
    const since = (at: number) => Math.max(0, Math.round(at - turn.stoppedAt));
    const first = turn.replies.find((reply) => reply.firstAudioAt !== undefined);
    const answer = answerReplyOf(turn);
    const answerLatencyMs = answer ? since(answer.firstAudioAt) : null;
    const tools: TurnTool[] = turn.tools.map((tool) => ({
      toolCallId: tool.toolCallId,
      name: tool.name,
      startMs: since(tool.startedAt),
      durationMs: tool.endedAt === undefined ? null : Math.round(tool.endedAt - tool.startedAt),
      ok: tool.ok ?? null,
    }));
    const handoffs: TurnHandoff[] = turn.handoffs.map((handoff) => ({
      from: handoff.from,
      to: handoff.to,
      status: handoff.status ?? 'cancelled',
      startMs: since(handoff.startedAt),
      latencyMs: handoff.latencyMs == null ? null : Math.round(handoff.latencyMs),
    }));
    return {
      turn: ++this.recorded,
      department: answer?.department ?? first?.department ?? departmentNow,
      provider: this.provider,
      callerStoppedAt: turn.stoppedAtWall.toISOString(),
      measuredFrom: turn.measuredFrom,
      responseLatencyMs: first?.firstAudioAt === undefined ? null : since(first.firstAudioAt),
      answerLatencyMs,
      ...(answer ? { breakdown: breakdownOf(turn, answer.firstAudioAt) } : {}),
      tools,
      handoffs,
    };
  }
}

interface TimedTool {
  toolCallId: string;
  name: string;
  startedAt: number;
  endedAt?: number;
  ok?: boolean;
}

interface TimedHandoff {
  toolCallId: string;
  from: string;
  to: string;
  startedAt: number;
  endedAt?: number;
  status?: TurnHandoff['status'];
  latencyMs?: number | null;
}

interface TimedReply {
  startedAt: number;
  firstAudioAt?: number;
  /** Who spoke it. */
  department?: string;
}

interface OpenTurn {
  stoppedAt: number;
  stoppedAtWall: Date;
  measuredFrom: CallerTurn['measuredFrom'];
  replies: TimedReply[];
  replyAwaitingAudio: boolean;
  tools: TimedTool[];
  handoffs: TimedHandoff[];
}

function newTurn(at: number, wallTime: Date, measuredFrom: CallerTurn['measuredFrom']): OpenTurn {
  return { stoppedAt: at, stoppedAtWall: wallTime, measuredFrom, replies: [], replyAwaitingAudio: false, tools: [], handoffs: [] };
}

function isEmpty(turn: OpenTurn): boolean {
  return turn.replies.every((reply) => reply.firstAudioAt === undefined) && turn.tools.length === 0 && turn.handoffs.length === 0;
}

/**
 * The reply that answered: the first one heard in a turn without tools or handoffs; otherwise
 * the first one that started once all of them had settled (a "let me check" before a tool
 * result is not the answer). Decided when the turn closes, since a provider may announce a tool
 * call after the audio of the reply that made it.
 */
function answerReplyOf(turn: OpenTurn): (TimedReply & { firstAudioAt: number }) | undefined {
  const heard = turn.replies.filter((reply): reply is TimedReply & { firstAudioAt: number } => reply.firstAudioAt !== undefined);
  const settlements = [...turn.tools, ...turn.handoffs].map((step) => step.endedAt);
  if (settlements.length === 0) return heard[0];
  if (settlements.some((endedAt) => endedAt === undefined)) return undefined;
  const settledAt = Math.max(...(settlements as number[]));
  return heard.find((reply) => reply.startedAt >= settledAt);
}

/**
 * Splits the wait [stopped, answer] into the time covered by tools, then by handoffs (where no
 * tool ran), and the rest: the provider thinking and speaking, and the network.
 */
export function breakdownOf(turn: Pick<OpenTurn, 'stoppedAt' | 'tools' | 'handoffs'>, answerAt: number): TurnBreakdown {
  const window = { from: turn.stoppedAt, to: answerAt };
  const toolSpans = turn.tools.map((tool) => ({ from: tool.startedAt, to: tool.endedAt ?? answerAt }));
  const handoffSpans = turn.handoffs.map((handoff) => ({ from: handoff.startedAt, to: handoff.endedAt ?? answerAt }));
  const total = Math.max(0, Math.round(answerAt - turn.stoppedAt));
  const toolsMs = Math.round(coveredMs(toolSpans, window));
  const handoffsMs = Math.round(coveredMs([...toolSpans, ...handoffSpans], window)) - toolsMs;
  return { toolsMs, handoffsMs, otherMs: Math.max(0, total - toolsMs - handoffsMs) };
}

interface Span {
  from: number;
  to: number;
}

/** Length of the union of spans, clipped to the window. */
export function coveredMs(spans: readonly Span[], window: Span): number {
  const clipped = spans
    .map((span) => ({ from: Math.max(span.from, window.from), to: Math.min(span.to, window.to) }))
    .filter((span) => span.to > span.from)
    .sort((a, b) => a.from - b.from);
  let covered = 0;
  let reach = -Infinity;
  for (const span of clipped) {
    if (span.to <= reach) continue;
    covered += span.to - Math.max(span.from, reach);
    reach = span.to;
  }
  return covered;
}
