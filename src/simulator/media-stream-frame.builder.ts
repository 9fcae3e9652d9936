import { randomBytes } from 'node:crypto';

/*
 * Twilio -> service Media Stream messages, shaped as Twilio sends them: sequenceNumber,
 * chunk and timestamp are decimal strings, not numbers.
 */

export interface StreamIdentity {
  streamSid: string;
  callSid: string;
  accountSid: string;
}

export interface FrameContext extends StreamIdentity {
  sequenceNumber: string;
}

export interface MediaFrameInput {
  /** 1-based, as Twilio counts chunks. */
  chunk: number;
  timestampMs: number;
  payload: string;
}

/** A frame builder returns the message to send, a raw string to send as-is, or null to send nothing. */
export type BuiltFrame = Record<string, unknown> | string | null;

export interface FrameBuilders {
  connected(): BuiltFrame;
  start(context: FrameContext, customParameters: Record<string, string>): BuiltFrame;
  media(context: FrameContext, input: MediaFrameInput): BuiltFrame;
  mark(context: FrameContext, name: string): BuiltFrame;
  dtmf(context: FrameContext, digit: string): BuiltFrame;
  stop(context: FrameContext): BuiltFrame;
}

export const MEDIA_FRAME_MS = 20;
export const MEDIA_FRAME_BYTES = 160;
export const MULAW_SILENCE_FRAME = Buffer.alloc(MEDIA_FRAME_BYTES, 0xff).toString('base64');

export const silentAudioSource = (): string => MULAW_SILENCE_FRAME;

export const twilioFrameBuilders: FrameBuilders = {
  connected: () => ({ event: 'connected', protocol: 'Call', version: '1.0.0' }),
  start: (context, customParameters) => ({
    event: 'start',
    sequenceNumber: context.sequenceNumber,
    start: {
      streamSid: context.streamSid,
      accountSid: context.accountSid,
      callSid: context.callSid,
      tracks: ['inbound'],
      customParameters,
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
    },
    streamSid: context.streamSid,
  }),
  media: (context, input) => ({
    event: 'media',
    sequenceNumber: context.sequenceNumber,
    media: { track: 'inbound', chunk: String(input.chunk), timestamp: String(input.timestampMs), payload: input.payload },
    streamSid: context.streamSid,
  }),
  mark: (context, name) => ({ event: 'mark', sequenceNumber: context.sequenceNumber, streamSid: context.streamSid, mark: { name } }),
  dtmf: (context, digit) => ({
    event: 'dtmf',
    streamSid: context.streamSid,
    sequenceNumber: context.sequenceNumber,
    dtmf: { track: 'inbound_track', digit },
  }),
  stop: (context) => ({
    event: 'stop',
    sequenceNumber: context.sequenceNumber,
    streamSid: context.streamSid,
    stop: { accountSid: context.accountSid, callSid: context.callSid },
  }),
};

export function twilioSid(prefix: 'CA' | 'AC' | 'MZ'): string {
  return prefix + randomBytes(16).toString('hex');
}
