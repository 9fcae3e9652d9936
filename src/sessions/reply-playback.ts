import { base64DecodedLength } from '../common/base64-length';
/**
 * How much of the reply now playing the caller has actually heard. Twilio plays our audio from
 * its own buffer, so "sent" is not "heard": a mark goes after every chunk, named with the
 * reply's generation and its position in the reply, and Twilio echoes it once the audio before
 * it has played (or at once when a clear dropped it). Called for every outbound chunk: counts
 * without decoding and builds one short string.
 */

/** G.711 mu-law at 8 kHz: one byte per sample. */
const MULAW_BYTES_PER_MS = 8;
const MARK_PREFIX = 'reply-';

/** Where a reply stood when the caller cut in. */
export interface PlaybackPosition {
  /** Audio of the reply Twilio has played, by its echoed marks. */
  heardMs: number;
  /** Audio of the reply sent to Twilio. */
  sentMs: number;
}

export class ReplyPlaybackTracker {
  private generation = 0;
  private markPrefix = `${MARK_PREFIX}0@`;
  private sentBytes = 0;
  private playedMs = 0;

  get heardMs(): number {
    return this.playedMs;
  }

  get sentMs(): number {
    return Math.floor(this.sentBytes / MULAW_BYTES_PER_MS);
  }

  /** Audio sent whose mark has not come back yet: still in Twilio's buffer, or on its way there. */
  get unplayedMs(): number {
    return Math.max(0, this.sentMs - this.playedMs);
  }

  /** A new reply: its audio counts from zero, and marks of earlier replies no longer count. */
  startReply(): void {
    this.nextGeneration();
  }

  /** Counts a chunk sent to Twilio; returns the name of the mark to send right after it. */
  audioSent(base64Audio: string): string {
    this.sentBytes += base64DecodedLength(base64Audio);
    return this.markPrefix + this.sentMs;
  }

  /** An echoed mark; true when it moved the played position of the current reply. */
  markEchoed(name: string): boolean {
    if (!name.startsWith(this.markPrefix)) return false;
    const position = Number(name.slice(this.markPrefix.length));
    if (!Number.isFinite(position) || position <= this.playedMs) return false;
    this.playedMs = position;
    return true;
  }

  /**
   * Twilio's buffer was cleared (barge-in): where the reply stood. Twilio echoes every mark still
   * pending when it clears, so the generation moves on and those echoes are ignored.
   */
  clear(): PlaybackPosition {
    const position = { heardMs: this.playedMs, sentMs: this.sentMs };
    this.nextGeneration();
    return position;
  }

  private nextGeneration(): void {
    this.generation += 1;
    this.markPrefix = `${MARK_PREFIX}${this.generation}@`;
    this.sentBytes = 0;
    this.playedMs = 0;
  }
}
