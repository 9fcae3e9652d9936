import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import { TcpProxy } from '../support/tcp-proxy';
import { isolate } from '../support/test-database';
import { waitFor } from '../support/wait-for';

describe('operations: health, readiness, metrics', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp({}, 'ops');
  });
  afterAll(() => service.close());

  it('answers liveness', async () => {
    const response = await request(service.baseUrl).get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', draining: false });
  });

  it('is ready when Postgres and Redis answer', async () => {
    const response = await request(service.baseUrl).get('/ready').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.info.postgres.status).toBe('up');
    expect(response.body.info.redis.status).toBe('up');
  });

  it('serves Prometheus text with process metrics and our own', async () => {
    const response = await request(service.baseUrl).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(response.text).toMatch(/^voice_agent_live_calls \d/m);
    expect(response.text).toContain('# TYPE voice_agent_handoffs_total counter');
  });

  it('tags every response with a request id, keeping a sane one from the caller', async () => {
    const given = await request(service.baseUrl).get('/health').set('x-request-id', 'trace-123').expect(200);
    expect(given.headers['x-request-id']).toBe('trace-123');
    const generated = await request(service.baseUrl).get('/health').set('x-request-id', 'bad id with spaces').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document', async () => {
    const response = await request(service.baseUrl).get('/docs/json').expect(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/health', '/ready', '/metrics']));
    await request(service.baseUrl).get('/docs').expect(200);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await request(service.baseUrl).get('/nope').expect(404);
    expect(response.body).toMatchObject({ status: 404, error: 'Not Found' });
  });
});

describe('readiness follows its dependencies', () => {
  let service: TestApp;
  let postgres: TcpProxy;
  let redis: TcpProxy;

  beforeAll(async () => {
    const { databaseUrl } = await isolate('readiness');
    postgres = TcpProxy.forUrl(databaseUrl);
    redis = TcpProxy.forUrl('redis://127.0.0.1:6379');
    await postgres.start();
    await redis.start();
    service = await startTestApp(
      { DATABASE_URL: postgres.proxiedUrl(databaseUrl), REDIS_URL: redis.proxiedUrl('redis://127.0.0.1:6379') },
      'readiness',
    );
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await postgres.start().catch(() => undefined);
    await service.close();
    await redis.stop();
    await postgres.stop();
  });

  const ready = () => request(service.baseUrl).get('/ready');

  it('goes not-ready while Postgres is down and ready again when it returns', async () => {
    await ready().expect(200);
    await postgres.cut();
    const down = await waitFor(
      async () => {
        const response = await ready();
        return response.status === 503 ? response : undefined;
      },
      { what: 'not ready with Postgres down' },
    );
    expect(down.body).toMatchObject({ status: 503, message: expect.stringMatching(/not ready/i) });
    expect(down.body.details.postgres.status).toBe('down');
    expect(down.body.details.redis.status).toBe('up');
    await request(service.baseUrl).get('/health').expect(200);
    await postgres.start();
    await waitFor(async () => (await ready()).status === 200, { what: 'ready again after Postgres returned', timeoutMs: 15_000 });
  });

  it('goes not-ready while Redis is down and ready again when it returns', async () => {
    await ready().expect(200);
    await redis.cut();
    const down = await waitFor(
      async () => {
        const response = await ready();
        return response.status === 503 ? response : undefined;
      },
      { what: 'not ready with Redis down' },
    );
    expect(down.body.details.redis.status).toBe('down');
    await redis.start();
    await waitFor(async () => (await ready()).status === 200, { what: 'ready again after Redis returned', timeoutMs: 15_000 });
  });
});

describe('shutdown', () => {
  it('closes promptly while Redis is down, queue workers included', async () => {
    const redis = TcpProxy.forUrl('redis://127.0.0.1:6379');
    await redis.start();
    const service = await startTestApp({ REDIS_URL: redis.proxiedUrl('redis://127.0.0.1:6379') }, 'close-redis-down');
    await redis.cut();
    await waitFor(async () => (await request(service.baseUrl).get('/ready')).status === 503, { what: 'not ready with Redis down' });
    const started = Date.now();
    await service.close();
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
