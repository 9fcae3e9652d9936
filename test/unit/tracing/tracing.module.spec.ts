import { Test } from '@nestjs/testing';
import { CallTracer } from '../../../src/tracing/call-tracer';
import { TracingModule } from '../../../src/tracing/tracing.module';
import { startTracing } from '../../../src/tracing/tracing-sdk';

describe('TracingModule', () => {
  it('provides CallTracer and stops the SDK, bounded, when the application shuts down', async () => {
    await startTracing({ OTEL_TRACES_EXPORTER: 'otlp' }, 'service');
    const module = await Test.createTestingModule({ imports: [TracingModule] }).compile();
    const tracer = module.get(CallTracer);
    expect(tracer.startCall({}, Date.now()).traceId).toMatch(/^[0-9a-f]{32}$/);

    const closing = Date.now();
    await module.close();

    expect(Date.now() - closing).toBeLessThan(2_500);
    expect(tracer.startCall({}, Date.now()).traceId).toBeUndefined();
  });
});
