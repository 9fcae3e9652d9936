import { performance } from 'node:perf_hooks';

/*
 * The bench's audio payload: 160 bytes of "mu-law" (one 20 ms frame) whose first bytes carry
 * who sent it, its sequence number and when. Every process on the machine reads the same
 * clock (performance.timeOrigin + performance.now()), so receive time minus the embedded
 * send time is the one-way latency through whatever sits between the two peers.
 *
 *   byte 0      magic: AUDIO, or LAST (the sender's final frame of the stream)
 *   bytes 1-4   uint32 BE call index
 *   bytes 5-8   uint32 BE sequence number (0-based, per stream and direction)
 *   bytes 9-16  float64 BE send time, ms
 *   bytes 17+   0xff (mu-law silence)
 */

export const FRAME_BYTES = 160;
export const FRAME_MS = 20;
export const MAGIC_AUDIO = 0xb7;
export const MAGIC_LAST = 0xb8;

// 18 is a multiple of 3, so the header's base64 ends on a boundary and joins a precomputed tail.
const HEADER_BYTES = 18;
const HEADER_BASE64_CHARS = 24;
const FILLER = 0xff;
const TAIL_BASE64 = Buffer.alloc(FRAME_BYTES - HEADER_BYTES, FILLER).toString('base64');

/** Where the base64 audio sits in the frames the bench peers can receive. */
export const PAYLOAD_FIELDS = ['"payload":"', '"audio":"', '"data":"'] as const;
const PAYLOAD_FIELD_BUFFERS = PAYLOAD_FIELDS.map((field) => Buffer.from(field, 'latin1'));

export interface FrameStamp {
  last: boolean;
  callIndex: number;
  sequence: number;
  sentAt: number;
}

export function benchClock(): number {
  return performance.timeOrigin + performance.now();
}

/** Reuses one scratch header per encoder: the hot path allocates only the result string. */
export class FramePayloadEncoder {
  private readonly header = Buffer.alloc(HEADER_BYTES, FILLER);

  encode(stamp: FrameStamp): string {
    const header = this.header;
    header[0] = stamp.last ? MAGIC_LAST : MAGIC_AUDIO;
    header.writeUInt32BE(stamp.callIndex >>> 0, 1);
    header.writeUInt32BE(stamp.sequence >>> 0, 5);
    header.writeDoubleBE(stamp.sentAt, 9);
    return header.toString('base64') + TAIL_BASE64;
  }
}

export function encodeFramePayload(stamp: FrameStamp): string {
  return new FramePayloadEncoder().encode(stamp);
}

/** Reads a stamp from the start of a base64 payload; undefined for audio that is not ours. */
export function decodeFramePayload(base64: string): FrameStamp | undefined {
  if (base64.length < HEADER_BASE64_CHARS) return undefined;
  return stampFromHeader(Buffer.from(base64.slice(0, HEADER_BASE64_CHARS), 'base64'));
}

/**
 * Finds the payload in a whole frame by a substring search for the base64 field, so the same
 * code reads Twilio media, input.audio and reply.audio frames without parsing JSON.
 */
export function findFrameStamp(frame: Buffer): FrameStamp | undefined {
  for (const field of PAYLOAD_FIELD_BUFFERS) {
    const at = frame.indexOf(field);
    if (at < 0) continue;
    const start = at + field.length;
    if (frame.length < start + HEADER_BASE64_CHARS) return undefined;
    return stampFromHeader(Buffer.from(frame.toString('latin1', start, start + HEADER_BASE64_CHARS), 'base64'));
  }
  return undefined;
}

export function startsWith(frame: Buffer, prefix: Buffer): boolean {
  return frame.length >= prefix.length && frame.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

function stampFromHeader(header: Buffer): FrameStamp | undefined {
  if (header.length < 17) return undefined;
  const magic = header[0];
  if (magic !== MAGIC_AUDIO && magic !== MAGIC_LAST) return undefined;
  return {
    last: magic === MAGIC_LAST,
    callIndex: header.readUInt32BE(1),
    sequence: header.readUInt32BE(5),
    sentAt: header.readDoubleBE(9),
  };
}
