import twilio from 'twilio';
import type TwilioRequestClient from 'twilio/lib/base/RequestClient';

/** The real `twilio` REST client, its requests sent to `baseUrl` instead of https://api.twilio.com (same paths, same auth). */
export function twilioClientAt(baseUrl: string, accountSid: string, authToken: string): ReturnType<typeof twilio> {
  class RedirectedRequestClient extends twilio.RequestClient {
    override request<TData>(options: TwilioRequestClient.RequestOptions<TData>) {
      const url = new URL(options.uri);
      return super.request<TData>({ ...options, uri: `${baseUrl}${url.pathname}${url.search}` });
    }
  }
  // keepAlive off: nothing left open after a test
  return twilio(accountSid, authToken, { httpClient: new RedirectedRequestClient({ keepAlive: false }), timeout: 3000 });
}
