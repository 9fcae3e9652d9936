export enum SummaryErrorCode {
  CallNotFound = 'CALL_NOT_FOUND',
  CallNotEnded = 'CALL_NOT_ENDED',
}

/** Why a call cannot be summarised (yet). */
export class SummaryException extends Error {
  constructor(
    readonly code: SummaryErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** Whether trying again later can help (the job is retried) or not (it fails for inspection). */
  get retryable(): boolean {
    switch (this.code) {
      case SummaryErrorCode.CallNotFound:
        return false;
      case SummaryErrorCode.CallNotEnded:
        return true;
    }
  }
}
