import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio';
import { SimulatedTwilioCall, SimulatedTwilioCallOptions } from '../../src/simulator/twilio-call.simulator';
import { SimulatedTwilioRest } from '../../src/simulator/twilio-rest.simulator';
import { inVoiceAgentVocabulary } from '../../src/simulator/observation-vocabulary';
import { LocalProviderControlClient } from '../../src/voice-agent/local/local-provider-control.client';
import { ControlEvent, ObservedEvent } from '../../src/voice-agent/local/local-provider-control.messages';
import { TestApp } from './test-app';
import { waitFor } from './wait-for';

export const TEST_TWILIO_AUTH_TOKEN = 'test-twilio-auth-token-0123456789';

/** The X-Twilio-Signature of a Media Stream upgrade: it covers only the URL, so one fits every stream. */
export function signedMediaStreamHeaders(service: TestApp, authToken = TEST_TWILIO_AUTH_TOKEN): Record<string, string> {
  return { 'X-Twilio-Signature': getExpectedTwilioSignature(authToken, `${service.wsBaseUrl}/twilio/media-stream`, {}) };
}

export function newCallSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

export function newAccountSid(): string {
  return `AC${randomBytes(16).toString('hex')}`;
}

/**
 * Twilio's REST API, simulated, for the service's REST client (TWILIO_API_BASE_URL: rest.url,
 * TWILIO_ACCOUNT_SID: rest.accountSid). Calls placed with `{ twilioRest: rest }` run the TwiML
 * the service sends it; `human` in placeCall's options says what the person a <Dial> rings does.
 */
export function startTwilioRest(accountSid = newAccountSid(), authToken = TEST_TWILIO_AUTH_TOKEN): Promise<SimulatedTwilioRest> {
  return SimulatedTwilioRest.start({ accountSid, authToken });
}

type WireMessage = Record<string, unknown>;
type Direction = ObservedEvent['direction'];

/**
 * A call placed through the simulated Twilio, followed on the provider's wire. What the provider
 * received and sent is given in one vocabulary, AssemblyAI's (OpenAI Realtime messages renamed by
 * inVoiceAgentVocabulary), so one test body runs against either provider. A type only one wire has
 * (response.create, conversation.item.truncate, ...) is still found as that wire carries it, and
 * rawObserved() keeps the whole wire as it was.
 */
export interface PlacedCall {
  callSid: string;
  twilio: SimulatedTwilioCall;
  provider: LocalProviderControlClient;
  /** The caller says something (through the local provider's control channel). */
  say(text: string): Promise<void>;
  /** Wire messages the provider received from our service of a given type, in order. */
  fromService(type: string): WireMessage[];
  /** Wire messages the provider sent our service of a given type, in order. */
  toService(type: string): WireMessage[];
  waitFromService(type: string, where?: (message: WireMessage) => boolean, timeoutMs?: number): Promise<WireMessage>;
  waitToService(type: string, where?: (message: WireMessage) => boolean, timeoutMs?: number): Promise<WireMessage>;
  /** Everything observed on the call's wire, in the neutral vocabulary, from `since` (a provider.mark()). */
  observed(since?: number): ObservedEvent[];
  /** The same, as the wire carried it. */
  rawObserved(since?: number): ObservedEvent[];
  /** Raw wire messages the provider received from our service of a given wire type, in order. */
  rawFromService(type: string): WireMessage[];
  /** A point in the observation stream: waits given it look only at what came after. */
  mark(): number;
  /** The agent finished a reply (not cut off) after `since`. */
  replyFinishedAfter(since: number, timeoutMs?: number): Promise<WireMessage>;
  /** How many replies the agent has finished (not cut off) so far. */
  finishedReplies(): number;
  hangUp(): Promise<void>;
}

/**
 * A simulated Twilio call into the service, with the local provider's control channel watching it.
 * Every SimulatedTwilioCall option applies (`twilioRest`, `human`, `humanRingMs`, ... for transfers).
 */
