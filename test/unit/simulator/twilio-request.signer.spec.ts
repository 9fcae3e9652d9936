import twilio from 'twilio';
import {
  mediaStreamConnectUrl,
  serviceCallbackUrls,
  signTwilioRequest,
  TWILIO_SIGNATURE_HEADER,
  twilioSignatureHeaders,
} from '../../../src/simulator/twilio-request.signer';

const authToken = 'test-auth-token';
const params = { CallSid: 'CA0123', From: '+15551234567', To: '+15557654321', CallStatus: 'ringing' };

describe('twilio request signing', () => {
  it('signs a webhook POST the way twilio.validateRequest checks it', () => {
    const url = 'https://voice.example.com/twilio/voice';
    const headers = twilioSignatureHeaders('valid', authToken, url, params);

    expect(twilio.validateRequest(authToken, headers[TWILIO_SIGNATURE_HEADER], url, params)).toBe(true);
  });

  it('signs a Media Stream upgrade over the wss URL with no params', () => {
    const url = 'wss://voice.example.com/twilio/media-stream?tenant=a';
    const signature = signTwilioRequest(authToken, url);

    expect(twilio.validateRequest(authToken, signature, url, {})).toBe(true);
  });

  it('keeps the port in local URLs and still validates', () => {
    const url = 'http://127.0.0.1:3000/twilio/status';

    expect(twilio.validateRequest(authToken, signTwilioRequest(authToken, url, params), url, params)).toBe(true);
  });

  it('forges a well-formed but wrong signature in invalid mode', () => {
    const url = 'https://voice.example.com/twilio/voice';
    const signature = twilioSignatureHeaders('invalid', authToken, url, params)[TWILIO_SIGNATURE_HEADER];

    expect(signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(twilio.validateRequest(authToken, signature, url, params)).toBe(false);
  });

  it('sends no header when told to omit it or when there is no token', () => {
    expect(twilioSignatureHeaders('omit', authToken, 'https://x/y', params)).toEqual({});
    expect(twilioSignatureHeaders('valid', undefined, 'https://x/y', params)).toEqual({});
  });
});

describe('mediaStreamConnectUrl', () => {
  it('connects to the TwiML URL when it names our host', () => {
    expect(mediaStreamConnectUrl('ws://127.0.0.1:3000/twilio/media-stream', 'http://127.0.0.1:3000')).toBe(
      'ws://127.0.0.1:3000/twilio/media-stream',
    );
  });

  it('connects to our host with the TwiML path and query when the TwiML names a public host', () => {
    expect(mediaStreamConnectUrl('wss://voice.example.com/twilio/media-stream?x=1', 'http://127.0.0.1:3000')).toBe(
      'ws://127.0.0.1:3000/twilio/media-stream?x=1',
    );
    expect(mediaStreamConnectUrl('wss://voice.example.com/twilio/media-stream', 'https://internal:8443')).toBe(
      'wss://internal:8443/twilio/media-stream',
    );
  });
});

describe('serviceCallbackUrls', () => {
  it('signs over the URL the TwiML names and sends to our service with the same path and query', () => {
    expect(
      serviceCallbackUrls(
        'https://voice.example.com/twilio/transfer-result?transferId=t1&x=2',
        'http://127.0.0.1:3000',
        'https://voice.example.com',
      ),
    ).toEqual({
      signed: 'https://voice.example.com/twilio/transfer-result?transferId=t1&x=2',
      target: 'http://127.0.0.1:3000/twilio/transfer-result?transferId=t1&x=2',
    });
  });

  it('sends straight to a URL on our own host', () => {
    const url = 'http://127.0.0.1:3000/twilio/transfer-whisper?transferId=t1';

    expect(serviceCallbackUrls(url, 'http://127.0.0.1:3000', 'http://127.0.0.1:3000')).toEqual({ signed: url, target: url });
  });

  it('resolves a relative URL against the public base, as Twilio resolves it against the document', () => {
    expect(serviceCallbackUrls('/twilio/transfer-result?transferId=t1', 'http://127.0.0.1:3000', 'https://voice.example.com/')).toEqual({
      signed: 'https://voice.example.com/twilio/transfer-result?transferId=t1',
      target: 'http://127.0.0.1:3000/twilio/transfer-result?transferId=t1',
    });
  });
});
