import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { SUPERVISOR_END_MODES, SupervisorEndMode } from '../../call-journal/call-event.types';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Every supervision action says who did it: the token gives the role, the supervisor gives a name. */
export class SupervisorActionRequest {
  @ApiProperty({ description: 'Who is acting (recorded with the action and shown in the call timeline)', example: 'Dana Reyes' })
  @Transform(trimmed)
  @IsString()
  @Length(1, 80, { message: 'supervisor must be a name of 1 to 80 characters' })
  supervisor: string;
}

export class WhisperRequest extends SupervisorActionRequest {
  @ApiProperty({
    description: 'Guidance for the agent; it reaches the agent at its next reply boundary, the caller never hears it',
    example: 'Offer the 10% goodwill credit',
  })
  @Transform(trimmed)
  @IsString()
  @Length(1, 500, { message: 'text must be 1 to 500 characters' })
  text: string;
}

export class TakeoverRequest extends SupervisorActionRequest {
  @ApiProperty({ description: '"human" for a person now (the human transfer), or a department key for a handoff', example: 'human' })
  @Transform(trimmed)
  @IsString()
  @Matches(/^[a-z][a-z0-9_-]{0,39}$/, { message: 'to must be "human" or a department key' })
  to: string;
}

export class EndCallRequest extends SupervisorActionRequest {
  @ApiProperty({ enum: SUPERVISOR_END_MODES, description: 'polite: the agent says a closing line first; now: the call ends at once' })
  @IsIn(SUPERVISOR_END_MODES, { message: `mode must be one of: ${SUPERVISOR_END_MODES.join(', ')}` })
  mode: SupervisorEndMode;
}
