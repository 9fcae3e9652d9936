import { Logger } from '@nestjs/common';
import request from 'supertest';
import { getExpectedTwilioSignature } from 'twilio';
import { DrainState } from '../../src/operations/drain-state';
import { newCallSid, TEST_TWILIO_AUTH_TOKEN } from '../support/call-harness';
import { startTestApp, TEST_ADMIN_TOKEN, TEST_SUPERVISOR_TOKEN, TestApp } from '../support/test-app';
import { agentConfigFactory } from '../unit/agents/agent-config.factory';

const admin = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const supervisor = { Authorization: `Bearer ${TEST_SUPERVISOR_TOKEN}` };

describe('HTTP errors: every client error is a coded 4xx, quietly logged', () => {
  let service: TestApp;
  let errorLogs: jest.SpyInstance;
  const api = () => request(service.baseUrl);

  beforeAll(async () => {
    service = await startTestApp({ TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN }, 'httperrors');
  });
  beforeEach(() => {
    errorLogs = jest.spyOn(Logger.prototype, 'error');
  });
  afterEach(() => {
    errorLogs.mockRestore();
  });
  afterAll(() => service.close());

  const agentBody = (overrides: Record<string, unknown> = {}) => ({
    ...agentConfigFactory.content(),
    note: 'http error test',
    ...overrides,
  });

  it('answers a body over the size limit with 413 payload_too_large', async () => {
    const response = await api()
      .put('/agents/billing')
      .set(admin)
      .send(agentBody({ systemPrompt: 'x'.repeat(200_000) }))
      .expect(413);
    expect(response.body).toEqual({
      status: 413,
      error: 'Payload Too Large',
      code: 'payload_too_large',
      message: 'request entity too large',
    });
    expect(errorLogs).not.toHaveBeenCalled();
  });

  it('answers a form with too many parameters with 413 too_many_parameters', async () => {
    const form = Array.from({ length: 1500 }, (_, index) => `p${index}=1`).join('&');
    const response = await api().post('/twilio/status').type('form').send(form).expect(413);
    expect(response.body).toMatchObject({ status: 413, code: 'too_many_parameters' });
    expect(errorLogs).not.toHaveBeenCalled();
  });

  it('answers a correctly signed text/plain Twilio webhook with 415 unsupported_media_type', async () => {
    const url = `${service.baseUrl}/twilio/voice`;
    const response = await api()
      .post('/twilio/voice')
      .set('Content-Type', 'text/plain')
      .set('X-Twilio-Signature', getExpectedTwilioSignature(TEST_TWILIO_AUTH_TOKEN, url, {}))
      .send(`CallSid=${newCallSid()}`)
      .expect(415);
    expect(response.body).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(errorLogs).not.toHaveBeenCalled();
  });

  it('answers a NUL in a query parameter with 400 invalid_characters naming it, before Postgres sees it', async () => {
    await api().get('/calls?callSid=%00').expect(401);
    const response = await api().get('/calls?callSid=%00').set(supervisor).expect(400);
    expect(response.body).toMatchObject({
      status: 400,
      code: 'invalid_characters',
      fields: [{ field: 'callSid', messages: [expect.stringMatching(/NUL/)] }],
    });
    expect(errorLogs).not.toHaveBeenCalled();
  });

  it('answers a NUL in a JSON body with 400 invalid_characters naming the field, nested fields too', async () => {
    const prompt = await api()
      .put('/agents/billing')
      .set(admin)
      .send(agentBody({ systemPrompt: `${agentConfigFactory.content().systemPrompt}\u0000` }))
      .expect(400);
    expect(prompt.body).toMatchObject({ status: 400, code: 'invalid_characters', fields: [{ field: 'systemPrompt' }] });
    const keyterm = await api()
      .put('/agents/billing')
      .set(admin)
      .send(agentBody({ keyterms: ['refund', 'bill\u0000ing'] }))
      .expect(400);
    expect(keyterm.body.fields).toEqual([{ field: 'keyterms.1', messages: [expect.any(String)] }]);
    expect(errorLogs).not.toHaveBeenCalled();
  });

  it('answers a NUL in a route parameter with 400 invalid_characters', async () => {
    const response = await api().get('/calls/CA%00').set(supervisor).expect(400);
    expect(response.body).toMatchObject({ code: 'invalid_characters', fields: [{ field: 'id' }] });
    expect(errorLogs).not.toHaveBeenCalled();
  });

  it('gives every error a code: validation, not found, malformed JSON', async () => {
    const invalid = await api().get('/calls?outcome=sideways').set(supervisor).expect(400);
    expect(invalid.body).toMatchObject({ code: 'validation_failed', fields: [{ field: 'outcome' }] });
    const missing = await api().get('/nope').expect(404);
    expect(missing.body).toMatchObject({ status: 404, code: 'not_found' });
    const malformed = await api()
      .put('/agents/billing')
      .set(admin)
      .set('Content-Type', 'application/json')
      .send('{"displayName":')
      .expect(400);
    expect(malformed.body).toMatchObject({ status: 400, code: 'bad_request' });
    expect(errorLogs).not.toHaveBeenCalled();
  });
});

describe('readiness while draining', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp({}, 'drainready');
  });
  afterAll(() => service.close());

  it('answers 503 draining without logging an error', async () => {
    const errorLogs = jest.spyOn(Logger.prototype, 'error');
    try {
      service.app.get(DrainState).startDraining();
      const response = await request(service.baseUrl).get('/ready').expect(503);
      expect(response.body).toMatchObject({ status: 503, code: 'draining', message: expect.stringMatching(/draining/i) });
      expect(errorLogs).not.toHaveBeenCalled();
    } finally {
      errorLogs.mockRestore();
    }
  });
});
