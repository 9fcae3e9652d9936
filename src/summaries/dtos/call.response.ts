import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CallEndReason, CallerTurn, CallOutcome, TurnBreakdown, TurnHandoff, TurnTool } from '../../call-journal/call-event.types';
import { HandoffView } from '../../handoff/handoff-log/handoff-log.response';
import { CallSummary } from '../call-summary.types';
import { CallTurn, MEASURED_FROM_VALUES, TURN_HANDOFF_STATUSES } from '../caller-turns.rules';
import { LastSaid, LIVE_CALL_RECENT_EVENTS, LiveCall, PendingWork } from '../live-calls.rules';
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

  @ApiProperty({ description: 'Position in the call, from 1' })
  seq: number;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({
    description: 'call.started, caller.said, agent.said, tool.called, tool.result, handoff, interruption, escalation, turn, call.ended...',
  })
  type: string;
}

export class TurnBreakdownView implements TurnBreakdown {
  @ApiProperty({ description: 'Part of answerLatencyMs spent waiting on tools' })
  toolsMs: number;

  @ApiProperty({ description: 'Part of answerLatencyMs spent on handoffs' })
  handoffsMs: number;

  @ApiProperty({ description: 'The rest: provider and network' })
  otherMs: number;
}

export class TurnToolView implements TurnTool {
  @ApiProperty()
  toolCallId: string;

  @ApiProperty({ example: 'lookup_order' })
  name: string;

  @ApiProperty({ description: 'ms after the caller stopped speaking' })
  startMs: number;

  @ApiProperty({ type: Number, nullable: true, description: 'null: still running when the turn closed' })
  durationMs: number | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'null: no result before the turn closed' })
  ok: boolean | null;
}

export class TurnHandoffView implements TurnHandoff {
  @ApiProperty()
  from: string;

  @ApiProperty()
  to: string;

  @ApiProperty({ enum: TURN_HANDOFF_STATUSES })
  status: TurnHandoff['status'];

  @ApiProperty({ description: 'ms after the caller stopped speaking' })
  startMs: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Transfer call to its session.update; null when none was sent' })
  latencyMs: number | null;
}

/** One caller turn: from the caller stopping speaking to the first agent audio of the answer sent to Twilio. */
export class CallTurnView implements CallTurn {
  @ApiProperty({ format: 'date-time', description: 'When the turn was recorded (once it was over)' })
  at: string;

  @ApiProperty({ description: '1, 2, ... within the call' })
  turn: number;

  @ApiProperty({ description: 'The department that answered (after a handoff in the turn, the new one)' })
  department: string;

  @ApiProperty({ description: 'The voice agent provider of the call', example: 'openai' })
  provider: string;

  @ApiProperty({ format: 'date-time', description: 'When the caller stopped speaking' })
  callerStoppedAt: string;

  @ApiProperty({
    enum: MEASURED_FROM_VALUES,
    description: "speech-end: the provider's end-of-speech event; transcript: the caller's transcript (no such event came)",
  })
  measuredFrom: CallerTurn['measuredFrom'];

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Caller stopped speaking -> first agent audio sent to Twilio (a "let me check" counts); null: no answer',
  })
  responseLatencyMs: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: "Caller stopped speaking -> first audio of the reply after the turn's tools and handoffs settled; null: no such reply",
  })
  answerLatencyMs: number | null;

  @ApiPropertyOptional({ type: TurnBreakdownView, description: 'How answerLatencyMs divides; absent when there was no answer' })
  breakdown?: TurnBreakdownView;

  @ApiProperty({ type: [TurnToolView] })
  tools: TurnToolView[];

  @ApiProperty({ type: [TurnHandoffView] })
  handoffs: TurnHandoffView[];
}

export class CallDetailView extends CallView {
  @ApiProperty({ type: [CallEventView], description: 'Every event of the call in order; further fields depend on the type' })
  events: CallEventView[];

  @ApiProperty({
    type: [CallTurnView],
    description: 'The caller turns in order, from the turn events (a turn event that is not well formed is left out)',
  })
  turns: CallTurnView[];

  @ApiProperty({ type: [HandoffView] })
  handoffs: HandoffView[];

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'The structured post-call summary (reasonForCall, departmentsPath, actions, outcome, openItems, responseLatency...), ' +
      'with narrative and writtenAt; null until the post-call job has written it',
  })
  summary: (CallSummary & { narrative: string | null; writtenAt: string }) | null;
}

export class LastSaidView implements LastSaid {
  @ApiProperty({ enum: ['caller', 'agent'] })
  speaker: LastSaid['speaker'];

  @ApiProperty({
    description: 'The words as journaled: emails, card and phone numbers already redacted; for a cut reply, what the caller heard',
  })
  text: string;

  @ApiProperty({ format: 'date-time' })
  at: string;
}

export class PendingWorkView implements PendingWork {
  @ApiProperty({
    type: [String],
    description: 'Backend tools called and not answered yet (no tool.result or tool.result.dropped), in call order',
    example: ['lookup_order'],
  })
  tools: string[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: "Where a transfer asked for and not settled yet goes: a department, or 'human' for transfer_to_human; null when none",
    example: 'refund',
  })
  handoffTo: string | null;
}

export class LiveCallView implements LiveCall {
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

  @ApiProperty({
    type: LastSaidView,
    nullable: true,
    description: `The latest caller.said or agent.said among the call's last ${LIVE_CALL_RECENT_EVENTS} events; null when there is none`,
  })
  lastSaid: LastSaidView | null;

  @ApiProperty({
    type: PendingWorkView,
    description: `Read off the call's last ${LIVE_CALL_RECENT_EVENTS} events: a tool called before them is not seen`,
  })
  pending: PendingWorkView;

  @ApiProperty({ description: 'Caller turns recorded so far (a turn is recorded once the caller speaks again)' })
  turns: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'responseLatencyMs of the latest recorded turn; null when none, or unanswered',
  })
  lastResponseLatencyMs: number | null;
}

/** The data of a live-calls event on GET /calls/live/events. */
export class LiveCallsUpdateView {
  @ApiProperty({ type: [LiveCallView], description: 'Every live call, as GET /calls/live answers' })
  calls: LiveCallView[];

  @ApiProperty({ format: 'date-time', description: 'When the service read this list' })
  at: string;
}
