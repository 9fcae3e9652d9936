export enum ToolExceptionCode {
  UNKNOWN_TOOL = 'UNKNOWN_TOOL',
  DUPLICATE_TOOL = 'DUPLICATE_TOOL',
  RESERVED_TOOL_NAME = 'RESERVED_TOOL_NAME',
}

export class ToolException extends Error {
  constructor(
    readonly code: ToolExceptionCode,
    message: string,
  ) {
    super(message);
    this.name = 'ToolException';
  }
}
