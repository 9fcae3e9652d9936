import { Logger } from '@nestjs/common';

/** Long enough for every bounded shutdown step (jobs in hand, journal flush, QUITs) to finish. */
export const CLOSE_DEADLINE_MS = 20_000;

/**
 * Arms a last-resort exit for a process that is closing: connections to a Postgres or Redis
 * that stopped answering must not keep it alive past what an orchestrator waits for.
 */
export function exitIfCloseHangs(logger: Pick<Logger, 'error'>, deadlineMs = CLOSE_DEADLINE_MS): void {
  setTimeout(() => {
    logger.error(`Shutdown did not finish within ${deadlineMs} ms (a dependency is not answering); exiting`);
    process.exit(1);
  }, deadlineMs).unref();
}
