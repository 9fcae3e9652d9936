import { IncomingHttpHeaders } from 'node:http';
import { matchUpgradePath } from '../../common/upgrade-guards';

export const LISTEN_PATH = '/calls/:callSid/listen';
/** The subprotocol the server always selects; browsers offer it beside their `bearer.<token>` one. */
export const LISTEN_SUBPROTOCOL = 'voice-agent.listen.v1';
/** Browsers cannot set headers on a WebSocket: they offer the token as `bearer.<base64url(token)>`. */
export const BEARER_SUBPROTOCOL_PREFIX = 'bearer.';
export const SUPERVISOR_NAME_MAX_LENGTH = 80;

const CALL_SID = /^CA[0-9a-f]{32}$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** The bearer token of a listen upgrade: the Authorization header, else the `bearer.` subprotocol. */
export function listenBearerToken(headers: IncomingHttpHeaders): string | undefined {
  const authorization = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (authorization) return authorization[1];
  const offered = headers['sec-websocket-protocol'];
  if (typeof offered !== 'string') return undefined;
  const encoded = offered
    .split(',')
    .map((protocol) => protocol.trim())
    .find((protocol) => protocol.startsWith(BEARER_SUBPROTOCOL_PREFIX))
    ?.slice(BEARER_SUBPROTOCOL_PREFIX.length);
  if (!encoded || !BASE64URL.test(encoded)) return undefined;
  return Buffer.from(encoded, 'base64url').toString('utf8') || undefined;
}

/** Never the `bearer.` protocol: the selected one is echoed in the response headers. */
export function chooseListenSubprotocol(offered: ReadonlySet<string>): string | false {
  return offered.has(LISTEN_SUBPROTOCOL) ? LISTEN_SUBPROTOCOL : false;
}

export type ListenRequest =
  { ok: true; callSid: string; supervisorName: string } | { ok: false; status: 400; code: 'validation_failed'; message: string };

/** The call and the supervisor's name from `/calls/:callSid/listen?supervisor=<name>`. */
export function parseListenRequest(url: string | undefined): ListenRequest {
  const invalid = (message: string): ListenRequest => ({ ok: false, status: 400, code: 'validation_failed', message });
  let parsed: URL;
  try {
    parsed = new URL(url ?? '', 'ws://localhost');
  } catch {
    return invalid('The listen URL is malformed.');
  }
  const callSid = matchUpgradePath(LISTEN_PATH, parsed.pathname)?.callSid;
  if (!callSid || !CALL_SID.test(callSid)) return invalid('The call SID is malformed: CA followed by 32 hexadecimal digits.');
  const supervisorName = parsed.searchParams.get('supervisor')?.trim() ?? '';
  if (supervisorName.length === 0 || supervisorName.length > SUPERVISOR_NAME_MAX_LENGTH || CONTROL_CHARACTERS.test(supervisorName)) {
    return invalid(`The supervisor query parameter must name the supervisor (1 to ${SUPERVISOR_NAME_MAX_LENGTH} characters).`);
  }
  return { ok: true, callSid, supervisorName };
}
