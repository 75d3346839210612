/** Waiting on conditions, never on fixed sleeps: one helper for every suite. */

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `fn` every `everyMs` until it returns a value other than undefined or
 * false, or throws after `deadlineMs` with `what` and the last error seen.
 */
export async function waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, deadlineMs: number, what = 'condition', everyMs = 250): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= end) {
      const why = last instanceof Error ? `: last error: ${last.message}` : last !== undefined ? `: last error: ${String(last)}` : '';
      throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${why}`);
    }
    await sleep(everyMs);
  }
}

/**
 * Runs `f` beside a plain timer of `ms` started at the same moment: how many
 * ms after that timer `f` settled. A deadline test asserts on this lateness,
 * which a busy machine adds to both alike, rather than on a wall-clock constant.
 */
export async function latenessVsTimer<T>(ms: number, f: () => Promise<T>): Promise<{ value: T; elapsed: number; lateness: number }> {
  const t0 = performance.now();
  const timerFired = sleep(ms).then(() => performance.now());
  const value = await f();
  const done = performance.now();
  return { value, elapsed: done - t0, lateness: done - (await timerFired) };
}
