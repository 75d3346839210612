/**
 * Checking of options passed in code: the one helper every facade uses.
 *
 * A bad option is a programmer's mistake, so it throws at the call that made
 * it, naming the owner and the option: a TypeError for the wrong kind of
 * value, a RangeError for a value of the right kind out of range. A typo'd
 * key throws too, because a silently kept default misbehaves only later,
 * under load. (Environment variables are the operator's and never throw; see
 * src/sdk/config.ts.)
 */

/** A value as an error message shows it: strings quoted, objects by kind, never dumped. */
export function describe_value(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'number' || typeof x === 'boolean' || x === undefined) return String(x);
  if (typeof x === 'bigint') return `a bigint (${String(x)}n)`;
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x;
}

/**
 * `value` as an options object of `owner`, keys unchecked: anything but a
 * plain object (`undefined` too) is a TypeError. For an options object that
 * is shared between functions, each reading its own keys (the probe and
 * request-tracking options of the HTTP adapters), where no one function
 * knows every key.
 */
export function options_object(owner: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${owner}: options must be an object, got ${describe_value(value)}`);
  }
  return value as Record<string, unknown>;
}

/**
 * The options object of `owner`: `undefined` is `{}`; anything but a plain
 * object, or a key outside `known`, is a TypeError naming it.
 */
export function check_options(owner: string, value: unknown, known: Iterable<string>): Record<string, unknown> {
  if (value === undefined) return {};
  const options = options_object(owner, value);
  const set = known instanceof Set ? (known as ReadonlySet<string>) : new Set(known);
  for (const k of Object.keys(options)) {
    if (!set.has(k)) throw new TypeError(`${owner}: unknown option ${JSON.stringify(k)} (known: ${[...set].join(', ')})`);
  }
  return options;
}

/** The bounds of a numeric option. */
export interface NumberRule {
  /** Whole numbers only. */
  readonly integer?: boolean;
  readonly min?: number;
  /** `min` itself is refused (`> min` rather than `>= min`). */
  readonly min_exclusive?: boolean;
  readonly max?: number;
  /** Shown after "number" in messages, e.g. "seconds". */
  readonly unit?: string;
}

/**
 * A numeric option, or `fallback` when it is `undefined`. Not a number:
 * TypeError; NaN, an infinity, a fraction where an integer is due, or out of
 * bounds: RangeError, naming `owner: name` and the bounds.
 */
export function number_option(owner: string, name: string, value: unknown, fallback: number, rule: NumberRule = {}): number {
  if (value === undefined) return fallback;
  const unit = rule.unit === undefined ? '' : ` of ${rule.unit}`;
  if (typeof value !== 'number') throw new TypeError(`${owner}: ${name} must be a number${unit}, got ${describe_value(value)}`);
  const low = rule.min === undefined ? true : rule.min_exclusive === true ? value > rule.min : value >= rule.min;
  const high = rule.max === undefined || value <= rule.max;
  if (!Number.isFinite(value) || (rule.integer === true && !Number.isInteger(value)) || !low || !high) {
    const bounds = [
      rule.min === undefined ? '' : ` ${rule.min_exclusive === true ? '>' : '>='} ${rule.min}`,
      rule.max === undefined ? '' : `${rule.min === undefined ? '' : ' and'} <= ${rule.max}`,
    ].join('');
    throw new RangeError(`${owner}: ${name} must be ${rule.integer === true ? 'an integer' : 'a finite number'}${unit}${bounds}, got ${String(value)}`);
  }
  return value;
}

/** A boolean option, or `fallback` when it is `undefined`; anything else is a TypeError. */
export function boolean_option(owner: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${owner}: ${name} must be a boolean, got ${describe_value(value)}`);
  return value;
}

/** A function option, or `undefined`; anything else is a TypeError. */
export function function_option<F extends (...args: never[]) => unknown>(owner: string, name: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new TypeError(`${owner}: ${name} must be a function, got ${describe_value(value)}`);
  return value as F;
}

/** What a string option accepts beyond "a non-empty string". */
export interface StringRule {
  /** '' (or blanks) is accepted. */
  readonly allow_empty?: boolean;
  /** The value must match this. */
  readonly pattern?: RegExp;
  /** What messages say the value must be, e.g. `a UCUM unit such as "ms"`. */
  readonly expected?: string;
}

/**
 * A string option, or `fallback` when it is `undefined`. By default a blank
 * string is refused; anything the rule refuses is a TypeError.
 */
export function string_option(owner: string, name: string, value: unknown, fallback: string, rule: StringRule = {}): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || (rule.allow_empty !== true && value.trim() === '') || (rule.pattern !== undefined && !rule.pattern.test(value))) {
    const expected = rule.expected ?? (rule.allow_empty === true ? 'a string' : 'a non-empty string');
    throw new TypeError(`${owner}: ${name} must be ${expected}, got ${describe_value(value)}`);
  }
  return value;
}
