import { ESCALATION_TRIGGERS, EscalationTrigger } from '../../call-journal/call-event.types';
import { ApiProperty } from '@nestjs/swagger';
import { CallOutcome } from '../../call-journal/call-event.types';
import { TIME_BUCKETS, TimeBucket } from '../call-stats.repository';
import {
  CallStats,
  CallsOverTime,
  CallsOverTimePoint,
  GroupLatencyPercentiles,
  LatencyPercentiles,
  TurnLatencyStats,
} from '../call-stats.rules';

const PERCENTILE_DEFINITION =
  "Postgres percentile_cont over the answered turns' responseLatencyMs: the continuous percentile, interpolating linearly " +
  'between the two closest ranks around position p * (n - 1) of the sorted latencies (from 0), rounded to whole ms';

class OutcomeCounts implements Record<CallOutcome, number> {
  @ApiProperty()
  resolved: number;

  @ApiProperty()
  escalated: number;

  @ApiProperty()
  abandoned: number;

  @ApiProperty()
  failed: number;
}

class HandoffCount {
  @ApiProperty()
  from: string;

  @ApiProperty()
  to: string;

  @ApiProperty()
  count: number;
}

class DepartmentHandleTime {
  @ApiProperty()
  department: string;

  @ApiProperty()
  averageSeconds: number;

  @ApiProperty()
  calls: number;
}

class HandleTimes {
  @ApiProperty({ type: Number, nullable: true, description: 'null when there were no calls' })
  overall: number | null;

  @ApiProperty({ type: [DepartmentHandleTime] })
  perDepartment: DepartmentHandleTime[];
}

class CurrencyRefunds {
  @ApiProperty({ example: 'USD' })
  currency: string;

  @ApiProperty()
  count: number;

  @ApiProperty({ description: 'In major units' })
  totalAmount: number;
}

class RefundsIssued {
  @ApiProperty()
  count: number;

  @ApiProperty({ description: 'Sum in major units; one figure only when all refunds share a currency (see byCurrency)' })
  totalAmount: number;

  @ApiProperty({ type: [CurrencyRefunds] })
  byCurrency: CurrencyRefunds[];
}

class OverallTurnLatency implements LatencyPercentiles {
  @ApiProperty({ description: 'Answered turns' })
  turns: number;

  @ApiProperty({ type: Number, nullable: true, description: `Median: ${PERCENTILE_DEFINITION}; null when no turn was answered` })
  p50Ms: number | null;

  @ApiProperty({ type: Number, nullable: true, description: `95th percentile: ${PERCENTILE_DEFINITION}; null when no turn was answered` })
  p95Ms: number | null;
}

/** A group always has at least one answered turn, so its percentiles are numbers. */
class GroupTurnLatency implements GroupLatencyPercentiles {
  @ApiProperty({ description: 'Answered turns (at least one)' })
  turns: number;

  @ApiProperty({ description: `Median: ${PERCENTILE_DEFINITION}` })
  p50Ms: number;

  @ApiProperty({ description: `95th percentile: ${PERCENTILE_DEFINITION}` })
  p95Ms: number;
}

class DepartmentTurnLatency extends GroupTurnLatency {
  @ApiProperty({ description: 'The department that answered' })
  department: string;
}

class ProviderTurnLatency extends GroupTurnLatency {
  @ApiProperty({ description: 'The voice agent provider', example: 'openai' })
  provider: string;
}

class TurnLatencyView implements TurnLatencyStats {
  @ApiProperty({ description: 'Answered caller turns of calls started in [from, to)' })
  turns: number;

  @ApiProperty({ description: 'Turns the agent never answered (not in the percentiles)' })
  unanswered: number;

  @ApiProperty({ type: OverallTurnLatency })
  overall: OverallTurnLatency;

  @ApiProperty({ type: [DepartmentTurnLatency], description: 'By the department that answered; departments with answered turns, by name' })
  byDepartment: DepartmentTurnLatency[];

  @ApiProperty({ type: [ProviderTurnLatency], description: 'By voice agent provider; providers with answered turns, by name' })
  byProvider: ProviderTurnLatency[];

  @ApiProperty({ description: 'Answered turns over 2000 ms: slow to the caller' })
  over2s: number;

  @ApiProperty({ description: 'Answered turns over 3000 ms: broken to the caller (also counted in over2s)' })
  over3s: number;
}

class CallsOverTimePointView implements CallsOverTimePoint {
  @ApiProperty({ format: 'date-time', description: 'Start of the bucket (UTC); the first may start before `from`' })
  start: string;

  @ApiProperty({ description: 'Summarised calls started in the bucket (and in [from, to))' })
  calls: number;

  @ApiProperty({ description: 'Of those, the calls with outcome escalated' })
  escalated: number;
}

class CallsOverTimeView implements CallsOverTime {
  @ApiProperty({ enum: TIME_BUCKETS, description: 'hour when the range is 48 hours or shorter, else day (UTC)' })
  bucket: TimeBucket;

  @ApiProperty({ type: [CallsOverTimePointView], description: 'Every bucket the range touches, oldest first, empty ones with zeros' })
  points: CallsOverTimePointView[];
}

export class EscalationTriggerCountView {
  @ApiProperty({ enum: ESCALATION_TRIGGERS })
  trigger: EscalationTrigger;

  @ApiProperty({ enum: ['escalation-handoff', 'human-transfer'] })
  action: 'escalation-handoff' | 'human-transfer';

  @ApiProperty()
  count: number;
}

export class CallStatsView implements CallStats {
  @ApiProperty({ format: 'date-time' })
  from: string;

  @ApiProperty({ format: 'date-time' })
  to: string;

  @ApiProperty({ description: 'Summarised calls started in [from, to)' })
  calls: number;

  @ApiProperty({ type: OutcomeCounts })
  outcomes: OutcomeCounts;

  @ApiProperty({ type: [HandoffCount], description: 'Applied handoffs between departments' })
  handoffMatrix: HandoffCount[];

  @ApiProperty({ description: 'Share of calls resolved without a human (resolved / calls), 0..1' })
  containment: number;

  @ApiProperty({ description: 'escalated / calls, 0..1' })
  escalationRate: number;

  @ApiProperty({ type: HandleTimes })
  averageHandleTimeSeconds: HandleTimes;

  @ApiProperty({ type: RefundsIssued })
  refundsIssued: RefundsIssued;

  @ApiProperty({
    type: TurnLatencyView,
    description:
      "Caller-turn response latency: the caller stopped speaking -> the agent's first audio of the answer sent to Twilio (responseLatencyMs)",
  })
  turnLatency: TurnLatencyView;

  @ApiProperty({ type: CallsOverTimeView, description: 'Calls started in [from, to) per hour or per day' })
  callsOverTime: CallsOverTimeView;

  @ApiProperty({
    type: [EscalationTriggerCountView],
    description:
      "Escalations the service enforced from the departments' escalation rules, by trigger and action (a call may count more than once)",
  })
  escalationsByTrigger: EscalationTriggerCountView[];
}
