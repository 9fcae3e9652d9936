import {
  callerSpoke,
  canCreateResponse,
  emptyTurns,
  functionCalled,
  outputSent,
  ReplyRequest,
  replyRequested,
  responseCreated,
  responseCreateRefused,
  responseFinished,
  ResponseTurns,
  startDueReply,
} from '../../../../src/voice-agent/openai/openai-response-turns';

type Step =
  | { on: 'created' }
  | { on: 'call'; callId: string }
  | { on: 'done'; outcome?: 'completed' | 'interrupted' }
  | { on: 'output'; callId: string }
  | { on: 'speech' }
  | { on: 'ask'; request?: ReplyRequest }
  | { on: 'refused'; eventId?: string };

/** Drives the machine as the client does: after every input, the one response.create that is due, if any. */
function play(steps: Step[], start: ResponseTurns = emptyTurns()) {
  let turns = start;
  let counter = 0;
  const sent: Array<{ after: number; eventId: string; reply: ReplyRequest }> = [];
  steps.forEach((step, index) => {
    switch (step.on) {
      case 'created':
        turns = responseCreated(turns);
        break;
      case 'call':
        turns = functionCalled(turns, step.callId);
        break;
      case 'done':
        turns = responseFinished(turns, step.outcome ?? 'completed');
        break;
      case 'output':
        turns = outputSent(turns, step.callId);
        break;
      case 'speech':
        turns = callerSpoke(turns);
        break;
      case 'ask':
        turns = replyRequested(turns, step.request ?? {});
        break;
      case 'refused':
        turns = responseCreateRefused(turns, step.eventId);
        break;
    }
    const due = startDueReply(turns, `rc_${counter + 1}`);
    turns = due.turns;
    if (due.reply) {
      counter++;
      sent.push({ after: index, eventId: `rc_${counter}`, reply: due.reply });
    }
  });
  return { turns, sent };
}

describe('response turns: tool outputs', () => {
  it('sends exactly one response.create once every call of a finished reply has its output', () => {
    const { sent, turns } = play([
      { on: 'created' },
      { on: 'call', callId: 'a' },
      { on: 'call', callId: 'b' },
      { on: 'done' },
      { on: 'output', callId: 'a' },
      { on: 'output', callId: 'b' },
    ]);
    expect(sent).toEqual([{ after: 5, eventId: 'rc_1', reply: {} }]);
    expect(turns.requestInFlight).toBe('rc_1');
  });

  it('never sends response.create during an active response, even when every output is in', () => {
    const { sent } = play([{ on: 'created' }, { on: 'call', callId: 'a' }, { on: 'output', callId: 'a' }, { on: 'output', callId: 'a' }]);
    expect(sent).toEqual([]);
  });

  it('counts outputs sent before response.done, and replies at response.done', () => {
    const { sent } = play([{ on: 'created' }, { on: 'call', callId: 'a' }, { on: 'output', callId: 'a' }, { on: 'done' }]);
    expect(sent).toEqual([{ after: 3, eventId: 'rc_1', reply: {} }]);
  });

  it('waits for the slowest output', () => {
    const { sent } = play([
      { on: 'created' },
      { on: 'call', callId: 'a' },
      { on: 'call', callId: 'b' },
      { on: 'done' },
      { on: 'output', callId: 'b' },
    ]);
    expect(sent).toEqual([]);
  });

  it('owes nothing for a reply without calls', () => {
    expect(play([{ on: 'created' }, { on: 'done' }]).sent).toEqual([]);
  });

  it('holds a further request while ours is in flight and while its response runs', () => {
    const { sent } = play([
      { on: 'created' },
      { on: 'call', callId: 'a' },
      { on: 'done' },
      { on: 'output', callId: 'a' },
      { on: 'ask' },
      { on: 'created' },
      { on: 'done' },
    ]);
    expect(sent.map((entry) => entry.after)).toEqual([3, 6]);
  });
});

