import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CallEndReason, CallOutcome } from '../../call-journal/call-event.types';
import { LiveCallView as JournalLiveCall } from '../../call-journal/call-journal.reader';
import { HandoffView } from '../../handoff/handoff-log/handoff-log.response';
import { CallSummary } from '../call-summary.types';
import { CALL_OUTCOMES } from './calls.query.dto';
import { PageOf } from '../../common/pagination.dto';

/** summarised: in Postgres; live: still on a line; ended: over, summary not written yet. */
export type CallRecordStatus = 'summarised' | 'live' | 'ended';
const CALL_RECORD_STATUSES: CallRecordStatus[] = ['summarised', 'live', 'ended'];

export class CallView {
  @ApiProperty({ description: 'Twilio call SID' })
  callSid: string;

  @ApiProperty({ description: 'Twilio Media Stream SID' })
  streamSid: string;

  @ApiProperty({ description: 'Caller number with all but the last digits masked', example: '+1******4567' })
  fromMasked: string;

  @ApiProperty({ description: 'Called number, masked like fromMasked' })
  toMasked: string;

  @ApiProperty({ format: 'date-time' })
  startedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null while the call is live' })
  endedAt: string | null;

  @ApiProperty({ type: Number, nullable: true })
  durationSeconds: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'The department the call ended in (or is in, when live)' })
  finalDepartment: string | null;

  @ApiProperty({ type: [String], description: 'Departments in the order the call went through them' })
  departments: string[];

  @ApiProperty({ enum: CALL_OUTCOMES, nullable: true })
  outcome: CallOutcome | null;

  @ApiProperty({ type: String, nullable: true, description: 'How the call ended (twilio-stop, hangup, human-transfer, provider-lost...)' })
  endReason: CallEndReason | null;

  @ApiProperty({ enum: CALL_RECORD_STATUSES })
  status: CallRecordStatus;
}

export class CallPage extends PageOf(CallView) {}

/** One journaled event: seq, at and type, plus the fields of its type (redacted). */
export class CallEventView {
  [field: string]: unknown;

  @ApiProperty({ description: 'Position in the call, from 0' })
  seq: number;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({
    description: 'call.started, caller.said, agent.said, tool.called, tool.result, handoff, interruption, escalation, call.ended...',
  })
  type: string;
}

export class CallDetailView extends CallView {
  @ApiProperty({ type: [CallEventView], description: 'Every event of the call in order; further fields depend on the type' })
  events: CallEventView[];

  @ApiProperty({ type: [HandoffView] })
  handoffs: HandoffView[];

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'The structured post-call summary (reasonForCall, departmentsPath, actions, outcome, openItems...), ' +
      'with narrative and writtenAt; null until the post-call job has written it',
  })
  summary: (CallSummary & { narrative: string | null; writtenAt: string }) | null;
}

export class LiveCallView implements JournalLiveCall {
  @ApiProperty({ description: 'Twilio call SID' })
  callSid: string;

  @ApiProperty({ example: '+1******4567' })
  fromMasked: string;

  @ApiProperty({ format: 'date-time' })
  startedAt: string;

  @ApiProperty({ description: 'The service instance the call is on' })
  instanceId: string;

  @ApiProperty({ format: 'date-time', description: "That instance's last heartbeat for the call" })
  lastHeartbeatAt: string;

  @ApiPropertyOptional({ description: 'The department the caller is with now' })
  department?: string;
}
