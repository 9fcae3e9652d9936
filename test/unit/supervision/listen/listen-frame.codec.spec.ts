import { encodeCallEnded, LISTEN_FRAME_BYTES, readListenMessage } from '../../../../src/supervision/listen/listen-frame.codec';

describe('listen channel messages', () => {
  it('decodes a frame (800 caller bytes, then 800 agent bytes) once to 3200 bytes of stereo PCM', () => {
    const frame = Buffer.concat([Buffer.alloc(800, 0x80), Buffer.alloc(800, 0xff)]);
    const message = readListenMessage(frame);
    expect(message?.kind).toBe('audio');
    const pcm = message?.kind === 'audio' ? message.pcm : Buffer.alloc(0);
    expect(pcm).toHaveLength(3200);
    expect(pcm.readInt16LE(0)).toBe(32124);
    expect(pcm.readInt16LE(2)).toBe(0);
    expect(pcm.readInt16LE(3196)).toBe(32124);
    expect(pcm.readInt16LE(3198)).toBe(0);
  });

  it('reads a frame that happens to start like JSON as audio', () => {
    expect(readListenMessage(Buffer.alloc(LISTEN_FRAME_BYTES, 0x7b))?.kind).toBe('audio');
  });

  it('reads the end of the call, with or without its reason', () => {
    expect(readListenMessage(Buffer.from(encodeCallEnded('hangup')))).toEqual({ kind: 'ended', reason: 'hangup' });
    expect(readListenMessage(Buffer.from(encodeCallEnded(undefined)))).toEqual({ kind: 'ended', reason: undefined });
  });

  it('reads an end whose reason is not a string as an end without one', () => {
    expect(readListenMessage(Buffer.from('{"type":"ended","reason":1}'))).toEqual({ kind: 'ended', reason: undefined });
  });

  it('ignores anything else', () => {
    for (const message of ['', '{', '{"type":"other"}', 'null', '[]', '{"type":"ended"', 'x'.repeat(1599)]) {
      expect(readListenMessage(Buffer.from(message))).toBeUndefined();
    }
    expect(readListenMessage(Buffer.alloc(LISTEN_FRAME_BYTES + 1))).toBeUndefined();
  });
});
