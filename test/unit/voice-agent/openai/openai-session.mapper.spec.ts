import {
  greetingInstructions,
  keytermsPrompt,
  openAiVoice,
  outputBytesPerMs,
  realtimeSessionFrom,
  realtimeSessionPatchFrom,
} from '../../../../src/voice-agent/openai/openai-session.mapper';
import { ProviderTool, SessionConfig } from '../../../../src/voice-agent/voice-agent.types';

const tool = (name: string): ProviderTool => ({
  type: 'function',
  name,
  description: `${name} tool`,
  parameters: { type: 'object', properties: {} },
  execution_mode: 'hold',
  timeout_seconds: 30,
});

const sessionConfig = (overrides: Partial<SessionConfig> = {}): SessionConfig => ({
  system_prompt: 'You are the triage agent.',
  greeting: 'Hi, this is Avery. How can I help?',
  tools: [tool('lookup_order')],
  input: {
    format: { encoding: 'audio/pcmu' },
    keyterms: ['ORD', 'refund'],
    turn_detection: { vad_threshold: 0.6, min_silence: 800, max_silence: 2500, interrupt_response: true },
  },
  output: { voice: 'coral', format: { encoding: 'audio/pcmu' } },
  ...overrides,
});

describe('realtimeSessionFrom', () => {
  it('builds the GA session: pcmu both ways, server VAD, GA function tools', () => {
    expect(realtimeSessionFrom(sessionConfig(), { transcriptionModel: 'gpt-4o-transcribe' })).toEqual({
      type: 'realtime',
      instructions: 'You are the triage agent.',
      output_modalities: ['audio'],
      audio: {
        input: {
          format: { type: 'audio/pcmu' },
          transcription: { model: 'gpt-4o-transcribe', prompt: 'Terms that may come up: ORD, refund.' },
          turn_detection: {
            type: 'server_vad',
            threshold: 0.6,
            prefix_padding_ms: 300,
            silence_duration_ms: 800,
            create_response: true,
            interrupt_response: true,
          },
        },
        output: { format: { type: 'audio/pcmu' }, voice: 'coral' },
      },
      tools: [{ type: 'function', name: 'lookup_order', description: 'lookup_order tool', parameters: { type: 'object', properties: {} } }],
      tool_choice: 'auto',
    });
  });

  it('defaults what the config leaves out, and never sends beta-era or AssemblyAI-only fields', () => {
    const session = realtimeSessionFrom({ system_prompt: 'p' });
    expect(session.audio.input.format).toEqual({ type: 'audio/pcmu' });
    expect(session.audio.output.format).toEqual({ type: 'audio/pcmu' });
    expect(session.audio.input.transcription).toEqual({ model: 'gpt-4o-mini-transcribe' });
    expect(session.audio.input.turn_detection).toMatchObject({ threshold: 0.5, silence_duration_ms: 500, interrupt_response: true });
    expect(session.audio.output.voice).toBe('marin');
    expect(session.tools).toEqual([]);
    const text = JSON.stringify(realtimeSessionFrom(sessionConfig()));
    expect(text).toContain('"voice":"coral"');
    for (const field of [
      'input_audio_format',
      'output_audio_format',
      '"modalities"',
      'execution_mode',
      'timeout_seconds',
      'max_silence',
      'greeting',
    ]) {
      expect(text).not.toContain(field);
    }
  });

  it('keeps the threshold in range and honours interrupt_response false', () => {
    const vad = (turn_detection: NonNullable<SessionConfig['input']>['turn_detection']) =>
      realtimeSessionFrom(sessionConfig({ input: { turn_detection } })).audio.input.turn_detection;
    expect(vad({ vad_threshold: 3 }).threshold).toBe(1);
    expect(vad({ vad_threshold: -1 }).threshold).toBe(0);
    expect(vad({ vad_threshold: Number.NaN }).threshold).toBe(0.5);
    expect(vad({ interrupt_response: false }).interrupt_response).toBe(false);
    expect(vad({ min_silence: 612.4 }).silence_duration_ms).toBe(612);
  });

  it('maps audio/pcm to 24 kHz PCM for completeness', () => {
    const session = realtimeSessionFrom(
      sessionConfig({ input: { format: { encoding: 'audio/pcm' } }, output: { format: { encoding: 'audio/pcm' } } }),
    );
    expect(session.audio.input.format).toEqual({ type: 'audio/pcm', rate: 24000 });
    expect(session.audio.output.format).toEqual({ type: 'audio/pcm', rate: 24000 });
    expect(outputBytesPerMs(sessionConfig())).toBe(8);
    expect(outputBytesPerMs(sessionConfig({ output: { format: { encoding: 'audio/pcm' } } }))).toBe(48);
  });
});

describe('realtimeSessionPatchFrom (a handoff)', () => {
  it('carries type, instructions and tools only: no audio, no voice', () => {
    const patch = realtimeSessionPatchFrom({
      system_prompt: 'You are the billing agent.',
      tools: [tool('check_billing')],
      input: { keyterms: ['invoice'], turn_detection: { vad_threshold: 0.9 } },
      output: { voice: 'ash', volume: 0.5 },
    });
    expect(patch).toEqual({
      type: 'realtime',
      instructions: 'You are the billing agent.',
      tools: [
        { type: 'function', name: 'check_billing', description: 'check_billing tool', parameters: { type: 'object', properties: {} } },
      ],
    });
    expect(patch).not.toHaveProperty('audio');
    expect(JSON.stringify(patch)).not.toContain('voice');
  });

  it('sends an empty tool list to clear the tools, and nothing when nothing changes', () => {
    expect(realtimeSessionPatchFrom({ tools: [] })).toEqual({ type: 'realtime', tools: [] });
    expect(realtimeSessionPatchFrom({ output: { voice: 'ash' } })).toBeUndefined();
    expect(realtimeSessionPatchFrom({ input: { keyterms: ['x'] } })).toBeUndefined();
  });
});

describe('greeting, voice and keyterms', () => {
  it('turns the greeting into response instructions, or none', () => {
    expect(greetingInstructions('Hi, this is Avery.')).toBe('Say exactly: "Hi, this is Avery."');
    expect(greetingInstructions(undefined)).toBeUndefined();
    expect(greetingInstructions('  ')).toBeUndefined();
  });

  it('keeps an OpenAI voice and replaces another provider’s', () => {
    expect(openAiVoice('cedar')).toBe('cedar');
    expect(openAiVoice('ivy')).toBe('marin');
    expect(openAiVoice(undefined)).toBe('marin');
  });

  it('folds keyterms into the transcription prompt', () => {
    expect(keytermsPrompt(undefined)).toBeUndefined();
    expect(keytermsPrompt([' ', ''])).toBeUndefined();
    expect(keytermsPrompt(['ORD', ' refund '])).toBe('Terms that may come up: ORD, refund.');
    const many = Array.from({ length: 150 }, (_, index) => `t${index}`);
    expect(keytermsPrompt(many)).toContain('t99.');
    expect(keytermsPrompt(many)).not.toContain('t100');
  });
});
