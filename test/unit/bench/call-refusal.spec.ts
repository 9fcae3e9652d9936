import { isBusyTwiml, isRefusedStream, REFUSED_CLOSE_CODE } from '../../../bench/support/call-refusal';
import { busyTwiml, mediaStreamTwiml } from '../../../src/telephony/twiml.builder';

describe('call refusal (admission control) as the load generator sees it', () => {
  it('recognises the busy TwiML the webhook answers with, and not the stream TwiML', () => {
    expect(isBusyTwiml(busyTwiml())).toBe(true);
    expect(
      isBusyTwiml(
        mediaStreamTwiml('wss://example.test/twilio/media-stream', {
          from: '+15550000001',
          to: '+15557654321',
          callSid: `CA${'a'.repeat(32)}`,
        }),
      ),
    ).toBe(false);
  });

  it('counts a stream closed with 1013 before any audio came back as refused, anything else as a failure', () => {
    expect(isRefusedStream(REFUSED_CLOSE_CODE, false)).toBe(true);
    expect(isRefusedStream(REFUSED_CLOSE_CODE, true)).toBe(false);
    expect(isRefusedStream(1011, false)).toBe(false);
    expect(isRefusedStream(1006, false)).toBe(false);
  });
});
