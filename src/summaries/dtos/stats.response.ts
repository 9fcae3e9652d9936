import { ApiProperty } from '@nestjs/swagger';
import { CallOutcome } from '../../call-journal/call-event.types';
import { CallStats } from '../call-stats.rules';

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
}
