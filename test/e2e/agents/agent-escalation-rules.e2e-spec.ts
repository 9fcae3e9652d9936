import request from 'supertest';
import { DataSource } from 'typeorm';
import { defaultEscalationRules, EscalationRules } from '../../../src/agents/escalation-rules';
import { AgentConfigRepository } from '../../../src/agents/services/agent-config.repository';
import { AgentConfigVersionEntity } from '../../../src/persistence/entities/agent-config-version.entity';
import { AgentConfigEntity } from '../../../src/persistence/entities/agent-config.entity';
import { AgentEscalationRules1763700600000 } from '../../../src/persistence/migrations/1763700600000-agent-escalation-rules';
import { startTestApp, TEST_ADMIN_TOKEN, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { openTestDataSource } from '../../support/test-database';
import { agentConfigFactory } from '../../unit/agents/agent-config.factory';

const admin = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const supervisor = { Authorization: `Bearer ${TEST_SUPERVISOR_TOKEN}` };

// A version row as it was before escalation rules existed: every column but `escalation`.
const VERSION_COLUMNS_BEFORE_RULES =
  'agent_key, version, display_name, system_prompt, greeting, voice, tools, handoff_targets, keyterms, author, note, created_at';

async function storeVersionWithoutRules(dataSource: DataSource, key: string, note: string): Promise<number> {
  const [{ version }] = (await dataSource.query(
    `INSERT INTO agent_config_versions (${VERSION_COLUMNS_BEFORE_RULES})
     SELECT agent_key, version + 1, display_name, system_prompt, greeting, voice, tools, handoff_targets, keyterms, 'admin', $2, now()
       FROM agent_config_versions WHERE agent_key = $1 ORDER BY version DESC LIMIT 1
     RETURNING version`,
    [key, note],
  )) as { version: number }[];
  await dataSource.query('UPDATE agent_configs SET current_version = $2, updated_at = now() WHERE key = $1', [key, version]);
  return version;
}

describe('escalation rules in the agent config admin API', () => {
  let service: TestApp;
  const api = () => request(service.baseUrl);
  const read = async (key: string) => (await api().get(`/agents/${key}`).set(supervisor).expect(200)).body;

  beforeAll(async () => {
    service = await startTestApp({}, 'agentrules');
  });
  afterAll(() => service.close());

  it("returns each department's rules on GET and in the version history", async () => {
    expect((await read('billing')).escalation).toEqual(defaultEscalationRules('billing'));
    expect((await read('escalation')).escalation).toEqual(defaultEscalationRules('escalation'));
    const history = await api().get('/agents/triage/versions').set(supervisor).expect(200);
    expect(history.body.items[0].escalation).toEqual(defaultEscalationRules('triage'));
  });

  it('stores a rule changed in the GET body as the next version, and returns it', async () => {
    const got = await api().get('/agents/billing').set(supervisor).expect(200);
    const escalation: EscalationRules = structuredClone(got.body.escalation);
    escalation.redFlags.phrases.push('gas leak');
    const saved = await api()
      .put('/agents/billing')
      .set(admin)
      .set('If-Match', got.headers.etag)
      .send({ ...got.body, escalation, note: 'gas leaks reach a person' })
      .expect(200);
    expect(saved.body).toMatchObject({ version: got.body.version + 1, escalation });
    expect((await read('billing')).escalation.redFlags.phrases).toContain('gas leak');
  });

  it("gives a PUT without rules the department's defaults", async () => {
    const { escalation: _omitted, ...current } = await read('billing');
    const saved = await api().put('/agents/billing').set(admin).send(current).expect(200);
    expect(saved.body.escalation).toEqual(defaultEscalationRules('billing'));
  });

  it('merges a PATCH into the current rules as a new version', async () => {
    const before = await read('refund');
    const patched = await api()
      .patch('/agents/refund')
      .set(admin)
      .send({ escalation: { failedTools: { inARow: 4 }, frustration: { action: 'human-transfer' } } })
      .expect(200);
    expect(patched.body).toMatchObject({ version: before.version + 1, note: 'changed escalation' });
    expect(patched.body.escalation).toEqual({
      ...before.escalation,
      failedTools: { ...before.escalation.failedTools, inARow: 4 },
      frustration: { ...before.escalation.frustration, action: 'human-transfer' },
    });
  });

  it('refuses an invalid rule with 400 and a field error naming it, storing nothing', async () => {
    const before = await read('faq');
    const refused = await api()
      .patch('/agents/faq')
      .set(admin)
      .send({ escalation: { failedTools: { inARow: 0 } } })
      .expect(400);
    expect(refused.body).toEqual({
      status: 400,
      error: 'Bad Request',
      code: 'invalid_agent_config',
      message: 'Invalid agent config: escalation.failedTools.inARow',
      fields: [
        { field: 'escalation.failedTools.inARow', messages: ['escalation.failedTools.inARow must be a whole number from 1 to 20 (got 0)'] },
      ],
    });

    const escalation = defaultEscalationRules('escalation');
    escalation.humanRequest.action = 'escalation-handoff';
    escalation.redFlags.phrases = ['fraud', 'Fraud!'];
    const current = await read('escalation');
    const put = await api()
      .put('/agents/escalation')
      .set(admin)
      .send({ ...current, escalation })
      .expect(400);
    expect(put.body.fields.map((field: { field: string }) => field.field)).toEqual([
      'escalation.humanRequest.action',
      'escalation.redFlags.phrases.1',
    ]);
    expect(put.body.fields[0].messages[0]).toMatch(/use human-transfer or off/);

    expect((await read('faq')).version).toBe(before.version);
    expect((await read('escalation')).version).toBe(current.version);
  });

  it('rolls the rules back with the rest of the config', async () => {
    const { version } = await read('triage');
    await api()
      .patch('/agents/triage')
      .set(admin)
      .send({ escalation: { noProgress: { minutes: 12 } } })
      .expect(200);
    const rolled = await api().post('/agents/triage/rollback').set(admin).send({ version }).expect(201);
    expect(rolled.body.escalation).toEqual(defaultEscalationRules('triage'));
  });

  it('documents the rules in OpenAPI, for reads and writes', async () => {
    const { schemas } = (await api().get('/docs/json').expect(200)).body.components;
    for (const view of [schemas.AgentConfigView, schemas.AgentConfigVersionView])
      expect(JSON.stringify(view.properties.escalation)).toContain('"#/components/schemas/EscalationRulesView"');
    expect(Object.keys(schemas.EscalationRulesView.properties)).toEqual(Object.keys(defaultEscalationRules('billing')));
    expect(schemas.EscalationPhraseRuleView.properties.action.enum).toEqual(['off', 'escalation-handoff', 'human-transfer']);
    expect(schemas.UpdateAgentConfigDto.properties.escalation.description).toMatch(/Omitted: the department's default rules/);
  });

  it('reads a version stored before the rules existed as the defaults, and stores them with the next version', async () => {
    const dataSource = service.app.get(DataSource);
    const oldVersion = await storeVersionWithoutRules(dataSource, 'faq', 'stored before escalation rules');
    const got = await read('faq');
    expect(got).toMatchObject({ version: oldVersion, note: 'stored before escalation rules' });
    expect(got.escalation).toEqual(defaultEscalationRules('faq'));

    await api().patch('/agents/faq').set(admin).send({ greeting: 'FAQ here, hello.' }).expect(200);
    const rows = (await dataSource.query('SELECT version, escalation FROM agent_config_versions WHERE agent_key = $1 AND version >= $2', [
      'faq',
      oldVersion,
    ])) as { version: number; escalation: EscalationRules | null }[];
    expect(rows.sort((a, b) => a.version - b.version)).toEqual([
      { version: oldVersion, escalation: null },
      { version: oldVersion + 1, escalation: defaultEscalationRules('faq') },
    ]);
  });
});

describe('the escalation column migration and the repository', () => {
  let dataSource: DataSource;
  let repository: AgentConfigRepository;

  beforeAll(async () => {
    ({ dataSource } = await openTestDataSource('agentrulesrepo'));
    repository = new AgentConfigRepository(
      dataSource,
      dataSource.getRepository(AgentConfigVersionEntity),
      dataSource.getRepository(AgentConfigEntity),
    );
  });
  afterAll(() => dataSource?.destroy());

  it('keeps versions stored before the column, which then read as their department defaults', async () => {
    const migration = new AgentEscalationRules1763700600000();
    const runner = dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      const { escalation: _none, ...content } = agentConfigFactory.content();
      await runner.query(`INSERT INTO agent_configs (key, current_version, created_at, updated_at) VALUES ('escalation', 1, now(), now())`);
      await runner.query(
        `INSERT INTO agent_config_versions (${VERSION_COLUMNS_BEFORE_RULES})
         VALUES ('escalation', 1, $1, $2, $3, $4, $5, $6, $7, 'system', 'default configuration', now())`,
        [content.displayName, content.systemPrompt, content.greeting, content.voice, content.tools, [], content.keyterms],
      );
      await migration.up(runner);
    } finally {
      await runner.release();
    }

    expect((await repository.current('escalation'))!.escalation).toEqual(defaultEscalationRules('escalation'));
    expect((await repository.versions('escalation', 0, 10)).items[0].escalation).toEqual(defaultEscalationRules('escalation'));

    const rules = defaultEscalationRules('escalation');
    rules.noProgress = { minutes: 7, action: 'off' };
    const next = await repository.appendNext('escalation', undefined, (current) => ({
      content: { ...agentConfigFactory.content(), handoffTargets: [], escalation: rules },
      author: 'admin',
      note: `after version ${current!.version}`,
    }));
    expect(next).toMatchObject({ version: 2, escalation: rules });
    expect(await repository.version('escalation', 2)).toMatchObject({ escalation: rules });
    expect((await repository.version('escalation', 1))!.escalation).toEqual(defaultEscalationRules('escalation'));
  });
});
