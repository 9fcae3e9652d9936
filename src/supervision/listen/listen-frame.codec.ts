import { AppConfig } from '../../config/app-config';
import { interleavedStereoPcm16 } from './mu-law.codec';

/*
 * What the instance holding a call publishes to the instances with listeners, on one Redis
 * channel per call: every 100 ms one binary frame of 800 mu-law bytes of the caller then 800 of
 * the agent (what the caller heard at that moment), and one JSON control message when the call ends.
 */

export const LISTEN_FRAME_MS = 100;
export const LISTEN_SAMPLE_RATE = 8000;
/** mu-law bytes (= samples) of one leg in one frame. */
export const LEG_BYTES_PER_FRAME = (LISTEN_SAMPLE_RATE * LISTEN_FRAME_MS) / 1000;
export const LISTEN_FRAME_BYTES = LEG_BYTES_PER_FRAME * 2;

export function listenChannel(config: AppConfig, callSid: string): string {
  return config.redisKey(`supervision:listen:${callSid}`);
}

export function encodeCallEnded(reason: string | undefined): string {
  return JSON.stringify({ type: 'ended', reason });
}

export type ListenMessage = { kind: 'audio'; pcm: Buffer } | { kind: 'ended'; reason: string | undefined };

/**
 * A message off a call's listen channel: audio as interleaved stereo 16-bit PCM (caller left,
 * agent right), decoded once for every listener. Anything malformed is undefined.
 */
export function readListenMessage(message: Buffer): ListenMessage | undefined {
  if (message.length === LISTEN_FRAME_BYTES) {
    return { kind: 'audio', pcm: interleavedStereoPcm16(message.subarray(0, LEG_BYTES_PER_FRAME), message.subarray(LEG_BYTES_PER_FRAME)) };
  }
  // Control messages are short JSON; an audio frame is only ever exactly LISTEN_FRAME_BYTES.
  if (message.length > 1024 || message[0] !== 0x7b) return undefined;
  try {
    const parsed: unknown = JSON.parse(message.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { type, reason } = parsed as Record<string, unknown>;
    if (type !== 'ended') return undefined;
    return { kind: 'ended', reason: typeof reason === 'string' ? reason : undefined };
  } catch {
    return undefined;
  }
}
