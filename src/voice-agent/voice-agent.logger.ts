// Provider clients and the local server log through this so they stay free of Nest.
export interface VoiceAgentLogger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export const silentVoiceAgentLogger: VoiceAgentLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

interface NestStyleLogger {
  log(message: unknown): void;
  warn(message: unknown): void;
  error(message: unknown): void;
}

// Nest's Logger (and nestjs-pino behind it) keeps an object argument as structured fields.
export function voiceAgentLoggerFrom(logger: NestStyleLogger): VoiceAgentLogger {
  const entry = (message: string, context?: Record<string, unknown>) => (context ? { msg: message, ...context } : message);
  return {
    info: (message, context) => logger.log(entry(message, context)),
    warn: (message, context) => logger.warn(entry(message, context)),
    error: (message, context) => logger.error(entry(message, context)),
  };
}
