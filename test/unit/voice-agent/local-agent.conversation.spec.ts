import {
  ActiveReply,
  LocalAgentConversation,
  PacedReplies,
  ReplyPlan,
  ReplyTicker,
} from '../../../src/voice-agent/local/local-agent.conversation';
import { LocalRealtimeSession } from '../../../src/voice-agent/local/local-openai-realtime.session';
import { LocalAgentSession } from '../../../src/voice-agent/local/local-voice-agent.session';

const FRAME_MS = 20;

// The server's frame timer on a clock the test moves: every playing owner is ticked each frame until it says false.
class FrameClock implements ReplyTicker {
  time = 0;
  readonly playing = new Set<PacedReplies>();
  now = () => this.time;
  start(replies: PacedReplies): void {
    this.playing.add(replies);
  }
  advanceTo(until: number): void {
    while (this.time < until) {
      this.time += FRAME_MS;
      for (const replies of [...this.playing]) if (!replies.tick(this.time)) this.playing.delete(replies);
    }
  }
  playOut(limitMs = 60_000): void {
    const limit = this.time + limitMs;
    while (this.playing.size > 0 && this.time < limit) this.advanceTo(this.time + FRAME_MS);
  }
}

type Heard = { event: 'started' | 'frame' | 'finished'; text: string; at: number };

function conversationOn(clock = new FrameClock()) {
  const heard: Heard[] = [];
  const replies: ActiveReply[] = [];
  const note = (event: Heard['event'], reply: ActiveReply) => heard.push({ event, text: reply.text, at: clock.now() });
  const conversation = new LocalAgentConversation(
    'unit01',
    'You are Avery, the front desk agent at Acme.',
    () => ['lookup_order'],
    { msPerWord: FRAME_MS, frameMs: FRAME_MS },
    clock,
    {
      replyStarted: (reply) => {
        replies.push(reply);
        note('started', reply);
      },
      replyFrame: (reply) => note('frame', reply),
      replyFinished: (reply) => note('finished', reply),
    },
  );
  const started = () => heard.filter((entry) => entry.event === 'started');
  return { clock, conversation, heard, replies, started };
}

// Three words: three 20 ms frames.
const plan = (text: string, toolCalls: ReplyPlan['toolCalls'] = []): ReplyPlan => ({ text, toolCalls });

