import {
  chooseListenSubprotocol,
  LISTEN_SUBPROTOCOL,
  listenBearerToken,
  parseListenRequest,
} from '../../../../src/supervision/listen/listen-request.rules';

const CALL_SID = `CA${'0123456789abcdef'.repeat(2)}`;
const asSubprotocol = (token: string) => `bearer.${Buffer.from(token).toString('base64url')}`;

describe('listenBearerToken', () => {
  it('reads the Authorization header first', () => {
    expect(listenBearerToken({ authorization: 'Bearer header-token', 'sec-websocket-protocol': asSubprotocol('other') })).toBe(
      'header-token',
    );
    expect(listenBearerToken({ authorization: 'bearer   header-token' })).toBe('header-token');
  });

  it("reads a browser's bearer subprotocol (base64url, no padding) beside the listen protocol", () => {
    const token = 'tok?en/with+odd~chars';
    expect(listenBearerToken({ 'sec-websocket-protocol': `${LISTEN_SUBPROTOCOL}, ${asSubprotocol(token)}` })).toBe(token);
  });

  it('has no token without either, or with a malformed one', () => {
    expect(listenBearerToken({})).toBeUndefined();
    expect(listenBearerToken({ authorization: 'Basic abc' })).toBeUndefined();
    expect(listenBearerToken({ 'sec-websocket-protocol': LISTEN_SUBPROTOCOL })).toBeUndefined();
    expect(listenBearerToken({ 'sec-websocket-protocol': 'bearer.' })).toBeUndefined();
    expect(listenBearerToken({ 'sec-websocket-protocol': 'bearer.a+b=' })).toBeUndefined();
  });
});

describe('chooseListenSubprotocol', () => {
  it('selects the listen protocol, never the bearer one', () => {
    expect(chooseListenSubprotocol(new Set([asSubprotocol('secret'), LISTEN_SUBPROTOCOL]))).toBe(LISTEN_SUBPROTOCOL);
    expect(chooseListenSubprotocol(new Set([asSubprotocol('secret')]))).toBe(false);
  });
});

describe('parseListenRequest', () => {
  it('gives the call SID and the supervisor name', () => {
    expect(parseListenRequest(`/calls/${CALL_SID}/listen?supervisor=Ann%20Lee`)).toEqual({
      ok: true,
      callSid: CALL_SID,
      supervisorName: 'Ann Lee',
    });
    expect(parseListenRequest(`/calls/CA${'0123456789ABCDEF'.repeat(2)}/listen?supervisor=Ann`)).toMatchObject({ ok: true });
  });

  it('refuses a malformed call SID (400)', () => {
    for (const sid of ['CA123', `XX${'0'.repeat(32)}`, `CA${'g'.repeat(32)}`, `CA${'0'.repeat(33)}`]) {
      expect(parseListenRequest(`/calls/${sid}/listen?supervisor=Ann`)).toMatchObject({
        ok: false,
        status: 400,
        code: 'validation_failed',
      });
    }
  });

  it('refuses a missing, empty, too long or control-character supervisor name (400)', () => {
    for (const query of ['', '?supervisor=', '?supervisor=%20%20', `?supervisor=${'a'.repeat(81)}`, '?supervisor=a%00b']) {
      expect(parseListenRequest(`/calls/${CALL_SID}/listen${query}`)).toMatchObject({ ok: false, status: 400, code: 'validation_failed' });
    }
    expect(parseListenRequest(`/calls/${CALL_SID}/listen?supervisor=${'a'.repeat(80)}`)).toMatchObject({ ok: true });
  });
});
