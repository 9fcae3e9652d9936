import { base64DecodedLength } from '../../common/base64-length';
import { CallAudioTap } from '../../sessions/call-supervision.ports';
import { LEG_BYTES_PER_FRAME, LISTEN_FRAME_BYTES, LISTEN_FRAME_MS, LISTEN_SAMPLE_RATE } from './listen-frame.codec';
import { MU_LAW_SILENCE } from './mu-law.codec';

/** A FIFO of mu-law bytes with a fixed capacity: beyond it the oldest bytes go. */
export class MuLawQueue {
  private readonly bytes: Buffer;
  private start = 0;
  private length = 0;

  constructor(readonly capacity: number) {
    this.bytes = Buffer.alloc(capacity);
  }

  get size(): number {
    return this.length;
  }

  push(audio: Uint8Array): void {
    const kept = audio.length > this.capacity ? audio.subarray(audio.length - this.capacity) : audio;
    const overflow = this.length + kept.length - this.capacity;
    if (overflow > 0) this.drop(overflow);
    let end = (this.start + this.length) % this.capacity;
    let copied = 0;
    while (copied < kept.length) {
      const run = Math.min(kept.length - copied, this.capacity - end);
      this.bytes.set(kept.subarray(copied, copied + run), end);
      copied += run;
      end = (end + run) % this.capacity;
    }
    this.length += kept.length;
  }

  /** Moves `count` bytes into `target` at `offset`, silence where the queue runs short. Returns the bytes there were. */
  takeInto(target: Buffer, offset: number, count: number): number {
    const taken = Math.min(count, this.length);
    let copied = 0;
    while (copied < taken) {
      const run = Math.min(taken - copied, this.capacity - this.start);
      this.bytes.copy(target, offset + copied, this.start, this.start + run);
      copied += run;
      this.start = (this.start + run) % this.capacity;
    }
    this.length -= taken;
    if (taken < count) target.fill(MU_LAW_SILENCE, offset + taken, offset + count);
    return taken;
  }

  drop(count: number): void {
    const dropped = Math.min(count, this.length);
    this.start = (this.start + dropped) % this.capacity;
    this.length -= dropped;
  }

  clear(): void {
    this.start = 0;
    this.length = 0;
  }
}

/**
 * One leg as the tap hands it over: base64 strings queued untouched (the tap runs on the relay
 * path), decoded into the byte queue at the next frame.
 */
class LegAudio {
  readonly queue: MuLawQueue;
  private pending: string[] = [];
  private pendingBytes = 0;

  constructor(capacityBytes: number) {
    this.queue = new MuLawQueue(capacityBytes);
  }

  add(base64Audio: string): void {
    this.pending.push(base64Audio);
    this.pendingBytes += base64DecodedLength(base64Audio);
    // Only when frames stall: what is over the queue's capacity would be dropped anyway.
    while (this.pending.length > 1 && this.pendingBytes - base64DecodedLength(this.pending[0]) >= this.queue.capacity) {
      this.pendingBytes -= base64DecodedLength(this.pending.shift() as string);
    }
  }

  decodePending(): void {
    if (this.pending.length === 0) return;
    for (const base64Audio of this.pending) this.queue.push(Buffer.from(base64Audio, 'base64'));
    this.pending = [];
    this.pendingBytes = 0;
  }

  clear(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.queue.clear();
  }
}

export interface CallAudioMixerLimits {
  /** Caller audio arrives in real time: more than this queued means frames stalled, and the oldest goes. */
  callerQueueMs: number;
  /** Agent audio arrives ahead of real time (a whole reply in a burst); what Twilio would still be playing. */
  agentQueueMs: number;
  /** After a stall (event loop, timer) at most this many late frames go out at once; older audio is skipped. */
  maxCatchUpFrames: number;
}

const DEFAULT_LIMITS: CallAudioMixerLimits = { callerQueueMs: 1000, agentQueueMs: 60_000, maxCatchUpFrames: 10 };
const bytesFor = (ms: number) => (LISTEN_SAMPLE_RATE * ms) / 1000;

/**
 * A call's two legs as the caller heard them, paced to real time: every 100 ms one frame takes at
 * most 800 bytes from each leg (silence where a leg is short), so agent audio sent ahead of real
 * time comes out as it was played, and a barge-in drops what the caller never heard.
 */
export class CallAudioMixer implements CallAudioTap {
  private readonly caller: LegAudio;
  private readonly agent: LegAudio;
  private readonly limits: CallAudioMixerLimits;
  private framesTaken = 0;

  /** `startedAt`: when the first frame's 100 ms began (ms, the clock later passed to takeDueFrames). */
  constructor(
    private readonly startedAt: number,
    limits: Partial<CallAudioMixerLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.caller = new LegAudio(bytesFor(this.limits.callerQueueMs));
    this.agent = new LegAudio(bytesFor(this.limits.agentQueueMs));
  }

  callerAudio(base64Audio: string): void {
    this.caller.add(base64Audio);
  }

  agentAudio(base64Audio: string): void {
    this.agent.add(base64Audio);
  }

  agentAudioCleared(): void {
    this.agent.clear();
  }

  /** The frames whose 100 ms have passed by `now`, counted from the start so timer lateness never accumulates. */
  takeDueFrames(now: number): Buffer[] {
    let due = Math.floor((now - this.startedAt) / LISTEN_FRAME_MS) - this.framesTaken;
    if (due <= 0) return [];
    this.caller.decodePending();
    this.agent.decodePending();
    if (due > this.limits.maxCatchUpFrames) {
      const skipped = due - this.limits.maxCatchUpFrames;
      this.caller.queue.drop(skipped * LEG_BYTES_PER_FRAME);
      this.agent.queue.drop(skipped * LEG_BYTES_PER_FRAME);
      this.framesTaken += skipped;
      due = this.limits.maxCatchUpFrames;
    }
    const frames: Buffer[] = [];
    for (let index = 0; index < due; index++) {
      const frame = Buffer.allocUnsafe(LISTEN_FRAME_BYTES);
      this.caller.queue.takeInto(frame, 0, LEG_BYTES_PER_FRAME);
      this.agent.queue.takeInto(frame, LEG_BYTES_PER_FRAME, LEG_BYTES_PER_FRAME);
      frames.push(frame);
    }
    this.framesTaken += due;
    return frames;
  }
}
