import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio';
import { SimulatedTwilioCall, SimulatedTwilioCallOptions } from '../../src/simulator/twilio-call.simulator';
import { LocalProviderControlClient } from '../../src/voice-agent/local/local-provider-control.client';
import { TestApp } from './test-app';

export const TEST_TWILIO_AUTH_TOKEN = 'test-twilio-auth-token-0123456789';

/** The X-Twilio-Signature of a Media Stream upgrade: it covers only the URL, so one fits every stream. */
export function signedMediaStreamHeaders(service: TestApp, authToken = TEST_TWILIO_AUTH_TOKEN): Record<string, string> {
  return { 'X-Twilio-Signature': getExpectedTwilioSignature(authToken, `${service.wsBaseUrl}/twilio/media-stream`, {}) };
}

export function newCallSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

export interface PlacedCall {
  callSid: string;
  twilio: SimulatedTwilioCall;
  provider: LocalProviderControlClient;
  /** The caller says something (through the local provider's control channel). */
  say(text: string): Promise<void>;
  /** Wire messages the provider received from our service of a given type, in order. */
  fromService(type: string): Record<string, unknown>[];
  /** Wire messages the provider sent our service of a given type, in order. */
  toService(type: string): Record<string, unknown>[];
  waitFromService(
    type: string,
    where?: (message: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  waitToService(type: string, where?: (message: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  hangUp(): Promise<void>;
}

/** A simulated Twilio call into the service, with the local provider's control channel watching it. */
export async function placeCall(service: TestApp, options: Partial<SimulatedTwilioCallOptions> = {}): Promise<PlacedCall> {
  const callSid = options.callSid ?? newCallSid();
  const provider = await LocalProviderControlClient.connect(`${service.wsBaseUrl}/local-provider/control`);
  await provider.subscribe(callSid);
  const twilio = new SimulatedTwilioCall({ baseUrl: service.baseUrl, callSid, ...options });
  await twilio.dial();
  await provider.waitFor((event) => event.type === 'session-opened' && 'callId' in event && event.callId === callSid, 10_000);
  const observedOf = (direction: 'client-to-provider' | 'provider-to-client', type: string) =>
    provider
      .observed(callSid)
      .filter((event) => event.direction === direction && event.message.type === type)
      .map((event) => event.message);
  return {
    callSid,
    twilio,
    provider,
    say: (text) => provider.sayWhenLive(callSid, text, 10_000),
    fromService: (type) => observedOf('client-to-provider', type),
    toService: (type) => observedOf('provider-to-client', type),
    waitFromService: (type, where, timeoutMs = 10_000) =>
      provider.waitForObserved(callSid, 'client-to-provider', type, { where, timeoutMs }),
    waitToService: (type, where, timeoutMs = 10_000) => provider.waitForObserved(callSid, 'provider-to-client', type, { where, timeoutMs }),
    async hangUp() {
      if (twilio.currentPhase !== 'closed') await twilio.hangup().catch(() => undefined);
      twilio.dispose();
      await provider.close();
    },
  };
}

/** Index of the first observed wire message matching, for ordering assertions. */
export function indexOfObserved(
  call: PlacedCall,
  direction: 'client-to-provider' | 'provider-to-client',
  where: (message: Record<string, unknown>) => boolean,
): number {
  return call.provider.observed(call.callSid).findIndex((event) => event.direction === direction && where(event.message));
}
