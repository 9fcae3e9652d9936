import http from 'node:http';
import request from 'supertest';
import { getExpectedTwilioSignature } from 'twilio';
import WebSocket from 'ws';
import { TwilioSignatureVerifier } from '../../../src/telephony/twilio-signature.verifier';
import { newCallSid, TEST_TWILIO_AUTH_TOKEN } from '../../support/call-harness';
import { startTestApp, TestApp } from '../../support/test-app';

const REQUESTS_PER_MINUTE = 30;
const FAILED_SIGNATURES_PER_MINUTE = 20;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/**
 * Every test here would come from 127.0.0.1; each uses addresses of its own in 127/8 (all
 * loopback on Linux) so that the per-source budgets of one test do not touch another.
 */
describe('per-source rate limits on Twilio webhooks and Media Stream upgrades', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp(
      { TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN, TWILIO_REQUESTS_PER_MINUTE_PER_SOURCE: String(REQUESTS_PER_MINUTE) },
      'ratelimits',
    );
  });
  afterAll(() => service.close());

  function statusForm(): Record<string, string> {
    return { CallSid: newCallSid(), CallStatus: 'completed', CallDuration: '12' };
  }

  function postStatus(from: string, form: Record<string, string>, signing: 'valid' | 'forged'): Promise<Answer> {
    const url = `${service.baseUrl}/twilio/status`;
    const key = signing === 'valid' ? TEST_TWILIO_AUTH_TOKEN : `${TEST_TWILIO_AUTH_TOKEN}-forged`;
    const payload = new URLSearchParams(form).toString();
    return new Promise((resolve, reject) => {
      const outgoing = http.request(
        url,
        {
          method: 'POST',
          localAddress: from,
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            'Content-Length': Buffer.byteLength(payload),
            'X-Twilio-Signature': getExpectedTwilioSignature(key, url, form),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
            });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  /** The HTTP status the upgrade got: 101 when it became a WebSocket (closed at once here). */
  function upgrade(from: string, signing: 'valid' | 'forged'): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
    const url = `${service.wsBaseUrl}/twilio/media-stream`;
    const key = signing === 'valid' ? TEST_TWILIO_AUTH_TOKEN : `${TEST_TWILIO_AUTH_TOKEN}-forged`;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, {
        localAddress: from,
        headers: { 'X-Twilio-Signature': getExpectedTwilioSignature(key, url, {}) },
      });
      socket.on('unexpected-response', (_request, response) => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers });
        response.resume();
        socket.terminate();
      });
      socket.on('open', () => {
        resolve({ status: 101, headers: {} });
        socket.terminate();
      });
      socket.on('error', (error) => reject(error));
    });
  }

  async function limitedCount(budget: string): Promise<number> {
    const metrics = await request(service.baseUrl).get('/metrics').expect(200);
    const match = new RegExp(`^voice_agent_twilio_requests_limited_total\\{budget="${budget}"\\} (\\d+)`, 'm').exec(metrics.text);
    return match ? Number(match[1]) : 0;
  }

  it('turns a source away with 429 once it spent its failed-signature budget, without checking more signatures', async () => {
    const verifyWebhook = jest.spyOn(service.app.get(TwilioSignatureVerifier), 'verifyWebhook');
    const limitedBefore = await limitedCount('failed-signatures');
    try {
      for (let attempt = 0; attempt < FAILED_SIGNATURES_PER_MINUTE; attempt++) {
        expect((await postStatus('127.0.0.2', statusForm(), 'forged')).status).toBe(403);
      }
      expect(verifyWebhook).toHaveBeenCalledTimes(FAILED_SIGNATURES_PER_MINUTE);

      const limited = await postStatus('127.0.0.2', statusForm(), 'valid');
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(verifyWebhook).toHaveBeenCalledTimes(FAILED_SIGNATURES_PER_MINUTE);
      expect(await limitedCount('failed-signatures')).toBe(limitedBefore + 1);

      expect((await postStatus('127.0.0.3', statusForm(), 'valid')).status).toBe(204);
    } finally {
      verifyWebhook.mockRestore();
    }
  });

  it('refuses Media Stream upgrades of a source past its failed-signature budget with a plain 429', async () => {
    for (let attempt = 0; attempt < FAILED_SIGNATURES_PER_MINUTE; attempt++) {
      expect((await upgrade('127.0.0.4', 'forged')).status).toBe(403);
    }
    const limited = await upgrade('127.0.0.4', 'valid');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await upgrade('127.0.0.5', 'forged')).status).toBe(403);
  });

  it('holds every source to the configured request budget, webhooks and upgrades together', async () => {
    for (let attempt = 0; attempt < REQUESTS_PER_MINUTE; attempt++) {
      expect((await postStatus('127.0.0.6', statusForm(), 'valid')).status).toBe(204);
    }
    const limited = await postStatus('127.0.0.6', statusForm(), 'valid');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await upgrade('127.0.0.6', 'valid')).status).toBe(429);

    expect((await postStatus('127.0.0.7', statusForm(), 'valid')).status).toBe(204);
  });
});
