import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  PreconditionFailedException,
} from '@nestjs/common';
import { HttpErrorFilter } from '../../common/http-error.filter';
import { AgentConfigException, AgentConfigExceptionCode } from './agent-config.exception';

/** Every agent config error as the HTTP exception clients see, always with its stable snake_case `code`. */
export function agentConfigExceptionToHttp(exception: AgentConfigException): HttpException {
  const { message } = exception;
  switch (exception.code) {
    case AgentConfigExceptionCode.AGENT_NOT_FOUND:
      return new NotFoundException({ message, code: 'agent_not_found' });
    case AgentConfigExceptionCode.VERSION_NOT_FOUND:
      return new NotFoundException({ message, code: 'version_not_found' });
    case AgentConfigExceptionCode.INVALID_AGENT_CONFIG:
      return new BadRequestException({ message, code: 'invalid_agent_config', fields: exception.fields });
    case AgentConfigExceptionCode.EMPTY_PATCH:
      return new BadRequestException({ message, code: 'empty_patch' });
    case AgentConfigExceptionCode.VERSION_CONFLICT:
      return new PreconditionFailedException({ message, code: 'version_conflict' });
    default:
      exception.code satisfies never;
      // Throwing here would escape every filter and reach the client as Express's HTML page, without a code.
      return new InternalServerErrorException({ message: 'Internal server error', code: 'internal_error' }, { cause: exception });
  }
}

/** Maps the agents module's exceptions to HTTP; the body, logging and sending are the global filter's. */
@Catch(AgentConfigException)
export class AgentConfigExceptionFilter implements ExceptionFilter {
  private readonly http = new HttpErrorFilter();

  catch(exception: AgentConfigException, host: ArgumentsHost): void {
    this.http.catch(agentConfigExceptionToHttp(exception), host);
  }
}
