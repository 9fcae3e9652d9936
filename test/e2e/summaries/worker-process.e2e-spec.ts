import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { POST_CALL_SUMMARY_QUEUE } from '../../../src/summaries/post-call-summary.job';
import { startTestApp, TestApp } from '../../support/test-app';
import { callFactory, CallScript } from '../../unit/summaries/call.factory';
import { playCall, summarisedCall } from './journaled-call';

const ROOT = join(__dirname, '..', '..', '..');

describe('the post-call worker as its own process', () => {
  let service: TestApp;
  let worker: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    service = await startTestApp({ RUN_WORKER: 'false' }, 'workerprocess');
  });
  afterAll(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) {
      worker.kill('SIGKILL');
      await once(worker, 'exit');
    }
    await service.close();
  });

  it('leaves jobs queued when the service runs no worker, and a worker process writes them and stops cleanly', async () => {
    const metadata = callFactory.metadata({ startedAt: new Date().toISOString() });
    const script = callFactory.refundCall(new CallScript(new Date(metadata.startedAt)));
    await playCall(service.app, metadata, script, script.ending('hangup', 'resolved', ['triage', 'refund']));
    const queue = service.app.get<Queue>(getQueueToken(POST_CALL_SUMMARY_QUEUE));
    expect(await (await queue.getJob(metadata.callSid))?.getState()).toBe('waiting');

    worker = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/worker.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: service.isolation.databaseUrl,
        REDIS_KEY_PREFIX: service.isolation.redisKeyPrefix,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const call = await summarisedCall(service.baseUrl, metadata.callSid, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\nworker output:\n${output}`);
    });
    expect(call.summary?.actions.refunds).toHaveLength(1);
    expect(output).toContain('Post-call summary worker running');

    // On SIGTERM the worker finishes the jobs in hand, closes the application and exits 0.
    const exited = once(worker, 'exit');
    worker.kill('SIGTERM');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const stoppedLine = output.split('\n').find((line) => line.includes('Queue worker stopped'));
    expect(stoppedLine).toContain('"queue":"post-call-summary"');
  }, 90_000);
});
