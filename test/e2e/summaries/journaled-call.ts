import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CallEnding, CallEvent, CallMetadata } from '../../../src/call-journal/call-event.types';
import { CallJournalService } from '../../../src/call-journal/call-journal.service';
import { CallDetailView } from '../../../src/summaries/dtos/call.response';
import { TEST_SUPERVISOR_TOKEN } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';
import { CallScript } from '../../unit/summaries/call.factory';

/** Drives the journal the way a live call session does: begin, record every event, finish. */
export async function playCall(
  app: INestApplication,
  metadata: CallMetadata,
  script: CallScript,
  ending: CallEnding,
  { logHandoffRows = true } = {},
): Promise<void> {
  const journal = app.get(CallJournalService);
  await journal.begin(metadata);
  if (logHandoffRows) await logHandoffs(app, metadata.callSid, script.events);
  for (const event of script.events) journal.record(metadata.callSid, event);
  await journal.finish(metadata.callSid, ending);
}

/** Writes the handoff log rows the handoff engine would have written for the call's handoff events. */
export async function logHandoffs(app: INestApplication, callSid: string, events: CallEvent[]): Promise<void> {
  const dataSource = app.get(DataSource);
  for (const event of events) {
    if (event.type !== 'handoff') continue;
    await dataSource.query(
      `INSERT INTO handoffs (id, call_id, from_agent, to_agent, reason, summary, status, code, requested_at, applied_at, latency_ms, from_version, to_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, 1)`,
      [
        event.handoffId,
        callSid,
        event.from,
        event.to,
        event.reason,
        event.summary,
        event.status,
        event.status === 'applied' ? null : 'PING_PONG',
        event.at,
        event.status === 'applied' ? event.at : null,
        event.status === 'applied' ? 12 : null,
      ],
    );
  }
}

export function asSupervisor(baseUrl: string, path: string): request.Test {
  return request(baseUrl).get(path).set('authorization', `Bearer ${TEST_SUPERVISOR_TOKEN}`);
}

/** GET /calls/:id once the post-call job has written the summary. */
export async function summarisedCall(baseUrl: string, callSid: string, timeoutMs = 10_000): Promise<CallDetailView> {
  return waitFor(
    async () => {
      const response = await asSupervisor(baseUrl, `/calls/${callSid}`);
      return response.status === 200 && response.body.summary ? (response.body as CallDetailView) : undefined;
    },
    { timeoutMs, what: `the summary of ${callSid} through GET /calls/:id` },
  );
}
