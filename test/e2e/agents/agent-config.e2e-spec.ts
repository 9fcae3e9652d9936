import request from 'supertest';
import Redis from 'ioredis';
import { AgentConfigChangeChannel } from '../../../src/agents/services/agent-config-change.channel';
import { AgentConfigService } from '../../../src/agents/services/agent-config.service';
import { AgentConfigContent } from '../../../src/agents/utils/agent-config.validation';
import { startTestApp, TEST_ADMIN_TOKEN, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { TcpProxy } from '../../support/tcp-proxy';
import { waitFor } from '../../support/wait-for';
import { agentConfigFactory } from '../../unit/agents/agent-config.factory';

const admin = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const supervisor = { Authorization: `Bearer ${TEST_SUPERVISOR_TOKEN}` };

function body(overrides: Partial<AgentConfigContent> & { note?: string } = {}) {
  return { ...agentConfigFactory.content(), note: 'test edit', ...overrides };
}

describe('agent configs over REST', () => {
  let service: TestApp;
  const api = () => request(service.baseUrl);

  beforeAll(async () => {
    service = await startTestApp({}, 'agents');
  });
  afterAll(() => service.close());

  it('needs a token to read or write', async () => {
    await api().get('/agents').expect(401);
    await api().get('/agents/billing').expect(401);
    await api().put('/agents/billing').send(body()).expect(401);
    await api().post('/agents/billing/rollback').send({ version: 1 }).expect(401);
    await api().get('/agents').set({ Authorization: 'Bearer wrong-token-0123456789' }).expect(401);
  });

  it('lists the five seeded departments to a supervisor, version 1 by system', async () => {
    const response = await api().get('/agents').set(supervisor).expect(200);
    expect(response.body.map((agent: { key: string }) => agent.key).sort()).toEqual(['billing', 'escalation', 'faq', 'refund', 'triage']);
    for (const agent of response.body) expect(agent).toMatchObject({ version: 1, author: 'system', note: 'default configuration' });
  });

  it('shows one agent with what the provider can do with its voice', async () => {
    const response = await api().get('/agents/billing').set(supervisor).expect(200);
    expect(response.body).toMatchObject({
      key: 'billing',
      displayName: 'Billing',
      version: 1,
      voice: {
        value: 'james',
        appliesMidCall: false,
        note: 'The provider cannot change voice mid-session; this voice is used when a call starts with this agent',
      },
      handoffTargets: ['refund', 'faq', 'escalation', 'triage'],
    });
    expect(response.body.systemPrompt.split('\n')[0]).toBe('You are the Billing agent for Acme support.');
  });

  it('answers an unknown agent with a JSON 404', async () => {
    for (const path of ['/agents/shipping', '/agents/shipping/versions']) {
      const response = await api().get(path).set(supervisor).expect(404);
      expect(response.body).toMatchObject({ status: 404, code: 'agent_not_found', message: 'There is no agent "shipping"' });
    }
    await api().post('/agents/shipping/rollback').set(admin).send({ version: 1 }).expect(404);
  });

  it('lets only an admin write', async () => {
    await api().put('/agents/billing').set(supervisor).send(body()).expect(403);
    await api().post('/agents/billing/rollback').set(supervisor).send({ version: 1 }).expect(403);
  });

  it('stores an edit as a new version, keeps history newest first, and rolls back as another new version', async () => {
    const original = (await api().get('/agents/faq').set(supervisor).expect(200)).body;
    const edit = body({
      displayName: 'Help desk',
      voice: 'grace',
      tools: ['search_faq'],
      handoffTargets: ['triage'],
      keyterms: ['warranty'],
      note: 'narrower help desk',
    });
    const saved = await api().put('/agents/faq').set(admin).send(edit).expect(200);
    expect(saved.body).toMatchObject({
      key: 'faq',
      version: 2,
      displayName: 'Help desk',
      voice: { value: 'grace' },
      tools: ['search_faq'],
      author: 'admin',
      note: 'narrower help desk',
    });
    expect((await api().get('/agents/faq').set(supervisor).expect(200)).body).toMatchObject({ version: 2, displayName: 'Help desk' });
    expect(service.app.get(AgentConfigService).active('faq')).toMatchObject({ version: 2, voice: 'grace' });

    const rolled = await api().post('/agents/faq/rollback').set(admin).send({ version: 1, note: 'back to the default' }).expect(201);
    expect(rolled.body).toMatchObject({
      version: 3,
      displayName: original.displayName,
      tools: original.tools,
      keyterms: original.keyterms,
      note: 'back to the default',
      author: 'admin',
    });
    expect(rolled.body.systemPrompt).toBe(original.systemPrompt);

    const history = await api().get('/agents/faq/versions').set(supervisor).expect(200);
    expect(history.body).toMatchObject({ page: 1, pageSize: 50, total: 3 });
    expect(history.body.items.map((item: { version: number; current: boolean }) => [item.version, item.current])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    expect(history.body.items.map((item: { author: string }) => item.author)).toEqual(['admin', 'admin', 'system']);

    const second = await api().get('/agents/faq/versions?page=2&pageSize=1').set(supervisor).expect(200);
    expect(second.body).toMatchObject({ page: 2, pageSize: 1, total: 3, items: [{ version: 2, displayName: 'Help desk' }] });

    const noted = await api().post('/agents/faq/rollback').set(admin).send({ version: 2 }).expect(201);
    expect(noted.body).toMatchObject({ version: 4, note: 'rollback to version 2' });
  });

  it('answers a rollback to a version that does not exist with 404', async () => {
    const response = await api().post('/agents/billing/rollback').set(admin).send({ version: 99 }).expect(404);
    expect(response.body).toMatchObject({ code: 'version_not_found', message: 'Agent "billing" has no version 99' });
  });

  it.each([
    ['an unknown tool', { tools: ['lookup_order', 'lookup_weather'] }, 'tools', /unknown tool "lookup_weather"/],
    ['a transfer tool listed as a tool', { tools: ['transfer_to_refund'] }, 'tools', /handoffs come from handoffTargets/],
    ['a duplicate tool', { tools: ['lookup_order', 'lookup_order'] }, 'tools', /listed more than once/],
    ['an unknown target', { handoffTargets: ['shipping'] }, 'handoffTargets', /unknown agent "shipping"/],
    ['itself as a target', { handoffTargets: ['billing'] }, 'handoffTargets', /cannot hand off to itself/],
    ['a voice outside the catalog', { voice: 'robot' }, 'voice', /not in the provider's catalog/],
    ['a short prompt', { systemPrompt: 'Too short.' }, 'systemPrompt', /systemPrompt must be longer than or equal to 50 characters/],
    ['an empty greeting', { greeting: '' }, 'greeting', /greeting/],
    ['an empty note', { note: '' }, 'note', /note/],
  ])('refuses %s with a 400 naming the field', async (_case, overrides, field, message) => {
    const response = await api().put('/agents/billing').set(admin).send(body(overrides)).expect(400);
    expect(response.body).toMatchObject({
      status: 400,
      code: expect.any(String),
      fields: [{ field, messages: [expect.stringMatching(message)] }],
    });
    expect(response.body.message).toContain(field);
  });

  it('names every failing service-level field in one answer, and stores nothing', async () => {
    const response = await api()
      .put('/agents/billing')
      .set(admin)
      .send(body({ voice: 'robot', tools: ['nope'], handoffTargets: ['billing'] }))
      .expect(400);
    expect(response.body).toMatchObject({ status: 400, error: 'Bad Request', code: 'invalid_agent_config' });
    expect(response.body.fields.map((failure: { field: string }) => failure.field)).toEqual(['voice', 'tools', 'handoffTargets']);
    expect((await api().get('/agents/billing').set(supervisor).expect(200)).body.version).toBe(1);
  });

  it('refuses a body with unknown fields or wrong types', async () => {
    const response = await api()
      .put('/agents/billing')
      .set(admin)
      .send({ ...body(), tools: 'lookup_order', priority: 1 })
      .expect(400);
    expect(response.body.fields.map((failure: { field: string }) => failure.field).sort()).toEqual(['priority', 'tools']);
  });

  it.each([['Bad-Key'], ['human'], ['x']])('refuses to create an agent with the key %p', async (key) => {
    const response = await api().put(`/agents/${key}`).set(admin).send(body()).expect(400);
    expect(response.body.fields).toEqual([{ field: 'key', messages: [expect.any(String)] }]);
  });

  it('adds a new department through PUT, which other departments can then route to', async () => {
    const created = await api()
      .put('/agents/loyalty')
      .set(admin)
      .send(body({ note: 'new loyalty desk' }))
      .expect(200);
    expect(created.body).toMatchObject({ key: 'loyalty', version: 1, handoffTargets: ['triage'], author: 'admin' });
    expect((await api().get('/agents').set(supervisor).expect(200)).body).toHaveLength(6);
    expect(service.app.get(AgentConfigService).active('loyalty')).toMatchObject({ version: 1, displayName: 'Loyalty' });

    const triage = (await api().get('/agents/triage').set(supervisor).expect(200)).body;
    const routed = await api()
      .put('/agents/triage')
      .set(admin)
      .send({
        displayName: triage.displayName,
        systemPrompt: triage.systemPrompt,
        greeting: triage.greeting,
        voice: triage.voice.value,
        tools: triage.tools,
        handoffTargets: [...triage.handoffTargets, 'loyalty'],
        note: 'route loyalty questions',
      })
      .expect(200);
    expect(routed.body.handoffTargets).toContain('loyalty');
    // keyterms were omitted: the agent keeps the ones it had.
    expect(routed.body.keyterms).toEqual(triage.keyterms);
    expect(routed.body.keyterms).toContain('ORD');
  });

  it('documents the routes in OpenAPI', async () => {
    const response = await api().get('/docs/json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/agents', '/agents/{key}', '/agents/{key}/versions', '/agents/{key}/rollback']),
    );
  });
});

describe('agent config changes across instances', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await startTestApp({}, 'agents-first');
    second = await startTestApp(
      { DATABASE_URL: first.isolation.databaseUrl, REDIS_KEY_PREFIX: first.isolation.redisKeyPrefix },
      'agents-second',
    );
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  const onSecond = () => second.app.get(AgentConfigService);

  it('seeds once: the second instance finds the defaults and adds none', async () => {
    const history = await request(second.baseUrl).get('/agents/triage/versions').set(supervisor).expect(200);
    expect(history.body.total).toBe(1);
    expect(onSecond().activeAll()).toHaveLength(5);
  });

  it('an edit on one instance is live on the other within a second; a config already held is unchanged', async () => {
    const held = onSecond().active('refund')!;
    const saved = await request(first.baseUrl)
      .put('/agents/refund')
      .set(admin)
      .send(body({ displayName: 'Refunds desk', handoffTargets: ['billing'] }))
      .expect(200);
    const live = await waitFor(
      () => (onSecond().active('refund')?.version === saved.body.version ? onSecond().active('refund') : undefined),
      { timeoutMs: 1000, what: 'the edit on the second instance' },
    );
    expect(live).toMatchObject({ displayName: 'Refunds desk', handoffTargets: ['billing'] });
    expect(held).toMatchObject({ version: 1, displayName: 'Refunds' });
  });

  it('a rollback and a new department reach the other instance within a second', async () => {
    const rolled = await request(first.baseUrl).post('/agents/refund/rollback').set(admin).send({ version: 1 }).expect(201);
    await waitFor(() => onSecond().active('refund')?.version === rolled.body.version, {
      timeoutMs: 1000,
      what: 'the rollback on the second instance',
    });
    expect(onSecond().active('refund')!.displayName).toBe('Refunds');

    await request(first.baseUrl)
      .put('/agents/vip')
      .set(admin)
      .send(body({ displayName: 'VIP' }))
      .expect(200);
    await waitFor(
      () =>
        onSecond()
          .activeAll()
          .some((config) => config.key === 'vip'),
      { timeoutMs: 1000, what: 'the new department on the second instance' },
    );
  });

  it('lets one of two instances write over the version both were told, whichever it is, and refuses the other', async () => {
    const base = await request(first.baseUrl).get('/agents/escalation').set(supervisor).expect(200);
    const edit = (displayName: string) => ({ ...base.body, displayName, note: `from ${displayName}` });
    const answers = await Promise.all([
      request(first.baseUrl).put('/agents/escalation').set(admin).set('If-Match', base.headers.etag).send(edit('Escalations one')),
      request(second.baseUrl).put('/agents/escalation').set(admin).set('If-Match', base.headers.etag).send(edit('Escalations two')),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412]);
    const winner = answers.find((answer) => answer.status === 200)!;
    const stored = await request(second.baseUrl).get('/agents/escalation').set(supervisor).expect(200);
    expect(stored.body).toMatchObject({ version: base.body.version + 1, displayName: winner.body.displayName });
  });

  it('works the other way round too', async () => {
    const saved = await request(second.baseUrl)
      .put('/agents/faq')
      .set(admin)
      .send(body({ displayName: 'FAQ desk', handoffTargets: ['triage'] }))
      .expect(200);
    await waitFor(() => first.app.get(AgentConfigService).active('faq')?.version === saved.body.version, {
      timeoutMs: 1000,
      what: 'the edit on the first instance',
    });
  });
});

