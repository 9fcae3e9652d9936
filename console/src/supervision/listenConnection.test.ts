import { base64url, LISTEN_PROTOCOL, listenProtocols, listenUrl, parseListenMessage } from './listenConnection';

/** The token back from its base64url form. */
function decoded(encoded: string): string {
  const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (character) => character.charCodeAt(0)));
}

describe('base64url', () => {
  it('encodes UTF-8 bytes with the URL-safe alphabet and no padding', () => {
    expect(base64url('')).toBe('');
    expect(base64url('f')).toBe('Zg');
    expect(base64url('fo')).toBe('Zm8');
    expect(base64url('foo')).toBe('Zm9v');
    // Plain base64 would be "Pj4+Pz8/".
    expect(base64url('>>>???')).toBe('Pj4-Pz8_');
  });

  it('round-trips any token, multi-byte characters included', () => {
    for (const token of ['test-supervisor-token-0123456789', 'ünïcødé 🎧 token', 'a'.repeat(257)]) {
      expect(decoded(base64url(token))).toBe(token);
      expect(base64url(token)).toMatch(/^[A-Za-z0-9_-]*$/);
    }
  });
});

describe('listenProtocols', () => {
  it('offers the listen protocol and the token as bearer.<base64url>', () => {
    expect(listenProtocols('secret')).toEqual([LISTEN_PROTOCOL, 'bearer.c2VjcmV0']);
    expect(LISTEN_PROTOCOL).toBe('voice-agent.listen.v1');
  });
});

describe('listenUrl', () => {
  it('uses ws on an http page and wss on an https one, on the same host', () => {
    expect(listenUrl({ protocol: 'http:', host: '127.0.0.1:3000' }, 'CA123', 'Dana')).toBe(
      'ws://127.0.0.1:3000/calls/CA123/listen?supervisor=Dana',
    );
    expect(listenUrl({ protocol: 'https:', host: 'console.example.com' }, 'CA123', 'Dana')).toBe(
      'wss://console.example.com/calls/CA123/listen?supervisor=Dana',
    );
  });

  it('encodes the call SID and the name', () => {
    const url = listenUrl({ protocol: 'http:', host: 'h' }, 'CA/1', 'Zoë O’Brien & co');
    expect(url).toBe('ws://h/calls/CA%2F1/listen?supervisor=Zo%C3%AB%20O%E2%80%99Brien%20%26%20co');
    expect(new URL(url).searchParams.get('supervisor')).toBe('Zoë O’Brien & co');
  });

  it('never carries a token', () => {
    expect(listenUrl({ protocol: 'http:', host: 'h' }, 'CA1', 'Dana')).not.toMatch(/token|bearer/i);
  });
});

describe('parseListenMessage', () => {
  it('reads the listening message', () => {
    const text = JSON.stringify({
      type: 'listening',
      callSid: 'CA1',
      listenerId: 'L1',
      sampleRate: 8000,
      channels: ['caller', 'agent'],
      encoding: 'pcm_s16le',
      frameMs: 100,
    });
    expect(parseListenMessage(text)).toEqual({ type: 'listening', listenerId: 'L1', sampleRate: 8000 });
  });

  it('reads the ended message with its reason', () => {
    expect(parseListenMessage('{"type":"ended","reason":"supervisor-ended"}')).toEqual({ type: 'ended', reason: 'supervisor-ended' });
  });

  it('reads an error message', () => {
    const text = JSON.stringify({ type: 'error', status: 404, code: 'call_not_found', message: 'No live call CA1' });
    expect(parseListenMessage(text)).toEqual({ type: 'error', status: 404, code: 'call_not_found', message: 'No live call CA1' });
  });

  it('fills in what a message lacks', () => {
    expect(parseListenMessage('{"type":"listening"}')).toEqual({ type: 'listening', listenerId: '', sampleRate: 8000 });
    expect(parseListenMessage('{"type":"ended"}')).toEqual({ type: 'ended', reason: '' });
    expect(parseListenMessage('{"type":"error"}')).toEqual({
      type: 'error',
      status: null,
      code: '',
      message: 'The service refused to listen.',
    });
  });

  it('ignores what it does not know, and what is not JSON', () => {
    expect(parseListenMessage('{"type":"keepalive"}')).toEqual({ type: 'unknown' });
    expect(parseListenMessage('not json')).toEqual({ type: 'unknown' });
    expect(parseListenMessage('null')).toEqual({ type: 'unknown' });
    expect(parseListenMessage('42')).toEqual({ type: 'unknown' });
  });
});
