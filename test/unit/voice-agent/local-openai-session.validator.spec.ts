import {
  applyRealtimeSessionUpdate,
  defaultRealtimeSession,
  RealtimeSession,
} from '../../../src/voice-agent/local/local-openai-session.validator';

const tool = (name: string) => ({ type: 'function', name, description: name, parameters: { type: 'object', properties: {} } });

// The session after the first update a Twilio bridge sends.
const bridgeSession = (): RealtimeSession => {
  const check = applyRealtimeSessionUpdate(
    defaultRealtimeSession('sess_1', 'gpt-realtime', 0),
    {
      type: 'realtime',
      instructions: 'You are Avery.',
      audio: {
        input: { format: { type: 'audio/pcmu' }, turn_detection: { type: 'server_vad', interrupt_response: true } },
        output: { format: { type: 'audio/pcmu' }, voice: 'marin' },
      },
      tools: [tool('lookup_order')],
    },
    { voiceLocked: false },
  );
  if (!check.ok) throw new Error(check.problem.message);
  return check.value;
};

const update = (raw: unknown, current = bridgeSession(), voiceLocked = false) => applyRealtimeSessionUpdate(current, raw, { voiceLocked });

describe('local OpenAI Realtime session validation (GA shape)', () => {
  it('starts from the API defaults: pcm 24 kHz both ways, server VAD that answers and interrupts, no transcription', () => {
    expect(defaultRealtimeSession('sess_1', 'gpt-realtime', 123)).toMatchObject({
      type: 'realtime',
      object: 'realtime.session',
      id: 'sess_1',
      model: 'gpt-realtime',
      expires_at: 123,
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          transcription: null,
          turn_detection: { type: 'server_vad', create_response: true, interrupt_response: true },
        },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy' },
      },
      tools: [],
    });
  });

  it('needs session and session.type', () => {
    expect(update(undefined)).toEqual({
      ok: false,
      problem: { code: 'missing_required_parameter', message: "Missing required parameter: 'session'.", param: 'session' },
    });
    expect(update({ instructions: 'x' })).toEqual({
      ok: false,
      problem: { code: 'missing_required_parameter', message: "Missing required parameter: 'session.type'.", param: 'session.type' },
    });
    expect(update({ type: 'transcription' })).toMatchObject({ ok: false, problem: { code: 'invalid_value', param: 'session.type' } });
  });

  it.each([
    'voice',
    'turn_detection',
    'input_audio_format',
    'output_audio_format',
    'modalities',
    'input_audio_transcription',
    'temperature',
  ])('refuses the beta-era or unknown field session.%s', (field) => {
    expect(update({ type: 'realtime', [field]: 'anything' })).toEqual({
      ok: false,
      problem: { code: 'unknown_parameter', message: `Unknown parameter: 'session.${field}'.`, param: `session.${field}` },
    });
  });

  it('names unknown nested fields by their full path', () => {
    expect(update({ type: 'realtime', audio: { input: { format: { type: 'audio/pcmu' }, keyterms: [] } } })).toMatchObject({
      ok: false,
      problem: { code: 'unknown_parameter', param: 'session.audio.input.keyterms' },
    });
    expect(update({ type: 'realtime', tools: [{ ...tool('hold_music'), execution_mode: 'hold' }] })).toMatchObject({
      ok: false,
      problem: { code: 'unknown_parameter', param: 'session.tools[0].execution_mode' },
    });
    expect(update({ type: 'realtime', audio: { output: { format: { type: 'audio/pcmu', rate: 8000 } } } })).toMatchObject({
      ok: false,
      problem: { code: 'unknown_parameter', param: 'session.audio.output.format.rate' },
    });
  });

  it('changes only the fields sent: a handoff update without audio keeps the formats and the voice', () => {
    const current = bridgeSession();
    const check = update({ type: 'realtime', instructions: 'You are Bailey.', tools: [tool('check_billing')] }, current, true);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.value.instructions).toBe('You are Bailey.');
    expect(check.value.tools.map((entry) => entry.name)).toEqual(['check_billing']);
    expect(check.value.audio).toEqual(current.audio);
    expect(check.value.audio.input.format).toEqual({ type: 'audio/pcmu' });
  });

  it('merges audio.input and audio.output field by field', () => {
    const check = update({
      type: 'realtime',
      audio: { output: { speed: 1.2 }, input: { transcription: { model: 'gpt-4o-mini-transcribe' } } },
    });
    expect(check).toMatchObject({
      ok: true,
      value: {
        audio: {
          input: { format: { type: 'audio/pcmu' }, transcription: { model: 'gpt-4o-mini-transcribe' } },
          output: { format: { type: 'audio/pcmu' }, voice: 'marin', speed: 1.2 },
        },
      },
    });
  });

  it('replaces turn_detection with its type defaults plus the fields sent, and needs its type', () => {
    expect(
      update({ type: 'realtime', audio: { input: { turn_detection: { type: 'semantic_vad', create_response: false } } } }),
    ).toMatchObject({
      ok: true,
      value: {
        audio: { input: { turn_detection: { type: 'semantic_vad', eagerness: 'auto', create_response: false, interrupt_response: true } } },
      },
    });
    expect(update({ type: 'realtime', audio: { input: { turn_detection: null } } })).toMatchObject({
      ok: true,
      value: { audio: { input: { turn_detection: null } } },
    });
    expect(update({ type: 'realtime', audio: { input: { turn_detection: { create_response: false } } } })).toMatchObject({
      ok: false,
      problem: { code: 'missing_required_parameter', param: 'session.audio.input.turn_detection.type' },
    });
  });

  it('refuses a voice change once assistant audio exists, but not the same voice again', () => {
    const voice = (name: string) => ({ type: 'realtime', audio: { output: { voice: name } } });
    expect(update(voice('cedar'), bridgeSession(), false)).toMatchObject({ ok: true, value: { audio: { output: { voice: 'cedar' } } } });
    expect(update(voice('cedar'), bridgeSession(), true)).toMatchObject({
      ok: false,
      problem: { code: 'cannot_update_voice', param: 'session.audio.output.voice' },
    });
    expect(update(voice('marin'), bridgeSession(), true)).toMatchObject({ ok: true });
    expect(update(voice('ivy'))).toMatchObject({ ok: false, problem: { code: 'invalid_value', param: 'session.audio.output.voice' } });
  });

  it('checks tools: type required, function only, named, no duplicates; [] clears them', () => {
    const { type: _type, ...untyped } = tool('lookup_order');
    expect(update({ type: 'realtime', tools: [untyped] })).toMatchObject({
      ok: false,
      problem: { code: 'missing_required_parameter', param: 'session.tools[0].type' },
    });
    expect(update({ type: 'realtime', tools: [tool('a'), tool('a')] })).toMatchObject({
      ok: false,
      problem: { param: 'session.tools[1].name' },
    });
    expect(update({ type: 'realtime', tools: [] })).toMatchObject({ ok: true, value: { tools: [] } });
  });

  it('refuses a model change and leaves the current session untouched by any refusal', () => {
    const current = bridgeSession();
    const snapshot = structuredClone(current);
    expect(update({ type: 'realtime', model: 'gpt-realtime-mini' }, current)).toMatchObject({
      ok: false,
      problem: { param: 'session.model' },
    });
    // The instructions are valid, the format is not: nothing applies.
    expect(
      update({ type: 'realtime', instructions: 'Changed', audio: { output: { format: { type: 'audio/mp3' } } } }, current),
    ).toMatchObject({
      ok: false,
      problem: { code: 'invalid_value', param: 'session.audio.output.format.type' },
    });
    expect(current).toEqual(snapshot);
  });
});
