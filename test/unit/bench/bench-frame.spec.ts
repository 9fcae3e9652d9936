import {
  encodeFramePayload,
  decodeFramePayload,
  FRAME_BYTES,
  findFrameStamp,
  FramePayloadEncoder,
  FrameStamp,
  MAGIC_AUDIO,
  startsWith,
} from '../../../bench/support/bench-frame';

describe('bench frame payload', () => {
  const stamp = (overrides: Partial<FrameStamp> = {}): FrameStamp => ({
    last: false,
    callIndex: 1234,
    sequence: 987_654,
    sentAt: 1_763_700_000_123.456,
    ...overrides,
  });

  it('is 160 bytes of audio with magic, call index, sequence and send time up front', () => {
    const payload = encodeFramePayload(stamp());
    const bytes = Buffer.from(payload, 'base64');
    expect(bytes).toHaveLength(FRAME_BYTES);
    expect(bytes[0]).toBe(MAGIC_AUDIO);
    expect(bytes.readUInt32BE(1)).toBe(1234);
    expect(bytes.readUInt32BE(5)).toBe(987_654);
    expect(bytes.readDoubleBE(9)).toBe(1_763_700_000_123.456);
    expect(bytes.subarray(17).every((byte) => byte === 0xff)).toBe(true);
  });

  it('round-trips, including the LAST marker, with a reused encoder', () => {
    const encoder = new FramePayloadEncoder();
    const first = stamp({ callIndex: 1, sequence: 0 });
    const last = stamp({ callIndex: 2, sequence: 49, last: true });
    expect(decodeFramePayload(encoder.encode(first))).toEqual(first);
    expect(decodeFramePayload(encoder.encode(last))).toEqual(last);
  });

  it('ignores audio that does not carry a stamp', () => {
    expect(decodeFramePayload(Buffer.alloc(160, 0xff).toString('base64'))).toBeUndefined();
    expect(decodeFramePayload('AAAA')).toBeUndefined();
  });

  it.each([
    [
      'Twilio media (caller -> service)',
      (payload: string) =>
        `{"event":"media","sequenceNumber":"3","media":{"track":"inbound","chunk":"2","timestamp":"20","payload":"${payload}"},"streamSid":"MZ1"}`,
    ],
    ['Twilio media (service -> caller)', (payload: string) => `{"event":"media","streamSid":"MZ1","media":{"payload":"${payload}"}}`],
    ['input.audio', (payload: string) => `{"type":"input.audio","audio":"${payload}"}`],
    ['reply.audio', (payload: string) => `{"type":"reply.audio","data":"${payload}"}`],
  ])('finds the stamp inside a %s frame by substring search', (_name, frame) => {
    const expected = stamp({ sequence: 7 });
    expect(findFrameStamp(Buffer.from(frame(encodeFramePayload(expected))))).toEqual(expected);
  });

  it('finds nothing in control frames', () => {
    expect(findFrameStamp(Buffer.from('{"event":"mark","streamSid":"MZ1","mark":{"name":"m1"}}'))).toBeUndefined();
    expect(findFrameStamp(Buffer.from('{"type":"reply.audio","data":"AAA'))).toBeUndefined();
  });

  it('tells frame kinds apart by prefix without decoding', () => {
    const prefix = Buffer.from('{"type":"input.audio"');
    expect(startsWith(Buffer.from('{"type":"input.audio","audio":"x"}'), prefix)).toBe(true);
    expect(startsWith(Buffer.from('{"type":"session.update"}'), prefix)).toBe(false);
    expect(startsWith(Buffer.from('{}'), prefix)).toBe(false);
  });
});