describe('agent config changes after a Redis blip', () => {
  const REDIS_URL = 'redis://127.0.0.1:6379';
  let first: TestApp;
  let second: TestApp;
  let secondsRedis: TcpProxy;

  beforeAll(async () => {
    secondsRedis = TcpProxy.forUrl(REDIS_URL);
    await secondsRedis.start();
    first = await startTestApp({}, 'agents-blip-first');
    second = await startTestApp(
      {
        DATABASE_URL: first.isolation.databaseUrl,
        REDIS_KEY_PREFIX: first.isolation.redisKeyPrefix,
        REDIS_URL: secondsRedis.proxiedUrl(REDIS_URL),
      },
      'agents-blip-second',
    );
  });
  afterAll(async () => {
    await secondsRedis.start().catch(() => undefined);
    await second?.close();
    await first?.close();
    await secondsRedis.stop();
  });

  it('subscribes again after its connection to Redis dropped, and hears the next edit', async () => {
    const channel = second.app.get(AgentConfigChangeChannel).channel;
    const redis = new Redis(REDIS_URL);
    try {
      const subscribers = async () => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]);
      expect(await subscribers()).toBe(2);
      await secondsRedis.cut();
      await waitFor(async () => (await subscribers()) === 1, { what: 'the second instance unsubscribed by the cut' });
      await secondsRedis.start();
      await waitFor(async () => (await subscribers()) === 2, { what: 'the second instance subscribed again', timeoutMs: 15_000 });
    } finally {
      redis.disconnect();
    }
    const saved = await request(first.baseUrl)
      .put('/agents/billing')
      .set(admin)
      .send(body({ displayName: 'Billing after the blip' }))
      .expect(200);
    await waitFor(() => second.app.get(AgentConfigService).active('billing')?.version === saved.body.version, {
      timeoutMs: 1000,
      what: 'the edit heard by the second instance',
    });
  });
});
