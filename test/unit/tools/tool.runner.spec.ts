import { Logger } from '@nestjs/common';
import { ToolRegistry } from '../../../src/agents/tools/tool.registry';
import { ToolRunner } from '../../../src/agents/tools/tool.runner';
import { ToolContext } from '../../../src/agents/tools/tool.types';
import { MetricsService } from '../../../src/operations/metrics.service';
import { factory } from './tool-test.factory';

describe('ToolRunner', () => {
  let metrics: MetricsService;
  let observedSignal: AbortSignal | undefined;
  let releaseStubborn: () => void;
  let rejectLate: (error: Error) => void;

  const tools = [
    factory.tool('echo', async (args, context) => ({
      result: { echoed: args, call_id: context.callId, verified: context.facts.verifiedAccount?.id ?? null },
      facts: { orderId: 'ORD-12345' },
    })),
    factory.tool('refuses', async () => ({
      result: { error: 'order_not_found', message: 'no such order' },
      facts: { orderId: 'ORD-99999' },
    })),
    factory.tool('fails_verification', async () => ({
      result: { error: 'verification_failed', message: 'no match' },
      facts: {
        verificationFailed: true,
        verifiedAccount: { id: 'ACC-002', name: 'Sam Lee', email: 'sam@example.com' },
        orderId: 'ORD-99999',
      },
    })),
    factory.tool('explodes', async () => {
      throw new Error('database on fire');
    }),
    factory.tool('explodes_synchronously', () => {
      throw new Error('sync boom');
    }),
    factory.tool('returns_garbage', async () => ({ result: 'not an object' }) as never),
    // Ignores its abort signal on purpose: the runner must answer at the timeout anyway.
    factory.tool('stubborn', (_args, context: ToolContext) => {
      observedSignal = context.signal;
      return new Promise((resolve) => {
        releaseStubborn = () => resolve({ result: { late: true } });
      });
    }),
    factory.tool('fails_late', () => new Promise((_resolve, reject) => (rejectLate = reject))),
  ];

  const runner = () => new ToolRunner(new ToolRegistry(tools), metrics);
  const context = { callId: 'CA-runner', facts: factory.verifiedFacts() };
  const metricValue = async (name: string, labels: Record<string, string>) => {
    const metric = await metrics.registry.getSingleMetric(name)!.get();
    return metric.values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label))?.value ?? 0;
  };

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  beforeEach(() => {
    metrics = new MetricsService();
    observedSignal = undefined;
  });

  it('runs a tool with the call context and passes its facts through', async () => {
    const run = await runner().run('echo', { order_id: 'ORD-12345' }, context, 1000);
    expect(run).toMatchObject({
      ok: true,
      result: { echoed: { order_id: 'ORD-12345' }, call_id: 'CA-runner', verified: 'ACC-001' },
      facts: { orderId: 'ORD-12345' },
    });
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    expect(await metricValue('voice_agent_tool_calls_total', { tool: 'echo', result: 'ok' })).toBe(1);
    expect(await metricValue('voice_agent_tool_duration_seconds', { tool: 'echo', le: '+Inf' })).toBe(1);
  });

  it('reports a business error as not ok and drops its facts', async () => {
    const run = await runner().run('refuses', {}, context, 1000);
    expect(run).toMatchObject({ ok: false, result: { error: 'order_not_found' } });
    expect(run.facts).toBeUndefined();
    expect(await metricValue('voice_agent_tool_calls_total', { tool: 'refuses', result: 'order_not_found' })).toBe(1);
  });

  it('keeps only the record of a failed verification from an error answer', async () => {
    const run = await runner().run('fails_verification', {}, context, 1000);
    expect(run).toMatchObject({ ok: false, result: { error: 'verification_failed' } });
    expect(run.facts).toEqual({ verificationFailed: true });
  });

  it('answers unknown_tool for a name it does not serve, without the name as a metric label', async () => {
    const run = await runner().run('drop_tables', {}, context, 1000);
    expect(run).toMatchObject({ ok: false, result: { error: 'unknown_tool', tool: 'drop_tables' } });
    expect(await metricValue('voice_agent_tool_calls_total', { tool: 'unknown', result: 'unknown_tool' })).toBe(1);
    expect(await metricValue('voice_agent_tool_calls_total', { tool: 'drop_tables' })).toBe(0);
  });

  it.each(['explodes', 'explodes_synchronously', 'returns_garbage'])(
    'turns a failure of %s into tool_failed instead of throwing',
    async (name) => {
      const run = await runner().run(name, {}, context, 1000);
      expect(run).toMatchObject({ ok: false, result: { error: 'tool_failed', tool: name } });
      expect(typeof run.result.message).toBe('string');
    },
  );

  it('answers tool_timeout at the timeout even when the tool ignores its signal, and aborts the signal', async () => {
    const timeoutMs = 150;
    const started = Date.now();
    const run = await runner().run('stubborn', {}, context, timeoutMs);
    const elapsed = Date.now() - started;
    expect(run).toMatchObject({ ok: false, result: { error: 'tool_timeout', tool: 'stubborn', timeout_ms: timeoutMs } });
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 5);
    expect(elapsed).toBeLessThan(timeoutMs + 1000);
    expect(observedSignal?.aborted).toBe(true);
    expect(await metricValue('voice_agent_tool_calls_total', { tool: 'stubborn', result: 'tool_timeout' })).toBe(1);
    releaseStubborn();
  });

  it('logs a tool that fails after its timeout, without an unhandled rejection', async () => {
    const unhandled = jest.fn();
    const warn = jest.spyOn(Logger.prototype, 'warn');
    process.on('unhandledRejection', unhandled);
    try {
      const run = await runner().run('fails_late', {}, context, 10);
      expect(run.result.error).toBe('tool_timeout');
      rejectLate(new Error('late failure'));
      // Rejection handlers and unhandled-rejection reports both run before the next macrotask.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ tool: 'fails_late', msg: 'Tool failed after its timeout' }));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
      warn.mockRestore();
    }
  });
});
