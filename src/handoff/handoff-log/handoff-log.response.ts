import { ApiProperty } from '@nestjs/swagger';
import { HandoffLogEntry, HandoffStatus } from '../handoff.types';
import { HANDOFF_STATUSES } from './handoff-log.job';
import { PageOf } from '../../common/pagination.dto';

export class HandoffView implements HandoffLogEntry {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'Call id (Twilio call SID)' })
  callId: string;

  @ApiProperty()
  fromAgent: string;

  @ApiProperty()
  toAgent: string;

  @ApiProperty()
  reason: string;

  @ApiProperty()
  summary: string;

  @ApiProperty({ enum: HANDOFF_STATUSES })
  status: HandoffStatus;

  @ApiProperty({ type: String, nullable: true, description: 'Why it was refused or cancelled' })
  code: string | null;

  @ApiProperty()
  requestedAt: string;

  @ApiProperty({ type: String, nullable: true })
  appliedAt: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Transfer tool call received to session.update sent' })
  latencyMs: number | null;

  @ApiProperty({ type: Number, nullable: true })
  fromVersion: number | null;

  @ApiProperty({ type: Number, nullable: true })
  toVersion: number | null;
}

export class HandoffPage extends PageOf(HandoffView) {}
