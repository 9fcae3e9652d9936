export enum SimulatorExceptionCode {
  WEBHOOK_REJECTED = 'WEBHOOK_REJECTED',
  WEBHOOK_FAILED = 'WEBHOOK_FAILED',
  BAD_TWIML = 'BAD_TWIML',
  STREAM_REJECTED = 'STREAM_REJECTED',
  STREAM_FAILED = 'STREAM_FAILED',
  NOT_CONNECTED = 'NOT_CONNECTED',
  TIMEOUT = 'TIMEOUT',
}

export class SimulatorException extends Error {
  constructor(
    readonly code: SimulatorExceptionCode,
    message: string,
    /** HTTP status of a refused webhook or WebSocket upgrade. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SimulatorException';
  }
}