describe('LocalAgentConversation reply delay (pace)', () => {
  it('starts a reply, its tool calls and its audio only once the delay has passed', () => {
    const { clock, conversation, heard, replies } = conversationOn();
    conversation.setReplyDelay(90);

    conversation.enqueue(plan('one moment please', [{ name: 'lookup_order', arguments: { order_id: 'ORD-1' }, asString: false }]));
    expect(conversation.replyWaiting).toBe(true);
    clock.advanceTo(80);
    expect(heard).toEqual([]);
    expect(conversation.activeReply).toBeUndefined();

    clock.advanceTo(100);
    expect(heard[0]).toEqual({ event: 'started', text: 'one moment please', at: 100 });
    // Timed from when it was due (90), not from the tick that noticed.
    expect(replies[0].startedAt).toBe(90);
    expect(conversation.isIssued(replies[0].toolCalls[0].callId)).toBe(true);
    clock.playOut();
    expect(heard.filter((entry) => entry.event === 'frame')).toHaveLength(3);
    expect(heard[heard.length - 1]).toMatchObject({ event: 'finished', at: 140 });
    expect(clock.playing.size).toBe(0);
  });

  it('makes every queued reply wait the delay again after the one before it finishes', () => {
    const { clock, conversation, started, heard } = conversationOn();
    conversation.setReplyDelay(100);
    conversation.enqueue(plan('first reply here'));
    conversation.enqueue(plan('second reply here'));
    clock.advanceTo(60);
    conversation.enqueue(plan('third reply here'));
    clock.playOut();

    const finished = heard.filter((entry) => entry.event === 'finished');
    expect(started().map((entry) => entry.at)).toEqual([100, finished[0].at + 100, finished[1].at + 100]);
    expect(started().map((entry) => entry.text)).toEqual(['first reply here', 'second reply here', 'third reply here']);
    expect(clock.playing.size).toBe(0);
  });

  it('drops a waiting reply on a barge-in (interrupt + clearQueue): nothing stale starts later', () => {
    const { clock, conversation, started } = conversationOn();
    conversation.setReplyDelay(200);
    conversation.enqueue(plan('the stale answer'));
    conversation.enqueue(plan('a stale follow up'));
    clock.advanceTo(100);

    expect(conversation.interrupt()).toBeUndefined();
    conversation.clearQueue();
    expect(conversation.replyWaiting).toBe(false);
    conversation.enqueue(plan('the fresh answer'));
    clock.playOut();

    expect(started()).toEqual([{ event: 'started', text: 'the fresh answer', at: 300 }]);
  });

  it('drops a waiting reply on clearQueue alone, and lets the ticker go', () => {
    const { clock, conversation, started } = conversationOn();
    conversation.setReplyDelay(200);
    conversation.enqueue(plan('never said aloud'));
    clock.advanceTo(40);
    conversation.clearQueue();
    clock.advanceTo(60);

    expect(clock.playing.size).toBe(0);
    clock.advanceTo(1_000);
    expect(started()).toEqual([]);
  });

  it('stops waiting on stop(): no start later and no ticks asked for', () => {
    const { clock, conversation, started } = conversationOn();
    conversation.setReplyDelay(200);
    conversation.enqueue(plan('lost with the socket'));
    conversation.enqueue(plan('lost as well'));
    clock.advanceTo(40);
    conversation.stop();

    expect(conversation.tick(clock.now())).toBe(false);
    clock.advanceTo(1_000);
    expect(started()).toEqual([]);
    expect(clock.playing.size).toBe(0);
  });

  it('keeps the start time of a reply already waiting when the delay changes', () => {
    const { clock, conversation, started } = conversationOn();
    conversation.setReplyDelay(200);
    conversation.enqueue(plan('already thinking here'));
    clock.advanceTo(40);
    conversation.setReplyDelay(0);
    conversation.enqueue(plan('queued behind it'));
    clock.playOut();

    expect(started().map((entry) => entry.at)).toEqual([200, 240]);
  });

  it('plays with exactly the timing of no delay at 0, also once a delay is turned off', () => {
    const timeline = (delays: number[]) => {
      const { clock, conversation, heard } = conversationOn();
      for (const delay of delays) conversation.setReplyDelay(delay);
      conversation.enqueue(plan('first reply here'));
      conversation.enqueue(plan('then a second one'));
      clock.advanceTo(20);
      conversation.enqueue(plan('and a third'));
      clock.playOut();
      return heard;
    };
    const unpaced = timeline([]);

    expect(unpaced.filter((entry) => entry.event === 'started').map((entry) => entry.at)).toEqual([0, 40, 100]);
    expect(timeline([0])).toEqual(unpaced);
    expect(timeline([500, 0])).toEqual(unpaced);
  });
});

describe('a waiting reply on each wire', () => {
  const ANSWER = "You're welcome! Is there anything else I can help with?";

  it('AssemblyAI wire: the caller speaking during the wait replaces the waiting greeting, which never says reply.started', () => {
    const clock = new FrameClock();
    const sent: (Record<string, unknown> & { at: number })[] = [];
    const session = new LocalAgentSession(
      'sess_unit_000001',
      'CA-unit',
      { system_prompt: 'You are Avery, the front desk agent at Acme.', greeting: 'Hi, this is Avery.' },
      { msPerWord: FRAME_MS, frameMs: FRAME_MS, toolArgumentsAsString: false, agentTranscript: 'after-audio', voices: ['ivy'] },
      clock,
    );
    session.attach({ send: (message) => sent.push({ ...message, at: clock.now() }), sendAudio: () => undefined });
    session.setReplyDelay(300);
    session.start();
    clock.advanceTo(100);
    expect(sent.map((message) => message.type)).toEqual(['session.ready']);

    session.callerSays('Thank you');
    clock.playOut();

    expect(sent.filter((message) => message.type === 'reply.started').map((message) => message.at)).toEqual([400]);
    // No interrupted reply.done: nothing of the greeting was on the wire.
    expect(sent.filter((message) => message.type === 'reply.done').map(({ type, status }) => ({ type, status }))).toEqual([
      { type: 'reply.done', status: undefined },
    ]);
    expect(sent.filter((message) => message.type === 'transcript.agent').map((message) => message.text)).toEqual([ANSWER]);
    expect(clock.playing.size).toBe(0);
  });

  it('OpenAI wire: a turn detected during the wait drops the waiting response (never created) and answers the new turn once', () => {
    const clock = new FrameClock();
    const events: (Record<string, unknown> & { at: number })[] = [];
    const session = new LocalRealtimeSession(
      'sess_unit_000002',
      'CA-unit',
      'gpt-realtime',
      { msPerWord: FRAME_MS, frameMs: FRAME_MS },
      clock,
    );
    session.attach({ send: (event) => events.push({ ...event, at: clock.now() }), sendAudioDelta: () => undefined });
    session.open();
    session.receive(
      { type: 'session.update', session: { type: 'realtime', instructions: 'You are Avery, the front desk agent at Acme.' } },
      0,
    );
    session.setReplyDelay(300);
    session.receive({ type: 'response.create', response: { instructions: 'Say exactly: "Thanks for calling Acme."' } }, 0);
    clock.advanceTo(100);
    expect(events.map((event) => event.type)).not.toContain('response.created');

    session.callerSays('Thank you');
    clock.playOut();

    expect(events.filter((event) => event.type === 'response.created').map((event) => event.at)).toEqual([400]);
    const done = events.filter((event) => event.type === 'response.done');
    expect(done.map((event) => (event.response as { status: string }).status)).toEqual(['completed']);
    expect(events.filter((event) => event.type === 'response.output_audio_transcript.done').map((event) => event.transcript)).toEqual([
      ANSWER,
    ]);
    expect(clock.playing.size).toBe(0);
  });
});

