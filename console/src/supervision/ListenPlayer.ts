import { earsOf, EarMode, LISTEN_SAMPLE_RATE, scheduleFrame, StereoFrame } from './listenAudio';

/**
 * Plays the listen socket's frames through the Web Audio API: each frame an AudioBuffer at the
 * stream's rate (the browser resamples), started back to back behind a small jitter buffer.
 * Made in a click handler, so the browser lets it play.
 */
export class ListenPlayer {
  private readonly context: AudioContext;
  private queuedUntil = 0;
  sampleRate = LISTEN_SAMPLE_RATE;

  constructor() {
    this.context = new AudioContext();
    void this.context.resume().catch(() => undefined);
  }

  play(frame: StereoFrame, mode: EarMode): void {
    const samples = frame.caller.length;
    if (samples === 0 || this.context.state === 'closed') return;
    const seconds = samples / this.sampleRate;
    const startAt = scheduleFrame(this.context.currentTime, this.queuedUntil, seconds);
    if (startAt === null) return;
    const buffer = this.context.createBuffer(2, samples, this.sampleRate);
    const [left, right] = earsOf(frame, mode);
    buffer.copyToChannel(left, 0);
    buffer.copyToChannel(right, 1);
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.context.destination);
    source.start(startAt);
    this.queuedUntil = startAt + seconds;
  }

  close(): void {
    if (this.context.state !== 'closed') void this.context.close().catch(() => undefined);
  }
}
