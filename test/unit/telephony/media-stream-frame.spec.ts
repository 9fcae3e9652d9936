import {
  clearFrame,
  markFrame,
  MAX_FRAME_BYTES,
  OUTBOUND_MEDIA_SUFFIX,
  outboundMediaPrefix,
  parseTwilioFrame,
} from '../../../src/telephony/media-stream-frame';

describe('Twilio Media Stream frames', () => {
  const media = (payload: string) =>
    JSON.stringify({
      event: 'media',
      sequenceNumber: '3',
      media: { track: 'inbound', chunk: '1', timestamp: '20', payload },
      streamSid: 'MZ1',
    });

  it('finds the payload of a media frame without changing it', () => {
    expect(parseTwilioFrame(media('//79/w=='))).toEqual({ ok: true, message: { event: 'media', payload: '//79/w==' } });
  });

  it('reads media frames whose keys come in another order', () => {
    const reordered = JSON.stringify({ streamSid: 'MZ1', event: 'media', media: { payload: 'AAAA' } });
    expect(parseTwilioFrame(reordered)).toEqual({ ok: true, message: { event: 'media', payload: 'AAAA' } });
  });

  it('reads start with its custom parameters', () => {
    const start = JSON.stringify({
      event: 'start',
      sequenceNumber: '1',
      streamSid: 'MZ1',
      start: { streamSid: 'MZ1', callSid: 'CA1', customParameters: { from: '+15551234567', n: 5 } },
    });
    expect(parseTwilioFrame(start)).toEqual({
      ok: true,
      message: { event: 'start', streamSid: 'MZ1', callSid: 'CA1', customParameters: { from: '+15551234567' } },
    });
  });

  it.each([
    ['not json', 'not-json'],
    ['[1,2]', 'not-an-object'],
    ['{"event":"surprise"}', 'unknown-event'],
    ['{"event":"media","media":{}}', 'malformed-event'],
    ['{"event":"start","start":{}}', 'malformed-event'],
    ['{"event":"dtmf","dtmf":{"digit":"12"}}', 'malformed-event'],
    ['"x"'.padEnd(MAX_FRAME_BYTES + 10, ' '), 'oversized'],
  ])('rejects %s as %s', (frame, reason) => {
    expect(parseTwilioFrame(frame)).toEqual({ ok: false, reason });
  });

  it('builds outbound frames Twilio accepts: valid JSON, right streamSid, no extra fields', () => {
    expect(JSON.parse(outboundMediaPrefix('MZ9') + 'AAAA' + OUTBOUND_MEDIA_SUFFIX)).toEqual({
      event: 'media',
      streamSid: 'MZ9',
      media: { payload: 'AAAA' },
    });
    expect(JSON.parse(clearFrame('MZ9'))).toEqual({ event: 'clear', streamSid: 'MZ9' });
    for (const name of ['reply-3@1240', 'prompt-hold-1', 'a "quoted" \\ name']) {
      expect(JSON.parse(markFrame('MZ9', name))).toEqual({ event: 'mark', streamSid: 'MZ9', mark: { name } });
    }
  });

  it("reads Twilio's mark echoes, plain names without parsing and any other name through JSON", () => {
    const echo = (name: string) => JSON.stringify({ event: 'mark', sequenceNumber: '4', streamSid: 'MZ1', mark: { name } });
    for (const name of ['reply-3@1240', 'human-transfer-recorded', 'say "hi"', 'back\\slash', 'é']) {
      expect(parseTwilioFrame(echo(name))).toEqual({ ok: true, message: { event: 'mark', name } });
    }
    expect(parseTwilioFrame('{"event":"mark","streamSid":"MZ1","mark":{"name":""}}')).toEqual({ ok: false, reason: 'malformed-event' });
    expect(parseTwilioFrame('{"event":"mark","streamSid":"MZ1"}')).toEqual({ ok: false, reason: 'malformed-event' });
  });
});
