import { PacedReplies, ReplyTicker } from '../../../src/voice-agent/local/local-agent.conversation';
import { LocalRealtimeSession } from '../../../src/voice-agent/local/local-openai-realtime.session';

const TRIAGE_TOOLS = ['lookup_order', 'lookup_account_by_email', 'transfer_to_billing'].map((name) => ({
  type: 'function',
  name,
  description: name,
  parameters: { type: 'object', properties: {} },
}));

// Plays replies on a clock the test moves, one 20 ms frame at a time.
class ManualClock implements ReplyTicker {
  private time = 0;
  private readonly playing = new Set<PacedReplies>();
  now = () => this.time;
  start(replies: PacedReplies): void {
    this.playing.add(replies);
  }
  playOut(): void {
    while (this.playing.size > 0) {
      this.time += 20;
      for (const replies of [...this.playing]) if (!replies.tick(this.time)) this.playing.delete(replies);
    }
  }
}

function openSession() {
  const clock = new ManualClock();
  const session = new LocalRealtimeSession('sess_unit_000001', 'CA-unit', 'gpt-realtime', { msPerWord: 20, frameMs: 20 }, clock);
  const events: Record<string, unknown>[] = [];
  session.attach({ send: (event) => events.push(event), sendAudioDelta: () => undefined });
  session.open();
  session.receive(
    {
      type: 'session.update',
      session: { type: 'realtime', instructions: 'You are Avery, the front desk agent at Acme.', tools: TRIAGE_TOOLS },
    },
    0,
  );
  const said = () => events.filter((event) => event.type === 'response.output_audio_transcript.done').map((event) => event.transcript);
  const calls = () =>
    events
      .filter((event) => event.type === 'response.function_call_arguments.done')
      .map((event) => ({ callId: event.call_id as string, name: event.name }));
  const output = (callId: string, result: unknown) =>
    session.receive(
      { type: 'conversation.item.create', item: { type: 'function_call_output', call_id: callId, output: JSON.stringify(result) } },
      0,
    );
  return { clock, session, events, said, calls, output };
}

describe('local OpenAI Realtime session: when the agent speaks', () => {
  it('greets on the first response.create: the exact words asked for, or from the instructions', () => {
    const exact = openSession();
    exact.session.receive({ type: 'response.create', response: { instructions: 'Say exactly: "Thanks for calling Acme."' } }, 0);
    exact.clock.playOut();
    expect(exact.said()).toEqual(['Thanks for calling Acme.']);

    const plain = openSession();
    plain.session.receive({ type: 'response.create' }, 0);
    plain.clock.playOut();
    expect(plain.said()).toEqual([
      'Hi, this is Avery, the front desk agent at Acme. I can help with orders, billing, refunds and general questions. What can I do for you?',
    ]);
  });

  it('continues after function calls only once every output is in and a response.create asks', () => {
    const { clock, session, said, calls, output } = openSession();
    session.callerSays("I'm jane@example.com, zip code 94107, and I have a question about a charge");
    clock.playOut();
    const [lookup, transfer] = calls();
    expect([lookup.name, transfer.name]).toEqual(['lookup_account_by_email', 'transfer_to_billing']);

    output(lookup.callId, { account: { id: 'ACC-001', name: 'Jane Doe' } });
    clock.playOut();
    expect(said()).toHaveLength(1);
    // Asked to speak with an output missing: the agent holds on.
    session.receive({ type: 'response.create' }, 0);
    clock.playOut();
    expect(said()[1]).toBe("Thanks for your patience, I'm still working on that.");

    output(transfer.callId, { ok: true });
    clock.playOut();
    expect(said()).toHaveLength(2);
    session.receive({ type: 'response.create' }, 0);
    clock.playOut();
    expect(said()[2]).toMatch(/^Thanks Jane, I've verified your account ACC-001\./);
  });

  it('drops the follow-up of answered calls when the caller speaks again', () => {
    const { clock, session, said, calls, output } = openSession();
    session.callerSays('Where is ORD-12345?');
    clock.playOut();
    output(calls()[0].callId, { order_id: 'ORD-12345', status: 'shipped' });
    session.callerSays('Thank you');
    clock.playOut();
    session.receive({ type: 'response.create' }, 0);
    clock.playOut();
    expect(said().slice(1)).toEqual([
      "You're welcome! Is there anything else I can help with?",
      "Thanks for your patience, I'm still working on that.",
    ]);
  });

  it('issues a forced call and the ones beside it in one response, each needing its output', () => {
    const { clock, session, events, calls, output } = openSession();
    session.forceToolCall('lookup_order', { order_id: 'ORD-12345' }, false, undefined, [
      { name: 'transfer_to_billing', arguments: { reason: 'r', summary: 's' } },
    ]);
    clock.playOut();
    expect(calls().map((call) => call.name)).toEqual(['lookup_order', 'transfer_to_billing']);
    expect(events.filter((event) => event.type === 'response.created')).toHaveLength(1);
    const [lookup, transfer] = calls();
    output(lookup.callId, { order_id: 'ORD-12345', status: 'shipped' });
    output(transfer.callId, { status: 'transferred', department: 'billing' });
    expect(events.filter((event) => event.type === 'error')).toEqual([]);
  });
});