describe('requests for a person on each wire (ignore-requests-for-people)', () => {
  const ESCALATION_PROMPT = 'You are Sam, a senior specialist at Acme.';
  const OFFER_HELP = 'I can help with orders, billing, refunds and general questions. What can I do for you?';

  function assemblyAiSession() {
    const clock = new FrameClock();
    const sent: Record<string, unknown>[] = [];
    const session = new LocalAgentSession(
      'sess_unit_000003',
      'CA-unit',
      {
        system_prompt: ESCALATION_PROMPT,
        tools: [{ type: 'function', name: 'transfer_to_human', description: 'a person', parameters: {} }],
      },
      { msPerWord: FRAME_MS, frameMs: FRAME_MS, toolArgumentsAsString: false, agentTranscript: 'after-audio', voices: ['ivy'] },
      clock,
    );
    session.attach({ send: (message) => sent.push(message), sendAudio: () => undefined });
    session.start();
    const said = () => sent.filter((message) => message.type === 'transcript.agent').map((message) => message.text);
    const called = () => sent.filter((message) => message.type === 'tool.call').map((message) => message.name);
    return { clock, session, said, called };
  }

  function openAiSession() {
    const clock = new FrameClock();
    const events: Record<string, unknown>[] = [];
    const session = new LocalRealtimeSession(
      'sess_unit_000004',
      'CA-unit',
      'gpt-realtime',
      { msPerWord: FRAME_MS, frameMs: FRAME_MS },
      clock,
    );
    session.attach({ send: (event) => events.push(event), sendAudioDelta: () => undefined });
    session.open();
    const tools = [
      { type: 'function', name: 'transfer_to_human', description: 'a person', parameters: { type: 'object', properties: {} } },
    ];
    session.receive({ type: 'session.update', session: { type: 'realtime', instructions: ESCALATION_PROMPT, tools } }, 0);
    const said = () => events.filter((event) => event.type === 'response.output_audio_transcript.done').map((event) => event.transcript);
    const called = () => events.filter((event) => event.type === 'response.function_call_arguments.done').map((event) => event.name);
    return { clock, session, said, called };
  }

  it.each([
    ['AssemblyAI', assemblyAiSession],
    ['OpenAI Realtime', openAiSession],
  ])('%s wire: no transfer and an answer to no request while set, the transfer again once turned off', (_wire, open) => {
    const { clock, session, said, called } = open();
    session.setIgnoreRequestsForPeople(true);
    session.callerSays('Can I speak to a real person please');
    clock.playOut();
    expect(called()).toEqual([]);
    expect(said()).toEqual([OFFER_HELP]);

    session.setIgnoreRequestsForPeople(false);
    session.callerSays('Can I speak to a real person please');
    clock.playOut();
    expect(called()).toEqual(['transfer_to_human']);
    expect(said()[1]).toBe("One moment, I'll connect you with a member of our team.");
  });

  it('asks whether the caller is still there when a reply request says so, on both wires', () => {
    const prompt = 'The caller has been silent for a while. Ask them briefly whether they are still there. Do not call any tool.';
    const assemblyAi = assemblyAiSession();
    assemblyAi.session.replyCreate(prompt);
    assemblyAi.clock.playOut();
    expect(assemblyAi.said()).toEqual(['Are you still there?']);

    const openAi = openAiSession();
    openAi.session.callerSays('Thank you');
    openAi.clock.playOut();
    openAi.session.receive({ type: 'response.create', response: { instructions: prompt } }, 0);
    openAi.clock.playOut();
    expect(openAi.said().slice(1)).toEqual(['Are you still there?']);
    expect(openAi.called()).toEqual([]);
  });
});
