import { SUPERVISOR_END_MODES, SupervisorEndMode } from '../call-journal/call-event.types';
import { Supervisor } from '../sessions/call-supervision.ports';
import { SupervisionCommand, SupervisionOutcome } from './supervision-command.types';

/** A command on its way to the instance holding the call, and where to send the answer. */
export interface CommandEnvelope {
  requestId: string;
  replyTo: string;
  callSid: string;
  command: SupervisionCommand;
}

export interface ReplyEnvelope {
  requestId: string;
  outcome: SupervisionOutcome;
}

type Fields = Record<string, unknown>;

const isRecord = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

function supervisorOf(value: unknown): Supervisor | undefined {
  if (!isRecord(value) || !isText(value.name) || (value.role !== 'supervisor' && value.role !== 'admin')) return undefined;
  return { role: value.role, name: value.name };
}

/** The command as it must be, or undefined: messages come from other instances over Redis and are checked like any input. */
export function commandOf(value: unknown): SupervisionCommand | undefined {
  if (!isRecord(value)) return undefined;
  if (value.kind === 'status') return { kind: 'status' };
  const by = supervisorOf(value.by);
  if (!by) return undefined;
  switch (value.kind) {
    case 'whisper':
      return isText(value.text) ? { kind: 'whisper', text: value.text, by } : undefined;
    case 'withdraw-whisper':
      return isText(value.noteId) ? { kind: 'withdraw-whisper', noteId: value.noteId, by } : undefined;
    case 'takeover':
      return isText(value.to) ? { kind: 'takeover', to: value.to, by } : undefined;
    case 'end':
      return SUPERVISOR_END_MODES.includes(value.mode as SupervisorEndMode)
        ? { kind: 'end', mode: value.mode as SupervisorEndMode, by }
        : undefined;
    case 'listen':
      return isText(value.listenerId) && typeof value.leaseMs === 'number' && value.leaseMs > 0
        ? { kind: 'listen', listenerId: value.listenerId, by, leaseMs: value.leaseMs }
        : undefined;
    case 'stop-listening':
      return isText(value.listenerId) ? { kind: 'stop-listening', listenerId: value.listenerId, by } : undefined;
    default:
      return undefined;
  }
}

function parse(message: string): unknown {
  try {
    return JSON.parse(message);
  } catch {
    return undefined;
  }
}

export function parseCommandEnvelope(message: string): CommandEnvelope | undefined {
  const value = parse(message);
  if (!isRecord(value) || !isText(value.requestId) || !isText(value.replyTo) || !isText(value.callSid)) return undefined;
  const command = commandOf(value.command);
  return command ? { requestId: value.requestId, replyTo: value.replyTo, callSid: value.callSid, command } : undefined;
}

export function parseReplyEnvelope(message: string): ReplyEnvelope | undefined {
  const value = parse(message);
  if (!isRecord(value) || !isText(value.requestId) || !isRecord(value.outcome)) return undefined;
  const outcome = value.outcome;
  if (outcome.ok === true && isRecord(outcome.value)) return { requestId: value.requestId, outcome: { ok: true, value: outcome.value } };
  if (outcome.ok === false && typeof outcome.status === 'number' && isText(outcome.code) && typeof outcome.message === 'string') {
    return { requestId: value.requestId, outcome: outcome as SupervisionOutcome };
  }
  return undefined;
}
