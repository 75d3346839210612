/**
 * Prometheus names (tên) from OpenTelemetry names, per the OTel
 * Prometheus-compatibility rules: invalid characters become `_`, runs of `_`
 * collapse, units become suffixes, counters end in `_total`. Pure functions,
 * memoised by the serializer because the same few names recur every scrape.
 */

const DON_VI: Record<string, string> = {
  ms: 'milliseconds',
  s: 'seconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  min: 'minutes',
  h: 'hours',
  d: 'days',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  bit: 'bits',
  Hz: 'hertz',
  V: 'volts',
  W: 'watts',
  A: 'amperes',
  J: 'joules',
  Cel: 'celsius',
  m: 'meters',
  '%': 'percent',
};

/** Replaces what a metric name may not hold; never starts with a digit. */
export function lam_sach_ten_metric(ten: string): string {
  let s = ten.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/__+/g, '_');
  if (s === '' || /^[0-9]/.test(s)) s = `_${s}`;
  return s;
}

/** Replaces what a label name may not hold; never starts with a digit or `__`. */
export function lam_sach_ten_nhan(ten: string): string {
  let s = ten.replace(/[^a-zA-Z0-9_]/g, '_').replace(/__+/g, '_');
  if (s === '' || /^[0-9]/.test(s)) s = `_${s}`;
  return s;
}

/** The unit suffix for an UCUM unit, or '' (annotations like `{request}` carry none). */
export function hau_to_don_vi(unit: string | undefined, laGauge: boolean): string {
  if (unit === undefined || unit === '') return '';
  const u = unit.replace(/\{[^}]*\}/g, '').trim();
  if (u === '') return '';
  if (u === '1') return laGauge ? 'ratio' : '';
  const i = u.indexOf('/');
  if (i > 0) {
    const tu = DON_VI[u.slice(0, i)] ?? u.slice(0, i);
    const mau = ({ s: 'second', m: 'minute', h: 'hour', d: 'day', min: 'minute' } as Record<string, string>)[u.slice(i + 1)] ?? u.slice(i + 1);
    return lam_sach_ten_metric(`${tu}_per_${mau}`);
  }
  return lam_sach_ten_metric(DON_VI[u] ?? u);
}

/** The full Prometheus family name for an instrument. */
export function ten_prometheus(ten: string, unit: string | undefined, laCounter: boolean, laGauge: boolean): string {
  let s = lam_sach_ten_metric(ten);
  if (laCounter && s.endsWith('_total')) s = s.slice(0, -6);
  const hauTo = hau_to_don_vi(unit, laGauge);
  if (hauTo !== '' && !s.endsWith(`_${hauTo}`)) s = `${s}_${hauTo}`;
  if (laCounter) s = `${s}_total`;
  return s;
}

/** Escapes a label value: backslash, double quote and newline. */
export function thoat_gia_tri_nhan(v: string): string {
  return /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;
}

/** Escapes HELP text: backslash and newline. */
export function thoat_help(v: string): string {
  return /[\\\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : v;
}

/** A sample value in exposition form. */
export function dinh_dang_so(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
