import { ObservedEvent } from '../../src/voice-agent/local/local-provider-control.messages';

type WireMessage = ObservedEvent['message'];

/**
 * What the two wires say differently about the same call, read off raw wire messages
 * (PlacedCall.rawObserved): the neutral vocabulary has no room for these fields.
 */
export interface WireFacts {
  /** The audio formats the first session.update asks for, caller's and agent's. */
  audioFormats(firstUpdate: WireMessage): { input: unknown; output: unknown };
  /** The voice the first session.update asks for. */
  voice(firstUpdate: WireMessage): unknown;
  /** What a handoff's session.update carries of audio formats and voice: nothing, on either wire. */
  audioAndVoice(handoffUpdate: WireMessage): unknown[];
  /** What the service sends to end a session cleanly before it closes the socket. */
  sessionEndMessages: readonly string[];
}

export interface ProviderUnderTest {
  name: 'assemblyai' | 'openai';
  /** The test app's environment: which wire it speaks to the local server this process serves. */
  env: Record<string, string | undefined>;
  wire: WireFacts;
}

const sessionOf = (message: WireMessage): Record<string, unknown> => (message.session ?? {}) as Record<string, unknown>;
const at = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined),
    value,
  );
const present = (...values: unknown[]) => values.filter((value) => value !== undefined);

const ASSEMBLYAI: ProviderUnderTest = {
  name: 'assemblyai',
  env: { VOICE_AGENT_PROVIDER: 'local' },
  wire: {
    audioFormats: (update) => ({
      input: at(sessionOf(update), 'input', 'format', 'encoding'),
      output: at(sessionOf(update), 'output', 'format', 'encoding'),
    }),
    voice: (update) => at(sessionOf(update), 'output', 'voice'),
    audioAndVoice: (update) => present(at(sessionOf(update), 'output'), at(sessionOf(update), 'input', 'format')),
    sessionEndMessages: ['session.end'],
  },
};

const OPENAI: ProviderUnderTest = {
  name: 'openai',
  // Without a key (or VOICE_AGENT_URL) the service calls the strict local OpenAI-compatible server.
  env: { VOICE_AGENT_PROVIDER: 'openai', OPENAI_API_KEY: undefined, VOICE_AGENT_URL: undefined },
  wire: {
    audioFormats: (update) => ({
      input: at(sessionOf(update), 'audio', 'input', 'format', 'type'),
      output: at(sessionOf(update), 'audio', 'output', 'format', 'type'),
    }),
    voice: (update) => at(sessionOf(update), 'audio', 'output', 'voice'),
    audioAndVoice: (update) => present(at(sessionOf(update), 'audio'), at(sessionOf(update), 'voice')),
    // GA has no session.end: closing the socket ends the session.
    sessionEndMessages: [],
  },
};

/** Suites that exercise the call path run once per provider: describe.each(PROVIDERS_UNDER_TEST)('... ($name)', ...). */
export const PROVIDERS_UNDER_TEST: readonly ProviderUnderTest[] = [ASSEMBLYAI, OPENAI];

/** A per-provider table of what a suite expects where the wires legitimately differ. */
export type PerProvider<T> = Record<ProviderUnderTest['name'], T>;
