/** Waits for `work` but never longer than `timeoutMs`; true when it settled in time (fulfilled or rejected). */
export async function waitAtMost(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `work`'s result, or a rejection once `timeoutMs` has passed. The work is not cancelled, and
 * if it fails later nobody is listening: that late failure is swallowed here, because an
 * unhandled rejection would stop the process (a Redis command queued while Redis is down, say,
 * fails when its connection closes).
 */
export async function withinTime<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)),
  );
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
