import { MetricsService } from '../../../src/operations/metrics.service';

/** The metric's sample lines as `name{labels} value`, without HELP and TYPE. */
async function samples(metrics: MetricsService, name: string): Promise<string[]> {
  const text = await metrics.registry.getSingleMetricAsString(name);
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

/** The value of one sample, e.g. `voice_agent_handoff_latency_seconds_count`; undefined when there is no such series. */
async function sample(metrics: MetricsService, series: string): Promise<number | undefined> {
  const found = (await metrics.registry.metrics()).split('\n').find((line) => line.startsWith(`${series} `));
  return found === undefined ? undefined : Number(found.slice(series.length + 1));
}

describe('MetricsService', () => {
  let metrics: MetricsService;

  beforeEach(() => {
    metrics = new MetricsService();
  });

  describe('turnMeasured', () => {
    it('observes both latencies under the department and provider, in buckets with edges at 1, 2 and 3 s', async () => {
      metrics.turnMeasured({ department: 'billing', provider: 'openai' }, 1.4, 2.6);

      const response = 'voice_agent_turn_response_latency_seconds';
      expect(await sample(metrics, `${response}_count{department="billing",provider="openai"}`)).toBe(1);
      expect(await sample(metrics, `${response}_sum{department="billing",provider="openai"}`)).toBe(1.4);
      expect(await sample(metrics, `${response}_bucket{le="1",department="billing",provider="openai"}`)).toBe(0);
      expect(await sample(metrics, `${response}_bucket{le="2",department="billing",provider="openai"}`)).toBe(1);

      const answer = 'voice_agent_turn_answer_latency_seconds';
      expect(await sample(metrics, `${answer}_bucket{le="2",department="billing",provider="openai"}`)).toBe(0);
      expect(await sample(metrics, `${answer}_bucket{le="3",department="billing",provider="openai"}`)).toBe(1);
      expect(await sample(metrics, `${answer}_bucket{le="10",department="billing",provider="openai"}`)).toBe(1);
    });

    it('observes only the latencies the turn had', async () => {
      metrics.turnMeasured({ department: 'triage', provider: 'assemblyai' }, 0.8, null);
      metrics.turnMeasured({ department: 'triage', provider: 'assemblyai' }, null, null);

      expect(await sample(metrics, 'voice_agent_turn_response_latency_seconds_count{department="triage",provider="assemblyai"}')).toBe(1);
      expect(await samples(metrics, 'voice_agent_turn_answer_latency_seconds')).toEqual([]);
    });

    it('drops a latency that is not a duration instead of throwing into the call', () => {
      expect(() => metrics.turnMeasured({ department: 'triage', provider: 'local' }, Number.NaN, -1)).not.toThrow();
    });
  });

  it('counts handoffs by bounded from and to, and observes their latency', async () => {
    metrics.handoff('triage', 'Billing', 'applied', 0.012);
    metrics.handoff('triage', 'refund', 'refused');

    expect(await sample(metrics, 'voice_agent_handoffs_total{from="triage",to="billing",status="applied"}')).toBe(1);
    expect(await sample(metrics, 'voice_agent_handoffs_total{from="triage",to="refund",status="refused"}')).toBe(1);
    expect(await sample(metrics, 'voice_agent_handoff_latency_seconds_count')).toBe(1);
  });

  it('maps department keys past the limit to other, wherever they appear', async () => {
    for (let index = 0; index < 60; index++) metrics.handoff('triage', `department_${index}`, 'refused');
    metrics.interrupted('department_59', 'openai');

    const targets = new Set((await samples(metrics, 'voice_agent_handoffs_total')).map((line) => /to="([^"]*)"/.exec(line)?.[1]));
    expect(targets.size).toBe(50);
    expect(targets.has('other')).toBe(true);
    expect(await sample(metrics, 'voice_agent_interruptions_total{department="other",provider="openai"}')).toBe(1);
  });

  const known = {
    outcomes: ['resolved', 'escalated', 'abandoned', 'failed'],
    escalationCauses: ['agent-requested', 'provider-failure'],
    escalationResults: ['transferred', 'simulated', 'failed'],
  };

  it('counts escalations by cause and result, every known pair present from the start', async () => {
    expect(await samples(metrics, 'voice_agent_escalations_total')).toHaveLength(0);
    metrics.countFromZero(known);
    expect(await samples(metrics, 'voice_agent_escalations_total')).toHaveLength(6);

    metrics.escalated('agent-requested', 'transferred');
    metrics.escalated('provider-failure', 'failed');

    expect(await sample(metrics, 'voice_agent_escalations_total{cause="agent-requested",result="transferred"}')).toBe(1);
    expect(await sample(metrics, 'voice_agent_escalations_total{cause="provider-failure",result="failed"}')).toBe(1);
    expect(await sample(metrics, 'voice_agent_escalations_total{cause="agent-requested",result="simulated"}')).toBe(0);
  });

  it('counts interruptions by department and provider', async () => {
    metrics.interrupted('faq', 'assemblyai');
    metrics.interrupted('faq', 'assemblyai');

    expect(await sample(metrics, 'voice_agent_interruptions_total{department="faq",provider="assemblyai"}')).toBe(2);
  });

  it('counts call outcomes, every known outcome present from the start', async () => {
    metrics.countFromZero(known);
    metrics.callOutcome('escalated');

    expect(await sample(metrics, 'voice_agent_call_outcomes_total{outcome="escalated"}')).toBe(1);
    expect(await sample(metrics, 'voice_agent_call_outcomes_total{outcome="resolved"}')).toBe(0);
    expect(await samples(metrics, 'voice_agent_call_outcomes_total')).toHaveLength(4);
  });

  it('bounds provider error codes sent by the remote peer', async () => {
    metrics.providerError('Rate Limit Exceeded');
    for (let index = 0; index < 100; index++) metrics.providerError(`random-${index}`);

    const lines = await samples(metrics, 'voice_agent_provider_errors_total');
    expect(lines).toContain('voice_agent_provider_errors_total{code="rate_limit_exceeded"} 1');
    expect(lines).toHaveLength(50 + 1);
    expect(await sample(metrics, 'voice_agent_provider_errors_total{code="other"}')).toBe(51);
  });

  it('counts provider reconnects by result', async () => {
    metrics.providerReconnect('resumed');

    expect(await sample(metrics, 'voice_agent_provider_reconnects_total{result="resumed"}')).toBe(1);
  });

  it('records a finished tool call with a bounded tool label, beside the fields older callers use', async () => {
    metrics.toolFinished('lookup_invoice', 'ok', 0.04);
    metrics.toolCalls.inc({ tool: 'create_ticket', result: 'ok' });

    expect(await sample(metrics, 'voice_agent_tool_calls_total{tool="lookup_invoice",result="ok"}')).toBe(1);
    expect(await sample(metrics, 'voice_agent_tool_calls_total{tool="create_ticket",result="ok"}')).toBe(1);
    expect(await sample(metrics, 'voice_agent_tool_duration_seconds_count{tool="lookup_invoice"}')).toBe(1);
  });
});
