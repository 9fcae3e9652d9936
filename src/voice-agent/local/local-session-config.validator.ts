import { ProviderTool, SessionConfig } from '../voice-agent.types';
import { DEFAULT_VOICE } from '../voice-agent.voices';

// How the local provider judges a session.update, with the error codes PROTOCOL.md lists.

export interface ConfigProblem {
  code: 'invalid_config' | 'invalid_value' | 'invalid_format' | 'immutable_field';
  message: string;
  param?: string;
}

export type ConfigCheck = { ok: true; config: SessionConfig } | { ok: false; problem: ConfigProblem };

const ENCODINGS = ['audio/pcmu', 'audio/pcm'];

export function validateInitialSession(raw: unknown, voices: readonly string[]): ConfigCheck {
  const session = asObject(raw);
  if (!session) return problem('invalid_config', 'session.update needs a "session" object', 'session');
  if (typeof session.agent_id === 'string') {
    return problem(
      'invalid_config',
      'stored agents (agent_id) are not available on the local provider; send the config inline',
      'agent_id',
    );
  }
  const shape = checkShape(session, voices);
  if (shape) return { ok: false, problem: shape };
  const config = session as unknown as SessionConfig;
  return {
    ok: true,
    config: {
      ...config,
      system_prompt: config.system_prompt ?? '',
      tools: config.tools ?? [],
      output: { ...config.output, voice: config.output?.voice ?? DEFAULT_VOICE },
    },
  };
}

// Returns the config after the update; greeting, voice and output format cannot change.
export function applySessionUpdate(current: SessionConfig, raw: unknown, voices: readonly string[]): ConfigCheck {
  const update = asObject(raw);
  if (!update) return problem('invalid_config', 'session.update needs a "session" object', 'session');
  const shape = checkShape(update, voices);
  if (shape) return { ok: false, problem: shape };

  if (update.greeting !== undefined && update.greeting !== current.greeting) {
    return problem('immutable_field', 'greeting cannot change after the session started', 'greeting');
  }
  const output = asObject(update.output);
  if (output?.voice !== undefined && output.voice !== (current.output?.voice ?? DEFAULT_VOICE)) {
    return problem('immutable_field', 'output.voice cannot change after the session started', 'output.voice');
  }
  const format = asObject(output?.format);
  if (format && format.encoding !== (current.output?.format?.encoding ?? 'audio/pcm')) {
    return problem('immutable_field', 'output.format cannot change after the session started', 'output.format');
  }

  const next: SessionConfig = { ...current };
  if (typeof update.system_prompt === 'string') next.system_prompt = update.system_prompt;
  if (Array.isArray(update.tools)) next.tools = update.tools as ProviderTool[];
  const input = asObject(update.input);
  if (input) {
    next.input = { ...current.input };
    if (Array.isArray(input.keyterms)) next.input.keyterms = input.keyterms as string[];
    if (asObject(input.turn_detection))
      next.input.turn_detection = { ...current.input?.turn_detection, ...(input.turn_detection as object) };
  }
  if (typeof output?.volume === 'number') next.output = { ...current.output, volume: output.volume };
  return { ok: true, config: next };
}

function checkShape(session: Record<string, unknown>, voices: readonly string[]): ConfigProblem | undefined {
  if (session.system_prompt !== undefined && typeof session.system_prompt !== 'string') {
    return { code: 'invalid_value', message: 'system_prompt must be a string', param: 'system_prompt' };
  }
  if (session.greeting !== undefined && typeof session.greeting !== 'string') {
    return { code: 'invalid_value', message: 'greeting must be a string', param: 'greeting' };
  }
  if (session.tools !== undefined) {
    if (!Array.isArray(session.tools)) return { code: 'invalid_config', message: 'tools must be an array', param: 'tools' };
    const names = new Set<string>();
    for (const [index, entry] of session.tools.entries()) {
      const tool = asObject(entry);
      if (!tool || tool.type !== 'function') {
        return { code: 'invalid_config', message: `tools[${index}] needs "type": "function"`, param: `tools[${index}].type` };
      }
      if (typeof tool.name !== 'string' || tool.name === '') {
        return { code: 'invalid_config', message: `tools[${index}] needs a name`, param: `tools[${index}].name` };
      }
      if (names.has(tool.name)) return { code: 'invalid_config', message: `duplicate tool ${tool.name}`, param: `tools[${index}].name` };
      names.add(tool.name);
    }
  }
  const input = asObject(session.input);
  const output = asObject(session.output);
  for (const [side, section] of [
    ['input', input],
    ['output', output],
  ] as const) {
    const encoding = asObject(section?.format)?.encoding;
    if (encoding !== undefined && !ENCODINGS.includes(encoding as string)) {
      return {
        code: 'invalid_format',
        message: `${side}.format.encoding must be one of ${ENCODINGS.join(', ')}`,
        param: `${side}.format.encoding`,
      };
    }
  }
  if (input?.keyterms !== undefined && (!Array.isArray(input.keyterms) || input.keyterms.length > 100)) {
    return { code: 'invalid_value', message: 'input.keyterms must be an array of at most 100 terms', param: 'input.keyterms' };
  }
  if (output?.voice !== undefined && (typeof output.voice !== 'string' || !voices.includes(output.voice))) {
    return { code: 'invalid_value', message: `unknown voice ${JSON.stringify(output.voice)}`, param: 'output.voice' };
  }
  return undefined;
}

function problem(code: ConfigProblem['code'], message: string, param?: string): ConfigCheck {
  return { ok: false, problem: { code, message, param } };
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
