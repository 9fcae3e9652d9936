import {
  applyDecorators,
  BadRequestException,
  CallHandler,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import { ApiHeader, ApiPreconditionFailedResponse } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { VersionPrecondition } from '../services/version-precondition';
import { agentConfigETag, parseIfMatch } from './agent-config-etag';

/** The request's If-Match as a precondition (undefined without one); a malformed header is a 400. */
export const IfMatchPrecondition = createParamDecorator((_: unknown, context: ExecutionContext): VersionPrecondition | undefined => {
  const header = context.switchToHttp().getRequest<Request>().headers['if-match'];
  const ifMatch = parseIfMatch(header);
  if (ifMatch.kind === 'absent') return undefined;
  if (ifMatch.kind === 'precondition') return ifMatch.precondition;
  const message = 'If-Match must be * or a list of entity tags such as "v3" (the ETag GET returned)';
  throw new BadRequestException({ code: 'invalid_if_match', message, fields: [{ field: 'If-Match', messages: [message] }] });
});

export const ETAG_HEADER_DOC = {
  ETag: {
    description: 'The version this representation is, as a strong entity tag: "v<version>"',
    schema: { type: 'string', example: '"v3"' },
  },
};

/** OpenAPI for a write that honours If-Match. */
export function ApiIfMatch(): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description:
        'Write only if the agent is still at this version: the ETag of a GET ("v3"), or * for any existing version. ' +
        'Without it the last write wins.',
    }),
    ApiPreconditionFailedResponse({
      description: 'If-Match does not name the current version (code `version_conflict`); nothing was stored',
    }),
  );
}

/** Sends the ETag of the agent config a handler answers with. */
@Injectable()
export class AgentConfigETagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler<{ version: number }>): Observable<{ version: number }> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((view) => {
        response.setHeader('ETag', agentConfigETag(view.version));
        return view;
      }),
    );
  }
}
