/**
 * ISO-8601 timestamps at the cost of `Date.now()`.
 *
 * WHY: `new Date().toISOString()` allocates a Date and formats every field on
 * every line (~100 ns). Lines come in bursts within the same second, so the
 * "YYYY-MM-DDTHH:MM:SS." prefix is formatted once per second and only the
 * milliseconds are appended; the same millisecond reuses the whole string.
 */
let cachedSecond = Number.NaN;
let secondPrefix = '';
let cachedMs = Number.NaN;
let cachedIso = '';

/** `2025-01-02T03:04:05.678Z` for epoch milliseconds `ms` (UTC). */
export function iso_from_ms(ms: number): string {
  if (ms === cachedMs) return cachedIso;
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    secondPrefix = new Date(second * 1000).toISOString().slice(0, 20);
    cachedSecond = second;
  }
  const millis = ms - second * 1000;
  const iso = `${secondPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
  cachedMs = ms;
  cachedIso = iso;
  return iso;
}
