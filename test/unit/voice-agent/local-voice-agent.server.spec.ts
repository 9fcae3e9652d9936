import WebSocket from 'ws';
import { LOCAL_OPENAI_PROVIDER_PATH, LOCAL_PROVIDER_CONTROL_PATH, LOCAL_PROVIDER_PATH } from '../../../src/config/app-config';
import { LocalProviderControlClient } from '../../../src/voice-agent/local/local-provider-control.client';
import { LocalVoiceAgentServer } from '../../../src/voice-agent/local/local-voice-agent.server';

// The control channel's per-call settings as the server keeps them, on its own loopback port (no services).

const OFFER_HELP = 'I can help with orders, billing, refunds and general questions. What can I do for you?';
const ASK_FOR_A_PERSON = 'Can I speak to a real person please';
const TRANSFER_TOOL = {
  type: 'function',
  name: 'transfer_to_human',
  description: 'a person',
  parameters: { type: 'object', properties: {} },
};

describe('LocalVoiceAgentServer: ignore-requests-for-people', () => {
  let server: LocalVoiceAgentServer;
  let port: number;
  let control: LocalProviderControlClient;
  const sockets: WebSocket[] = [];

  beforeEach(async () => {
    server = new LocalVoiceAgentServer({ msPerWord: 1, frameMs: 20 });
    port = await server.listen(0);
    control = await LocalProviderControlClient.connect(`ws://127.0.0.1:${port}${LOCAL_PROVIDER_CONTROL_PATH}`);
    await control.subscribe('*');
  });

  afterEach(async () => {
    sockets.splice(0).forEach((ws) => ws.terminate());
    await control.close();
    await server.close();
  });

  function connect(path: string, headers: Record<string, string>): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers, perMessageDeflate: false });
      sockets.push(ws);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  }

  // A fresh session of the call on the AssemblyAI wire, ready.
  async function assemblyAiSession(callId: string): Promise<WebSocket> {
    const since = control.mark();
    const ws = await connect(LOCAL_PROVIDER_PATH, { 'x-local-call-id': callId });
    ws.send(JSON.stringify({ type: 'session.update', session: { system_prompt: 'You are Sam at Acme.', tools: [TRANSFER_TOOL] } }));
    await control.waitForObserved(callId, 'provider-to-client', 'session.ready', { since });
    return ws;
  }

  // A fresh session of the call on the OpenAI Realtime wire, configured.
  async function openAiSession(callId: string): Promise<WebSocket> {
    const since = control.mark();
    const ws = await connect(`${LOCAL_OPENAI_PROVIDER_PATH}?model=gpt-realtime`, {
      authorization: 'Bearer sk-local-test',
      'x-local-call-id': callId,
    });
    ws.send(
      JSON.stringify({
        type: 'session.update',
        session: { type: 'realtime', instructions: 'You are Sam at Acme.', tools: [TRANSFER_TOOL] },
      }),
    );
    await control.waitForObserved(callId, 'provider-to-client', 'session.updated', { since });
    return ws;
  }

  async function close(ws: WebSocket, callId: string): Promise<void> {
    const since = control.mark();
    ws.terminate();
    await control.waitFor(
      (event) => (event.type === 'session-closed' || event.type === 'session-dropped') && event.callId === callId,
      5_000,
      since,
    );
  }

  // What the agent said to the request for a person on the AssemblyAI wire, and the tools it called.
  async function askOnAssemblyAi(callId: string): Promise<{ said: unknown; called: unknown[] }> {
    const since = control.mark();
    await control.say(callId, ASK_FOR_A_PERSON);
    const said = (await control.waitForObserved(callId, 'provider-to-client', 'transcript.agent', { since })).text;
    const called = control
      .observed(callId, since)
      .filter((event) => event.message.type === 'tool.call')
      .map((event) => event.message.name);
    return { said, called };
  }

  async function askOnOpenAi(callId: string): Promise<{ said: unknown; called: unknown[] }> {
    const since = control.mark();
    await control.say(callId, ASK_FOR_A_PERSON);
    const said = (await control.waitForObserved(callId, 'provider-to-client', 'response.output_audio_transcript.done', { since }))
      .transcript;
    await control.waitForObserved(callId, 'provider-to-client', 'response.done', { since });
    const called = control
      .observed(callId, since)
      .filter((event) => event.message.type === 'response.function_call_arguments.done')
      .map((event) => event.message.name);
    return { said, called };
  }

  it('AssemblyAI wire: set before the call, kept for its later sessions, for that call only, until turned off', async () => {
    await control.ignoreRequestsForPeople('CA-ignored');
    const first = await assemblyAiSession('CA-ignored');
    expect(await askOnAssemblyAi('CA-ignored')).toEqual({ said: OFFER_HELP, called: [] });

    await assemblyAiSession('CA-other');
    expect((await askOnAssemblyAi('CA-other')).called).toEqual(['transfer_to_human']);

    await close(first, 'CA-ignored');
    await assemblyAiSession('CA-ignored');
    expect(await askOnAssemblyAi('CA-ignored')).toEqual({ said: OFFER_HELP, called: [] });

    await control.ignoreRequestsForPeople('CA-ignored', false);
    expect((await askOnAssemblyAi('CA-ignored')).called).toEqual(['transfer_to_human']);
  });

  it('OpenAI Realtime wire: applies to the live session and to sessions opened later, until turned off', async () => {
    const first = await openAiSession('CA-ignored');
    expect((await askOnOpenAi('CA-ignored')).called).toEqual(['transfer_to_human']);

    await control.ignoreRequestsForPeople('CA-ignored', true);
    expect(await askOnOpenAi('CA-ignored')).toEqual({ said: OFFER_HELP, called: [] });

    await close(first, 'CA-ignored');
    await openAiSession('CA-ignored');
    expect(await askOnOpenAi('CA-ignored')).toEqual({ said: OFFER_HELP, called: [] });

    await control.ignoreRequestsForPeople('CA-ignored', false);
    expect((await askOnOpenAi('CA-ignored')).called).toEqual(['transfer_to_human']);
  });

  it('refuses a request without a boolean with a control-error', async () => {
    const raw = await connect(LOCAL_PROVIDER_CONTROL_PATH, {});
    const answer = new Promise<Record<string, unknown>>((resolve) =>
      raw.once('message', (data: WebSocket.RawData) => resolve(JSON.parse(data.toString()) as Record<string, unknown>)),
    );
    raw.send(JSON.stringify({ type: 'ignore-requests-for-people', callId: 'CA1', ignore: 'yes', requestId: 'r9' }));
    expect(await answer).toEqual({
      type: 'control-error',
      message: 'ignore-requests-for-people needs ignore: true or false',
      requestId: 'r9',
    });
  });
});
