/**
 * Whether a Media Stream is still a call. Twilio sends `start` at once and then caller audio
 * every 20 ms for as long as the call lasts, silence included; a socket that does neither
 * holds a place and a slot for nothing.
 */
export type StreamLiveness = 'alive' | 'never-started' | 'media-stopped';

export interface StreamActivity {
  now: number;
  openedAt: number;
  /** When `start` arrived; undefined while none has. */
  startedAt?: number;
  lastMediaAt?: number;
}

export function streamLiveness(stream: StreamActivity, idleTimeoutMs: number): StreamLiveness {
  if (stream.startedAt === undefined) return stream.now - stream.openedAt > idleTimeoutMs ? 'never-started' : 'alive';
  const lastSign = Math.max(stream.startedAt, stream.lastMediaAt ?? stream.startedAt);
  return stream.now - lastSign > idleTimeoutMs ? 'media-stopped' : 'alive';
}
