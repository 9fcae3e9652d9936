import type { ListenMessage } from './listenConnection';
import { INITIAL_LISTEN_STATE, isListenActive, ListenEvent, ListenState, listenReducer, secondsReceived } from './listenState';

const run = (...events: ListenEvent[]): ListenState => events.reduce(listenReducer, INITIAL_LISTEN_STATE);
const message = (payload: ListenMessage): ListenEvent => ({ type: 'message', message: payload });
const listening = message({ type: 'listening', listenerId: 'L1', sampleRate: 8000 });
const frame = (caller = 0, agent = 0, samples = 800): ListenEvent => ({ type: 'frame', samples, levels: { caller, agent } });
const closed = (code: number, reason = ''): ListenEvent => ({ type: 'closed', code, reason });
const connected: ListenEvent[] = [{ type: 'start' }, { type: 'opened' }, listening];

describe('listenReducer', () => {
  it('starts idle, not active', () => {
    expect(INITIAL_LISTEN_STATE.phase).toBe('idle');
    expect(isListenActive('idle')).toBe(false);
  });

  it('connects, then listens once the service says so, with its listener id', () => {
    expect(run({ type: 'start' })).toMatchObject({ phase: 'connecting', opened: false });
    expect(run({ type: 'start' }, { type: 'opened' })).toMatchObject({ phase: 'connecting', opened: true });
    expect(run(...connected)).toMatchObject({ phase: 'listening', listenerId: 'L1', sampleRate: 8000 });
    expect(isListenActive('connecting')).toBe(true);
    expect(isListenActive('listening')).toBe(true);
  });

  it('counts the seconds of audio received and follows the levels', () => {
    const state = run(...connected, frame(0.5, 0), frame(0.8, 0.2), ...Array.from({ length: 10 }, () => frame(0, 0.1)));
    expect(state.samplesReceived).toBe(12 * 800);
    expect(secondsReceived(state)).toBe(1);
    expect(state.levels.agent).toBeGreaterThan(0);
    expect(run(...connected, frame(0.6, 0.3)).levels).toEqual({ caller: 0.6, agent: 0.3 });
  });

  it('says the call ended when the service does, and ignores the close that follows', () => {
    const state = run(...connected, frame(0.4), message({ type: 'ended', reason: 'supervisor-ended' }), closed(1000));
    expect(state).toMatchObject({ phase: 'ended', endReason: 'supervisor-ended', levels: { caller: 0, agent: 0 } });
    expect(secondsReceived(state)).toBe(0);
    expect(state.samplesReceived).toBe(800);
  });

  it('is refused with the service’s message for a call-state error, and ended for a call that has ended', () => {
    const notFound = message({ type: 'error', status: 404, code: 'call_not_found', message: 'No live call CA1' });
    expect(run({ type: 'start' }, { type: 'opened' }, notFound, closed(4404))).toMatchObject({
      phase: 'refused',
      detail: 'No live call CA1',
    });
    const ended = message({ type: 'error', status: 409, code: 'call_ended', message: 'The call has ended' });
    expect(run({ type: 'start' }, { type: 'opened' }, ended, closed(4409))).toMatchObject({ phase: 'ended' });
  });

  it('reads the close codes when no message came first', () => {
    const opened: ListenEvent[] = [{ type: 'start' }, { type: 'opened' }];
    expect(run(...opened, closed(4409)).phase).toBe('ended');
    expect(run(...opened, closed(4404)).phase).toBe('refused');
    expect(run(...opened, closed(4503)).detail).toMatch(/did not answer/);
    expect(run(...opened, closed(4400, 'supervisor is required'))).toMatchObject({ phase: 'refused', detail: 'supervisor is required' });
    expect(run(...opened, closed(4401)).phase).toBe('refused');
  });

  it('says a listener that fell behind was dropped as too slow', () => {
    expect(run(...connected, frame(), closed(4008, 'listener too slow'))).toMatchObject({ phase: 'too-slow', detail: 'listener too slow' });
  });

  it('calls a close before the socket opened a refusal (a refused upgrade), and one after it a lost connection', () => {
    expect(run({ type: 'start' }, closed(1006)).phase).toBe('refused');
    expect(run(...connected, frame(0.5), closed(1006))).toMatchObject({ phase: 'lost', levels: { caller: 0, agent: 0 } });
    expect(run(...connected, closed(1001, 'going away'))).toMatchObject({ phase: 'lost', detail: 'going away' });
  });

  it('stops when asked, and ignores what the old socket still sends', () => {
    const state = run(...connected, frame(0.5), { type: 'stop' }, frame(0.9), closed(1000), message({ type: 'ended', reason: 'hangup' }));
    expect(state).toMatchObject({ phase: 'stopped', samplesReceived: 800, levels: { caller: 0, agent: 0 } });
  });

  it('starts afresh when listening again', () => {
    const state = run(...connected, frame(0.5), closed(4008), { type: 'start' });
    expect(state).toEqual({ ...INITIAL_LISTEN_STATE, phase: 'connecting' });
  });

  it('ignores messages it does not know, and socket events while idle', () => {
    expect(run(...connected, message({ type: 'unknown' })).phase).toBe('listening');
    expect(run(frame(0.5), closed(1006), listening)).toBe(INITIAL_LISTEN_STATE);
  });

  it('keeps the audio problem beside the phase (the meters still work)', () => {
    const state = run(
      { type: 'start' },
      { type: 'audio-unavailable', message: 'no audio device' },
      { type: 'opened' },
      listening,
      frame(0.3),
    );
    expect(state).toMatchObject({ phase: 'listening', audioProblem: 'no audio device', samplesReceived: 800 });
  });
});
