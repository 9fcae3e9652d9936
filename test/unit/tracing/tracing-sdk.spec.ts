import { trace } from '@opentelemetry/api';
import { serviceNameFrom, startTracing, shutdownTracing, tracingRequested } from '../../../src/tracing/tracing-sdk';

describe('tracingRequested', () => {
  const endpoint = 'http://collector:4318';

  it.each<[string, NodeJS.ProcessEnv, boolean]>([
    ['nothing set', {}, false],
    ['an OTLP endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, true],
    ['a traces endpoint', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/v1/traces` }, true],
    ['an empty endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }, false],
    ['the otlp exporter named, default endpoint', { OTEL_TRACES_EXPORTER: 'otlp' }, true],
    ['otlp among others', { OTEL_TRACES_EXPORTER: 'zipkin, OTLP' }, true],
    ['only an exporter we do not offer', { OTEL_TRACES_EXPORTER: 'console', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, false],
    ['exporter none', { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, false],
    ['none among others', { OTEL_TRACES_EXPORTER: 'otlp,none' }, false],
    ['an empty exporter list falls back to the endpoint', { OTEL_TRACES_EXPORTER: '', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, true],
    ['the SDK disabled', { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, false],
    ['the SDK disabled, any case', { OTEL_SDK_DISABLED: ' TRUE ', OTEL_TRACES_EXPORTER: 'otlp' }, false],
    ['the SDK explicitly enabled', { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, true],
    ['only metrics configured', { OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: endpoint }, false],
  ])('%s: %p', (_case, env, expected) => {
    expect(tracingRequested(env)).toBe(expected);
  });
});

describe('serviceNameFrom', () => {
  it('takes OTEL_SERVICE_NAME, else the product name', () => {
    expect(serviceNameFrom({ OTEL_SERVICE_NAME: 'voice-eu' })).toBe('voice-eu');
    expect(serviceNameFrom({ OTEL_SERVICE_NAME: ' ' })).toBe('contact-center-voice-agents');
    expect(serviceNameFrom({})).toBe('contact-center-voice-agents');
  });
});

describe('startTracing when not configured', () => {
  afterEach(() => shutdownTracing());

  it('starts nothing, so the global tracer stays a no-op', async () => {
    await expect(startTracing({}, 'service')).resolves.toBe(false);
    await expect(startTracing({}, 'service')).resolves.toBe(false);
    const span = trace.getTracer('probe').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    span.end();
  });

  it('shuts down at once when nothing was started', async () => {
    await startTracing({}, 'worker');
    await expect(shutdownTracing()).resolves.toBeUndefined();
  });
});
