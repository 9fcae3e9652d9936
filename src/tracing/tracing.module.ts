import { Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { CallTracer } from './call-tracer';
import { shutdownTracing } from './tracing-sdk';

/** Spans through CallTracer everywhere; the SDK itself is started by the process entry point (main.ts, worker.ts) before Nest. */
@Global()
@Module({
  providers: [CallTracer],
  exports: [CallTracer],
})
export class TracingModule implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return shutdownTracing();
  }
}
