/**
 * ISO-8601 timestamps (thời điểm) at the cost of `Date.now()`.
 *
 * WHY: `new Date().toISOString()` allocates a Date and formats every field on
 * every line (~100 ns). Lines come in bursts within the same second, so the
 * "YYYY-MM-DDTHH:MM:SS." prefix is formatted once per second and only the
 * milliseconds are appended; the same millisecond reuses the whole string.
 */
let giayDem = Number.NaN;
let tienToGiay = '';
let msDem = Number.NaN;
let chuoiDem = '';

/** `2025-01-02T03:04:05.678Z` for epoch milliseconds `ms` (UTC). */
export function iso_tu_ms(ms: number): string {
  if (ms === msDem) return chuoiDem;
  const giay = Math.floor(ms / 1000);
  if (giay !== giayDem) {
    tienToGiay = new Date(giay * 1000).toISOString().slice(0, 20);
    giayDem = giay;
  }
  const m = ms - giay * 1000;
  const s = `${tienToGiay}${m < 10 ? '00' : m < 100 ? '0' : ''}${m}Z`;
  msDem = ms;
  chuoiDem = s;
  return s;
}
