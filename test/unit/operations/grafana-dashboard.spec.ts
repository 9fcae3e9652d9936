import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Histogram } from 'prom-client';
import { MetricsService } from '../../../src/operations/metrics.service';

const ROOT = join(__dirname, '../../..');
const dashboard = JSON.parse(readFileSync(join(ROOT, 'docs/grafana/voice-agents.dashboard.json'), 'utf8')) as Dashboard;

interface Target {
  expr?: string;
  datasource?: { uid?: string };
}
interface Panel {
  title: string;
  type: string;
  datasource?: { uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; current?: { value?: string } }[] };
}

/** Added by Prometheus to every scraped series, so present whatever the service registers. */
const TARGET_LABELS = ['instance', 'job'];
const PROMQL_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'and', 'or', 'unless']);

interface Expression {
  metrics: string[];
  matchers: { metric: string; label: string }[];
  groupingLabels: string[];
}

/** Enough of PromQL for the dashboard's expressions: selectors, their matchers, grouping clauses. */
function parse(expr: string): Expression {
  const matchers: Expression['matchers'] = [];
  let rest = expr.replace(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g, (_, metric: string, body: string) => {
    for (const [, label] of body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"/g))
      matchers.push({ metric, label });
    return metric;
  });
  const groupingLabels: string[] = [];
  rest = rest.replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_, labels: string) => {
    groupingLabels.push(
      ...labels
        .split(',')
        .map((label) => label.trim())
        .filter(Boolean),
    );
    return ' ';
  });
  rest = rest.replace(/\[[^\]]*\]/g, ' ').replace(/"(?:[^"\\]|\\.)*"/g, ' ');
  const metrics = [...rest.matchAll(/(?<![\w.$:])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:]|\s*\()/g)]
    .map(([, name]) => name)
    .filter((name) => !PROMQL_KEYWORDS.has(name));
  return { metrics, matchers, groupingLabels };
}

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}

const metricsService = new MetricsService();

/** The label names a series of this name can carry, or undefined when the service exports no such series. */
function labelsOf(series: string): string[] | undefined {
  const registry = metricsService.registry;
  const exact = registry.getSingleMetric(series);
  const suffix = /_(bucket|sum|count)$/.exec(series);
  const histogram = exact ? undefined : suffix && registry.getSingleMetric(series.slice(0, suffix.index));
  const metric = exact ?? (histogram instanceof Histogram ? histogram : undefined);
  if (!metric) return undefined;
  // prom-client keeps the configured names on the metric without typing them.
  const own = (metric as unknown as { labelNames: string[] }).labelNames;
  return [...own, ...TARGET_LABELS, ...(suffix?.[1] === 'bucket' && histogram ? ['le'] : [])];
}

const expressions = allPanels(dashboard.panels).flatMap((panel) =>
  (panel.targets ?? []).filter((target) => target.expr).map((target) => ({ panel: panel.title, expr: target.expr as string })),
);

describe('the Grafana dashboard', () => {
  it('has expressions to check', () => {
    expect(expressions.length).toBeGreaterThan(20);
  });

  it.each(expressions)('$panel: $expr names only metrics the service exports', ({ expr }) => {
    const { metrics } = parse(expr);
    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics.filter((name) => labelsOf(name) === undefined)).toEqual([]);
  });

  it.each(expressions)('$panel: $expr matches and groups only by labels those metrics carry', ({ expr }) => {
    const { metrics, matchers, groupingLabels } = parse(expr);
    const unknownMatchers = matchers.filter(({ metric, label }) => !labelsOf(metric)?.includes(label));
    const unknownGrouping = groupingLabels.filter((label) => metrics.some((metric) => !labelsOf(metric)?.includes(label)));
    expect({ unknownMatchers, unknownGrouping }).toEqual({ unknownMatchers: [], unknownGrouping: [] });
  });

  it('shows the panels operators asked for', () => {
    const all = expressions.map(({ expr }) => expr).join('\n');
    for (const metric of [
      'voice_agent_live_calls',
      'voice_agent_turn_response_latency_seconds_bucket',
      'voice_agent_turn_answer_latency_seconds_bucket',
      'voice_agent_handoffs_total',
      'voice_agent_call_outcomes_total',
      'voice_agent_escalations_total',
      'voice_agent_calls_refused_total',
      'voice_agent_tool_duration_seconds_bucket',
      'voice_agent_provider_errors_total',
      'voice_agent_interruptions_total',
      'voice_agent_calls_started_total',
      'voice_agent_calls_ended_total',
    ])
      expect(all).toContain(metric);
  });

  it('reads every query from the provisioned Prometheus data source through one variable', () => {
    const variable = dashboard.templating.list.find((entry) => entry.name === 'DS_PROMETHEUS');
    expect(variable).toMatchObject({ type: 'datasource' });
    const provisioning = readFileSync(join(ROOT, 'deploy/observability/grafana/provisioning/datasources/prometheus.yml'), 'utf8');
    expect(provisioning).toMatch(new RegExp(`^\\s*uid:\\s*${variable?.current?.value}\\s*$`, 'm'));

    const panelsWithQueries = allPanels(dashboard.panels).filter((panel) => panel.targets?.length);
    for (const panel of panelsWithQueries) {
      expect(panel.datasource?.uid).toBe('${DS_PROMETHEUS}');
      for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe('${DS_PROMETHEUS}');
    }
  });
});

describe('the dashboard check itself', () => {
  it('finds metrics, matchers and grouping labels in an expression', () => {
    expect(
      parse(
        'histogram_quantile(0.95, sum by (le, department) (rate(voice_agent_turn_response_latency_seconds_bucket{provider=~"a|b"}[5m])))',
      ),
    ).toEqual({
      metrics: ['voice_agent_turn_response_latency_seconds_bucket'],
      matchers: [{ metric: 'voice_agent_turn_response_latency_seconds_bucket', label: 'provider' }],
      groupingLabels: ['le', 'department'],
    });
  });

  it('notices a renamed metric and a label the metric does not have', () => {
    expect(labelsOf('voice_agent_turn_latency_seconds_bucket')).toBeUndefined();
    expect(labelsOf('voice_agent_live_calls_bucket')).toBeUndefined();
    expect(labelsOf('voice_agent_handoffs_total')).not.toContain('department');
    expect(labelsOf('voice_agent_tool_duration_seconds_count')).not.toContain('le');
  });
});
