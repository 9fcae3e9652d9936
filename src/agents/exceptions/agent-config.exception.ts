import { FieldProblem } from '../utils/agent-config.validation';

export enum AgentConfigExceptionCode {
  AGENT_NOT_FOUND = 'AGENT_NOT_FOUND',
  VERSION_NOT_FOUND = 'VERSION_NOT_FOUND',
  INVALID_AGENT_CONFIG = 'INVALID_AGENT_CONFIG',
  /** The writer named a version (If-Match) that is not the current one. */
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  /** A patch that sets no writable field. */
  EMPTY_PATCH = 'EMPTY_PATCH',
}

export class AgentConfigException extends Error {
  constructor(
    readonly code: AgentConfigExceptionCode,
    message: string,
    /** The failing fields, for INVALID_AGENT_CONFIG. */
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'AgentConfigException';
  }
}
