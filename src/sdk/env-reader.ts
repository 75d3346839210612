/**
 * Reading configuration values from two sources that fail differently, as
 * the OpenTelemetry specification asks: a bad option passed in code is a
 * programmer's mistake and throws `LoiCauHinh` naming the option; a bad
 * environment value is an operator's, so it becomes one warning (variable,
 * value, default used) and the default. Parsers return a `Refusal` instead of
 * throwing, so each source can fail its own way.
 */
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { LoiCauHinh } from '../core/config-error.js';
import { describe_value } from '../core/options.js';

/** Why a value was refused. */
export class Refusal {
  constructor(readonly reason: string) {}
}

/** Turns a raw value (an option, or an environment string) into a T, or refuses it. */
export type Parser<T> = (v: unknown) => T | Refusal;

/** A value as a message shows it: a list joined as the variable would spell it, anything else as option messages show it. */
export const describe = (x: unknown): string => (Array.isArray(x) ? JSON.stringify(x.join(',')) : describe_value(x));

/** The environment side: trimmed values, and one warning per bad variable. */
export class EnvReader {
  /** One line per bad variable: its name, its value, the default used. */
  readonly warnings: string[] = [];
  /** Malformed variables that OTel's exporters would read themselves (hidden from them while they are built). */
  readonly hidden: string[] = [];
  constructor(private readonly env: Record<string, string | undefined>) {}

  /** The trimmed value of `name`, or undefined when unset or blank. */
  text(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  }

  /** Records that `name` was refused and returns `used` instead. */
  invalid<T>(name: string, reason: string, used: T, isDefault = true): T {
    this.warnings.push(`${name}=${JSON.stringify(this.env[name])} is invalid (${reason}); using ${isDefault ? 'the default ' : ''}${used === undefined ? '(none)' : describe(used)}`);
    return used;
  }

  /** The option if given (a bad one throws naming it), else the variable (a bad one warns), else the default. */
  read<T>(option: unknown, optionName: string, variable: string | undefined, fallback: T, parse: Parser<T>): T {
    if (option !== undefined) {
      const v = parse(option);
      if (v instanceof Refusal) throw new LoiCauHinh(optionName, v.reason);
      return v;
    }
    const raw = variable === undefined ? undefined : this.text(variable);
    if (raw === undefined) return fallback;
    const v = parse(raw);
    return v instanceof Refusal ? this.invalid(variable!, v.reason, fallback) : v;
  }

  /** Like `read`, for a variable OTel's exporters also read themselves: when malformed it is hidden from them. */
  readShared<T>(option: unknown, optionName: string, variable: string, parse: Parser<T>): T | undefined {
    const before = this.warnings.length;
    const v = this.read(option, optionName, variable, undefined, parse);
    if (this.warnings.length > before) this.hidden.push(variable);
    return v;
  }
}

/** An integer in [min, max] (a numeric string from the environment). */
export const integerIn = (min: number, max: number): Parser<number> => (x) => {
  const n = typeof x === 'string' ? Number(x) : x;
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : new Refusal(`expected an integer in [${min}, ${max}], got ${describe(x)}`);
};

/** A ratio in [0, 1]. */
export const ratio: Parser<number> = (x) => {
  const n = typeof x === 'string' ? Number(x) : x;
  return typeof n === 'number' && n >= 0 && n <= 1 ? n : new Refusal(`expected a ratio in [0, 1], got ${describe(x)}`);
};

/** `true` or `false` (any case from the environment). */
export const booleanValue: Parser<boolean> = (x) => {
  if (typeof x === 'boolean') return x;
  const t = typeof x === 'string' ? x.toLowerCase() : undefined;
  return t === 'true' ? true : t === 'false' ? false : new Refusal(`expected true or false, got ${describe(x)}`);
};

/** One of `names` (any case). */
export const oneOf = <T extends string>(names: readonly T[]): Parser<T> => (x) =>
  typeof x === 'string' && names.includes(x.toLowerCase() as T) ? (x.toLowerCase() as T) : new Refusal(`expected one of ${names.join(', ')}, got ${describe(x)}`);

/** An absolute http:// or https:// URL. */
export const httpUrl: Parser<string> = (x) => {
  try {
    if (typeof x === 'string' && /^https?:$/.test(new URL(x).protocol)) return x;
  } catch {}
  return new Refusal(`expected an absolute http:// or https:// URL, got ${describe(x)}`);
};

/** Header names are HTTP tokens; values carry no control characters (CR/LF would split the request). */
const isHeader = (k: string, v: string): boolean => /^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(k) && ![...v].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

/**
 * OTEL_EXPORTER_OTLP_*_HEADERS per the spec (`k=v,k2=v2`, percent-encoded),
 * parsed by OTel's own parser, the one its exporters use; a pair it would
 * skip silently, or one it would pass on with a control character, makes
 * the whole variable malformed.
 */
export const envHeaders: Parser<Record<string, string>> = (x) => {
  const pairs = String(x).split(',').filter((c) => c.trim() !== '');
  const out = parseKeyPairsIntoRecord(String(x));
  const bad = Object.keys(out).length !== pairs.length || Object.entries(out).some(([k, v]) => !isHeader(k, v));
  return bad ? new Refusal('expected key=value pairs of HTTP header names and values, percent-encoded, without control characters') : out;
};

/** Headers given in code: an object of header names to string values. */
export const codeHeaders: Parser<Record<string, string>> = (x) => {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return new Refusal('expected an object of header names to string values');
  for (const [k, v] of Object.entries(x)) if (typeof v !== 'string' || !isHeader(k, v)) return new Refusal(`invalid header ${JSON.stringify(k)}`);
  return x as Record<string, string>;
};
