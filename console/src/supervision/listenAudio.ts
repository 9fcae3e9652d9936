// The listen socket's audio, as plain functions: frames to samples, levels, ears and scheduling.

/** 100 ms frames of interleaved stereo 16-bit little-endian PCM at 8000 Hz: channel 0 the caller, 1 the agent. */
export const LISTEN_SAMPLE_RATE = 8000;

export interface StereoFrame {
  caller: Float32Array<ArrayBuffer>;
  agent: Float32Array<ArrayBuffer>;
}

/** One binary frame as two channels of samples in [-1, 1). A trailing partial sample pair is ignored. */
export function decodeStereoFrame(data: ArrayBuffer): StereoFrame {
  const view = new DataView(data);
  const samples = Math.floor(data.byteLength / 4);
  const caller = new Float32Array(samples);
  const agent = new Float32Array(samples);
  for (let index = 0; index < samples; index++) {
    caller[index] = view.getInt16(index * 4, true) / 32768;
    agent[index] = view.getInt16(index * 4 + 2, true) / 32768;
  }
  return { caller, agent };
}

/** The meters span 60 dB: -60 dBFS (or less) reads 0, full scale reads 1. */
const METER_FLOOR_DB = -60;

/** How loud a stretch of samples is, 0 (silence) to 1 (full scale), from its RMS in dBFS. */
export function levelOf(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sumOfSquares = 0;
  for (const sample of samples) sumOfSquares += sample * sample;
  const rms = Math.sqrt(sumOfSquares / samples.length);
  if (rms === 0) return 0;
  const decibels = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (decibels - METER_FLOOR_DB) / -METER_FLOOR_DB));
}

/** A meter rises at once and falls back gradually, so a word does not flicker; tiny remainders read 0. */
export function smoothLevel(previous: number, next: number): number {
  if (next >= previous) return next;
  const falling = Math.max(next, previous * 0.6);
  return falling < 0.01 ? 0 : falling;
}

/** mixed: both sides in both ears. split: the caller in the left ear, the agent in the right. */
export type EarMode = 'mixed' | 'split';

/** The left and right channels to play for a frame. */
export function earsOf(frame: StereoFrame, mode: EarMode): [Float32Array<ArrayBuffer>, Float32Array<ArrayBuffer>] {
  if (mode === 'split') return [frame.caller, frame.agent];
  const mixed = new Float32Array(frame.caller.length);
  for (let index = 0; index < mixed.length; index++) {
    // The legs rarely talk at once: summed (then clipped) rather than halved, so neither sounds faint.
    mixed[index] = Math.min(1, Math.max(-1, frame.caller[index] + (frame.agent[index] ?? 0)));
  }
  return [mixed, mixed];
}

export interface JitterBuffer {
  /** How far ahead of the clock playback starts (or restarts after running dry): room for late frames. */
  leadSeconds: number;
  /** More than this queued ahead and a frame is dropped, so the delay behind the call stays bounded. */
  maxLeadSeconds: number;
}

export const LISTEN_JITTER_BUFFER: JitterBuffer = { leadSeconds: 0.3, maxLeadSeconds: 1.2 };

/**
 * When to start playing the next frame, given the audio clock and when what is queued runs out:
 * back to back while frames keep up, `leadSeconds` ahead after running dry (or at the start),
 * null (drop it) when the queue is already too far ahead.
 */
export function scheduleFrame(
  now: number,
  queuedUntil: number,
  frameSeconds: number,
  buffer: JitterBuffer = LISTEN_JITTER_BUFFER,
): number | null {
  if (queuedUntil <= now) return now + buffer.leadSeconds;
  if (queuedUntil + frameSeconds - now > buffer.maxLeadSeconds) return null;
  return queuedUntil;
}
