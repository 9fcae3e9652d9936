import { admitCall, AdmissionState } from '../../../src/sessions/call-admission';

describe('admitCall', () => {
  const state = (overrides: Partial<AdmissionState> = {}): AdmissionState => ({
    draining: false,
    liveCalls: 0,
    maxLiveCalls: 0,
    eventLoopLagMs: 5,
    maxEventLoopLagMs: 100,
    ...overrides,
  });

  it('admits while there is room', () => {
    expect(admitCall(state({ liveCalls: 500 }))).toEqual({ admitted: true });
    expect(admitCall(state({ liveCalls: 9, maxLiveCalls: 10 }))).toEqual({ admitted: true });
  });

  it('refuses when draining, at the live-call limit, or when the event loop lags', () => {
    expect(admitCall(state({ draining: true }))).toEqual({ admitted: false, reason: 'draining' });
    expect(admitCall(state({ liveCalls: 10, maxLiveCalls: 10 }))).toEqual({ admitted: false, reason: 'at-capacity' });
    expect(admitCall(state({ eventLoopLagMs: 250 }))).toEqual({ admitted: false, reason: 'overloaded' });
  });

  it('ignores lag when that check is off', () => {
    expect(admitCall(state({ eventLoopLagMs: 5000, maxEventLoopLagMs: 0 }))).toEqual({ admitted: true });
  });
});
