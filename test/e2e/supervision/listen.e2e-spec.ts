import request from 'supertest';
import WebSocket from 'ws';
import { CallEvent } from '../../../src/call-journal/call-event.types';
import { CallAudioTap } from '../../../src/sessions/call-supervision.ports';
import { CallSessionService } from '../../../src/sessions/call-session.service';
import { exchange, greeted, newCallSid, placeCall, PlacedCall } from '../../support/call-harness';
import { startTestApp, TEST_ADMIN_TOKEN, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';

const supervisorHeaders = { Authorization: `Bearer ${TEST_SUPERVISOR_TOKEN}` };
const LISTEN_PROTOCOL = 'voice-agent.listen.v1';
const bearerProtocol = (token: string) => `bearer.${Buffer.from(token).toString('base64url')}`;

const MU_LAW_SILENCE_FRAME = Buffer.alloc(160, 0xff).toString('base64');
/** 20 ms of a loud square wave in mu-law: what a caller who speaks sends. */
const MU_LAW_TONE_FRAME = Buffer.from(Array.from({ length: 160 }, (_, index) => (index % 16 < 8 ? 0x90 : 0x10))).toString('base64');
const muLawToneOfLength = (base64Audio: string) =>
  Buffer.from(Array.from({ length: Buffer.from(base64Audio, 'base64').length }, (_, index) => (index % 16 < 8 ? 0xa0 : 0x20))).toString(
    'base64',
  );

type Channel = 'caller' | 'agent';
/** Samples of one channel of a listen frame (interleaved stereo s16le: caller left, agent right). */
const samplesOf = (frame: Buffer, channel: Channel) =>
  Array.from({ length: frame.length / 4 }, (_, index) => frame.readInt16LE(index * 4 + (channel === 'caller' ? 0 : 2)));
const speaks = (frame: Buffer, channel: Channel) => samplesOf(frame, channel).some((sample) => sample !== 0);

async function eventsOf(service: TestApp, callSid: string): Promise<CallEvent[]> {
  const response = await request(service.baseUrl).get(`/calls/${callSid}`).set(supervisorHeaders).expect(200);
  return response.body.events as CallEvent[];
}

const listenEventsOf = async (service: TestApp, callSid: string) =>
  (await eventsOf(service, callSid)).filter(
    (event): event is Extract<CallEvent, { type: 'supervision.listen' }> => event.type === 'supervision.listen',
  );

/**
 * The local providers speak mu-law silence, so on the agent channel a reply would sound like no
 * reply. Here the call's audio tap sees each agent chunk as a tone of the same length: what goes
 * to Twilio is untouched, and the pacing, barge-in and Redis path are the real ones.
 */
function agentAudioHeardAsTone(service: TestApp, callSid: string): void {
  const call = service.app.get(CallSessionService).supervised(callSid);
  if (!call) throw new Error(`call ${callSid} is not live on this instance`);
  const attach = call.setAudioTap.bind(call);
  call.setAudioTap = (tap: CallAudioTap | undefined) =>
    attach(
      tap && {
        callerAudio: (audio) => tap.callerAudio(audio),
        agentAudio: (audio) => tap.agentAudio(muLawToneOfLength(audio)),
        agentAudioCleared: () => tap.agentAudioCleared(),
      },
    );
}

/** A supervisor's listen socket: its JSON messages and binary frames as they came, and how it closed. */
class ListenerClient {
  readonly messages: Record<string, unknown>[] = [];
  readonly frames: Buffer[] = [];
  closed?: { code: number; reason: string };

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer, isBinary) => {
      if (isBinary) this.frames.push(data);
      else this.messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
    });
    socket.on('close', (code, reason) => (this.closed = { code, reason: reason.toString('utf8') }));
    socket.on('error', () => undefined);
  }

  static open(
    service: TestApp,
    callSid: string,
    {
      supervisor = 'Dana Reyes',
      headers = supervisorHeaders,
      protocols,
    }: { supervisor?: string; headers?: Record<string, string>; protocols?: string[] } = {},
  ): Promise<ListenerClient> {
    const url = `${service.wsBaseUrl}/calls/${callSid}/listen?supervisor=${encodeURIComponent(supervisor)}`;
    const socket = new WebSocket(url, protocols ?? [], { headers, perMessageDeflate: false });
    const client = new ListenerClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade answered ${response.statusCode}`)));
      socket.once('error', reject);
    });
  }

  /** The status of a refused upgrade. */
  static refusedStatus(
    service: TestApp,
    callSid: string,
    options: { headers?: Record<string, string>; protocols?: string[] },
  ): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${service.wsBaseUrl}/calls/${callSid}/listen?supervisor=Eve`, options.protocols ?? [], {
        headers: options.headers ?? {},
      });
      socket.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.on('open', () => reject(new Error('the upgrade was accepted')));
      socket.on('error', () => undefined);
    });
  }

  async listening(): Promise<Record<string, unknown>> {
    return waitFor(() => this.messages.find((message) => message.type === 'listening'), { what: "the 'listening' message" });
  }

  /** A frame received from now on that satisfies `where`. */
  async nextFrame(where: (frame: Buffer) => boolean, what: string, timeoutMs = 10_000): Promise<Buffer> {
    const from = this.frames.length;
    return waitFor(() => this.frames.slice(from).find(where), { what, timeoutMs });
  }

  async closing(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    return waitFor(() => this.closed, { what: 'the listen socket to close', timeoutMs });
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
  }
}

