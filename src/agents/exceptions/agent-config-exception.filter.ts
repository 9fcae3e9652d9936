import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, NotFoundException } from '@nestjs/common';
import { Response } from 'express';
import { toErrorBody } from '../../common/http-error.filter';
import { AgentConfigException, AgentConfigExceptionCode } from './agent-config.exception';

export function agentConfigExceptionToHttp(exception: AgentConfigException): HttpException {
  switch (exception.code) {
    case AgentConfigExceptionCode.AGENT_NOT_FOUND:
    case AgentConfigExceptionCode.VERSION_NOT_FOUND:
      return new NotFoundException({ message: exception.message, code: exception.code });
    case AgentConfigExceptionCode.INVALID_AGENT_CONFIG:
      return new BadRequestException({ message: exception.message, fields: exception.fields });
    default: {
      const unhandled: never = exception.code;
      throw new Error(`Unmapped agent config exception code ${String(unhandled)}`);
    }
  }
}

/** Maps the agents module's exceptions to the same JSON error body as every other REST error. */
@Catch(AgentConfigException)
export class AgentConfigExceptionFilter implements ExceptionFilter {
  catch(exception: AgentConfigException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(agentConfigExceptionToHttp(exception));
    response.status(body.status).json(body);
  }
}