describe('response turns: the handoff', () => {
  it('answers the transfer output (sent after the session.update) with one response.create', () => {
    // The session sends session.update then the transfer's output at reply.done; the client times only response.create.
    const { sent } = play([{ on: 'created' }, { on: 'call', callId: 'transfer' }, { on: 'done' }, { on: 'output', callId: 'transfer' }]);
    expect(sent).toEqual([{ after: 3, eventId: 'rc_1', reply: {} }]);
  });
});

describe('response turns: barge-in', () => {
  it('owes no response.create for a cancelled reply; outputs sent later stay silent', () => {
    const { sent, turns } = play([
      { on: 'created' },
      { on: 'call', callId: 'a' },
      { on: 'done', outcome: 'interrupted' },
      { on: 'output', callId: 'a' },
    ]);
    expect(sent).toEqual([]);
    expect(turns.awaitingOutputs).toEqual([]);
  });

  it('forgets calls still awaiting outputs when the caller speaks: their reply comes from the caller’s turn', () => {
    const { sent, turns } = play([
      { on: 'created' },
      { on: 'call', callId: 'a' },
      { on: 'done' },
      { on: 'speech' },
      { on: 'output', callId: 'a' },
    ]);
    expect(sent).toEqual([]);
    expect(turns).toMatchObject({ awaitingOutputs: [], toolReplyDue: false });
  });

  it('does not let calls the caller talked over block the next reply', () => {
    const { sent } = play([
      { on: 'created' },
      { on: 'call', callId: 'stale' },
      { on: 'done' },
      { on: 'speech' },
      { on: 'created' },
      { on: 'call', callId: 'fresh' },
      { on: 'done' },
      { on: 'output', callId: 'fresh' },
    ]);
    expect(sent.map((entry) => entry.after)).toEqual([7]);
  });
});

describe('response turns: replies asked for', () => {
  it('sends the greeting at once when nothing is active', () => {
    expect(play([{ on: 'ask', request: { instructions: 'Say exactly: "Hi"' } }]).sent).toEqual([
      { after: 0, eventId: 'rc_1', reply: { instructions: 'Say exactly: "Hi"' } },
    ]);
  });

  it('queues createReply during an active response and sends it after response.done, in order', () => {
    const { sent } = play([
      { on: 'created' },
      { on: 'ask', request: { instructions: 'first' } },
      { on: 'ask', request: { instructions: 'second' } },
      { on: 'done' },
      { on: 'created' },
      { on: 'done' },
    ]);
    expect(sent).toEqual([
      { after: 3, eventId: 'rc_1', reply: { instructions: 'first' } },
      { after: 5, eventId: 'rc_2', reply: { instructions: 'second' } },
    ]);
  });

  it('puts a due tool reply before queued requests', () => {
    const { sent } = play([
      { on: 'created' },
      { on: 'call', callId: 'a' },
      { on: 'output', callId: 'a' },
      { on: 'ask', request: { instructions: 'later' } },
      { on: 'done' },
    ]);
    expect(sent).toEqual([{ after: 4, eventId: 'rc_1', reply: {} }]);
  });
});

describe('response turns: refusals', () => {
  it('frees the slot when the server refuses our response.create, by its event id or without one', () => {
    const inFlight = play([{ on: 'ask' }]).turns;
    expect(canCreateResponse(inFlight)).toBe(false);
    expect(responseCreateRefused(inFlight, 'other')).toBe(inFlight);
    expect(canCreateResponse(responseCreateRefused(inFlight, 'rc_1'))).toBe(true);
    expect(canCreateResponse(responseCreateRefused(inFlight))).toBe(true);
  });

  it('clears the request once its response is created', () => {
    const { turns } = play([{ on: 'ask' }, { on: 'created' }]);
    expect(turns).toMatchObject({ responseActive: true, requestInFlight: undefined });
  });
});
