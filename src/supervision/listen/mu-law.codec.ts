/** mu-law silence (decodes to 0): what a leg with nothing to say is filled with. */
export const MU_LAW_SILENCE = 0xff;

/** ITU-T G.711 mu-law expansion of one byte to a 16-bit linear sample. */
function expandMuLaw(byte: number): number {
  const inverted = ~byte & 0xff;
  const exponent = (inverted >> 4) & 0x07;
  const mantissa = inverted & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return inverted & 0x80 ? -magnitude : magnitude;
}

const MU_LAW_TO_PCM16 = Int16Array.from({ length: 256 }, (_, byte) => expandMuLaw(byte));

/** The 16-bit linear sample of one mu-law byte. */
export function muLawToPcm16(byte: number): number {
  return MU_LAW_TO_PCM16[byte & 0xff];
}

/**
 * Two mu-law legs of equal length as interleaved stereo 16-bit little-endian PCM: left from
 * `left`, right from `right`.
 */
export function interleavedStereoPcm16(left: Uint8Array, right: Uint8Array): Buffer {
  const samples = Math.min(left.length, right.length);
  const pcm = Buffer.allocUnsafe(samples * 4);
  for (let index = 0; index < samples; index++) {
    pcm.writeInt16LE(MU_LAW_TO_PCM16[left[index]], index * 4);
    pcm.writeInt16LE(MU_LAW_TO_PCM16[right[index]], index * 4 + 2);
  }
  return pcm;
}
