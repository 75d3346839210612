/**
 * Levels (cấp độ) of the seed, with their OpenTelemetry severity numbers
 * (DEBUG 5, INFO 9, WARNING 13, ERROR 17, CRITICAL 21 = FATAL).
 */
export const CAC_CAP_DO = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;

/** One of the seed's level names. */
export type CapDo = (typeof CAC_CAP_DO)[number];

/**
 * A level name as options accept it: upper or lower case, plus Python's
 * aliases WARN and FATAL. A typo does not compile; a name read at run time
 * (an environment variable) goes through `doc_cap_do()` first.
 */
export type TenCapDo = CapDo | Lowercase<CapDo> | 'WARN' | 'warn' | 'FATAL' | 'fatal';

/** Numeric rank of each level (its index into CAC_CAP_DO): a level check is one compare. */
export const LEVEL_RANK: Readonly<Record<CapDo, number>> = Object.freeze({ DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3, CRITICAL: 4 });

/** OTel SeverityNumber per rank. */
export const MUC_DO_OTEL: readonly number[] = Object.freeze([5, 9, 13, 17, 21]);

/**
 * Parses a level name, case-insensitively (`"info"` works; so does Python's
 * alias `"WARN"` and `"FATAL"` for CRITICAL).
 * @throws RangeError naming the valid levels.
 */
export function doc_cap_do(x: unknown, option_name = 'cap_do'): CapDo {
  if (typeof x === 'string') {
    const name = x.trim().toUpperCase();
    if ((CAC_CAP_DO as readonly string[]).includes(name)) return name as CapDo;
    if (name === 'WARN') return 'WARNING';
    if (name === 'FATAL') return 'CRITICAL';
  }
  throw new RangeError(`${option_name} must be one of ${CAC_CAP_DO.join(', ')} (case-insensitive), got ${typeof x === 'string' ? JSON.stringify(x) : typeof x}`);
}