export async function placeCall(service: TestApp, options: Partial<SimulatedTwilioCallOptions> = {}): Promise<PlacedCall> {
  const callSid = options.callSid ?? newCallSid();
  const provider = await LocalProviderControlClient.connect(`${service.wsBaseUrl}/local-provider/control`);
  await provider.subscribe(callSid);
  const twilio = new SimulatedTwilioCall({ baseUrl: service.baseUrl, callSid, ...options });
  await twilio.dial();
  // Open, and configured: on the OpenAI wire the socket opens before the service's session.update.
  await provider.waitFor((event) => event.type === 'session-opened' && 'callId' in event && event.callId === callSid, 10_000);
  await provider.waitForObserved(callSid, 'client-to-provider', 'session.update', { timeoutMs: 10_000 });

  const observed = (since = 0) => provider.observed(callSid, since).map(inVoiceAgentVocabulary);
  const messagesOf = (direction: Direction, type: string) =>
    provider
      .observed(callSid)
      .filter((event) => event.direction === direction)
      .map((event) => asType(event, type))
      .filter((message): message is WireMessage => message !== undefined);
  const waitFor = async (
    direction: Direction,
    type: string,
    where?: (message: WireMessage) => boolean,
    timeoutMs = 10_000,
    since = 0,
  ): Promise<WireMessage> => {
    const matching = (event: ControlEvent) => {
      if (event.type !== 'observed' || event.callId !== callSid || event.direction !== direction) return undefined;
      const message = asType(event, type);
      return message && (where?.(message) ?? true) ? message : undefined;
    };
    return matching(await provider.waitFor((event) => matching(event) !== undefined, timeoutMs, since)) as WireMessage;
  };
  const finished = (message: WireMessage) => message.status !== 'interrupted';

  return {
    callSid,
    twilio,
    provider,
    say: (text) => provider.sayWhenLive(callSid, text, 10_000),
    fromService: (type) => messagesOf('client-to-provider', type),
    toService: (type) => messagesOf('provider-to-client', type),
    waitFromService: (type, where, timeoutMs) => waitFor('client-to-provider', type, where, timeoutMs),
    waitToService: (type, where, timeoutMs) => waitFor('provider-to-client', type, where, timeoutMs),
    observed,
    rawObserved: (since = 0) => provider.observed(callSid, since),
    rawFromService: (type) =>
      provider
        .observed(callSid)
        .filter((event) => event.direction === 'client-to-provider' && event.message.type === type)
        .map((event) => event.message),
    mark: () => provider.mark(),
    replyFinishedAfter: (since, timeoutMs = 15_000) => waitFor('provider-to-client', 'reply.done', finished, timeoutMs, since),
    finishedReplies: () => messagesOf('provider-to-client', 'reply.done').filter(finished).length,
    async hangUp() {
      if (twilio.currentPhase !== 'closed') await twilio.hangup().catch(() => undefined);
      twilio.dispose();
      await provider.close();
    },
  };
}

/**
 * An observed message as a message of `type`: in the neutral vocabulary when it has that type there,
 * else as its wire carried it when a type only that wire has was asked for (e.g. OpenAI's response.create).
 */
function asType(event: ObservedEvent, type: string): WireMessage | undefined {
  const neutral = inVoiceAgentVocabulary(event).message;
  if (neutral.type === type) return neutral;
  return event.message.type === type ? event.message : undefined;
}

/** Index of the first observed wire message matching (neutral vocabulary), for ordering assertions. */
export function indexOfObserved(call: PlacedCall, direction: Direction, where: (message: WireMessage) => boolean): number {
  return call.observed().findIndex((event) => event.direction === direction && where(event.message));
}

/** The agent has finished its greeting on the call. */
export async function greeted(placed: PlacedCall): Promise<PlacedCall> {
  await waitFor(() => placed.finishedReplies() >= 1, { what: 'the greeting', timeoutMs: 15_000 });
  return placed;
}

/** The caller speaks, and waits for `replies` finished agent replies (a handoff or a tool answer takes two). */
export async function exchange(placed: PlacedCall, text: string, replies = 1): Promise<void> {
  const before = placed.finishedReplies();
  await placed.say(text);
  await waitFor(() => placed.finishedReplies() >= before + replies, { what: `${replies} replies to "${text}"`, timeoutMs: 20_000 });
}

/** The system prompt a session.update carries (in the neutral vocabulary: OpenAI's instructions too); '' when none. */
export function promptOf(message: WireMessage): string {
  return String((message.session as { system_prompt?: string } | undefined)?.system_prompt ?? '');
}
