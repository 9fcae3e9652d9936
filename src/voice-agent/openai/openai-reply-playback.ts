import { base64DecodedLength } from '../../common/base64-length';
/**
 * The assistant item whose audio is playing to the caller and how much of it we relayed, so a
 * barge-in can cut the item in the model's context to what the caller heard
 * (conversation.item.truncate). Called for every audio chunk: counts without decoding.
 */

export interface ItemTruncation {
  itemId: string;
  audioEndMs: number;
}

export class ReplyPlayback {
  private itemId: string | undefined;
  private relayedBytes = 0;
  private muted = false;
  private truncated = false;

  constructor(private bytesPerMs: number) {}

  get currentItemId(): string | undefined {
    return this.itemId;
  }

  get relayedMs(): number {
    return this.relayedBytes / this.bytesPerMs;
  }

  /** Whether this chunk should be played; counted when it is. An undefined item id continues the current item. */
  relay(itemId: string | undefined, base64Audio: string): boolean {
    if (itemId !== undefined && itemId !== this.itemId) {
      this.itemId = itemId;
      this.relayedBytes = 0;
      this.muted = false;
      this.truncated = false;
    }
    if (this.muted) return false;
    this.relayedBytes += base64DecodedLength(base64Audio);
    return true;
  }

  /** The caller cut in and the server cancels the reply: its chunks still on the way are not played. */
  muteCurrentItem(): void {
    if (this.itemId !== undefined) this.muted = true;
  }

  /** The caller heard `heardMs` of the item now playing: where to cut it, once per item. */
  interrupt(heardMs: number): ItemTruncation | undefined {
    if (this.itemId === undefined || this.truncated) return undefined;
    this.truncated = true;
    this.muted = true;
    return { itemId: this.itemId, audioEndMs: truncationPoint(heardMs, this.relayedBytes, this.bytesPerMs) };
  }

  reset(bytesPerMs = this.bytesPerMs): void {
    this.bytesPerMs = bytesPerMs;
    this.itemId = undefined;
    this.relayedBytes = 0;
    this.muted = false;
    this.truncated = false;
  }
}

/** What the caller heard, never past what we relayed (the server refuses an end beyond the item's audio). */
export function truncationPoint(heardMs: number, relayedBytes: number, bytesPerMs: number): number {
  const relayedMs = Math.floor(relayedBytes / bytesPerMs);
  const heard = Number.isFinite(heardMs) ? Math.floor(heardMs) : relayedMs;
  return Math.max(0, Math.min(heard, relayedMs));
}
