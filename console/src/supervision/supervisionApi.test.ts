import { ApiError } from '../api/client';
import { errorText, isCallEnded } from './supervisionApi';
import { supervisorLabel } from './types';

describe('supervision API errors', () => {
  it('knows a call that has ended (409 call_ended) from other conflicts', () => {
    expect(isCallEnded(new ApiError(409, { status: 409, code: 'call_ended', message: 'The call has ended' }))).toBe(true);
    expect(isCallEnded(new ApiError(409, { status: 409, code: 'already_there', message: 'Already with billing' }))).toBe(false);
    expect(isCallEnded(new Error('call_ended'))).toBe(false);
  });

  it('shows a validation failure by its field messages, else the service’s message', () => {
    const unknownDepartment = new ApiError(400, {
      status: 400,
      code: 'validation_failed',
      message: 'Validation failed',
      fields: [{ field: 'to', messages: ['No department "sales"'] }],
    });
    expect(errorText(unknownDepartment)).toBe('No department "sales"');
    expect(errorText(new ApiError(502, { status: 502, code: 'transfer_failed', message: 'Twilio refused the transfer' }))).toBe(
      'Twilio refused the transfer',
    );
    expect(errorText(new TypeError('Failed to fetch'))).toBe('Failed to fetch');
  });
});

describe('supervisorLabel', () => {
  it('names the supervisor with the role', () => {
    expect(supervisorLabel({ name: 'Dana', role: 'admin' })).toBe('Dana (admin)');
    expect(supervisorLabel({ name: 'Dana' })).toBe('Dana');
    expect(supervisorLabel(undefined)).toBe('Someone');
  });
});
