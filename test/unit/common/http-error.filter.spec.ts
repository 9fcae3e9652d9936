import { ArgumentsHost, BadRequestException, HttpException, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { HttpErrorFilter, toErrorBody } from '../../../src/common/http-error.filter';

/** The shape of the `http-errors` objects body-parser and raw-body raise. */
function bodyParserError(status: number, message: string, type: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose: status < 500, type });
}

function httpHost() {
  const response = { headersSent: false, status: jest.fn(), json: jest.fn() };
  response.status.mockReturnValue(response);
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  return { host, response };
}

describe('toErrorBody', () => {
  it('answers body-parser errors with their 4xx status and a code of their own', () => {
    expect(toErrorBody(bodyParserError(413, 'request entity too large', 'entity.too.large'))).toEqual({
      status: 413,
      error: 'Payload Too Large',
      code: 'payload_too_large',
      message: 'request entity too large',
    });
    expect(toErrorBody(bodyParserError(413, 'too many parameters', 'parameters.too.many'))).toMatchObject({
      status: 413,
      code: 'too_many_parameters',
    });
    expect(toErrorBody(bodyParserError(415, 'unsupported charset "UTF-7"', 'charset.unsupported'))).toMatchObject({
      status: 415,
      code: 'unsupported_charset',
    });
    expect(toErrorBody(bodyParserError(400, 'request aborted', 'request.aborted'))).toMatchObject({ status: 400, code: 'request_aborted' });
  });

  it('keeps an unexposed library error with a status (e.g. a failed Twilio REST call) a 500', () => {
    const restFailure = Object.assign(new Error('The requested resource was not found'), { status: 404 });
    expect(toErrorBody(restFailure)).toEqual({
      status: 500,
      error: 'Internal Server Error',
      code: 'internal_error',
      message: 'Internal server error',
    });
  });

  it('codes HTTP exceptions: given code, validation fields, readiness details, or the status', () => {
    expect(toErrorBody(new NotFoundException({ message: 'There is no agent "x"', code: 'AGENT_NOT_FOUND' }))).toEqual({
      status: 404,
      error: 'Not Found',
      code: 'AGENT_NOT_FOUND',
      message: 'There is no agent "x"',
    });
    expect(toErrorBody(new BadRequestException({ message: 'bad', fields: [{ field: 'a', messages: ['no'] }] }))).toMatchObject({
      code: 'validation_failed',
      fields: [{ field: 'a' }],
    });
    expect(toErrorBody(new ServiceUnavailableException({ status: 'error', details: { redis: { status: 'down' } } }))).toMatchObject({
      status: 503,
      code: 'not_ready',
      details: { redis: { status: 'down' } },
    });
    expect(toErrorBody(new NotFoundException('Cannot GET /nope'))).toMatchObject({ code: 'not_found' });
    expect(toErrorBody(new ThrottlerException())).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(toErrorBody(new HttpException('teapot', 418))).toMatchObject({ status: 418, code: 'i_am_a_teapot' });
  });
});

describe('HttpErrorFilter', () => {
  const levels = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  let spies: Record<(typeof levels)[number], jest.SpyInstance>;

  beforeEach(() => {
    spies = Object.fromEntries(
      levels.map((level) => [level, jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined)]),
    ) as typeof spies;
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs a client error below warn, without a stack', () => {
    const { host, response } = httpHost();
    new HttpErrorFilter().catch(bodyParserError(413, 'request entity too large', 'entity.too.large'), host);
    expect(response.status).toHaveBeenCalledWith(413);
    expect(spies.error).not.toHaveBeenCalled();
    expect(spies.warn).not.toHaveBeenCalled();
    expect(spies.debug).toHaveBeenCalledWith('413 payload_too_large: request entity too large');
  });

  it('logs a 5xx we answer on purpose (draining, not ready) as a warning, without a stack', () => {
    const { host, response } = httpHost();
    new HttpErrorFilter().catch(new ServiceUnavailableException({ message: 'Draining for shutdown', code: 'draining' }), host);
    expect(response.json).toHaveBeenCalledWith({
      status: 503,
      error: 'Service Unavailable',
      code: 'draining',
      message: 'Draining for shutdown',
    });
    expect(spies.error).not.toHaveBeenCalled();
    expect(spies.warn).toHaveBeenCalledWith('503 draining: Draining for shutdown');
  });

  it('logs an unexpected failure at error with its stack, and tells the client nothing of it', () => {
    const { host, response } = httpHost();
    const failure = new TypeError("Cannot read properties of undefined (reading 'CallSid')");
    new HttpErrorFilter().catch(failure, host);
    expect(response.json).toHaveBeenCalledWith({
      status: 500,
      error: 'Internal Server Error',
      code: 'internal_error',
      message: 'Internal server error',
    });
    expect(spies.error).toHaveBeenCalledWith(failure.stack);
  });
});
