import { Body, Controller, Get, HttpCode, HttpException, Param, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { Role } from '../auth/role';
import { RequireRole } from '../auth/roles';
import { Supervisor } from '../sessions/call-supervision.ports';
import { EndCallRequest, SupervisorActionRequest, TakeoverRequest, WhisperRequest } from './dtos/supervision.requests';
import { SupervisionCommand } from './supervision-command.types';
import { SupervisionCommandBus } from './supervision-command.bus';

type AuthorisedRequest = Request & { role: Role };

/** Live supervision of a call, addressed by its SID like GET /calls/:id; routed to whichever instance holds the call. */
@ApiTags('supervision')
@RequireRole('supervisor')
@ApiNotFoundResponse({ description: 'call_not_found: no such call' })
@ApiConflictResponse({ description: 'call_ended: the call has ended' })
@Controller('calls/:id')
export class SupervisionController {
  constructor(private readonly bus: SupervisionCommandBus) {}

  @Get('supervision')
  @ApiOkResponse({ description: 'The department, the notes in force and who is listening' })
  status(@Param('id') callSid: string): Promise<Record<string, unknown>> {
    return this.run(callSid, { kind: 'status' });
  }

  @Post('whisper')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'The note, and every note now in force' })
  whisper(@Param('id') callSid: string, @Body() body: WhisperRequest, @Req() request: AuthorisedRequest): Promise<Record<string, unknown>> {
    return this.run(callSid, { kind: 'whisper', text: body.text, by: supervisorOf(request, body) });
  }

  @Post('whisper/:noteId/withdraw')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The notes still in force' })
  withdraw(
    @Param('id') callSid: string,
    @Param('noteId') noteId: string,
    @Body() body: SupervisorActionRequest,
    @Req() request: AuthorisedRequest,
  ): Promise<Record<string, unknown>> {
    return this.run(callSid, { kind: 'withdraw-whisper', noteId, by: supervisorOf(request, body) });
  }

  @Post('takeover')
  @HttpCode(202)
  @ApiAcceptedResponse({
    description: 'transferred / simulated (to a person), applied / pending (to a department, at the next reply boundary)',
  })
  takeover(
    @Param('id') callSid: string,
    @Body() body: TakeoverRequest,
    @Req() request: AuthorisedRequest,
  ): Promise<Record<string, unknown>> {
    return this.run(callSid, { kind: 'takeover', to: body.to, by: supervisorOf(request, body) });
  }

  @Post('end')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'closing (the agent is saying goodbye) or ended' })
  end(@Param('id') callSid: string, @Body() body: EndCallRequest, @Req() request: AuthorisedRequest): Promise<Record<string, unknown>> {
    return this.run(callSid, { kind: 'end', mode: body.mode, by: supervisorOf(request, body) });
  }

  private async run(callSid: string, command: SupervisionCommand): Promise<Record<string, unknown>> {
    const outcome = await this.bus.send(callSid, command);
    if (outcome.ok) return outcome.value;
    const fields = outcome.field ? [{ field: outcome.field, messages: [outcome.message] }] : undefined;
    throw new HttpException({ code: outcome.code, message: outcome.message, ...(fields ? { fields } : {}) }, outcome.status);
  }
}

function supervisorOf(request: AuthorisedRequest, body: SupervisorActionRequest): Supervisor {
  return { role: request.role, name: body.supervisor };
}
