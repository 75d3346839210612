/**
 * One deadline race (hạn chót), shared by everything that must not wait on
 * user code or the network forever: a warm-up run, a logger flush, an
 * export at shutdown.
 *
 * WHY one helper: a hand-written `Promise.race` with a `setTimeout` is easy
 * to get subtly wrong (a timer left armed after the work settled keeps the
 * process alive; an unref'd one lets the process exit with the awaiting code
 * never run). Here the timer is always cleared once the race is decided, and
 * whether it keeps the process alive is an explicit choice of the caller.
 */

/** How a race against a deadline ended: a tagged union, so a timeout cannot be mistaken for a value. */
export type DeadlineOutcome<T> = { readonly kind: 'settled'; readonly value: T } | { readonly kind: 'timed_out' };

const TIMED_OUT: DeadlineOutcome<never> = Object.freeze({ kind: 'timed_out' });

/**
 * Races `work` against `ms` milliseconds. A rejection of `work` before the
 * deadline rejects. `keep_alive`: whether the pending deadline keeps the
 * process alive (true when a caller awaits the outcome and must run after
 * it, e.g. `await log.flush(2000)` with nothing else alive; false for
 * background work that must never hold the process).
 */
export function race_deadline<T>(work: PromiseLike<T>, ms: number, keep_alive: boolean): Promise<DeadlineOutcome<T>> {
  return new Promise<DeadlineOutcome<T>>((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms));
    if (!keep_alive) timer.unref();
    Promise.resolve(work).then(
      (value) => {
        clearTimeout(timer);
        resolve({ kind: 'settled', value });
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
