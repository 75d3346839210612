/**
 * Prometheus names from OpenTelemetry names, per the OTel
 * Prometheus-compatibility rules: invalid characters become `_`, runs of `_`
 * collapse, units become suffixes (optionally in base units, values scaled to
 * match), counters end in `_total`. Pure functions,
 * memoised by the serializer because the same few names recur every scrape.
 */

/** UCUM unit -> Prometheus suffix, as the OTel Prometheus-compatibility rules name them. */
const OTEL_UNIT_SUFFIX: Record<string, string> = {
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
  TiBy: 'tebibytes',
  KBy: 'kilobytes',
  kBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  bit: 'bits',
  Hz: 'hertz',
  V: 'volts',
  W: 'watts',
  A: 'amperes',
  J: 'joules',
  Cel: 'celsius',
  m: 'meters',
  g: 'grams',
  '%': 'percent',
};

/**
 * UCUM unit -> Prometheus suffix in BASE units (promtool lints "use base unit
 * seconds instead of milliseconds"): scaled time and byte units become
 * seconds and bytes, with the factor that scales their values.
 */
export const DON_VI_CO_SO: Readonly<Record<string, { ten: string; he_so: number }>> = {
  s: { ten: 'seconds', he_so: 1 },
  ms: { ten: 'seconds', he_so: 1e-3 },
  us: { ten: 'seconds', he_so: 1e-6 },
  ns: { ten: 'seconds', he_so: 1e-9 },
  min: { ten: 'seconds', he_so: 60 },
  h: { ten: 'seconds', he_so: 3600 },
  d: { ten: 'seconds', he_so: 86400 },
  By: { ten: 'bytes', he_so: 1 },
  KiBy: { ten: 'bytes', he_so: 1024 },
  MiBy: { ten: 'bytes', he_so: 1024 ** 2 },
  GiBy: { ten: 'bytes', he_so: 1024 ** 3 },
  TiBy: { ten: 'bytes', he_so: 1024 ** 4 },
  KBy: { ten: 'bytes', he_so: 1e3 },
  kBy: { ten: 'bytes', he_so: 1e3 },
  MBy: { ten: 'bytes', he_so: 1e6 },
  GBy: { ten: 'bytes', he_so: 1e9 },
  TBy: { ten: 'bytes', he_so: 1e12 },
  bit: { ten: 'bytes', he_so: 1 / 8 },
  Hz: { ten: 'hertz', he_so: 1 },
  V: { ten: 'volts', he_so: 1 },
  W: { ten: 'watts', he_so: 1 },
  A: { ten: 'amperes', he_so: 1 },
  J: { ten: 'joules', he_so: 1 },
  Cel: { ten: 'celsius', he_so: 1 },
  m: { ten: 'meters', he_so: 1 },
  g: { ten: 'grams', he_so: 1 },
  '%': { ten: 'percent', he_so: 1 },
};

/** OTEL_UNIT_SUFFIX in the shape of DON_VI_CO_SO (factor 1: values unchanged). */
const OTEL_UNITS: Record<string, { ten: string; he_so: number }> = Object.fromEntries(
  Object.entries(OTEL_UNIT_SUFFIX).map(([k, v]) => [k, { ten: v, he_so: 1 }]),
);
function unitTable(baseUnits: boolean): Readonly<Record<string, { ten: string; he_so: number }>> {
  return baseUnits ? DON_VI_CO_SO : OTEL_UNITS;
}

/** Per-unit denominators of rates (`By/s` -> `bytes_per_second`). */
const PER_UNIT: Record<string, string> = { s: 'second', m: 'minute', min: 'minute', h: 'hour', d: 'day' };

/** Replaces what a metric name may not hold; never starts with a digit. */
export function lam_sach_ten_metric(name: string): string {
  let s = name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/__+/g, '_');
  if (s === '' || /^[0-9]/.test(s)) s = `_${s}`;
  return s;
}

/** Replaces what a label name may not hold; never starts with a digit or `__`. */
export function lam_sach_ten_nhan(name: string): string {
  let s = name.replace(/[^a-zA-Z0-9_]/g, '_').replace(/__+/g, '_');
  if (s === '' || /^[0-9]/.test(s)) s = `_${s}`;
  return s;
}

/**
 * The Prometheus suffix of an UCUM unit and the factor that turns values into
 * it: OTel-compatible names (`ms` -> `milliseconds`, factor 1) by default, or
 * base units (`ms` -> `seconds`, factor 1/1000) when `baseUnits`.
 */
export function don_vi_prometheus(unit: string | undefined, isGauge: boolean, baseUnits = false): { hau_to: string; he_so: number } {
  if (unit === undefined || unit === '') return { hau_to: '', he_so: 1 };
  const u = unit.replace(/\{[^}]*\}/g, '').trim();
  if (u === '') return { hau_to: '', he_so: 1 };
  if (u === '1') return { hau_to: isGauge ? 'ratio' : '', he_so: 1 };
  const i = u.indexOf('/');
  if (i > 0) {
    const numerator = unitTable(baseUnits)[u.slice(0, i)];
    const denominator = PER_UNIT[u.slice(i + 1)] ?? u.slice(i + 1);
    return { hau_to: lam_sach_ten_metric(`${numerator?.ten ?? u.slice(0, i)}_per_${denominator}`), he_so: numerator?.he_so ?? 1 };
  }
  const d = unitTable(baseUnits)[u];
  return d === undefined ? { hau_to: lam_sach_ten_metric(u), he_so: 1 } : { hau_to: d.ten, he_so: d.he_so };
}

/** The unit suffix for an UCUM unit, or '' (annotations like `{request}` carry none). */
export function hau_to_don_vi(unit: string | undefined, isGauge: boolean): string {
  return don_vi_prometheus(unit, isGauge).hau_to;
}

/** The full Prometheus family name for an instrument. */
export function ten_prometheus(name: string, unit: string | undefined, isCounter: boolean, isGauge: boolean, baseUnits = false): string {
  let s = lam_sach_ten_metric(name);
  if (isCounter && s.endsWith('_total')) s = s.slice(0, -6);
  const suffix = don_vi_prometheus(unit, isGauge, baseUnits).hau_to;
  if (suffix !== '' && !s.endsWith(`_${suffix}`)) s = `${s}_${suffix}`;
  if (isCounter) s = `${s}_total`;
  return s;
}

/**
 * `v` times a unit factor from DON_VI_CO_SO. Sub-unit factors divide by their
 * inverse so decimals stay exact (0.0025, not 0.0025000000000000005).
 */
export function scale_to_base(v: number, factor: number): number {
  return factor === 1 ? v : factor > 1 ? v * factor : v / Math.round(1 / factor);
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
