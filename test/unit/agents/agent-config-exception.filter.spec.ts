import { ArgumentsHost, HttpException, Logger } from '@nestjs/common';
import { AgentConfigException, AgentConfigExceptionCode } from '../../../src/agents/exceptions/agent-config.exception';
import { AgentConfigExceptionFilter, agentConfigExceptionToHttp } from '../../../src/agents/exceptions/agent-config-exception.filter';
import { HttpErrorFilter, toErrorBody } from '../../../src/common/http-error.filter';

function httpHost() {
  const response = { headersSent: false, status: jest.fn(), json: jest.fn() };
  response.status.mockReturnValue(response);
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  return { host, response };
}

describe('AgentConfigExceptionFilter', () => {
  beforeEach(() => {
    for (const level of ['error', 'warn', 'debug'] as const) jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  const sent = (exception: AgentConfigException) => {
    const { host, response } = httpHost();
    new AgentConfigExceptionFilter().catch(exception, host);
    expect(response.status).toHaveBeenCalledTimes(1);
    return { status: response.status.mock.calls[0][0] as number, body: response.json.mock.calls[0][0] as Record<string, unknown> };
  };

  it.each([
    [AgentConfigExceptionCode.AGENT_NOT_FOUND, 404, 'Not Found', 'agent_not_found'],
    [AgentConfigExceptionCode.VERSION_NOT_FOUND, 404, 'Not Found', 'version_not_found'],
    [AgentConfigExceptionCode.INVALID_AGENT_CONFIG, 400, 'Bad Request', 'invalid_agent_config'],
    [AgentConfigExceptionCode.EMPTY_PATCH, 400, 'Bad Request', 'empty_patch'],
    [AgentConfigExceptionCode.VERSION_CONFLICT, 412, 'Precondition Failed', 'version_conflict'],
  ])('sends %s as %i with status, error, its own code and the message', (code, status, error, httpCode) => {
    const answer = sent(new AgentConfigException(code, 'what happened'));
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ status, error, code: httpCode, message: 'what happened' });
  });

  it('keeps the module code beside the failing fields of an invalid config (it used to become the generic validation_failed)', () => {
    const fields = [{ field: 'voice', messages: ['voice "robot" is not in the catalog'] }];
    const answer = sent(new AgentConfigException(AgentConfigExceptionCode.INVALID_AGENT_CONFIG, 'Invalid agent config: voice', fields));
    expect(answer.body).toEqual({
      status: 400,
      error: 'Bad Request',
      code: 'invalid_agent_config',
      message: 'Invalid agent config: voice',
      fields,
    });
  });

  it('answers a code nobody mapped with a coded JSON 500 instead of throwing out of the filter', () => {
    const unmapped = new AgentConfigException('SOMETHING_NEW' as AgentConfigExceptionCode, 'internal detail');
    expect(agentConfigExceptionToHttp(unmapped).getStatus()).toBe(500);
    expect(sent(unmapped).body).toEqual({
      status: 500,
      error: 'Internal Server Error',
      code: 'internal_error',
      message: 'Internal server error',
    });
  });

  it('gives every mapped exception a snake_case code', () => {
    for (const code of Object.values(AgentConfigExceptionCode)) {
      const body = toErrorBody(agentConfigExceptionToHttp(new AgentConfigException(code, 'm')));
      expect(body.code).toMatch(/^[a-z]+(_[a-z]+)*$/);
    }
  });
});

describe('error bodies of HTTP exceptions with an unusual response', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each([[null], [undefined], [42]])(
    'still sends status, error, code and message for a %p response (no crash inside the filter)',
    (response) => {
      jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
      const exception = new HttpException(response as unknown as string, 409);
      expect(toErrorBody(exception)).toEqual({ status: 409, error: 'Conflict', code: 'conflict', message: exception.message });
      const { host, response: sentResponse } = httpHost();
      new HttpErrorFilter().catch(exception, host);
      expect(sentResponse.json).toHaveBeenCalledWith(expect.objectContaining({ status: 409, code: 'conflict' }));
    },
  );
});
