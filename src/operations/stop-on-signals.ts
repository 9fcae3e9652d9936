import { Logger } from '@nestjs/common';

/** Long enough for every bounded shutdown step (jobs in hand, journal flush, QUITs) to finish. */
export const CLOSE_DEADLINE_MS = 20_000;

/**
 * On the first SIGTERM or SIGINT: `prepare` (whatever the process lets finish first), then
 * close the application and exit 0. Closing connections to a Postgres or Redis that stopped
 * answering must not keep the process alive past what an orchestrator waits for, so past the
 * deadline it exits 1 regardless.
 */
export function stopOnSignals(
  app: { close(): Promise<void> },
  logger: Pick<Logger, 'error'>,
  prepare: (signal: string) => Promise<void> | void,
  deadlineMs = CLOSE_DEADLINE_MS,
): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await prepare(signal);
    setTimeout(() => {
      logger.error(`Shutdown did not finish within ${deadlineMs} ms (a dependency is not answering); exiting`);
      process.exit(1);
    }, deadlineMs).unref();
    await app.close();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(signal));
}
