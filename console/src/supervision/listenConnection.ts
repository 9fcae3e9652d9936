// Opening the listen socket: where, with which subprotocols, and what its text messages say.

/** The protocol the service speaks; the bearer token rides beside it as `bearer.<base64url(token)>`. */
export const LISTEN_PROTOCOL = 'voice-agent.listen.v1';

/** Base64url of the text's UTF-8 bytes, without padding (valid in a Sec-WebSocket-Protocol token). */
export function base64url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * A browser cannot set headers on a WebSocket: the token goes as a subprotocol, never in the URL,
 * where it could land in an access log or the browser history.
 */
export function listenProtocols(token: string): string[] {
  return [LISTEN_PROTOCOL, `bearer.${base64url(token)}`];
}

/** ws:// or wss:// on the page's own host, as the page was served. */
export function listenUrl(location: Pick<Location, 'protocol' | 'host'>, callSid: string, supervisor: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/calls/${encodeURIComponent(callSid)}/listen?supervisor=${encodeURIComponent(supervisor)}`;
}

export type ListenMessage =
  | { type: 'listening'; listenerId: string; sampleRate: number }
  | { type: 'ended'; reason: string }
  | { type: 'error'; status: number | null; code: string; message: string }
  /** Anything else: ignored, so a newer service can add messages. */
  | { type: 'unknown' };

export function parseListenMessage(text: string): ListenMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { type: 'unknown' };
  }
  if (!parsed || typeof parsed !== 'object') return { type: 'unknown' };
  const message = parsed as Record<string, unknown>;
  switch (message.type) {
    case 'listening':
      return {
        type: 'listening',
        listenerId: typeof message.listenerId === 'string' ? message.listenerId : '',
        sampleRate: typeof message.sampleRate === 'number' && message.sampleRate > 0 ? message.sampleRate : 8000,
      };
    case 'ended':
      return { type: 'ended', reason: typeof message.reason === 'string' ? message.reason : '' };
    case 'error':
      return {
        type: 'error',
        status: typeof message.status === 'number' ? message.status : null,
        code: typeof message.code === 'string' ? message.code : '',
        message: typeof message.message === 'string' && message.message !== '' ? message.message : 'The service refused to listen.',
      };
    default:
      return { type: 'unknown' };
  }
}
