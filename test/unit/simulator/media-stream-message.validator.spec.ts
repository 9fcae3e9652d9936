import { inspectServiceFrame } from '../../../src/simulator/media-stream-message.validator';

const streamSid = 'MZ00000000000000000000000000000001';
const payload = Buffer.alloc(160, 0xff).toString('base64');
const frame = (message: unknown): string => JSON.stringify(message);

describe('inspectServiceFrame', () => {
  it.each([
    ['media', { event: 'media', streamSid, media: { payload } }],
    ['mark', { event: 'mark', streamSid, mark: { name: 'reply-1' } }],
    ['clear', { event: 'clear', streamSid }],
  ])('accepts a well-formed %s', (_event, message) => {
    expect(inspectServiceFrame(frame(message), false, streamSid)).toEqual({ message, violations: [] });
  });

  it.each([
    ['a binary frame', Buffer.from([1, 2, 3]), true, /binary frame \(3 bytes\)/],
    ['text that is not JSON', 'hello', false, /not JSON/],
    ['a JSON array', '[1]', false, /not a JSON object/],
    ['an unknown event', frame({ event: 'speak', streamSid }), false, /unknown event "speak"/],
    ['a message without event', frame({ streamSid }), false, /unknown event null/],
  ])('rejects %s and does not act on it', (_case, data, isBinary, reason) => {
    const inspected = inspectServiceFrame(data, isBinary, streamSid);

    expect(inspected.message).toBeUndefined();
    expect(inspected.violations).toEqual([expect.stringMatching(reason)]);
  });

  it.each([
    ['a missing streamSid', { event: 'clear' }, /clear without streamSid/],
    ['a wrong streamSid', { event: 'mark', streamSid: 'MZother', mark: { name: 'x' } }, /wrong streamSid "MZother"/],
    ['an extra top-level field', { event: 'media', streamSid, sequenceNumber: '3', media: { payload } }, /extra fields: sequenceNumber/],
    ['an extra media field', { event: 'media', streamSid, media: { track: 'outbound', payload } }, /extra fields: media\.track/],
    ['an extra mark field', { event: 'mark', streamSid, mark: { name: 'x', at: 1 } }, /extra fields: mark\.at/],
  ])('flags %s but still lets Twilio act on it', (_case, message, reason) => {
    const inspected = inspectServiceFrame(frame(message), false, streamSid);

    expect(inspected.message).toBeDefined();
    expect(inspected.violations).toEqual([expect.stringMatching(reason)]);
  });

  it.each([
    ['media without payload', { event: 'media', streamSid, media: {} }, /media without a base64 payload/],
    ['media with a non-base64 payload', { event: 'media', streamSid, media: { payload: 'not base64!' } }, /media without a base64 payload/],
    ['a mark without a name', { event: 'mark', streamSid, mark: {} }, /mark without a name/],
  ])('rejects %s', (_case, message, reason) => {
    const inspected = inspectServiceFrame(frame(message), false, streamSid);

    expect(inspected.message).toBeUndefined();
    expect(inspected.violations).toEqual([expect.stringMatching(reason)]);
  });

  it('flags anything sent before the stream started', () => {
    expect(inspectServiceFrame(frame({ event: 'clear', streamSid }), false, undefined).violations).toEqual([
      'clear sent before the stream started',
    ]);
  });
});
