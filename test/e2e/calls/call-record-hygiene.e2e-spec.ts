import Redis from 'ioredis';
import request from 'supertest';
import { CallJournalStore } from '../../../src/call-journal/call-journal.store';
import { placeCall } from '../../support/call-harness';
import { startTestApp, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';

const REDIS_URL = 'redis://127.0.0.1:6379';
const CARD = '4111 1111 1111 1111';
const EMAIL = 'jane.doe@example.com';
const PHONE = '+15551234567';

/*
 * What the journal keeps of a call in Redis, and what reaches Postgres, when the caller and the
 * model say things no store should keep: card numbers, emails, phone numbers, a NUL character,
 * a tool argument of 100 KB.
 */
describe('call records: bounded, storable and redacted from the first write', () => {
  let service: TestApp;
  let redis: Redis;

  beforeAll(async () => {
    service = await startTestApp({ LOCAL_PROVIDER_MS_PER_WORD: '20' }, 'hygiene');
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    redis.disconnect();
    await service.close();
  });

  it('runs a tool whose argument holds a NUL and 100 KB of text, and keeps the whole call record', async () => {
    const call = await placeCall(service);
    const store = service.app.get(CallJournalStore);
    const hugeNote = `card ${CARD}, mail ${EMAIL}, call ${PHONE}. `.repeat(2000);
    try {
      await call.say(`My card is ${CARD}, my email is ${EMAIL} and my number is ${PHONE}.`);
      await call.provider.forceToolCall(call.callSid, 'lookup_order', { order_id: 'ORD-12345\u0000', note: hugeNote });
      const toolCall = await call.waitToService(
        'tool.call',
        (message) => message.name === 'lookup_order' && typeof (message.arguments as { note?: unknown }).note === 'string',
      );
      const answer = await call.waitFromService('tool.result', (message) => message.call_id === toolCall.call_id);
      // The NUL is gone before the tool runs: the order is found, no tool_failed.
      expect(JSON.parse(answer.result as string)).toMatchObject({ order_id: 'ORD-12345', status: 'shipped' });

      const raw = await waitFor(
        async () => {
          const items = await redis.lrange(store.eventsKey(call.callSid), 0, -1);
          return items.some((item) => item.includes('"tool.result"')) && items.some((item) => item.includes('caller.said'))
            ? items.join('\n')
            : undefined;
        },
        { what: 'the journal in Redis' },
      );
      for (const secret of [CARD, EMAIL, PHONE, '\\u0000']) expect(raw).not.toContain(secret);
      const toolCalled = raw
        .split('\n')
        .map((item) => JSON.parse(item))
        .find((event) => event.type === 'tool.called');
      expect(toolCalled.truncated.originalChars).toBeGreaterThan(hugeNote.length);
      expect(JSON.stringify(toolCalled).length).toBeLessThan(20_000);
    } finally {
      await call.hangUp();
    }

    const stored = await waitFor(
      async () => {
        const response = await request(service.baseUrl)
          .get(`/calls/${call.callSid}`)
          .set('Authorization', `Bearer ${TEST_SUPERVISOR_TOKEN}`);
        return response.status === 200 && response.body.summary ? response.body : undefined;
      },
      { what: 'the stored call', timeoutMs: 15_000 },
    );
    const text = JSON.stringify(stored);
    for (const secret of [CARD, EMAIL, PHONE]) expect(text).not.toContain(secret);
    expect(stored.events.find((event: { type: string }) => event.type === 'tool.called')).toMatchObject({
      name: 'lookup_order',
      truncated: { originalChars: expect.any(Number) },
    });
    expect(stored.events.filter((event: { type: string }) => event.type === 'caller.said')[0].text).toContain('[card]');

    // Stored in Postgres: the journal leaves Redis within minutes, not days.
    const ttl = await redis.ttl(store.eventsKey(call.callSid));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15 * 60);
  });
});
