import { interleavedStereoPcm16, MU_LAW_SILENCE, muLawToPcm16 } from '../../../../src/supervision/listen/mu-law.codec';

describe('mu-law decoding (G.711)', () => {
  it('decodes the reference points of the table', () => {
    expect(muLawToPcm16(MU_LAW_SILENCE)).toBe(0);
    expect(muLawToPcm16(0x7f)).toBe(0);
    expect(muLawToPcm16(0x00)).toBe(-32124);
    expect(muLawToPcm16(0x80)).toBe(32124);
    expect(muLawToPcm16(0xfe)).toBe(8);
    expect(muLawToPcm16(0x7e)).toBe(-8);
    expect(muLawToPcm16(0xef)).toBe(132);
  });

  it('is symmetric and monotonic on each half', () => {
    for (let byte = 0x80; byte < 0xff; byte++) {
      expect(muLawToPcm16(byte & 0x7f)).toBe(-muLawToPcm16(byte));
      expect(muLawToPcm16(byte)).toBeGreaterThan(muLawToPcm16(byte + 1));
    }
  });

  it('interleaves two legs as stereo 16-bit little-endian PCM, left first', () => {
    const pcm = interleavedStereoPcm16(Uint8Array.from([0x80, 0xff]), Uint8Array.from([0xff, 0x00]));
    expect(pcm).toHaveLength(8);
    expect([pcm.readInt16LE(0), pcm.readInt16LE(2), pcm.readInt16LE(4), pcm.readInt16LE(6)]).toEqual([32124, 0, 0, -32124]);
  });
});
