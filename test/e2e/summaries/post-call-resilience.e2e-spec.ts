import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { POST_CALL_SUMMARY_QUEUE } from '../../../src/summaries/post-call-summary.job';
import { startTestApp, TestApp } from '../../support/test-app';
import { TcpProxy } from '../../support/tcp-proxy';
import { isolate } from '../../support/test-database';
import { waitFor } from '../../support/wait-for';
import { callFactory, CallScript } from '../../unit/summaries/call.factory';
import { logHandoffs, playCall, summarisedCall } from './journaled-call';

describe('post-call summary when Postgres is down', () => {
  let service: TestApp;
  let postgres: TcpProxy;

  beforeAll(async () => {
    const { databaseUrl } = await isolate('summarypgdown');
    postgres = TcpProxy.forUrl(databaseUrl);
    await postgres.start();
    service = await startTestApp({ DATABASE_URL: postgres.proxiedUrl(databaseUrl), SUMMARY_JOB_BACKOFF_MS: '100' }, 'summarypgdown');
  });
  afterAll(async () => {
    await postgres.start().catch(() => undefined);
    await service.close();
    await postgres.stop();
  });

  it('retries the job with backoff and writes the summary once Postgres is back', async () => {
    const queue = service.app.get<Queue>(getQueueToken(POST_CALL_SUMMARY_QUEUE));
    const metadata = callFactory.metadata({ startedAt: new Date().toISOString() });
    const script = callFactory.refundCall(new CallScript(new Date(metadata.startedAt)));
    await logHandoffs(service.app, metadata.callSid, script.events);
    await postgres.cut();
    await playCall(service.app, metadata, script, script.ending('hangup', 'resolved', ['triage', 'refund']), { logHandoffRows: false });

    const failing = await waitFor(
      async () => {
        const job = await queue.getJob(metadata.callSid);
        return job && job.attemptsMade >= 2 ? job : undefined;
      },
      { what: 'the job failing and being retried while Postgres is down', timeoutMs: 20_000 },
    );
    expect(await failing.getState()).not.toBe('failed');

    await postgres.start();
    const call = await summarisedCall(service.baseUrl, metadata.callSid, 30_000);
    expect(call.summary?.actions.refunds).toEqual([{ refundId: 'RF-1A2B3C4D5E', orderId: 'ORD-12345', amount: 84.99, currency: 'USD' }]);
    expect(call.events).toHaveLength(script.events.length + 1);
    const job = await queue.getJob(metadata.callSid);
    expect(await job?.getState()).toBe('completed');
    expect(job!.attemptsMade).toBeGreaterThanOrEqual(2);
    const [counts] = await service.app
      .get(DataSource)
      .query('SELECT count(*)::int AS summaries FROM call_summaries WHERE call_id = $1', [metadata.callSid]);
    expect(counts.summaries).toBe(1);
  });
});

interface LlmRequest {
  authorization?: string;
  body: { model: string; messages: { role: string; content: string }[] };
}

/** Plays an OpenAI-compatible endpoint: answers, or fails with a 500. */
class FakeLlm {
  readonly requests: LlmRequest[] = [];
  failing = false;
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void readBody(request).then((body) => {
        if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
          response.writeHead(404).end();
          return;
        }
        this.requests.push({ authorization: request.headers.authorization, body: JSON.parse(body) });
        if (this.failing) {
          response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"overloaded"}');
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            choices: [
              {
                message: {
                  role: 'assistant',
                  content: 'Jane asked for a refund of ORD-12345 and got RF-1A2B3C4D5E; reach her at jane@example.com.',
                },
              },
            ],
          }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('post-call summary narrative from an OpenAI-compatible endpoint', () => {
  let service: TestApp;
  const llm = new FakeLlm();

  beforeAll(async () => {
    await llm.start();
    service = await startTestApp(
      { SUMMARY_LLM_URL: llm.url, SUMMARY_LLM_MODEL: 'test-model', SUMMARY_LLM_API_KEY: 'test-llm-key' },
      'narrative',
    );
  });
  afterAll(async () => {
    await service.close();
    await llm.stop();
  });

  async function summarisedRefundCall() {
    const metadata = callFactory.metadata({ startedAt: new Date().toISOString() });
    const script = callFactory.refundCall(new CallScript(new Date(metadata.startedAt)));
    await playCall(service.app, metadata, script, script.ending('hangup', 'resolved', ['triage', 'refund']));
    return summarisedCall(service.baseUrl, metadata.callSid);
  }

  it('stores a short narrative beside the structured summary, sending only redacted data', async () => {
    llm.failing = false;
    const call = await summarisedRefundCall();
    expect(call.summary?.narrative).toBe('Jane asked for a refund of ORD-12345 and got RF-1A2B3C4D5E; reach her at [email].');
    expect(call.summary?.actions.refunds).toHaveLength(1);
    const sent = llm.requests.at(-1)!;
    expect(sent.authorization).toBe('Bearer test-llm-key');
    expect(sent.body.model).toBe('test-model');
    const payload = sent.body.messages.map((message) => message.content).join('\n');
    expect(payload).toContain('ORD-12345');
    expect(payload).not.toContain('jane@example.com');
  });

  it('keeps the structured summary when the endpoint fails', async () => {
    llm.failing = true;
    const requestsBefore = llm.requests.length;
    const call = await summarisedRefundCall();
    expect(llm.requests.length).toBeGreaterThan(requestsBefore);
    expect(call.summary).toMatchObject({
      narrative: null,
      outcome: 'resolved',
      actions: { refunds: [expect.objectContaining({ refundId: 'RF-1A2B3C4D5E' })] },
    });
  });
});
