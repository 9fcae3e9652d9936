import { controlUrlFor, LocalProviderControlClient, ProviderObservation } from '../../../src/simulator/local-provider-control.client';
import { SimulatedTwilioCall } from '../../../src/simulator/twilio-call.simulator';
import { FakeVoiceService } from './fake-voice-service.server';

describe('LocalProviderControlClient', () => {
  let service: FakeVoiceService;
  let control: LocalProviderControlClient | undefined;
  let call: SimulatedTwilioCall | undefined;

  beforeEach(async () => {
    service = await new FakeVoiceService({ brain: true }).listen();
  });

  afterEach(async () => {
    control?.close();
    call?.dispose();
    await service.close();
  });

  it('derives the control URL from the service URL', () => {
    expect(controlUrlFor('http://127.0.0.1:3000')).toBe('ws://127.0.0.1:3000/local-provider/control');
    expect(controlUrlFor('https://voice.example.com/')).toBe('wss://voice.example.com/local-provider/control');
  });

  it('retries a say the provider refuses until the session is live, and relays observations', async () => {
    control = await LocalProviderControlClient.connect(controlUrlFor(service.baseUrl));
    call = new SimulatedTwilioCall({ baseUrl: service.baseUrl });
    const observed: ProviderObservation[] = [];
    const refusals: string[] = [];
    control.on('observed', (observation) => observed.push(observation));
    control.on('control-error', (message) => refusals.push(message));
    await control.subscribe(call.callSid);

    const said = control.say(call.callSid, 'hello', 5000);
    await new Promise<void>((resolve) => control?.once('control-error', () => resolve()));
    await call.dial();
    await said;
    await service.waitFor(() => observed.some((observation) => observation.message.type === 'transcript.user'), 2000, 'the caller transcript');

    expect(refusals[0]).toMatch(/no live session/);
    expect(observed.find((observation) => observation.message.type === 'transcript.user')).toMatchObject({
      callId: call.callSid,
      direction: 'provider-to-client',
      message: { text: 'hello' },
    });
  });

  it('fails clearly when nothing listens', async () => {
    await expect(LocalProviderControlClient.connect('ws://127.0.0.1:1/local-provider/control', 1000)).rejects.toMatchObject({ code: 'CONTROL_FAILED' });
  });
});