describe('listening to a live call (WS /calls/:callSid/listen)', () => {
  let service: TestApp;
  const calls: PlacedCall[] = [];
  const listeners: ListenerClient[] = [];
  let callerSpeaks = false;

  const liveCall = async () => {
    const placed = await greeted(
      await placeCall(service, { audioSource: () => (callerSpeaks ? MU_LAW_TONE_FRAME : MU_LAW_SILENCE_FRAME) }),
    );
    calls.push(placed);
    agentAudioHeardAsTone(service, placed.callSid);
    return placed;
  };
  const listen = async (callSid: string, options?: Parameters<typeof ListenerClient.open>[2]) => {
    const listener = await ListenerClient.open(service, callSid, options);
    listeners.push(listener);
    return listener;
  };

  beforeAll(async () => {
    service = await startTestApp({ LOCAL_PROVIDER_MS_PER_WORD: '40' }, 'listen');
  });
  afterEach(async () => {
    callerSpeaks = false;
    listeners.splice(0).forEach((listener) => listener.socket.terminate());
    await Promise.all(calls.splice(0).map((placed) => placed.hangUp()));
  });
  afterAll(() => service?.close());

  it('streams what the caller heard: 100 ms stereo frames in real time, the caller on the left and the agent on the right', async () => {
    const placed = await liveCall();
    const listener = await listen(placed.callSid);
    const listening = await listener.listening();
    expect(listening).toEqual({
      type: 'listening',
      callSid: placed.callSid,
      listenerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sampleRate: 8000,
      channels: ['caller', 'agent'],
      encoding: 'pcm_s16le',
      frameMs: 100,
    });

    // Nobody speaks: silence on both channels, at 10 frames a second.
    const quietFrom = listener.frames.length;
    const quietSince = Date.now();
    await waitFor(() => listener.frames.length >= quietFrom + 15, { what: '15 frames' });
    const elapsedMs = Date.now() - quietSince;
    expect(elapsedMs).toBeGreaterThan(1000);
    expect(elapsedMs).toBeLessThan(3000);
    const quiet = listener.frames.slice(quietFrom + 5);
    expect(quiet.every((frame) => frame.length === 3200)).toBe(true);
    expect(quiet.some((frame) => speaks(frame, 'caller') || speaks(frame, 'agent'))).toBe(false);

    // The caller speaks: the left channel carries it.
    callerSpeaks = true;
    const callerFrame = await listener.nextFrame((frame) => speaks(frame, 'caller'), 'the caller on the left channel');
    expect(speaks(callerFrame, 'agent')).toBe(false);
    callerSpeaks = false;
    await listener.nextFrame((frame) => !speaks(frame, 'caller'), 'the caller quiet again');

    // The agent replies: the right channel carries it, as long as it plays.
    const before = listener.frames.length;
    await exchange(placed, 'What are your opening hours?');
    await listener.nextFrame((frame) => !speaks(frame, 'agent'), 'the reply played out');
    const replyFrames = listener.frames.slice(before).filter((frame) => speaks(frame, 'agent'));
    expect(replyFrames.length).toBeGreaterThan(5);
    expect(replyFrames.some((frame) => speaks(frame, 'caller'))).toBe(false);
  });

  it('serves two listeners at once, and the call says who is listening', async () => {
    const placed = await liveCall();
    const first = await listen(placed.callSid, { supervisor: 'Dana Reyes' });
    const second = await listen(placed.callSid, { supervisor: 'Sam Ortiz', headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    const [firstId, secondId] = [(await first.listening()).listenerId, (await second.listening()).listenerId];
    expect(firstId).not.toBe(secondId);
    const agentFrame = (frame: Buffer) => speaks(frame, 'agent');
    await Promise.all([
      placed.say('Can you tell me about delivery times please?'),
      first.nextFrame(agentFrame, 'the reply (first listener)'),
    ]);
    await second.nextFrame(agentFrame, 'the reply (second listener)');

    const status = await request(service.baseUrl).get(`/calls/${placed.callSid}/supervision`).set(supervisorHeaders).expect(200);
    expect(status.body.listeners).toEqual(
      expect.arrayContaining([
        { listenerId: firstId, by: { role: 'supervisor', name: 'Dana Reyes' }, since: expect.any(String) },
        { listenerId: secondId, by: { role: 'admin', name: 'Sam Ortiz' }, since: expect.any(String) },
      ]),
    );
    expect(status.body.listeners).toHaveLength(2);
  });

  it("takes a browser's token from the subprotocol and always selects voice-agent.listen.v1", async () => {
    const placed = await liveCall();
    const listener = await listen(placed.callSid, { headers: {}, protocols: [LISTEN_PROTOCOL, bearerProtocol(TEST_SUPERVISOR_TOKEN)] });
    expect(listener.socket.protocol).toBe(LISTEN_PROTOCOL);
    await listener.listening();
    await listener.nextFrame((frame) => frame.length === 3200, 'a frame');
  });

  it('refuses an upgrade without a supervisor or admin token with 401: no WebSocket', async () => {
    const callSid = newCallSid();
    await expect(ListenerClient.refusedStatus(service, callSid, {})).resolves.toBe(401);
    await expect(ListenerClient.refusedStatus(service, callSid, { headers: { Authorization: 'Bearer not-a-token' } })).resolves.toBe(401);
    await expect(
      ListenerClient.refusedStatus(service, callSid, { protocols: [LISTEN_PROTOCOL, bearerProtocol('not-a-token')] }),
    ).resolves.toBe(401);
  });

  it('answers an unknown or malformed call, or a missing supervisor name, with one error message and close 4000 + status', async () => {
    const unknown = await listen(newCallSid());
    expect(await unknown.closing()).toEqual({ code: 4404, reason: 'call_not_found' });
    expect(unknown.messages).toEqual([{ type: 'error', status: 404, code: 'call_not_found', message: expect.any(String) }]);

    const malformed = await listen('CA123');
    expect((await malformed.closing()).code).toBe(4400);
    expect(malformed.messages).toEqual([expect.objectContaining({ type: 'error', status: 400 })]);

    const anonymous = await listen(newCallSid(), { supervisor: '' });
    expect((await anonymous.closing()).code).toBe(4400);
  });

  it('records each listener starting and stopping in the call, with who it was', async () => {
    const placed = await liveCall();
    const listener = await listen(placed.callSid, { supervisor: 'Dana Reyes' });
    const { listenerId } = await listener.listening();
    listener.close();
    await listener.closing();
    const events = await waitFor(
      async () => {
        const recorded = await listenEventsOf(service, placed.callSid);
        return recorded.some((event) => event.state === 'stopped') && recorded;
      },
      { what: 'supervision.listen stopped in the call events' },
    );
    expect(events).toEqual([
      expect.objectContaining({ listenerId, state: 'started', by: { role: 'supervisor', name: 'Dana Reyes' }, at: expect.any(String) }),
      expect.objectContaining({ listenerId, state: 'stopped', by: { role: 'supervisor', name: 'Dana Reyes' }, at: expect.any(String) }),
    ]);
    await waitFor(
      async () => {
        const status = await request(service.baseUrl).get(`/calls/${placed.callSid}/supervision`).set(supervisorHeaders).expect(200);
        return status.body.listeners.length === 0;
      },
      { what: 'no listener left' },
    );
  });

  it('tells the listener when the call ends, then closes with 1000', async () => {
    const placed = await liveCall();
    const listener = await listen(placed.callSid);
    await listener.listening();
    await placed.hangUp();
    expect(await listener.closing()).toEqual({ code: 1000, reason: 'call ended' });
    expect(listener.messages.at(-1)).toEqual({ type: 'ended', reason: expect.any(String) });
  });

  it('closes a listener that does not read with 4008, while the call carries on', async () => {
    const placed = await liveCall();
    const slow = await listen(placed.callSid, { supervisor: 'Slow Reader' });
    const { listenerId } = await slow.listening();
    (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    // The server gives up on it once 2 s of audio wait in its socket (after the kernel's buffers fill).
    await waitFor(
      async () =>
        (await listenEventsOf(service, placed.callSid)).some((event) => event.listenerId === listenerId && event.state === 'stopped'),
      { what: 'the slow listener stopped', timeoutMs: 90_000, intervalMs: 500 },
    );
    (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await slow.closing(20_000)).toEqual({ code: 4008, reason: 'listener too slow' });

    const mediaBefore = placed.twilio.stats().received.mediaFrames;
    await exchange(placed, 'Are you still there?');
    expect(placed.twilio.stats().received.mediaFrames).toBeGreaterThan(mediaBefore);
  });
});
