import request from 'supertest';
import { applyFactsPatch, emptyFacts, KnownFacts } from '../../../src/agents/tools/known-facts';
import { ToolRegistry } from '../../../src/agents/tools/tool.registry';
import { ToolRunner } from '../../../src/agents/tools/tool.runner';
import { startTestApp, TestApp } from '../../support/test-app';
import { TOOL_CLASSES } from '../../../src/agents/tools/tools.module';
import { factory } from './tool-test.factory';

describe('ToolsModule in the running service', () => {
  let service: TestApp;
  let runner: ToolRunner;
  let registry: ToolRegistry;

  beforeAll(async () => {
    service = await startTestApp({}, 'toolsapp');
    runner = service.app.get(ToolRunner, { strict: false });
    registry = service.app.get(ToolRegistry, { strict: false });
  });
  afterAll(() => service?.close());

  it('registers every backend tool with a provider definition and a kind, and no transfer tools', () => {
    expect(registry.names()).toEqual(TOOL_CLASSES.map((ToolClass) => service.app.get(ToolClass, { strict: false }).name));
    for (const name of registry.names()) {
      expect(['lookup', 'side-effect']).toContain(registry.kindOf(name));
      const definition = registry.definition(name);
      expect(definition).toMatchObject({ type: 'function', name, parameters: { type: 'object' } });
      expect(definition.description.length).toBeGreaterThan(40);
      expect(Object.keys(definition.parameters.properties as object).length).toBeGreaterThan(0);
    }
    expect(registry.has('transfer_to_human')).toBe(false);
    expect(registry.isKnownAgentTool('transfer_to_human')).toBe(true);
  });

  it('runs a verified refund conversation through the runner on the demo data seeded at boot', async () => {
    const callId = factory.callId();
    let facts: KnownFacts = emptyFacts();
    const run = async (name: string, args: Record<string, unknown>) => {
      const outcome = await runner.run(name, args, { callId, facts }, 5000);
      facts = applyFactsPatch(facts, outcome.facts);
      return outcome;
    };

    expect(await run('process_refund', { order_id: 'ORD-67890', reason: 'not needed' })).toMatchObject({
      ok: false,
      result: { error: 'account_not_verified' },
    });
    expect(await run('lookup_account_by_email', { email: 'Jane@Example.com', postcode: '94107' })).toMatchObject({
      ok: true,
      result: { account_id: 'ACC-001' },
    });
    expect(await run('lookup_order', { order_id: 'ORD-67890' })).toMatchObject({
      ok: true,
      result: { status: 'processing', total_cents: 12950 },
    });
    const refund = await run('process_refund', { order_id: 'ORD-67890', reason: 'not needed' });
    expect(refund).toMatchObject({ ok: true, result: { order_id: 'ORD-67890', amount_cents: 12950, already_refunded: false } });
    expect(refund.durationMs).toBeGreaterThan(0);
    expect(facts).toMatchObject({
      verifiedAccount: { id: 'ACC-001' },
      orderId: 'ORD-67890',
      ordersLookedUp: ['ORD-67890'],
      refunds: [{ refundId: refund.result.refund_id, orderId: 'ORD-67890', amountCents: 12950 }],
    });
  });

  it('answers unknown_tool for transfer tools, which the handoff engine owns', async () => {
    const outcome = await runner.run(
      'transfer_to_human',
      { reason: 'x', summary: 'y' },
      { callId: factory.callId(), facts: emptyFacts() },
      1000,
    );
    expect(outcome).toMatchObject({ ok: false, result: { error: 'unknown_tool' } });
  });

  it('exposes tool call counts and durations in /metrics', async () => {
    await runner.run('search_faq', { query: 'refund policy' }, { callId: factory.callId(), facts: emptyFacts() }, 5000);
    const metrics = await request(service.baseUrl).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^voice_agent_tool_calls_total\{tool="search_faq",result="ok"\} [1-9]/m);
    expect(metrics.text).toMatch(/^voice_agent_tool_calls_total\{tool="process_refund",result="account_not_verified"\} [1-9]/m);
    expect(metrics.text).toMatch(/^voice_agent_tool_duration_seconds_count\{tool="search_faq"\} [1-9]/m);
  });
});
