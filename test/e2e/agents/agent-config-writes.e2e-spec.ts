import request from 'supertest';
import { startTestApp, TEST_ADMIN_TOKEN, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { agentConfigFactory } from '../../unit/agents/agent-config.factory';

const admin = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const supervisor = { Authorization: `Bearer ${TEST_SUPERVISOR_TOKEN}` };
const etag = (version: number) => `"v${version}"`;

describe('agent config writes: the GET body round trip, ETag and If-Match, PATCH', () => {
  let service: TestApp;
  const api = () => request(service.baseUrl);
  const read = async (key: string) => (await api().get(`/agents/${key}`).set(supervisor).expect(200)).body;
  const historyTotal = async (key: string) => (await api().get(`/agents/${key}/versions`).set(supervisor).expect(200)).body.total as number;

  beforeAll(async () => {
    service = await startTestApp({}, 'agentwrites');
  });
  afterAll(() => service.close());

  it('sends the version as a strong ETag on GET, and answers If-None-Match with 304', async () => {
    const response = await api().get('/agents/triage').set(supervisor).expect(200);
    expect(response.headers.etag).toBe(etag(response.body.version));
    await api().get('/agents/triage').set(supervisor).set('If-None-Match', response.headers.etag).expect(304);
  });

  it('takes back the whole GET body with one field edited, under If-Match, as the next version', async () => {
    const got = await api().get('/agents/escalation').set(supervisor).expect(200);
    const edited = { ...got.body, greeting: 'You are through to escalations. How can I help?' };
    const saved = await api().put('/agents/escalation').set(admin).set('If-Match', got.headers.etag).send(edited).expect(200);
    expect(saved.body).toMatchObject({
      key: 'escalation',
      version: got.body.version + 1,
      greeting: edited.greeting,
      voice: got.body.voice,
      tools: got.body.tools,
    });
    expect(saved.body.systemPrompt).toBe(got.body.systemPrompt);
    expect(saved.headers.etag).toBe(etag(got.body.version + 1));
    expect((await read('escalation')).greeting).toBe(edited.greeting);
  });

  it('still lets a PUT without If-Match win, as before', async () => {
    const current = await read('escalation');
    const saved = await api()
      .put('/agents/escalation')
      .set(admin)
      .send({ ...current, displayName: 'Escalations' })
      .expect(200);
    expect(saved.body.version).toBe(current.version + 1);
  });

  it('lets exactly one of several concurrent PUTs with the same If-Match through; the others get 412 and the winner stays', async () => {
    const base = await api().get('/agents/billing').set(supervisor).expect(200);
    const totalBefore = await historyTotal('billing');
    const contenders = ['Billing A', 'Billing B', 'Billing C', 'Billing D'];
    const answers = await Promise.all(
      contenders.map((displayName) =>
        api()
          .put('/agents/billing')
          .set(admin)
          .set('If-Match', base.headers.etag)
          .send({ ...base.body, displayName, note: `race ${displayName}` }),
      ),
    );
    const winners = answers.filter((answer) => answer.status === 200);
    const losers = answers.filter((answer) => answer.status !== 200);
    expect(winners).toHaveLength(1);
    for (const loser of losers) {
      expect(loser.status).toBe(412);
      expect(loser.body).toEqual({
        status: 412,
        error: 'Precondition Failed',
        code: 'version_conflict',
        message: expect.stringContaining(`version ${base.body.version + 1}`),
      });
    }
    const after = await read('billing');
    expect(after).toMatchObject({ version: base.body.version + 1, displayName: winners[0].body.displayName, note: winners[0].body.note });
    expect(await historyTotal('billing')).toBe(totalBefore + 1);
  });

  it('refuses a stale If-Match with 412 and changes nothing', async () => {
    const before = await read('faq');
    const totalBefore = await historyTotal('faq');
    await api()
      .put('/agents/faq')
      .set(admin)
      .send({ ...before, note: 'someone else' })
      .expect(200);
    const current = await read('faq');

    const stale = await api()
      .put('/agents/faq')
      .set(admin)
      .set('If-Match', etag(before.version))
      .send({ ...before, displayName: 'Stale edit' })
      .expect(412);
    expect(stale.body).toMatchObject({ status: 412, code: 'version_conflict' });
    expect(await read('faq')).toEqual(current);
    expect(await historyTotal('faq')).toBe(totalBefore + 1);
  });

  it('accepts If-Match: * for an agent that exists, and refuses it (412) for one that does not', async () => {
    const current = await read('faq');
    await api()
      .put('/agents/faq')
      .set(admin)
      .set('If-Match', '*')
      .send({ ...current, note: 'any version' })
      .expect(200);
    const fresh = { ...agentConfigFactory.content(), note: 'new desk' };
    const refused = await api().put('/agents/loyalty').set(admin).set('If-Match', '*').send(fresh).expect(412);
    expect(refused.body.code).toBe('version_conflict');
    await api().get('/agents/loyalty').set(supervisor).expect(404);
  });

  it('answers a malformed If-Match with 400 invalid_if_match', async () => {
    const current = await read('faq');
    const response = await api().put('/agents/faq').set(admin).set('If-Match', 'v3').send(current).expect(400);
    expect(response.body).toMatchObject({ status: 400, code: 'invalid_if_match', fields: [{ field: 'If-Match' }] });
  });

  it('takes voice as an id or as the object GET returns, and nothing else', async () => {
    const current = await read('faq');
    const asId = await api()
      .put('/agents/faq')
      .set(admin)
      .send({ ...current, voice: 'grace' })
      .expect(200);
    expect(asId.body.voice.value).toBe('grace');
    const asObject = await api()
      .put('/agents/faq')
      .set(admin)
      .send({ ...asId.body, voice: { ...asId.body.voice, value: 'james' } })
      .expect(200);
    expect(asObject.body.voice.value).toBe('james');
    for (const voice of [{ value: 'james', speed: 2 }, { appliesMidCall: true }, ['james'], 7]) {
      const refused = await api()
        .put('/agents/faq')
        .set(admin)
        .send({ ...current, voice })
        .expect(400);
      expect(refused.body).toMatchObject({ code: 'validation_failed', fields: [{ field: 'voice' }] });
    }
  });

  it('keeps PUT strict about writable fields and unknown ones', async () => {
    const current = await read('faq');
    const response = await api()
      .put('/agents/faq')
      .set(admin)
      .send({ ...current, tools: 'search_faq', priority: 1 })
      .expect(400);
    expect(response.body.fields.map((failure: { field: string }) => failure.field).sort()).toEqual(['priority', 'tools']);
  });

  it('patches one field and keeps the others, with a note naming the change', async () => {
    const before = await api().get('/agents/refund').set(supervisor).expect(200);
    const patched = await api()
      .patch('/agents/refund')
      .set(admin)
      .set('If-Match', before.headers.etag)
      .send({ greeting: 'Refunds here. What can I do for you?' })
      .expect(200);
    expect(patched.headers.etag).toBe(etag(before.body.version + 1));
    const { greeting: _old, version: _version, note: _note, author: _author, updatedAt: _updatedAt, ...untouched } = before.body;
    expect(patched.body).toMatchObject({
      ...untouched,
      version: before.body.version + 1,
      greeting: 'Refunds here. What can I do for you?',
      note: 'changed greeting',
      author: 'admin',
    });
  });

  it('takes a patch sent as application/merge-patch+json', async () => {
    const patched = await api()
      .patch('/agents/faq')
      .set(admin)
      .set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ greeting: 'Help desk here.' }))
      .expect(200);
    expect(patched.body).toMatchObject({ key: 'faq', greeting: 'Help desk here.', note: 'changed greeting' });
  });

  it('patches lists whole, takes the voice object, and empties a list with null', async () => {
    const before = await read('refund');
    const patched = await api()
      .patch('/agents/refund')
      .set(admin)
      .send({ keyterms: null, voice: { value: 'grace' }, handoffTargets: ['triage'], note: 'narrower' })
      .expect(200);
    expect(patched.body).toMatchObject({
      keyterms: [],
      voice: { value: 'grace' },
      handoffTargets: ['triage'],
      tools: before.tools,
      note: 'narrower',
    });
  });

  it('refuses a patch whose merged config is invalid, naming the fields, and stores nothing', async () => {
    const before = await read('refund');
    const invalid = await api()
      .patch('/agents/refund')
      .set(admin)
      .send({ handoffTargets: ['refund'], displayName: null })
      .expect(400);
    expect(invalid.body).toMatchObject({ status: 400, code: 'invalid_agent_config' });
    expect(invalid.body.fields.map((failure: { field: string }) => failure.field).sort()).toEqual(['displayName', 'handoffTargets']);
    const malformed = await api().patch('/agents/refund').set(admin).send({ greeting: 5, priority: 'high' }).expect(400);
    expect(malformed.body).toMatchObject({ code: 'validation_failed' });
    expect(malformed.body.fields.map((failure: { field: string }) => failure.field).sort()).toEqual(['greeting', 'priority']);
    expect(await read('refund')).toEqual(before);
  });

  it('refuses an empty patch, a stale one, an unknown agent, and a supervisor', async () => {
    const before = await read('refund');
    expect((await api().patch('/agents/refund').set(admin).send({ version: 1 }).expect(400)).body.code).toBe('empty_patch');
    const stale = await api()
      .patch('/agents/refund')
      .set(admin)
      .set('If-Match', etag(before.version - 1))
      .send({ greeting: 'Stale' })
      .expect(412);
    expect(stale.body.code).toBe('version_conflict');
    expect((await api().patch('/agents/shipping').set(admin).send({ greeting: 'Hi' }).expect(404)).body.code).toBe('agent_not_found');
    await api().patch('/agents/refund').set(supervisor).send({ greeting: 'Hi' }).expect(403);
    expect(await read('refund')).toEqual(before);
  });

  it('rolls back only over the version If-Match names', async () => {
    const before = await api().get('/agents/triage').set(supervisor).expect(200);
    await api().patch('/agents/triage').set(admin).send({ displayName: 'Front desk' }).expect(200);
    const totalBefore = await historyTotal('triage');

    const stale = await api()
      .post('/agents/triage/rollback')
      .set(admin)
      .set('If-Match', before.headers.etag)
      .send({ version: 1 })
      .expect(412);
    expect(stale.body.code).toBe('version_conflict');
    expect(await historyTotal('triage')).toBe(totalBefore);
    expect((await read('triage')).displayName).toBe('Front desk');

    const current = await api().get('/agents/triage').set(supervisor).expect(200);
    const rolled = await api()
      .post('/agents/triage/rollback')
      .set(admin)
      .set('If-Match', current.headers.etag)
      .send({ version: 1 })
      .expect(201);
    expect(rolled.body).toMatchObject({ version: current.body.version + 1, displayName: 'Triage' });
    expect(rolled.headers.etag).toBe(etag(current.body.version + 1));
  });

  it('documents PATCH, If-Match, the ETag and 412 in OpenAPI', async () => {
    const { paths } = (await api().get('/docs/json').expect(200)).body;
    expect(paths['/agents/{key}'].patch).toBeDefined();
    for (const [path, method] of [
      ['/agents/{key}', 'put'],
      ['/agents/{key}', 'patch'],
      ['/agents/{key}/rollback', 'post'],
    ]) {
      const operation = paths[path][method];
      expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'If-Match', in: 'header' })]));
      expect(operation.responses['412']).toBeDefined();
    }
    expect(paths['/agents/{key}'].get.responses['200'].headers.ETag).toBeDefined();
  });
});
