/**
 * The options of `QuanLyMetrics` (tùy chọn) and of its counter/gauge/histogram
 * calls, checked with the shared helper (src/core/options.ts). Per-metric
 * options are checked once, when the metric is created: later calls with the
 * same name take the fast path and never look at them.
 */
import { check_options, describe_value, number_option, string_option } from '../core/options.js';
import type { TuyChonMetric } from './instrument.js';
import type { MetricKind } from './names.js';

const OWNER = 'QuanLyMetrics';
const METRIC_OPTIONS = ['mo_ta', 'don_vi', 'bien_bucket'];
/** UCUM units are printable ASCII; 63 characters is more than any real one. */
const UNIT_PATTERN = /^[\x21-\x7e]{0,63}$/;
const MAX_BOUNDARIES = 200;

/**
 * The namespace asked for by `new QuanLyMetrics(ten | { ten })`, unchecked
 * (see check_namespace), or undefined for the default.
 */
export function namespace_option(arg: unknown): unknown {
  if (typeof arg === 'string') return arg;
  // Not check_options' wording: the argument may be a string too.
  if (arg !== undefined && (arg === null || typeof arg !== 'object')) {
    throw new TypeError(`${OWNER}: expected a namespace string or { ten?: string }, got ${describe_value(arg)}`);
  }
  return check_options(OWNER, arg, ['ten']).ten;
}

/** A metric's checked options: description, unit and boundaries, defaults filled in. */
export interface MetricSettings {
  readonly description: string;
  readonly unit: string;
  readonly boundaries: readonly number[];
}

/**
 * Checks the options of a new metric; `defaults` holds what applies when an
 * option is left out (boundaries only for histograms).
 */
export function metric_options(kind: MetricKind, options: TuyChonMetric | undefined, defaults: MetricSettings): MetricSettings {
  const owner = `${OWNER}.${kind}`;
  const o = check_options(owner, options, METRIC_OPTIONS);
  if (o.bien_bucket !== undefined && kind !== 'histogram') throw new TypeError(`${owner}: bien_bucket applies to histograms only`);
  return {
    description: string_option(owner, 'mo_ta', o.mo_ta, defaults.description, { allow_empty: true }),
    unit: string_option(owner, 'don_vi', o.don_vi, defaults.unit, { allow_empty: true, pattern: UNIT_PATTERN, expected: 'a printable ASCII UCUM unit such as "ms", "s", "By" or "1"' }),
    boundaries: o.bien_bucket === undefined ? defaults.boundaries : Object.freeze(bucketBoundaries(owner, o.bien_bucket)),
  };
}

/** `bien_bucket`: 1 to 200 finite numbers, strictly increasing (copied, so the caller's array may change). */
function bucketBoundaries(owner: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_BOUNDARIES) {
    throw new RangeError(`${owner}: bien_bucket must be an array of 1 to ${MAX_BOUNDARIES} numbers, got ${describe_value(value)}`);
  }
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const name = `bien_bucket[${i}]`;
    const x: unknown = value[i];
    // number_option reads undefined as "left out"; a hole in the list is not.
    if (x === undefined) throw new TypeError(`${owner}: ${name} must be a number, got undefined`);
    const b = number_option(owner, name, x, 0);
    if (i > 0 && !(b > (out[i - 1] as number))) throw new RangeError(`${owner}: bien_bucket must be strictly increasing, got ${String(out[i - 1])} then ${String(b)}`);
    out.push(b);
  }
  return out;
}
