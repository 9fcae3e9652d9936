import { compactJson, ConversationTracker, guessDepartment } from '../../../src/simulator/conversation.tracker';
import { ObservedEvent } from '../../../src/voice-agent/local/local-provider-control.messages';

const fromProvider = (message: ObservedEvent['message']): ObservedEvent => ({
  type: 'observed',
  callId: 'CA1',
  sessionId: 'sess-1',
  direction: 'provider-to-client',
  message,
  at: 0,
});
const fromService = (message: ObservedEvent['message']): ObservedEvent => ({ ...fromProvider(message), direction: 'client-to-provider' });
const sessionUpdate = (prompt: string, tools: number): ObservedEvent =>
  fromService({
    type: 'session.update',
    session: { system_prompt: prompt, tools: Array.from({ length: tools }, () => ({ type: 'function' })) },
  });

describe('ConversationTracker', () => {
  it('prints a call compactly: transcripts, tools, handoffs and interruptions', () => {
    const tracker = new ConversationTracker();
    const lines = [
      sessionUpdate('You are the triage agent for Acme.\nBe brief.', 6),
      fromProvider({ type: 'transcript.agent', text: 'Hi, how can I help?' }),
      fromProvider({ type: 'transcript.user', text: 'Where is ORD-12345?' }),
      fromProvider({ type: 'tool.call', call_id: 'c1', name: 'lookup_order', arguments: { order_id: 'ORD-12345' } }),
      fromService({ type: 'tool.result', call_id: 'c1', result: '{ "status": "shipped" }' }),
      fromProvider({ type: 'tool.call', call_id: 'c2', name: 'transfer_to_billing', arguments: '{"reason":"charge"}' }),
      sessionUpdate('You are the billing specialist.', 7),
      fromProvider({ type: 'transcript.agent', text: 'Billing here', interrupted: true }),
      fromProvider({ type: 'reply.done', status: 'interrupted' }),
      fromProvider({ type: 'tool.call', call_id: 'c3', name: 'transfer_to_human', arguments: { reason: 'asked' } }),
      fromProvider({ type: 'session.ended' }),
      fromProvider({ type: 'transcript.user.delta', text: 'Wh' }),
    ].flatMap((observation) => tracker.record(observation, 0));

    expect(lines).toEqual([
      'session opened (triage: 6 tools)',
      'agent (triage): Hi, how can I help?',
      'caller: Where is ORD-12345?',
      'tool call lookup_order {"order_id":"ORD-12345"}',
      'tool result lookup_order -> {"status":"shipped"}',
      'tool call transfer_to_billing {"reason":"charge"}',
      'handoff -> billing (session.update: 7 tools)',
      'agent (billing): Billing here [cut off]',
      'interrupted',
      'tool call transfer_to_human {"reason":"asked"}',
      'transfer to human',
      'session ended',
    ]);
    expect(tracker.summary()).toEqual({
      callerTurns: 1,
      agentTurns: 2,
      toolCalls: 3,
      handoffs: ['triage -> billing'],
      interruptions: 1,
      providerErrors: 0,
      transferredToHuman: true,
      sessionEnded: true,
    });
    expect(tracker.transferredToHuman).toBe(true);
    expect(tracker.sessionEnded).toBe(true);
  });

  it('is idle only after a reply that followed the last utterance, with no tool result pending, after quiet time', () => {
    const tracker = new ConversationTracker();
    const saidAt = 100;
    tracker.record(fromProvider({ type: 'reply.done' }), 50);
    expect(tracker.isAgentIdle(5000, 500, saidAt)).toBe(false);

    tracker.record(fromProvider({ type: 'reply.started' }), 200);
    tracker.record(fromProvider({ type: 'tool.call', call_id: 'c1', name: 'lookup_order', arguments: {} }), 210);
    tracker.record(fromProvider({ type: 'reply.done' }), 300);
    expect(tracker.isAgentIdle(5000, 500, saidAt)).toBe(false);

    tracker.record(fromService({ type: 'tool.result', call_id: 'c1', result: '{}' }), 310);
    tracker.record(fromProvider({ type: 'reply.started' }), 320);
    expect(tracker.isAgentIdle(5000, 500, saidAt)).toBe(false);

    tracker.record(fromProvider({ type: 'reply.done' }), 400);
    expect(tracker.isAgentIdle(899, 500, saidAt)).toBe(false);
    expect(tracker.isAgentIdle(900, 500, saidAt)).toBe(true);
  });

  it('after the caller rejoins from a transfer nobody took, the session goes on', () => {
    const tracker = new ConversationTracker();
    tracker.record(fromProvider({ type: 'tool.call', call_id: 'h1', name: 'transfer_to_human', arguments: {} }), 0);
    tracker.record(fromProvider({ type: 'session.ended' }), 1);
    expect(tracker).toMatchObject({ transferredToHuman: true, sessionEnded: true });

    tracker.resumed();

    expect(tracker).toMatchObject({ transferredToHuman: false, sessionEnded: false });
  });

  it('forgets pending tool calls when the caller barges in', () => {
    const tracker = new ConversationTracker();
    tracker.record(fromProvider({ type: 'tool.call', call_id: 'c1', name: 'lookup_order', arguments: {} }), 0);
    tracker.record(fromProvider({ type: 'input.speech.started' }), 10);
    tracker.record(fromProvider({ type: 'reply.done' }), 20);

    expect(tracker.isAgentIdle(1000, 100, 0)).toBe(true);
  });
});

describe('guessDepartment', () => {
  it.each([
    ['You are the triage agent; you may route to billing or refund.\n...', 'triage'],
    ['You are Avery, a BILLING specialist at Acme.', 'billing'],
    ['Refunds desk. Handle refund requests.', 'refund'],
    ['You answer FAQ questions.', 'faq'],
    ['You are a custom department for loyalty points.', 'You are a custom department for loyalty p'.slice(0, 40)],
    ['', undefined],
  ])('reads %j as %s', (prompt, department) => {
    expect(guessDepartment(prompt)).toBe(department);
  });
});

describe('compactJson', () => {
  it('re-renders JSON strings compactly and truncates long ones', () => {
    expect(compactJson('{ "a": 1 }')).toBe('{"a":1}');
    expect(compactJson('not json')).toBe('not json');
    expect(compactJson({ text: 'x'.repeat(300) })).toMatch(/^\{"text":"x+\.\.\.$/);
  });
});
