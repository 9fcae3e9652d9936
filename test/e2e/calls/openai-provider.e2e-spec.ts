import { Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { parseCallScript } from '../../../src/simulator/call-script.parser';
import { ObservedEvent } from '../../../src/voice-agent/local/local-provider-control.messages';
import { placeCall, PlacedCall } from '../../support/call-harness';
import { startTestApp, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';
import { summarisedCall } from '../summaries/journaled-call';

/*
 * Whole calls with VOICE_AGENT_PROVIDER=openai: the service's OpenAI Realtime GA client against
 * the strict local OpenAI-compatible server, Twilio simulated. The observations are the raw GA
 * wire (client events from the service, server events to it).
 */

/** No key and no URL: the service talks to its own strict OpenAI-compatible server. */
const OPENAI = { VOICE_AGENT_PROVIDER: 'openai', OPENAI_API_KEY: undefined, VOICE_AGENT_URL: undefined };

const SAMPLE_CALL = join(__dirname, '../../../src/simulator/scripts/sample-call.txt');
/** What the local server sends as reply audio in audio/pcmu: 20 ms of mu-law silence. In audio/pcm it would be 960 zero bytes. */
const MU_LAW_SILENCE_FRAME = Buffer.alloc(160, 0xff).toString('base64');

type Message = Record<string, unknown>;
interface RealtimeSessionSeen {
  type: string;
  instructions: string;
  audio: { input: { format: { type: string } }; output: { format: { type: string }; voice: string } };
  tools: { name: string }[];
}

// The GA wire as it was carried, read straight off the local provider's control channel.
const observedOf = (placed: PlacedCall, since = 0): ObservedEvent[] => placed.provider.observed(placed.callSid, since);
const seenFromService = (placed: PlacedCall, type: string): Message[] =>
  observedOf(placed)
    .filter((event) => isFrom(event, type))
    .map((event) => event.message);
const seenToService = (placed: PlacedCall, type: string): Message[] =>
  observedOf(placed)
    .filter((event) => isTo(event, type))
    .map((event) => event.message);
const fromService = (placed: PlacedCall, type: string, where?: (message: Message) => boolean) =>
  placed.provider.waitForObserved(placed.callSid, 'client-to-provider', type, { where, timeoutMs: 10_000 });
const toService = (placed: PlacedCall, type: string, where?: (message: Message) => boolean) =>
  placed.provider.waitForObserved(placed.callSid, 'provider-to-client', type, { where, timeoutMs: 10_000 });
const isFrom = (event: ObservedEvent, type: string) => event.direction === 'client-to-provider' && event.message.type === type;
const isTo = (event: ObservedEvent, type: string) => event.direction === 'provider-to-client' && event.message.type === type;
const itemOf = (message: Message) => message.item as { type: string; role?: string; call_id?: string; output?: string; name?: string };
const isFunctionOutput = (event: ObservedEvent, callId?: string) =>
  isFrom(event, 'conversation.item.create') &&
  itemOf(event.message).type === 'function_call_output' &&
  (callId === undefined || itemOf(event.message).call_id === callId);
const toolNames = (session: { tools?: { name: string }[] }) => (session.tools ?? []).map((tool) => tool.name).sort();
const textOfMessageItem = (message: Message) => (message.item as { content: { text: string }[] }).content.map((part) => part.text).join('');

/** A function call the provider made, once its item is complete. */
const functionCalled = (placed: PlacedCall, name: string, since = 0) =>
  placed.provider
    .waitFor<ObservedEvent>(
      (event) =>
        event.type === 'observed' &&
        event.callId === placed.callSid &&
        isTo(event, 'response.output_item.done') &&
        itemOf(event.message).type === 'function_call' &&
        itemOf(event.message).name === name,
      15_000,
      since,
    )
    .then((event) => itemOf(event.message) as { call_id: string; name: string });

/**
 * The agent has answered what was said after `since`: a response finished since then without
 * calling a function (one that calls a function is always followed by another response),
 * nothing was asked of the provider after it, and Twilio has played all of it.
 */
async function agentAnswered(placed: PlacedCall, since: number, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    () => {
      const observed = observedOf(placed, since);
      const lastDone = observed.map((event) => isTo(event, 'response.done')).lastIndexOf(true);
      if (lastDone < 0) return false;
      const response = observed[lastDone].message.response as { status: string; output: { type: string }[] };
      if (response.status !== 'completed' || response.output.some((item) => item.type === 'function_call')) return false;
      if (observed.slice(lastDone + 1).some((event) => isFrom(event, 'response.create') || isTo(event, 'response.created'))) return false;
      return placed.twilio.stats().playback.queuedMs === 0;
    },
    { timeoutMs, what: 'the agent to answer and finish speaking' },
  );
}

/** The caller says `text` once the agent has answered what came before; returns the mark to wait for the answer from. */
async function sayAfterAnswer(placed: PlacedCall, since: number, text: string): Promise<number> {
  await agentAnswered(placed, since);
  const mark = placed.provider.mark();
  await placed.say(text);
  return mark;
}

async function providerErrorCount(service: TestApp, code: string): Promise<number> {
  const metrics = await request(service.baseUrl).get('/metrics').expect(200);
  const line = new RegExp(`^voice_agent_provider_errors_total\\{code="${code}"\\} (\\d+)$`, 'm').exec(metrics.text);
  return line ? Number(line[1]) : 0;
}

function dump(placed: PlacedCall): void {
  for (const event of observedOf(placed)) {
    if (/delta$/.test(String(event.message.type))) continue;
    const arrow = event.direction === 'client-to-provider' ? 'svc->prov' : 'prov->svc';
    process.stdout.write(`${event.sessionId?.slice(-6)} ${arrow} ${JSON.stringify(event.message).slice(0, 240)}\n`);
  }
}

describe('OpenAI Realtime provider: the sample call', () => {
  let service: TestApp;
  const calls: PlacedCall[] = [];

  beforeAll(async () => {
    // The default speaking pace: a call shorter than 10 s counts as abandoned, not resolved.
    service = await startTestApp({ ...OPENAI, LOCAL_PROVIDER_MS_PER_WORD: '150' }, 'openai-sample');
  });
  afterEach(async () => {
    if (process.env.DEBUG_CALLS) calls.forEach(dump);
    await Promise.all(calls.splice(0).map((placed) => placed.hangUp()));
  });
  afterAll(() => service.close());

  it('plays src/simulator/scripts/sample-call.txt (triage -> refund, verified account, refund for ORD-12345) to a resolved, summarised call', async () => {
    const placed = await placeCall(service);
    calls.push(placed);
    let since = 0;
    for (const step of parseCallScript(readFileSync(SAMPLE_CALL, 'utf8'))) {
      if (step.kind === 'say') since = await sayAfterAnswer(placed, since, step.text);
      else if (step.kind === 'pause') {
        // The scripted caller's own pause before speaking again (as `npm run call` plays it); nothing waits on it.
        await new Promise((resolve) => setTimeout(resolve, step.ms));
      } else throw new Error(`the sample call has a ${step.kind} step this test does not play`);
    }
    await agentAnswered(placed, since);
    await placed.hangUp();

    const stored = await summarisedCall(service.baseUrl, placed.callSid);
    expect(stored).toMatchObject({ departments: ['triage', 'refund'], finalDepartment: 'refund', outcome: 'resolved' });
    expect(stored.summary?.departmentsPath.map((visit) => visit.department)).toEqual(['triage', 'refund']);
    expect(stored.summary?.actions.lookups).toEqual([expect.objectContaining({ tool: 'lookup_account_by_email', result: 'ok' })]);
    expect(stored.summary?.actions.sideEffects).toEqual([
      expect.objectContaining({ tool: 'process_refund', result: 'ok', reference: expect.stringMatching(/^RF-/) }),
    ]);
    expect(stored.summary?.actions.refunds).toEqual([expect.objectContaining({ orderId: 'ORD-12345' })]);
    expect(stored.events.filter((event) => event.type === 'provider.error')).toEqual([]);
    // Every client event the strict server got was accepted.
    expect(seenToService(placed, 'error')).toEqual([]);
    expect(placed.twilio.protocolViolations).toEqual([]);
  });
});

describe('OpenAI Realtime provider: handoffs and a lost session', () => {
  let service: TestApp;
  const calls: PlacedCall[] = [];

  beforeAll(async () => {
    service = await startTestApp({ ...OPENAI, LOCAL_PROVIDER_MS_PER_WORD: '60' }, 'openai-calls');
  });
  afterEach(async () => {
    if (process.env.DEBUG_CALLS) calls.forEach(dump);
    await Promise.all(calls.splice(0).map((placed) => placed.hangUp()));
  });
  afterAll(() => service.close());

  const call = async () => {
    const placed = await placeCall(service);
    calls.push(placed);
    return placed;
  };

  it('hands off with a session.update of type, instructions and tools only: the audio stays audio/pcmu, then the output, one response.create, and the new department speaks', async () => {
    const placed = await call();
    const afterHandoff: string[] = [];
    let handoffSent = false;
    placed.twilio.on('media', (media) => handoffSent && afterHandoff.push(media.payload));

    const since = await sayAfterAnswer(placed, 0, "Hi, I'd like a refund for order ORD-12345, it arrived damaged.");
    const transfer = await functionCalled(placed, 'transfer_to_refund', since);
    const handoffUpdate = await fromService(placed, 'session.update', (message) =>
      String((message.session as { instructions?: string }).instructions).startsWith('You are the Refund agent'),
    );
    handoffSent = true;
    await agentAnswered(placed, since);

    const updates = seenFromService(placed, 'session.update');
    expect(updates).toHaveLength(2);
    const [first] = updates.map((update) => update.session as RealtimeSessionSeen);
    expect(first.audio.input.format).toEqual({ type: 'audio/pcmu' });
    expect(first.audio.output.format).toEqual({ type: 'audio/pcmu' });
    // Nothing but what a handoff changes: no audio formats, no voice, nothing beta-era.
    expect(Object.keys(handoffUpdate).sort()).toEqual(['session', 'type']);
    const handoffSession = handoffUpdate.session as Partial<RealtimeSessionSeen>;
    expect(Object.keys(handoffSession).sort()).toEqual(['instructions', 'tools', 'type']);
    expect(handoffSession.type).toBe('realtime');
    expect(handoffSession.instructions).toContain('Handed over by: Triage');
    expect(toolNames(handoffSession)).toEqual(expect.arrayContaining(['process_refund', 'lookup_account_by_email', 'transfer_to_triage']));
    expect(toolNames(handoffSession)).not.toContain('transfer_to_refund');

    // What the session is once the update applied: the server's session.updated and the control channel agree.
    const observed = observedOf(placed);
    const updateAt = observed.findIndex((event) => isFrom(event, 'session.update') && event.message === handoffUpdate);
    const updated = observed.slice(updateAt).find((event) => isTo(event, 'session.updated'))?.message.session as RealtimeSessionSeen;
    const effective = (await placed.provider.stats(placed.callSid)).openai?.session as unknown as RealtimeSessionSeen;
    for (const session of [updated, effective]) {
      expect(session.instructions).toBe(handoffSession.instructions);
      expect(toolNames(session)).toEqual(toolNames(handoffSession));
      expect(session.audio.input.format).toEqual({ type: 'audio/pcmu' });
      expect(session.audio.output.format).toEqual({ type: 'audio/pcmu' });
      expect(session.audio.output.voice).toBe(first.audio.output.voice);
    }

    // session.update, then the transfer's output, then exactly one response.create, and only then the next response.
    const outputAt = observed.findIndex((event) => isFunctionOutput(event, transfer.call_id));
    const transferDoneAt = observed.findIndex(
      (event) =>
        isTo(event, 'response.done') &&
        (event.message.response as { output: { call_id?: string }[] }).output.some((item) => item.call_id === transfer.call_id),
    );
    const nextResponseAt = observed.findIndex((event, index) => index > transferDoneAt && isTo(event, 'response.created'));
    expect(transferDoneAt).toBeGreaterThan(-1);
    expect(updateAt).toBeGreaterThan(transferDoneAt);
    expect(outputAt).toBeGreaterThan(updateAt);
    const createsAt = observed
      .map((event, index) => (index > transferDoneAt && index < nextResponseAt && isFrom(event, 'response.create') ? index : -1))
      .filter((index) => index >= 0);
    expect(createsAt).toHaveLength(1);
    expect(createsAt[0]).toBeGreaterThan(outputAt);
    expect(JSON.parse(itemOf(observed[outputAt].message).output as string)).toMatchObject({ status: 'transferred', department: 'refund' });
    const refundResponse = (observed[nextResponseAt].message.response as { id: string }).id;
    const refundAgentSaid = observed.find(
      (event) => isTo(event, 'response.output_audio_transcript.done') && event.message.response_id === refundResponse,
    )?.message.transcript;
    expect(refundAgentSaid).toMatch(/\S/);
    expect(seenToService(placed, 'error')).toEqual([]);

    // The refund agent speaks, in mu-law: the frames Twilio got after the handoff are the server's audio/pcmu silence.
    expect(afterHandoff.length).toBeGreaterThan(10);
    expect(afterHandoff.filter((payload) => payload !== MU_LAW_SILENCE_FRAME)).toEqual([]);
    await placed.hangUp();
    const stored = await summarisedCall(service.baseUrl, placed.callSid);
    expect(stored.departments).toEqual(['triage', 'refund']);
    const handoffAt = stored.events.findIndex((event) => event.type === 'handoff' && event.status === 'applied');
    expect(stored.events[handoffAt]).toMatchObject({ from: 'triage', to: 'refund' });
    // The triage agent's last words are recorded once heard, so they may follow the handoff; then the refund agent speaks.
    const saidAfter = stored.events.slice(handoffAt).filter((event) => event.type === 'agent.said');
    expect(saidAfter).toContainEqual(expect.objectContaining({ department: 'refund', text: refundAgentSaid }));
  });

  it('answers a dropped socket with a new session whose first session.update carries the refund prompt, the verified account and the recent turns, and the call goes on', async () => {
    const placed = await call();
    const callerLines = ["Hi, I'd like a refund please.", 'My email is jane@example.com and my zip code is 94107'];
    let since = 0;
    for (const line of callerLines) since = await sayAfterAnswer(placed, since, line);
    await agentAnswered(placed, since);
    const verified = observedOf(placed).find(
      (event) => isFunctionOutput(event) && /"verified":true/.test(String(itemOf(event.message).output)),
    );
    expect(verified).toBeDefined();
    const before = await placed.provider.stats(placed.callSid);
    expect(before.systemPrompt).toMatch(/^You are the Refund agent/);
    const lostSession = before.sessionId;

    const dropped = placed.provider.mark();
    await placed.provider.dropSocket(placed.callSid);
    const opened = await placed.provider.waitFor<ObservedEvent>(
      (event) => event.type === 'session-opened' && event.callId === placed.callSid && event.sessionId !== lostSession,
      10_000,
      dropped,
    );
    const newSession = opened.sessionId as string;
    const fromNewSession = () => observedOf(placed, dropped).filter((event) => event.sessionId === newSession);
    // Rebuilt: the history follows the session.updated, then the new session's first response.
    await waitFor(() => fromNewSession().some((event) => isFrom(event, 'response.create')), {
      what: "the new session's first response.create",
    });
    const rebuilt = fromNewSession().filter((event) => event.direction === 'client-to-provider');
    expect(rebuilt[0].message.type).toBe('session.update');
    const session = rebuilt[0].message.session as RealtimeSessionSeen;
    expect(session.type).toBe('realtime');
    expect(session.instructions).toMatch(/^You are the Refund agent/);
    expect(session.instructions).toContain('Verified account: ACC-001 (Jane Doe)');
    expect(session.instructions).toContain('## Conversation so far');
    for (const line of callerLines) expect(session.instructions).toContain(`Caller: ${line}`);
    expect(toolNames(session)).toEqual(before.tools.slice().sort());
    expect(session.audio.input.format).toEqual({ type: 'audio/pcmu' });
    expect(session.audio.output.format).toEqual({ type: 'audio/pcmu' });
    const firstSession = seenFromService(placed, 'session.update')[0].session as RealtimeSessionSeen;
    expect(session.audio.output.voice).toBe(firstSession.audio.output.voice);

    // The recent turns as message items, in order, between the session.update and the first response.create.
    const firstCreateAt = rebuilt.findIndex((event) => event.message.type === 'response.create');
    const history = rebuilt.slice(1, firstCreateAt).map((event) => event.message);
    expect(history.every((message) => message.type === 'conversation.item.create' && itemOf(message).type === 'message')).toBe(true);
    expect(history.filter((message) => itemOf(message).role === 'user').map(textOfMessageItem)).toEqual(callerLines);
    const agentTurns = history.filter((message) => itemOf(message).role === 'assistant').map(textOfMessageItem);
    expect(agentTurns[0]).toMatch(/^Hi, thanks for calling Acme support/);
    expect(agentTurns.at(-1)).toMatch(/verified/i);
    const seeded = (await placed.provider.stats(placed.callSid)).openai?.items.filter((item) => item.origin === 'client') ?? [];
    expect(seeded.map((item) => item.text)).toEqual(history.map(textOfMessageItem));

    // The call goes on in the new session: the caller asks, the agent (who knows the account) refunds and says so.
    const asked = await sayAfterAnswer(placed, dropped, 'Please refund order ORD-12345.');
    const refund = await functionCalled(placed, 'process_refund', asked);
    await agentAnswered(placed, asked);
    const output = observedOf(placed, asked).find((event) => isFunctionOutput(event, refund.call_id));
    expect(output?.sessionId).toBe(newSession);
    expect(JSON.parse(itemOf(output!.message).output as string)).toMatchObject({ order_id: 'ORD-12345', status: 'processed' });
    expect(seenToService(placed, 'error')).toEqual([]);

    await placed.hangUp();
    const stored = await summarisedCall(service.baseUrl, placed.callSid);
    expect(stored.events.filter((event) => event.type === 'provider.reconnected')).toEqual([expect.objectContaining({ fresh: true })]);
    expect(stored.departments).toEqual(['triage', 'refund']);
    expect(stored.summary?.actions.sideEffects).toEqual([expect.objectContaining({ tool: 'process_refund', result: 'ok' })]);
  });
});

/*
 * `error` events. The control channel has no fault that makes the local server send an error
 * that leaves the session open, and the service sends nothing the strict server refuses, so a
 * non-fatal error cannot be produced honestly here. end-session sends the real API's
 * session_expired error and closes: that session is over, the call is not.
 */
describe('OpenAI Realtime provider: error events', () => {
  let service: TestApp;
  const calls: PlacedCall[] = [];

  beforeAll(async () => {
    // As in live-path-faults: provider recovery 2 s, pings every 300 ms, short replies.
    service = await startTestApp(
      { ...OPENAI, PROVIDER_RECOVERY_TIMEOUT_MS: '2000', SOCKET_PING_INTERVAL_MS: '300', LOCAL_PROVIDER_MS_PER_WORD: '30' },
      'openai-errors',
    );
  });
  afterEach(async () => {
    if (process.env.DEBUG_CALLS) calls.forEach(dump);
    await Promise.all(calls.splice(0).map((placed) => placed.hangUp()));
  });
  afterAll(() => service.close());
  afterEach(() => jest.restoreAllMocks());

  const call = async () => {
    const placed = await placeCall(service);
    calls.push(placed);
    return placed;
  };

  it('logs and counts a session_expired error, and goes on in a fresh session', async () => {
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const counted = await providerErrorCount(service, 'session_expired');
    const placed = await call();
    await agentAnswered(placed, 0);
    const lostSession = (await placed.provider.stats(placed.callSid)).sessionId;
    const expired = placed.provider.mark();
    await placed.provider.injectFault(placed.callSid, 'end-session');
    await toService(placed, 'error', (message) => (message.error as { code: string }).code === 'session_expired');
    const opened = await placed.provider.waitFor<ObservedEvent>(
      (event) => event.type === 'session-opened' && event.callId === placed.callSid && event.sessionId !== lostSession,
      10_000,
      expired,
    );
    expect(await providerErrorCount(service, 'session_expired')).toBe(counted + 1);
    expect(warnings).toHaveBeenCalledWith(expect.objectContaining({ callSid: placed.callSid, code: 'session_expired' }));

    const asked = await sayAfterAnswer(placed, expired, 'Where is my order ORD-12345?');
    const lookup = await functionCalled(placed, 'lookup_order', asked);
    await agentAnswered(placed, asked);
    expect(observedOf(placed, asked).find((event) => isFunctionOutput(event, lookup.call_id))?.sessionId).toBe(opened.sessionId);
    expect(placed.twilio.currentPhase).not.toBe('closed');

    await placed.hangUp();
    const stored = await summarisedCall(service.baseUrl, placed.callSid);
    expect(stored.events.filter((event) => event.type === 'provider.error')).toEqual([
      expect.objectContaining({ code: 'session_expired' }),
    ]);
    expect(stored.events.filter((event) => event.type === 'provider.reconnected')).toEqual([expect.objectContaining({ fresh: true })]);
    // The caller ended the call, not the service.
    expect(stored.endReason).toBe('twilio-stop');
  });

  it('fails the call safely when the session ends with an error and no new one can be opened: apology, a human, stream closed', async () => {
    const counted = await providerErrorCount(service, 'session_expired');
    const placed = await call();
    await agentAnswered(placed, 0);
    await placed.provider.injectFault(placed.callSid, 'refuse-connections');
    await placed.provider.injectFault(placed.callSid, 'end-session');
    const audioBefore = placed.twilio.stats().received.audioMs;
    const closed = await placed.twilio.waitForClose(20_000);
    expect(closed.by).toBe('service');
    // The recorded apology played in real time.
    expect(placed.twilio.stats().received.audioMs - audioBefore).toBeGreaterThan(3000);
    expect(await providerErrorCount(service, 'session_expired')).toBe(counted + 1);

    const stored = await summarisedCall(service.baseUrl, placed.callSid, 20_000);
    expect(stored).toMatchObject({ endReason: 'provider-lost' });
    expect(stored.events.filter((event) => event.type === 'provider.error')).toEqual([
      expect.objectContaining({ code: 'session_expired' }),
    ]);
    // No Twilio account here: the transfer to a person is recorded, not placed.
    expect(stored.events.find((event) => event.type === 'escalation')).toMatchObject({
      reason: 'voice agent unavailable',
      transferred: true,
    });
    expect(stored.departments).toEqual(['triage', 'human']);
  });
});
