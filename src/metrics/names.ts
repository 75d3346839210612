/**
 * Rules for metric and label names. QuanLyMetrics
 * rejects (TypeError) rather than rewrites: a name is checked once, when the
 * metric is first seen, and the rule is the one that keeps the Prometheus
 * text lint-clean for `promtool check metrics`: lower snake_case ASCII.
 *
 * One deterministic rewrite exists, for the seed's own habit
 * (`timer("inference_ms")`): a trailing unit abbreviation (ms, s, sec, us,
 * ns, b, kb, mb, gb, tb, h, d, m) becomes the unit, so `inference_ms` is the
 * OTel metric `inference` with unit `ms`, exposed to Prometheus in base units
 * as `..._inference_seconds`. An abbreviation anywhere else in the name
 * (`ms_latency`, or a bare `h`) is a TypeError, since promtool lints it.
 */

/** Metric names: lower snake_case, a letter first, at most 200 characters. */
export const METRIC_NAME_PATTERN = /^[a-z][a-z0-9_]{0,199}$/;
/** Label names: lower snake_case, not starting with `__` (reserved by Prometheus). */
export const LABEL_NAME_PATTERN = /^(?!__)[a-z_][a-z0-9_]{0,99}$/;

/** Trailing abbreviations that are read as the unit (UCUM) of the metric. */
const UNIT_OF_SUFFIX: Record<string, string> = {
  ms: 'ms',
  s: 's',
  sec: 's',
  us: 'us',
  ns: 'ns',
  b: 'By',
  kb: 'kBy',
  mb: 'MBy',
  gb: 'GBy',
  tb: 'TBy',
  h: 'h',
  d: 'd',
  m: 'm',
};

/** Tokens promtool reads as abbreviated units ("metric names should not contain abbreviated units"). */
const ABBREVIATED_UNITS = new Set(['s', 'ms', 'us', 'ns', 'sec', 'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'm', 'h', 'd']);

function rejectAbbreviatedUnits(name: string, where: string): void {
  for (const token of name.split('_')) {
    if (ABBREVIATED_UNITS.has(token)) {
      throw new TypeError(`${where}: ${JSON.stringify(name)} contains the abbreviated unit "${token}"; spell it out, end the name with it (read as the unit), or pass { don_vi }`);
    }
  }
}

/** Suffixes Prometheus reserves for other types (promtool lints them on a gauge/histogram). */
const RESERVED_SUFFIXES = ['_total', '_count', '_sum', '_bucket', '_created', '_info'];

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface CheckedName {
  /** The name after the unit rewrite (without the namespace). */
  name: string;
  /** The unit read from a trailing abbreviation, if any. */
  unit: string | undefined;
}

/**
 * Checks a metric name; returns it with a trailing unit abbreviation split off.
 * @throws TypeError naming the rule that failed.
 */
export function check_metric_name(name: unknown, kind: MetricKind): CheckedName {
  if (typeof name !== 'string') throw new TypeError(`QuanLyMetrics.${kind}: metric name must be a string, got ${typeof name}`);
  if (!METRIC_NAME_PATTERN.test(name)) {
    throw new TypeError(
      `QuanLyMetrics.${kind}: invalid metric name ${JSON.stringify(name)}: use lower snake_case ASCII (a-z, 0-9, _), starting with a letter, at most 200 characters`,
    );
  }
  if (kind !== 'counter') {
    for (const suffix of RESERVED_SUFFIXES) {
      if (name.endsWith(suffix)) throw new TypeError(`QuanLyMetrics.${kind}: metric name ${JSON.stringify(name)} must not end in ${suffix} (reserved by Prometheus for other types)`);
    }
  }
  const i = name.lastIndexOf('_');
  let base = name;
  let unit: string | undefined;
  if (i > 0) {
    unit = UNIT_OF_SUFFIX[name.slice(i + 1)];
    if (unit !== undefined) base = name.slice(0, i);
  }
  rejectAbbreviatedUnits(base, `QuanLyMetrics.${kind}`);
  return { name: base, unit };
}

/** Checks a namespace (`ten` of QuanLyMetrics): '' or a metric-name-like prefix. */
export function check_namespace(ns: unknown): string {
  if (typeof ns !== 'string') throw new TypeError(`QuanLyMetrics: ten (namespace) must be a string, got ${typeof ns}`);
  if (ns !== '' && !/^[a-z][a-z0-9_]{0,99}$/.test(ns)) {
    throw new TypeError(`QuanLyMetrics: invalid namespace ${JSON.stringify(ns)}: use lower snake_case ASCII (a-z, 0-9, _), starting with a letter`);
  }
  rejectAbbreviatedUnits(ns, 'QuanLyMetrics namespace');
  return ns;
}

/** Checks a label name. @throws TypeError */
export function check_label_name(name: string, kind: MetricKind): void {
  if (!LABEL_NAME_PATTERN.test(name)) {
    throw new TypeError(`QuanLyMetrics.${kind}: invalid label name ${JSON.stringify(name)}: use lower snake_case ASCII (a-z, 0-9, _), not starting with __`);
  }
  if (name === 'le' || name === 'quantile') throw new TypeError(`QuanLyMetrics.${kind}: label name ${JSON.stringify(name)} is reserved by Prometheus`);
}

/**
 * A label value as a string: strings as they are; numbers, booleans and
 * bigints through `String()` (documented conversion); anything else is a
 * TypeError (objects, null, undefined, symbols, functions).
 */
export function label_value(value: unknown, name: string, kind: MetricKind): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      throw new TypeError(
        `QuanLyMetrics.${kind}: label ${JSON.stringify(name)} has a ${value === null ? 'null' : typeof value} value; label values must be strings (numbers, booleans and bigints are converted with String())`,
      );
  }
}
