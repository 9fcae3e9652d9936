import { VoiceAgentCapabilities } from './voice-agent.types';

// PROTOCOL.md names ivy, james, sophie, claire and dawn; the rest follow the same lowercase
// catalog style. The real API rejects an unknown voice with session.error.
export const VOICE_AGENT_VOICES = ['ivy', 'james', 'sophie', 'claire', 'dawn', 'oliver', 'mia', 'leo', 'nora', 'grace'] as const;

export const DEFAULT_VOICE = 'ivy';

export const ASSEMBLYAI_CAPABILITIES: VoiceAgentCapabilities = {
  voices: VOICE_AGENT_VOICES,
  defaultVoice: DEFAULT_VOICE,
  voiceChangeMidSession: false,
};

/** The voice an agent speaks with on this provider: its own when the provider has it, else the provider's default. */
export function voiceOn(capabilities: VoiceAgentCapabilities, voice: string): string {
  return capabilities.voices.includes(voice) ? voice : capabilities.defaultVoice;
}
