const MULAW_BYTES_PER_MS = 8;

interface PendingMark {
  name: string;
  dueAt: number;
}

export interface ClearedPlayback {
  droppedMs: number;
  marks: string[];
}

/**
 * Twilio plays the service's audio in real time and answers a mark once the audio queued
 * before it has played. Audio reaching an idle stream starts playing `playoutDelayMs` later
 * (Twilio's jitter buffer), so even audio sent in real time is not heard the moment it is sent.
 * Time is passed in (ms, any monotonic origin) so this stays pure.
 */
export class OutboundPlaybackClock {
  private queueEndsAt = Number.NEGATIVE_INFINITY;
  /** When the audio now queued starts (or started) playing. */
  private playsFrom = Number.NEGATIVE_INFINITY;
  private pendingMarks: PendingMark[] = [];
  private receivedMs = 0;
  private droppedMs = 0;

  constructor(private readonly playoutDelayMs = 0) {}

  enqueueAudio(bytes: number, now: number): void {
    const durationMs = bytes / MULAW_BYTES_PER_MS;
    if (this.queueEndsAt < now) {
      this.playsFrom = now + this.playoutDelayMs;
      this.queueEndsAt = this.playsFrom;
    }
    this.queueEndsAt += durationMs;
    this.receivedMs += durationMs;
  }

  enqueueMark(name: string, now: number): void {
    this.pendingMarks.push({ name, dueAt: Math.max(now, this.queueEndsAt) });
  }

  /** Marks whose audio has played by `now`, in the order they were sent. */
  takeDueMarks(now: number): string[] {
    const dueCount = this.pendingMarks.findIndex((mark) => mark.dueAt > now);
    const due = this.pendingMarks.splice(0, dueCount === -1 ? this.pendingMarks.length : dueCount);
    return due.map((mark) => mark.name);
  }

  clear(now: number): ClearedPlayback {
    const droppedMs = this.queuedMs(now);
    this.droppedMs += droppedMs;
    this.queueEndsAt = now;
    this.playsFrom = now;
    const marks = this.pendingMarks.map((mark) => mark.name);
    this.pendingMarks = [];
    return { droppedMs, marks };
  }

  nextMarkDueAt(): number | undefined {
    return this.pendingMarks[0]?.dueAt;
  }

  queuedMs(now: number): number {
    return Math.max(0, this.queueEndsAt - Math.max(now, this.playsFrom));
  }

  pendingMarkNames(): string[] {
    return this.pendingMarks.map((mark) => mark.name);
  }

  totals(now: number): { receivedMs: number; droppedMs: number; playedMs: number; queuedMs: number } {
    const queuedMs = this.queuedMs(now);
    return { receivedMs: this.receivedMs, droppedMs: this.droppedMs, playedMs: this.receivedMs - this.droppedMs - queuedMs, queuedMs };
  }
}
