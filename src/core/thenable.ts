/**
 * "Is it a thenable": one answer for every facade that accepts a value or a
 * promise from user code (a breaker call, a timed log, a health check).
 *
 * WHY a `then` getter that throws counts as thenable: `Promise.resolve` then
 * rejects with that error, so the caller's failure surfaces as a rejection
 * of the call that made it, instead of a throw out of telemetry code.
 */
export function is_thenable(x: unknown): x is PromiseLike<unknown> {
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return false;
  try {
    return typeof (x as { then?: unknown }).then === 'function';
  } catch {
    return true;
  }
}
