import { trace } from '@opentelemetry/api';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { CallTracer } from '../../../src/tracing/call-tracer';
import { shutdownTracing, startTracing } from '../../../src/tracing/tracing-sdk';
import { installInMemoryTracing } from '../../support/in-memory-tracing';

interface ReceivedRequest {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

interface OtlpKeyValue {
  key: string;
  value: { stringValue?: string; intValue?: number | string; boolValue?: boolean };
}

interface OtlpJsonTraces {
  resourceSpans: {
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: { scope: { name: string }; spans: { traceId: string; name: string; attributes: OtlpKeyValue[] }[] }[];
  }[];
}

const callSid = 'CA0123456789abcdef0123456789abcdef';

/** A minimal OTLP/HTTP receiver: records every request and answers with an empty export response. */
async function startReceiver(): Promise<{ server: Server; endpoint: string; received: ReceivedRequest[] }> {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

function environmentWithoutOtel(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')));
}

// The OTLP exporter loads `http` through a native dynamic import(), which Jest's module sandbox
// refuses; so the export runs where it runs in production, in a plain Node process.
const callInChildProcess = `
require('reflect-metadata');
const { trace } = require('@opentelemetry/api');
const { startTracing, shutdownTracing } = require(${JSON.stringify(resolve(__dirname, '../../../src/tracing/tracing-sdk'))});
const { CallTracer } = require(${JSON.stringify(resolve(__dirname, '../../../src/tracing/call-tracer'))});
(async () => {
  const started = await startTracing(process.env, 'worker');
  const call = new CallTracer().startCall({ 'call.sid': ${JSON.stringify(callSid)}, 'call.department': 'billing' }, Date.now());
  call.child('turn', { startTime: Date.now(), attributes: { 'turn.number': 1 } }).end();
  call.end();
  const shutdownStarted = Date.now();
  await shutdownTracing();
  const shutdownMs = Date.now() - shutdownStarted;
  const probe = trace.getTracer('probe').startSpan('probe');
  process.stdout.write(JSON.stringify({ started, traceId: call.traceId, shutdownMs, recordingAfterShutdown: probe.isRecording() }));
})();
`;

const attributeMap = (attributes: OtlpKeyValue[]) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, value.stringValue ?? value.intValue ?? value.boolValue]));

describe('tracing through the real SDK to an OTLP/HTTP receiver', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
  });

  afterAll(async () => {
    receiver.server.closeAllConnections();
    receiver.server.close();
    await once(receiver.server, 'close');
  });

  it('exports the call span as OTLP JSON to /v1/traces when the SDK shuts down', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', callInChildProcess], {
      cwd: resolve(__dirname, '../../..'),
      env: { ...environmentWithoutOtel(), OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
      timeout: 20_000,
    });
    const child = JSON.parse(stdout) as { started: boolean; traceId: string; shutdownMs: number; recordingAfterShutdown: boolean };
    expect(child).toMatchObject({ started: true, traceId: expect.stringMatching(/^[0-9a-f]{32}$/), recordingAfterShutdown: false });
    expect(child.shutdownMs).toBeLessThan(2_000);

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v1/traces');
    expect(request.headers['content-type']).toBe('application/json');
    const [resourceSpans] = (JSON.parse(request.body) as OtlpJsonTraces).resourceSpans;
    expect(attributeMap(resourceSpans.resource.attributes)).toMatchObject({
      'service.name': 'contact-center-voice-agents',
      'service.role': 'worker',
    });
    expect(resourceSpans.scopeSpans.map((scope) => scope.scope.name)).toEqual(['contact-center-voice-agents']);
    const spans = resourceSpans.scopeSpans.flatMap((scope) => scope.spans);
    expect(spans.map((span) => span.name).sort()).toEqual(['call', 'turn']);
    const callSpan = spans.find((span) => span.name === 'call');
    expect(callSpan?.traceId).toBe(child.traceId);
    expect(attributeMap(callSpan?.attributes ?? [])).toEqual({ 'call.sid': callSid, 'call.department': 'billing' });
  });
});

describe('the SDK in this process', () => {
  afterAll(() => shutdownTracing());

  it('records once started, and leaves the global API a no-op after a bounded shutdown', async () => {
    // Nothing reaches a collector from here: in Jest the exporter cannot load `http` (see above).
    const env = { OTEL_TRACES_EXPORTER: 'otlp' };
    await expect(startTracing(env, 'service')).resolves.toBe(true);
    await expect(startTracing(env, 'service')).resolves.toBe(true);
    const call = new CallTracer().startCall({ 'call.sid': callSid }, Date.now());
    expect(call.traceId).toMatch(/^[0-9a-f]{32}$/);
    call.end();

    const shutdownStarted = Date.now();
    await shutdownTracing(500);
    expect(Date.now() - shutdownStarted).toBeLessThan(1_000);

    expect(new CallTracer().startCall({ 'call.sid': callSid }, Date.now()).traceId).toBeUndefined();
    const probe = trace.getTracer('probe').startSpan('probe');
    expect(probe.isRecording()).toBe(false);
    const inMemory = installInMemoryTracing();
    await inMemory.uninstall();
  });
});
