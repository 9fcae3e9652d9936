import { context, propagation, trace } from '@opentelemetry/api';

export type TracingRole = 'service' | 'worker';

export const DEFAULT_SERVICE_NAME = 'contact-center-voice-agents';
const SHUTDOWN_BOUND_MS = 2000;

interface RunningSdk {
  shutdown(): Promise<void>;
}

let starting: Promise<boolean> | undefined;
let running: RunningSdk | undefined;

function listFromEnv(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
}

/**
 * Off unless the standard variables configure an OTLP exporter. OTEL_TRACES_EXPORTER, when set,
 * decides; otherwise an OTLP endpoint does. `console` is not offered: it would write into the
 * JSON log stream on stdout.
 */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = listFromEnv(env.OTEL_TRACES_EXPORTER);
  if (exporters.includes('none')) return false;
  if (exporters.length > 0) return exporters.includes('otlp');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

export function serviceNameFrom(env: NodeJS.ProcessEnv): string {
  return env.OTEL_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME;
}

/**
 * Starts the OpenTelemetry Node SDK when `env` asks for it: traces only, over OTLP/HTTP (the
 * exporter reads OTEL_EXPORTER_OTLP_* from process.env itself), no auto-instrumentation.
 * Idempotent; resolves to whether tracing is on. The SDK is loaded only when it is.
 */
export function startTracing(env: NodeJS.ProcessEnv, role: TracingRole): Promise<boolean> {
  starting ??= start(env, role);
  return starting;
}

async function start(env: NodeJS.ProcessEnv, role: TracingRole): Promise<boolean> {
  if (!tracingRequested(env)) return false;
  const [{ NodeSDK }, { OTLPTraceExporter }, { defaultResource, resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const sdk = new NodeSDK({
    serviceName: serviceNameFrom(env),
    resource: defaultResource().merge(resourceFromAttributes({ 'service.role': role })),
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [],
    // Left out, the SDK would start OTLP metric and log exporters by default.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  running = sdk;
  return true;
}

/**
 * Flushes and stops the SDK, waiting at most `boundMs`, then returns the global API to its no-op
 * state. Never rejects: an unreachable collector must not hold up shutdown.
 */
export async function shutdownTracing(boundMs = SHUTDOWN_BOUND_MS): Promise<void> {
  const pending = starting;
  starting = undefined;
  await pending?.catch(() => false);
  const sdk = running;
  running = undefined;
  if (!sdk) return;
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, boundMs);
  });
  try {
    await Promise.race([sdk.shutdown().catch(() => undefined), bound]);
  } finally {
    clearTimeout(timer);
    trace.disable();
    propagation.disable();
    context.disable();
  }
}
