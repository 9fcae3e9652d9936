/**
 * When this provider may be asked to speak: the tool-call timing of PROTOCOL-OPENAI.md as a pure
 * state machine, one per provider session.
 *
 * - A function_call_output goes out whenever the call session hands a result; only
 *   response.create is timed.
 * - response.create is never sent while a response is active or one of ours is unanswered (the
 *   server would refuse it: conversation_already_has_active_response).
 * - Once every function call of a finished response has its output, exactly one response.create
 *   follows, so the model speaks the results (a handoff: session.update, the transfer's output,
 *   then this one response.create, as openai-agents-js does).
 * - A response cut off by the caller (cancelled), or calls pending when the caller starts
 *   speaking, owe no response.create: the call session drops those results, and outputs it still
 *   sends go into the conversation silently; the caller's own turn makes the next response
 *   (server VAD, create_response).
 * - Replies asked for explicitly (the greeting, createReply) wait their turn in order.
 */

export interface ReplyRequest {
  instructions?: string;
}

export interface ResponseTurns {
  /** response.created seen, its response.done not yet. */
  responseActive: boolean;
  /** event_id of our response.create not yet answered by response.created (nor refused). */
  requestInFlight?: string;
  /** Function calls of the response in progress. */
  callsOfActiveResponse: readonly string[];
  /** Calls of the response in progress whose output was sent before its response.done. */
  answeredEarly: readonly string[];
  /** Calls of finished responses still without an output. */
  awaitingOutputs: readonly string[];
  /** Every call of a finished response has its output: one response.create is owed. */
  toolReplyDue: boolean;
  queuedReplies: readonly ReplyRequest[];
}

export const emptyTurns = (): ResponseTurns => ({
  responseActive: false,
  callsOfActiveResponse: [],
  answeredEarly: [],
  awaitingOutputs: [],
  toolReplyDue: false,
  queuedReplies: [],
});

export function responseCreated(turns: ResponseTurns): ResponseTurns {
  return { ...turns, responseActive: true, requestInFlight: undefined, callsOfActiveResponse: [], answeredEarly: [] };
}

export function functionCalled(turns: ResponseTurns, callId: string): ResponseTurns {
  if (turns.callsOfActiveResponse.includes(callId)) return turns;
  return { ...turns, callsOfActiveResponse: [...turns.callsOfActiveResponse, callId] };
}

export function responseFinished(turns: ResponseTurns, outcome: 'completed' | 'interrupted'): ResponseTurns {
  const finished: ResponseTurns = { ...turns, responseActive: false, callsOfActiveResponse: [], answeredEarly: [] };
  if (outcome === 'interrupted' || turns.callsOfActiveResponse.length === 0) return finished;
  const unanswered = turns.callsOfActiveResponse.filter((callId) => !turns.answeredEarly.includes(callId));
  if (unanswered.length === 0 && turns.awaitingOutputs.length === 0) return { ...finished, toolReplyDue: true };
  return { ...finished, awaitingOutputs: [...turns.awaitingOutputs, ...unanswered] };
}

export function outputSent(turns: ResponseTurns, callId: string): ResponseTurns {
  if (turns.awaitingOutputs.includes(callId)) {
    const awaitingOutputs = turns.awaitingOutputs.filter((awaited) => awaited !== callId);
    return { ...turns, awaitingOutputs, toolReplyDue: turns.toolReplyDue || awaitingOutputs.length === 0 };
  }
  if (turns.responseActive && turns.callsOfActiveResponse.includes(callId) && !turns.answeredEarly.includes(callId)) {
    return { ...turns, answeredEarly: [...turns.answeredEarly, callId] };
  }
  // A call of a cut response, or one the caller talked over: the output is context, not a cue to speak.
  return turns;
}

/** input.speech.started: the call session drops every pending result, and the caller's turn brings the next response. */
export function callerSpoke(turns: ResponseTurns): ResponseTurns {
  return { ...turns, callsOfActiveResponse: [], answeredEarly: [], awaitingOutputs: [], toolReplyDue: false };
}

export function replyRequested(turns: ResponseTurns, request: ReplyRequest): ResponseTurns {
  return { ...turns, queuedReplies: [...turns.queuedReplies, request] };
}

/** The server refused a response.create (another response runs): that response answers the conversation as it stands. */
export function responseCreateRefused(turns: ResponseTurns, eventId?: string): ResponseTurns {
  if (turns.requestInFlight === undefined || (eventId !== undefined && eventId !== turns.requestInFlight)) return turns;
  return { ...turns, requestInFlight: undefined };
}

export function canCreateResponse(turns: ResponseTurns): boolean {
  return !turns.responseActive && turns.requestInFlight === undefined;
}

/** The one response.create to send now, if any is owed and none is active; `eventId` names it on the wire. */
export function startDueReply(turns: ResponseTurns, eventId: string): { turns: ResponseTurns; reply?: ReplyRequest } {
  if (!canCreateResponse(turns)) return { turns };
  if (turns.toolReplyDue) return { turns: { ...turns, toolReplyDue: false, requestInFlight: eventId }, reply: {} };
  const [next, ...rest] = turns.queuedReplies;
  if (!next) return { turns };
  return { turns: { ...turns, queuedReplies: rest, requestInFlight: eventId }, reply: next };
}
