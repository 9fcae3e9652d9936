import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { HandoffLogEntry } from '../../../src/handoff/handoff.types';
import { HANDOFF_LOG_QUEUE } from '../../../src/handoff/handoff-log/handoff-log.job';
import { HandoffLogService } from '../../../src/handoff/handoff-log/handoff-log.service';
import { dataSourceOptions } from '../../../src/persistence/data-source-options';
import { HandoffEntity } from '../../../src/persistence/entities/handoff.entity';
import { TcpProxy } from '../../support/tcp-proxy';
import { startTestApp, TEST_ADMIN_TOKEN, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { isolate } from '../../support/test-database';
import { waitFor } from '../../support/wait-for';
import { handoffLogEntryFactory } from '../../unit/handoff-log/handoff-log-entry.factory';

const supervisor = { Authorization: `Bearer ${TEST_SUPERVISOR_TOKEN}` };

describe('GET /handoffs', () => {
  let service: TestApp;
  const api = () => request(service.baseUrl);
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

  // One call with three hops, a second call with a refusal, and an older cancelled one.
  const callA = 'CA00000000000000000000000000000001';
  const callB = 'CA00000000000000000000000000000002';
  const callC = 'CA00000000000000000000000000000003';
  const entries: HandoffLogEntry[] = [
    handoffLogEntryFactory.applied({ callId: callA, fromAgent: 'triage', toAgent: 'billing', requestedAt: minutesAgo(30) }),
    handoffLogEntryFactory.applied({ callId: callA, fromAgent: 'billing', toAgent: 'refund', requestedAt: minutesAgo(29) }),
    handoffLogEntryFactory.applied({ callId: callA, fromAgent: 'refund', toAgent: 'escalation', requestedAt: minutesAgo(28) }),
    handoffLogEntryFactory.refused({ callId: callB, fromAgent: 'billing', toAgent: 'triage', requestedAt: minutesAgo(10) }),
    handoffLogEntryFactory.applied({
      callId: callC,
      fromAgent: 'triage',
      toAgent: 'faq',
      status: 'cancelled',
      code: 'INTERRUPTED',
      appliedAt: null,
      requestedAt: minutesAgo(120),
    }),
  ];
  const newestFirst = [...entries].sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  const ids = (response: request.Response) => response.body.items.map((item: HandoffLogEntry) => item.id);

  beforeAll(async () => {
    service = await startTestApp({}, 'handoffs');
    const log = service.app.get(HandoffLogService);
    for (const entry of entries) log.record(entry);
    log.record(entries[0]); // a retried record of the same handoff stays one row
    await waitFor(async () => (await api().get('/handoffs').set(supervisor)).body.total === entries.length, {
      what: 'the recorded handoffs',
    });
  });
  afterAll(() => service.close());

  it('needs a supervisor or admin token', async () => {
    await api().get('/handoffs').expect(401);
    await api()
      .get('/handoffs')
      .set({ Authorization: `Bearer ${TEST_ADMIN_TOKEN}` })
      .expect(200);
  });

  it('lists every handoff newest first, as recorded', async () => {
    const response = await api().get('/handoffs').set(supervisor).expect(200);
    expect(response.body).toMatchObject({ page: 1, pageSize: 50, total: 5 });
    expect(ids(response)).toEqual(newestFirst.map((entry) => entry.id));
    expect(response.body.items.find((item: HandoffLogEntry) => item.id === entries[3].id)).toEqual(entries[3]);
  });

  it('paginates', async () => {
    const response = await api().get('/handoffs?page=2&pageSize=2').set(supervisor).expect(200);
    expect(response.body).toMatchObject({ page: 2, pageSize: 2, total: 5 });
    expect(ids(response)).toEqual(newestFirst.slice(2, 4).map((entry) => entry.id));
  });

  it.each([
    ['callId', `callId=${callA}`, (entry: HandoffLogEntry) => entry.callId === callA],
    ['from', 'from=billing', (entry: HandoffLogEntry) => entry.fromAgent === 'billing'],
    ['to', 'to=escalation', (entry: HandoffLogEntry) => entry.toAgent === 'escalation'],
    [
      'department (either side)',
      'department=billing',
      (entry: HandoffLogEntry) => entry.fromAgent === 'billing' || entry.toAgent === 'billing',
    ],
    ['status', 'status=refused', (entry: HandoffLogEntry) => entry.status === 'refused'],
    [
      'from and to together',
      'from=triage&to=billing',
      (entry: HandoffLogEntry) => entry.fromAgent === 'triage' && entry.toAgent === 'billing',
    ],
  ])('filters by %s', async (_filter, query, keep) => {
    const response = await api().get(`/handoffs?${query}`).set(supervisor).expect(200);
    const expected = newestFirst.filter(keep).map((entry) => entry.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(response)).toEqual(expected);
    expect(response.body.total).toBe(expected.length);
  });

  it('filters by time window', async () => {
    const since = minutesAgo(60);
    const until = minutesAgo(20);
    const response = await api().get('/handoffs').query({ since, until }).set(supervisor).expect(200);
    expect(ids(response)).toEqual(
      newestFirst.filter((entry) => entry.requestedAt >= since && entry.requestedAt <= until).map((entry) => entry.id),
    );
    expect(response.body.total).toBe(3);
  });

  it('documents the route in OpenAPI', async () => {
    const response = await api().get('/docs/json').expect(200);
    expect(response.body.paths['/handoffs'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      expect.arrayContaining(['callId', 'from', 'to', 'department', 'status', 'since', 'until', 'page', 'pageSize']),
    );
  });

  it('refuses bad filters, naming them', async () => {
    const response = await api().get('/handoffs?status=done&since=yesterday&pageSize=500&colour=red').set(supervisor).expect(400);
    expect(response.body.fields.map((field: { field: string }) => field.field).sort()).toEqual(['colour', 'pageSize', 'since', 'status']);
  });
});

describe('the handoff log while Postgres is down', () => {
  let service: TestApp;
  let postgres: TcpProxy;
  let direct: DataSource;
  // TcpProxy.start() on a running proxy would orphan its listening server: only restart a cut one.
  let postgresCut = false;

  beforeAll(async () => {
    const { databaseUrl } = await isolate('handoffs-down');
    postgres = TcpProxy.forUrl(databaseUrl);
    await postgres.start();
    service = await startTestApp({ DATABASE_URL: postgres.proxiedUrl(databaseUrl) }, 'handoffs-down');
    direct = new DataSource(dataSourceOptions(databaseUrl));
    await direct.initialize();
  });
  afterAll(async () => {
    if (postgresCut) await postgres.start();
    await service?.close();
    await direct?.destroy();
    await postgres.stop();
  });

  const stored = (id: string) => direct.getRepository(HandoffEntity).findOne({ where: { id } });

  it('returns at once, queues the entry, and stores it when Postgres returns', async () => {
    const log = service.app.get(HandoffLogService);
    const queue = service.app.get<Queue>(getQueueToken(HANDOFF_LOG_QUEUE));
    await postgres.cut();
    postgresCut = true;

    const entry = handoffLogEntryFactory.applied();
    const started = performance.now();
    log.record(entry);
    expect(performance.now() - started).toBeLessThan(20);

    const job = await waitFor(() => queue.getJob(entry.id), { what: 'the retry job for the handoff' });
    expect(job.data).toEqual(entry);
    expect(await stored(entry.id)).toBeNull();

    await postgres.start();
    postgresCut = false;
    const row = await waitFor(() => stored(entry.id).then((found) => found ?? undefined), {
      timeoutMs: 20_000,
      what: 'the handoff stored after Postgres returned',
    });
    expect(row).toMatchObject({
      callId: entry.callId,
      fromAgent: 'triage',
      toAgent: 'billing',
      status: 'applied',
      latencyMs: entry.latencyMs,
      fromVersion: 1,
      toVersion: 1,
    });
    expect(row.requestedAt.toISOString()).toBe(entry.requestedAt);

    const listed = await request(service.baseUrl).get(`/handoffs?callId=${entry.callId}`).set(supervisor).expect(200);
    expect(listed.body.items).toEqual([entry]);
  });
});
