import { placeCall, PlacedCall } from '../../support/call-harness';
import { startTestApp, TestApp } from '../../support/test-app';
import { summarisedCall } from '../summaries/journaled-call';

/** One Twilio media frame: the most the marks can say apart from what played. */
const FRAME_MS = 20;
const MS_PER_WORD = 200;
/** Twilio's jitter buffer: audio sent in real time is heard this much later, so "sent" is not "heard". */
const PLAYOUT_DELAY_MS = 200;
const BARGE_IN_AFTER_MS = 600;

interface ProviderUnderTest {
  name: string;
  environment: Record<string, string | undefined>;
  /** The words of the greeting the service asked the provider to say, as its wire carries them. */
  greetingOf: (placed: PlacedCall) => Promise<string>;
  /** Resolves once the provider reported the greeting cut off by the caller. */
  replyCut: (placed: PlacedCall) => Promise<unknown>;
  /** For providers that keep the reply in their context: the audio_end_ms of the truncate they were sent. */
  truncatedAtMs?: (placed: PlacedCall) => Promise<number>;
}

type WireMessage = Record<string, unknown>;

/** A message as the provider's wire carried it, read through the local provider's control channel. */
const fromService = (placed: PlacedCall, type: string, where?: (message: WireMessage) => boolean) =>
  placed.provider.waitForObserved(placed.callSid, 'client-to-provider', type, { where, timeoutMs: 10_000 });
const toService = (placed: PlacedCall, type: string, where?: (message: WireMessage) => boolean) =>
  placed.provider.waitForObserved(placed.callSid, 'provider-to-client', type, { where, timeoutMs: 10_000 });
const seenToService = (placed: PlacedCall, type: string): WireMessage[] =>
  placed.provider
    .observed(placed.callSid)
    .filter((event) => event.direction === 'provider-to-client' && event.message.type === type)
    .map((event) => event.message);

const PROVIDERS: ProviderUnderTest[] = [
  {
    name: 'AssemblyAI wire (local provider)',
    environment: {},
    greetingOf: async (placed) => ((await fromService(placed, 'session.update')).session as { greeting: string }).greeting,
    replyCut: (placed) => toService(placed, 'reply.done', (message) => message.status === 'interrupted'),
  },
  {
    name: 'OpenAI Realtime wire (local provider)',
    // No key and no URL: the service talks to its own strict OpenAI-compatible server.
    environment: { VOICE_AGENT_PROVIDER: 'openai', OPENAI_API_KEY: undefined, VOICE_AGENT_URL: undefined },
    // GA has no greeting field: the greeting is the first response.create, asking for exact words.
    greetingOf: async (placed) => {
      const request = await fromService(placed, 'response.create');
      const instructions = String((request.response as { instructions?: string } | undefined)?.instructions);
      const quoted = /^Say exactly: "(.+)"$/.exec(instructions);
      if (!quoted) throw new Error(`the greeting's response.create asks for no exact words: ${instructions}`);
      return quoted[1];
    },
    replyCut: (placed) => toService(placed, 'response.done', (message) => (message.response as { status?: string }).status === 'cancelled'),
    truncatedAtMs: async (placed) => {
      const truncate = await fromService(placed, 'conversation.item.truncate');
      // The item cut is the greeting: the assistant message whose audio was playing.
      const greetingItem = seenToService(placed, 'response.output_item.added')
        .map((message) => message.item as { id: string; type: string; role?: string })
        .find((item) => item.type === 'message' && item.role === 'assistant');
      expect(truncate).toMatchObject({ item_id: greetingItem?.id, content_index: 0, audio_end_ms: expect.any(Number) });
      // The server took it (no error) and cut the item there.
      await toService(placed, 'conversation.item.truncated', (message) => message.item_id === truncate.item_id);
      const stats = await placed.provider.stats(placed.callSid);
      expect(stats.openai?.truncations).toEqual([
        expect.objectContaining({ item_id: truncate.item_id, audio_end_ms: truncate.audio_end_ms }),
      ]);
      expect(seenToService(placed, 'error')).toEqual([]);
      return truncate.audio_end_ms as number;
    },
  },
];

