import twilio from 'twilio';

/** `invalid` sends a well-formed signature made with the wrong key, as a forger would. */
export type SignatureMode = 'valid' | 'omit' | 'invalid';

export const TWILIO_SIGNATURE_HEADER = 'X-Twilio-Signature';

export function signTwilioRequest(authToken: string, url: string, params: Record<string, string> = {}): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export function twilioSignatureHeaders(
  mode: SignatureMode,
  authToken: string | undefined,
  url: string,
  params: Record<string, string> = {},
): Record<string, string> {
  if (mode === 'omit' || (mode === 'valid' && !authToken)) {
    return {};
  }
  const key = mode === 'valid' ? (authToken as string) : `${authToken ?? 'no-token'}-forged`;
  return { [TWILIO_SIGNATURE_HEADER]: signTwilioRequest(key, url, params) };
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/**
 * Twilio connects to the Stream URL from the TwiML. Locally that URL may name a public host
 * we cannot reach (a tunnel), so connect to our service's host with the same path and query;
 * the signature stays over the TwiML URL, which is what Twilio signs.
 */
export function mediaStreamConnectUrl(streamUrl: string, baseUrl: string): string {
  const stream = new URL(streamUrl);
  const base = new URL(baseUrl);
  if (stream.host === base.host) {
    return streamUrl;
  }
  const protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${base.host}${stream.pathname}${stream.search}`;
}

/**
 * A URL from the service's TwiML (a Dial action, a whisper url) as Twilio would sign it, and
 * where the simulator actually sends the request: TwiML URLs carry PUBLIC_BASE_URL, which
 * may name a tunnel, so the request goes to our service's host with the same path and query.
 */
export function serviceCallbackUrls(twimlUrl: string, baseUrl: string, publicBaseUrl: string): { signed: string; target: string } {
  // Twilio resolves a relative URL against the document it came from: our public base here.
  const signed = new URL(twimlUrl, `${publicBaseUrl.replace(/\/+$/, '')}/`).toString();
  const url = new URL(signed);
  const base = new URL(baseUrl);
  if (url.host === base.host && url.protocol === base.protocol) {
    return { signed, target: signed };
  }
  return { signed, target: `${base.protocol}//${base.host}${url.pathname}${url.search}` };
}
