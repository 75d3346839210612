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
export const BASE_UNITS: Readonly<Record<string, { name: string; factor: number }>> = {
  s: { name: 'seconds', factor: 1 },
  ms: { name: 'seconds', factor: 1e-3 },
  us: { name: 'seconds', factor: 1e-6 },
  ns: { name: 'seconds', factor: 1e-9 },
  min: { name: 'seconds', factor: 60 },
  h: { name: 'seconds', factor: 3600 },
  d: { name: 'seconds', factor: 86400 },
  By: { name: 'bytes', factor: 1 },
  KiBy: { name: 'bytes', factor: 1024 },
  MiBy: { name: 'bytes', factor: 1024 ** 2 },
  GiBy: { name: 'bytes', factor: 1024 ** 3 },
  TiBy: { name: 'bytes', factor: 1024 ** 4 },
  KBy: { name: 'bytes', factor: 1e3 },
  kBy: { name: 'bytes', factor: 1e3 },
  MBy: { name: 'bytes', factor: 1e6 },
  GBy: { name: 'bytes', factor: 1e9 },
  TBy: { name: 'bytes', factor: 1e12 },
  bit: { name: 'bytes', factor: 1 / 8 },
  Hz: { name: 'hertz', factor: 1 },
  V: { name: 'volts', factor: 1 },
  W: { name: 'watts', factor: 1 },
  A: { name: 'amperes', factor: 1 },
  J: { name: 'joules', factor: 1 },
  Cel: { name: 'celsius', factor: 1 },
  m: { name: 'meters', factor: 1 },
  g: { name: 'grams', factor: 1 },
  '%': { name: 'percent', factor: 1 },
};

/** OTEL_UNIT_SUFFIX in the shape of BASE_UNITS (factor 1: values unchanged). */
const OTEL_UNITS: Record<string, { name: string; factor: number }> = Object.fromEntries(
  Object.entries(OTEL_UNIT_SUFFIX).map(([k, v]) => [k, { name: v, factor: 1 }]),
);
function unitTable(baseUnits: boolean): Readonly<Record<string, { name: string; factor: number }>> {
  return baseUnits ? BASE_UNITS : OTEL_UNITS;
}

/** Per-unit denominators of rates (`By/s` -> `bytes_per_second`). */
const PER_UNIT: Record<string, string> = { s: 'second', m: 'minute', min: 'minute', h: 'hour', d: 'day' };

/** Replaces what a metric name may not hold; never starts with a digit. */
export function sanitize_metric_name(name: string): string {
  let s = name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/__+/g, '_');
  if (s === '' || /^[0-9]/.test(s)) s = `_${s}`;
  return s;
}

/** Replaces what a label name may not hold; never starts with a digit or `__`. */
export function sanitize_label_name(name: string): string {
  let s = name.replace(/[^a-zA-Z0-9_]/g, '_').replace(/__+/g, '_');
  if (s === '' || /^[0-9]/.test(s)) s = `_${s}`;
  return s;
}

/**
 * The Prometheus suffix of an UCUM unit and the factor that turns values into
 * it: OTel-compatible names (`ms` -> `milliseconds`, factor 1) by default, or
 * base units (`ms` -> `seconds`, factor 1/1000) when `baseUnits`.
 */
export function prometheus_unit(unit: string | undefined, isGauge: boolean, baseUnits = false): { suffix: string; factor: number } {
  if (unit === undefined || unit === '') return { suffix: '', factor: 1 };
  const u = unit.replace(/\{[^}]*\}/g, '').trim();
  if (u === '') return { suffix: '', factor: 1 };
  if (u === '1') return { suffix: isGauge ? 'ratio' : '', factor: 1 };
  const i = u.indexOf('/');
  if (i > 0) {
    const numerator = unitTable(baseUnits)[u.slice(0, i)];
    const denominator = PER_UNIT[u.slice(i + 1)] ?? u.slice(i + 1);
    return { suffix: sanitize_metric_name(`${numerator?.name ?? u.slice(0, i)}_per_${denominator}`), factor: numerator?.factor ?? 1 };
  }
  const d = unitTable(baseUnits)[u];
  return d === undefined ? { suffix: sanitize_metric_name(u), factor: 1 } : { suffix: d.name, factor: d.factor };
}

/** The full Prometheus family name for an instrument. */
export function prometheus_name(name: string, unit: string | undefined, isCounter: boolean, isGauge: boolean, baseUnits = false): string {
  let s = sanitize_metric_name(name);
  if (isCounter && s.endsWith('_total')) s = s.slice(0, -6);
  const suffix = prometheus_unit(unit, isGauge, baseUnits).suffix;
  if (suffix !== '' && !s.endsWith(`_${suffix}`)) s = `${s}_${suffix}`;
  if (isCounter) s = `${s}_total`;
  return s;
}

/**
 * `v` times a unit factor from BASE_UNITS. Sub-unit factors divide by their
 * inverse so decimals stay exact (0.0025, not 0.0025000000000000005).
 */
export function scale_to_base(v: number, factor: number): number {
  return factor === 1 ? v : factor > 1 ? v * factor : v / Math.round(1 / factor);
}

/** Escapes a label value: backslash, double quote and newline. */
export function escape_label_value(v: string): string {
  return /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;
}

/** Escapes HELP text: backslash and newline. */
export function escape_help(v: string): string {
  return /[\\\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : v;
}

/** A sample value in exposition form. */
export function format_number(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