interface MarkAtPosition {
  name: string;
  /** Agent audio the simulated Twilio had received when the mark came: where in the stream it stands. */
  positionMs: number;
}

describe.each(PROVIDERS)('barge-in measured against playback: $name', (provider) => {
  let service: TestApp;
  const calls: PlacedCall[] = [];

  beforeAll(async () => {
    service = await startTestApp({ LOCAL_PROVIDER_MS_PER_WORD: String(MS_PER_WORD), ...provider.environment }, 'bargein');
  });
  afterEach(async () => {
    await Promise.all(calls.splice(0).map((placed) => placed.hangUp()));
  });
  afterAll(() => service.close());

  it('the caller barges in 600 ms into a 3 s reply and the stored agent turn holds about the first 600 ms of words, and the truncate carries `audio_end_ms` within one Twilio frame (20 ms) of what the marks say was played', async () => {
    const placed = await placeCall(service, { playoutDelayMs: PLAYOUT_DELAY_MS });
    calls.push(placed);
    const greeting = await provider.greetingOf(placed);
    const greetingWords = greeting.split(/\s+/);
    const greetingMs = greetingWords.length * MS_PER_WORD;
    expect(greetingMs).toBeGreaterThanOrEqual(2500);
    expect(greetingMs).toBeLessThanOrEqual(3500);

    // The greeting is the call's first audio, so a mark's place in the stream is its place in the greeting.
    const marks: MarkAtPosition[] = [];
    placed.twilio.on('mark', (mark) => marks.push({ name: mark.name, positionMs: placed.twilio.stats().received.audioMs }));
    let sentWhenCleared = 0;
    placed.twilio.once('clear', () => (sentWhenCleared = placed.twilio.stats().received.audioMs));

    await placed.twilio.waitFor(
      (twilio) => twilio.stats().playback.playedMs >= BARGE_IN_AFTER_MS,
      10_000,
      `${BARGE_IN_AFTER_MS} ms of the greeting played`,
    );
    await placed.say('Sorry, one moment please.');
    await placed.twilio.waitForClear(1, 5_000);
    const clear = placed.twilio.clears[0];
    const playedMarks = placed.twilio.marks.filter((mark) => mark.receivedAt <= clear.at && mark.cleared === false);
    const playedByMarks = marks.find((mark) => mark.name === playedMarks.at(-1)?.name)?.positionMs;
    expect(playedByMarks).toBeGreaterThanOrEqual(BARGE_IN_AFTER_MS - FRAME_MS);
    const truncatedAtMs = provider.truncatedAtMs ? await provider.truncatedAtMs(placed) : undefined;
    await provider.replyCut(placed);
    await placed.hangUp();

    const stored = await summarisedCall(service.baseUrl, placed.callSid);
    const beforeTheCaller = stored.events.slice(
      0,
      stored.events.findIndex((event) => event.type === 'caller.said'),
    );
    const greetingTurns = beforeTheCaller.filter((event) => event.type === 'agent.said');
    expect(greetingTurns).toEqual([expect.objectContaining({ department: 'triage', interrupted: true })]);
    const [turn] = greetingTurns as unknown as { text: string; heardMs: number; generatedText?: string }[];

    // What the marks said had played, not what had been sent (a playout delay more).
    expect(Math.abs(turn.heardMs - (playedByMarks as number))).toBeLessThanOrEqual(FRAME_MS);
    expect(sentWhenCleared - turn.heardMs).toBeGreaterThanOrEqual(PLAYOUT_DELAY_MS / 2);
    if (truncatedAtMs !== undefined) expect(Math.abs(truncatedAtMs - (playedByMarks as number))).toBeLessThanOrEqual(FRAME_MS);

    // About the first 600 ms of the greeting's words, word for word.
    const heardWords = turn.text.split(/\s+/).filter((word) => word !== '');
    expect(greeting.startsWith(turn.text)).toBe(true);
    expect(Math.abs(heardWords.length - Math.round((greetingWords.length * BARGE_IN_AFTER_MS) / greetingMs))).toBeLessThanOrEqual(1);
    if (turn.generatedText !== undefined) expect(greeting.startsWith(turn.generatedText)).toBe(true);
  });
});
