import { placeCall, PlacedCall } from '../../support/call-harness';
import { startTestApp, TestApp } from '../../support/test-app';
import { TcpProxy } from '../../support/tcp-proxy';
import { waitFor } from '../../support/wait-for';
import { asSupervisor, summarisedCall } from '../summaries/journaled-call';

const REDIS_URL = 'redis://127.0.0.1:6379';
const ORPHAN_AFTER_MS = 1500;

/*
 * Two instances share Postgres and Redis; only the owner of a live call loses Redis. The other
 * instance's sweeper sees its heartbeat go stale and closes the call as orphaned. The owner is
 * alive, though: when it reaches Redis again it takes the call back, and when the call really
 * ends its record is rewritten from the whole journal.
 */
describe('a live call whose own instance loses Redis for longer than the orphan window', () => {
  let owner: TestApp;
  let other: TestApp;
  let ownersRedis: TcpProxy;

  beforeAll(async () => {
    ownersRedis = TcpProxy.forUrl(REDIS_URL);
    await ownersRedis.start();
    owner = await startTestApp(
      { REDIS_URL: ownersRedis.proxiedUrl(REDIS_URL), CALL_ORPHAN_AFTER_MS: String(ORPHAN_AFTER_MS), LOCAL_PROVIDER_MS_PER_WORD: '20' },
      'reclaim-owner',
    );
    other = await startTestApp(
      {
        DATABASE_URL: owner.isolation.databaseUrl,
        REDIS_KEY_PREFIX: owner.isolation.redisKeyPrefix,
        CALL_ORPHAN_AFTER_MS: String(ORPHAN_AFTER_MS),
      },
      'reclaim-other',
    );
  });
  afterAll(async () => {
    await ownersRedis.start().catch(() => undefined);
    await owner.close();
    await other.close();
    await ownersRedis.stop();
  });

  it('is closed as orphaned, taken back by its owner, and finally stored whole with the orphan close marked', async () => {
    const call = await placeCall(owner);
    try {
      await call.say('Where is my order ORD-12345?');
      await call.waitFromService('tool.result');

      await ownersRedis.cut();
      // Said while the owner cannot write to Redis: buffered in the owner's memory.
      await call.say('And what about order ORD-67890?');
      await call.waitFromService('tool.result', (message) => String(message.result).includes('ORD-67890'));

      const orphaned = await summarisedCall(other.baseUrl, call.callSid, ORPHAN_AFTER_MS * 10);
      expect(orphaned).toMatchObject({ endReason: 'orphaned' });
      expect(orphaned.summary?.orphaned).toEqual({ closedAt: expect.any(String), reclaimedAt: null });
      expect(orphaned.events.filter((event) => event.type === 'caller.said')).toHaveLength(1);

      await ownersRedis.start();
      await waitFor(
        async () =>
          ((await asSupervisor(other.baseUrl, '/calls/live').expect(200)).body as { callSid: string }[]).some(
            (live) => live.callSid === call.callSid,
          ),
        {
          what: 'the owner to take its call back',
          timeoutMs: 15_000,
        },
      );
      await call.say('Thanks, that is all.');
      await waitFor(() => call.toService('transcript.user').length >= 3, { what: 'the last words heard' });
      await agentAnswersLastWords(call);
    } finally {
      await call.hangUp();
    }

    const final = await waitFor(
      async () => {
        const stored = await summarisedCall(other.baseUrl, call.callSid, 5_000).catch(() => undefined);
        return stored && stored.endReason !== 'orphaned' ? stored : undefined;
      },
      { what: 'the record rewritten after the real end', timeoutMs: 20_000 },
    );
    expect(final.endReason).toMatch(/^(twilio-stop|hangup)$/);
    expect(final.events.filter((event) => event.type === 'caller.said').map((event) => event.text)).toEqual([
      'Where is my order ORD-12345?',
      'And what about order ORD-67890?',
      'Thanks, that is all.',
    ]);
    expect(final.events.filter((event) => event.type === 'call.ended')).toHaveLength(1);
    const reclaimed = final.events.find((event) => event.type === 'call.reclaimed') as
      { closedAsOrphanAt?: string; at: string } | undefined;
    expect(final.summary?.orphaned).toEqual({ closedAt: reclaimed?.closedAsOrphanAt, reclaimedAt: reclaimed?.at });
    expect(final.summary?.actions.lookups.map((lookup) => lookup.subject)).toEqual(['ORD-12345', 'ORD-67890']);
    expect((await asSupervisor(other.baseUrl, '/calls/live').expect(200)).body).toEqual([]);
  });
});

async function agentAnswersLastWords(call: PlacedCall): Promise<void> {
  const observed = call.provider.observed(call.callSid);
  const lastWordsAt = observed
    .map((event) => event.direction === 'provider-to-client' && event.message.type === 'transcript.user')
    .lastIndexOf(true);
  await waitFor(
    () =>
      call.provider
        .observed(call.callSid)
        .some(
          (event, index) => index > lastWordsAt && event.direction === 'provider-to-client' && event.message.type === 'transcript.agent',
        ),
    {
      what: 'the agent to answer',
    },
  );
}
