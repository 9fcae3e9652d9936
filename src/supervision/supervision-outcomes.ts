import { SupervisorEndResult, TakeoverResult } from '../sessions/call-supervision.ports';
import { SupervisionOutcome, SupervisionRefusalStatus } from './supervision-command.types';

export function succeeded(value: Record<string, unknown>): SupervisionOutcome {
  return { ok: true, value };
}

export function refused(status: SupervisionRefusalStatus, code: string, message: string, field?: string): SupervisionOutcome {
  return { ok: false, status, code, message, ...(field ? { field } : {}) };
}

export function callEnded(callSid: string): SupervisionOutcome {
  return refused(409, 'call_ended', `Call ${callSid} has ended: there is nothing live to supervise.`);
}

export function callNotFound(callSid: string): SupervisionOutcome {
  return refused(404, 'call_not_found', `No call ${callSid} is known.`);
}

export function callUnreachable(callSid: string): SupervisionOutcome {
  return refused(503, 'call_unreachable', `The instance holding call ${callSid} did not answer; try again in a moment.`);
}

/** A takeover's result as the API answers it. */
export function takeoverOutcome(callSid: string, result: TakeoverResult): SupervisionOutcome {
  if (result.ok) return succeeded({ callSid, to: result.to, status: result.status });
  switch (result.code) {
    case 'unknown_department':
      return refused(400, 'validation_failed', result.message, 'to');
    case 'already_there':
      return refused(409, 'already_there', result.message);
    case 'transfer_failed':
      return refused(
        502,
        'transfer_failed',
        `The transfer to a person could not be placed; the caller is still with the agent (${result.message}).`,
      );
    case 'call_ending':
      return callEnded(callSid);
  }
}

export function endOutcome(callSid: string, result: SupervisorEndResult): SupervisionOutcome {
  return result.ok ? succeeded({ callSid, mode: result.mode, status: result.status }) : callEnded(callSid);
}
