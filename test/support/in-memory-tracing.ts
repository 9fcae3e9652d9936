import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

export interface InMemoryTracing {
  /** Every span ended since install (or the last reset), in the order they ended. */
  spans(): ReadableSpan[];
  reset(): void;
  /** Shuts the provider down and returns the global API to its no-op state. */
  uninstall(): Promise<void>;
}

/** Records spans of code that uses the global OpenTelemetry API, for one test file at a time. */
export function installInMemoryTracing(): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  if (!trace.setGlobalTracerProvider(provider)) throw new Error('a global tracer provider is already registered; uninstall it first');
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    uninstall: async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
    },
  };
}
