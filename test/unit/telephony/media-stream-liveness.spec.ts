import { streamLiveness } from '../../../src/telephony/media-stream-liveness';

describe('streamLiveness', () => {
  const idleTimeoutMs = 8000;

  it('gives a new socket until the idle timeout to send start', () => {
    expect(streamLiveness({ now: 8000, openedAt: 0 }, idleTimeoutMs)).toBe('alive');
    expect(streamLiveness({ now: 8001, openedAt: 0 }, idleTimeoutMs)).toBe('never-started');
  });

  it('counts from start, not from the socket opening, for a stream that started late', () => {
    expect(streamLiveness({ now: 15_000, openedAt: 0, startedAt: 7900 }, idleTimeoutMs)).toBe('alive');
    expect(streamLiveness({ now: 15_901, openedAt: 0, startedAt: 7900 }, idleTimeoutMs)).toBe('media-stopped');
  });

  it('keeps a stream alive while audio arrives, and gives it up once audio stops', () => {
    expect(streamLiveness({ now: 60_000, openedAt: 0, startedAt: 100, lastMediaAt: 59_980 }, idleTimeoutMs)).toBe('alive');
    expect(streamLiveness({ now: 60_000, openedAt: 0, startedAt: 100, lastMediaAt: 51_999 }, idleTimeoutMs)).toBe('media-stopped');
  });
});
