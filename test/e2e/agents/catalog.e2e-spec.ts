import request from 'supertest';
import { toVoiceCatalogView } from '../../../src/agents/dtos/catalog.response';
import { ToolRegistry } from '../../../src/agents/tools/tool.registry';
import { OPENAI_CAPABILITIES } from '../../../src/voice-agent/openai/openai-realtime.provider';
import { ASSEMBLYAI_CAPABILITIES } from '../../../src/voice-agent/voice-agent.voices';
import { PROVIDERS_UNDER_TEST } from '../../support/providers-under-test';
import { startTestApp, TEST_ADMIN_TOKEN, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';

const supervisor = { Authorization: `Bearer ${TEST_SUPERVISOR_TOKEN}` };

const ONE_VOICE_PER_CALL = "This provider keeps one voice per call: the first department's voice is used for the whole call.";

describe('GET /tools and GET /voices: what an agent config may name', () => {
  let service: TestApp;
  const api = () => request(service.baseUrl);

  beforeAll(async () => {
    service = await startTestApp({}, 'catalog');
  });
  afterAll(() => service.close());

  it('needs a supervisor token', async () => {
    await api().get('/tools').expect(401);
    await api().get('/voices').expect(401);
    const wrong = await api().get('/voices').set({ Authorization: 'Bearer wrong-token-0123456789' }).expect(401);
    expect(wrong.body).toMatchObject({ status: 401, message: 'Unknown bearer token' });
    await api()
      .get('/tools')
      .set({ Authorization: `Bearer ${TEST_ADMIN_TOKEN}` })
      .expect(200);
  });

  it('lists the registered backend tools by name with their kinds, and no transfer tools', async () => {
    const response = await api().get('/tools').set(supervisor).expect(200);
    expect(Object.keys(response.body)).toEqual(['tools']);
    const tools: { name: string; description: string; kind: string }[] = response.body.tools;
    expect(tools.map((tool) => [tool.name, tool.kind])).toEqual([
      ['check_billing', 'lookup'],
      ['create_ticket', 'side-effect'],
      ['list_recent_orders', 'lookup'],
      ['lookup_account_by_email', 'lookup'],
      ['lookup_order', 'lookup'],
      ['process_refund', 'side-effect'],
      ['search_faq', 'lookup'],
    ]);
    const registry = service.app.get(ToolRegistry);
    expect(tools.map((tool) => tool.name).sort()).toEqual(registry.names().sort());
    for (const tool of tools) {
      expect(Object.keys(tool).sort()).toEqual(['description', 'kind', 'name']);
      expect(tool.kind).toBe(registry.kindOf(tool.name));
      expect(tool.description).toBe(registry.definition(tool.name).description);
    }
  });

  it('describes the voices of the provider this service runs (the local server on the AssemblyAI wire)', async () => {
    const response = await api().get('/voices').set(supervisor).expect(200);
    expect(response.body).toEqual({
      provider: 'local',
      voices: [...ASSEMBLYAI_CAPABILITIES.voices],
      defaultVoice: 'ivy',
      voiceChangeMidSession: false,
      note: `${ONE_VOICE_PER_CALL} An agent whose stored voice this provider does not have speaks with the default voice, ivy.`,
    });
  });

  it('documents both routes in OpenAPI with the fields they answer', async () => {
    const document = (await api().get('/docs/json').expect(200)).body;
    const okSchema = (path: string) => document.paths[path].get.responses['200'].content['application/json'].schema;
    const propertiesOf = (ref: string): string[] => Object.keys(document.components.schemas[ref.split('/').at(-1)!].properties).sort();
    expect(okSchema('/tools').$ref).toMatch(/ToolCatalogView$/);
    expect(okSchema('/voices').$ref).toMatch(/VoiceCatalogView$/);
    expect(propertiesOf('ToolCatalogEntryView')).toEqual(['description', 'kind', 'name']);
    expect(document.components.schemas.ToolCatalogEntryView.properties.kind.enum).toEqual(['lookup', 'side-effect']);
    const voices = (await api().get('/voices').set(supervisor).expect(200)).body;
    expect(Object.keys(voices).sort()).toEqual(propertiesOf(okSchema('/voices').$ref));
    for (const path of ['/tools', '/voices']) expect(document.paths[path].get.security).toEqual([{ bearer: [] }]);
  });
});

describe('GET /voices on the OpenAI Realtime provider', () => {
  let service: TestApp;
  const openai = PROVIDERS_UNDER_TEST.find((provider) => provider.name === 'openai')!;

  beforeAll(async () => {
    service = await startTestApp(openai.env, 'catalogopenai');
  });
  afterAll(() => service.close());

  it('gives its own voices and default', async () => {
    const response = await request(service.baseUrl).get('/voices').set(supervisor).expect(200);
    expect(response.body).toEqual({
      provider: 'openai',
      voices: [...OPENAI_CAPABILITIES.voices],
      defaultVoice: 'marin',
      voiceChangeMidSession: false,
      note: `${ONE_VOICE_PER_CALL} An agent whose stored voice this provider does not have speaks with the default voice, marin.`,
    });
  });
});

// No provider here can change voice mid-session yet; the note for one that can is checked on the function itself.
describe('toVoiceCatalogView', () => {
  it('tells admins a handoff switches the voice when the provider can', () => {
    const view = toVoiceCatalogView('future', { voices: ['a', 'b'], defaultVoice: 'a', voiceChangeMidSession: true });
    expect(view).toEqual({
      provider: 'future',
      voices: ['a', 'b'],
      defaultVoice: 'a',
      voiceChangeMidSession: true,
      note:
        'This provider can change voice mid-call: each department speaks with its own voice, ' +
        "and a handoff switches to the new department's voice. " +
        'An agent whose stored voice this provider does not have speaks with the default voice, a.',
    });
  });
});
