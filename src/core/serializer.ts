/**
 * Serialisation of log data to JSON text that never throws.
 *
 * WHY our own walker instead of `JSON.stringify` + a replacer: one pass does
 * everything a log line needs and JSON.stringify cannot: redaction of
 * secret-looking keys at any depth, cycles (`"[Circular]"`), BigInt, Symbols,
 * functions, Errors (type, message, stack, cause), getters and proxies that
 * throw, depth/width/length limits. Strings (the bulk of a log line) take a
 * fast path: a short string with nothing to escape is quoted by
 * concatenation, anything else goes to V8's native `JSON.stringify`, which
 * also escapes lone surrogates. Newlines are always escaped, so a message can
 * never forge a second line.
 */
import type { AttributeValue } from '@opentelemetry/api';
import { GIA_TRI_DA_CHE, type BoCheKhoa } from './redaction.js';
import { quote_json, truncate_string } from './json-string.js';
import { error_text } from './error-text.js';

export { quote_json };

export const REDACTED_JSON = `"${GIA_TRI_DA_CHE}"`;

/** Values one log record may visit (nodes), over message, data and exception together. */
export const RECORD_NODE_BUDGET = 10_000;
/** Characters of strings and keys one log record may write (about 256 KB of text). */
export const RECORD_CHAR_BUDGET = 256 * 1024;
/** What stands for everything past the budget. */
export const BUDGET_EXCEEDED = '[log record budget exceeded]';
const BUDGET_EXCEEDED_JSON = `"${BUDGET_EXCEEDED}"`;

/** The first `n` items of a Set, without copying a huge one whole. */
function firstItems(set: Set<unknown>, n: number): unknown[] {
  const items: unknown[] = [];
  for (const x of set) {
    if (items.length >= n) break;
    items.push(x);
  }
  return items;
}

/** Limits of one serialiser. */
export interface SerializerLimits {
  /** Longest string kept (characters); longer ones are cut with a marker. */
  readonly do_dai_chuoi: number;
  /** Deepest nesting walked; deeper objects become "[Object]" / "[Array]". */
  readonly do_sau: number;
  /** Most array items / object keys written per level. */
  readonly so_phan_tu: number;
}

/** `o[k]`; a getter that throws reads as "[Throws: ...]". */
function safeRead(o: Record<string, unknown>, k: string): unknown {
  try {
    return o[k];
  } catch (e) {
    return `[Throws: ${error_text(e)}]`;
  }
}

function typeName(v: object): string {
  try {
    const c = (v as { constructor?: { name?: unknown } }).constructor;
    return typeof c?.name === 'string' && c.name !== '' ? c.name : 'Object';
  } catch {
    return 'Object';
  }
}

/** True for Errors, including ones from other realms and error-like objects with a stack. */
function isError(v: object): v is Error {
  if (v instanceof Error) return true;
  try {
    return Object.prototype.toString.call(v) === '[object Error]';
  } catch {
    return false;
  }
}

/** The serialiser of one logger (its redaction rule and limits). */
export class BoTuanTu {
  private nodesLeft = RECORD_NODE_BUDGET;
  private charsLeft = RECORD_CHAR_BUDGET;

  constructor(
    readonly redaction: BoCheKhoa,
    readonly limits: SerializerLimits,
  ) {}

  /** Cuts an over-long string, saying how much was cut. */
  truncate(s: string): string {
    return truncate_string(s, this.limits.do_dai_chuoi);
  }

  /**
   * Starts a record's budget: every value visited costs one
   * node, every string and key its length, shared by all the parts of one
   * record (message, data, exception). Without it the depth and width limits
   * multiply through shared references (16 wide x 8 deep is 4 billion paths
   * to ONE leaf): one call could freeze the process for minutes.
   */
  bat_dau_ban_ghi(): void {
    this.nodesLeft = RECORD_NODE_BUDGET;
    this.charsLeft = RECORD_CHAR_BUDGET;
  }

  /** True once the record's budget is spent: the caller writes BUDGET_EXCEEDED and stops. */
  private budgetSpent(): boolean {
    return this.nodesLeft < 0 || this.charsLeft < 0;
  }

  /**
   * Before the i-th own key `k` of a plain object: the marker that ends the
   * object (too many keys, or the record's budget spent), or undefined once
   * the key is charged to the budget.
   */
  private stopBeforeKey(i: number, k: string): string | undefined {
    if (i >= this.limits.so_phan_tu) return ',"…":"more keys cut"';
    if (this.budgetSpent()) return `${i > 0 ? ',' : ''}"…":${BUDGET_EXCEEDED_JSON}`;
    this.charsLeft -= k.length;
    return undefined;
  }

  /** The JSON text of any value; never throws. */
  gia_tri(v: unknown): string {
    try {
      return this.walkValue(v, 0, []);
    } catch (e) {
      return quote_json(`[Unserializable: ${this.truncate(error_text(e))}]`);
    }
  }

  private walkValue(v: unknown, depth: number, ancestors: object[]): string {
    if (--this.nodesLeft < 0 || this.charsLeft < 0) return BUDGET_EXCEEDED_JSON;
    switch (typeof v) {
      case 'string': {
        const c = v.length > this.limits.do_dai_chuoi ? this.truncate(v) : v;
        this.charsLeft -= c.length;
        return quote_json(c);
      }
      case 'number':
        return Number.isFinite(v) ? String(v) : `"${String(v)}"`;
      case 'boolean':
        return v ? 'true' : 'false';
      case 'bigint':
        return `"${v.toString()}"`;
      case 'undefined':
        return 'null';
      case 'symbol':
        return quote_json(v.toString());
      case 'function':
        return quote_json(`[Function: ${(v as { name?: string }).name || 'anonymous'}]`);
      default:
        if (v === null) return 'null';
        return this.walkObject(v as object, depth, ancestors);
    }
  }

  private walkObject(v: object, depth: number, ancestors: object[]): string {
    if (ancestors.includes(v)) return '"[Circular]"';
    if (depth >= this.limits.do_sau) return Array.isArray(v) ? '"[Array]"' : '"[Object]"';
    ancestors.push(v);
    try {
      if (Array.isArray(v)) return this.walkArray(v, depth, ancestors);
      if (isError(v)) return this.walkError(v, depth, ancestors);
      if (ArrayBuffer.isView(v)) return quote_json(`[${typeName(v)} ${v.byteLength} bytes]`);
      if (v instanceof ArrayBuffer) return quote_json(`[ArrayBuffer ${v.byteLength} bytes]`);
      if (v instanceof Map) return this.walkMap(v, depth, ancestors);
      if (v instanceof Set) return this.walkArray(firstItems(v, this.limits.so_phan_tu + 1), depth, ancestors, v.size);
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return this.walkValue(toJSON.call(v), depth + 1, ancestors);
      return this.walkPlainObject(v as Record<string, unknown>, depth, ancestors);
    } catch (e) {
      return quote_json(`[Unserializable: ${this.truncate(error_text(e))}]`);
    } finally {
      ancestors.pop();
    }
  }

  private walkArray(a: readonly unknown[], depth: number, ancestors: object[], total = a.length): string {
    const n = Math.min(a.length, this.limits.so_phan_tu);
    let s = '[';
    for (let i = 0; i < n; i++) {
      if (i > 0) s += ',';
      if (this.budgetSpent()) return `${s}${BUDGET_EXCEEDED_JSON}]`;
      let x: unknown;
      try {
        x = a[i];
      } catch (e) {
        s += quote_json(`[Throws: ${this.truncate(error_text(e))}]`);
        continue;
      }
      s += this.walkValue(x, depth + 1, ancestors);
    }
    if (total > n) s += `${n > 0 ? ',' : ''}"…[${total - n} more items]"`;
    return `${s}]`;
  }

  private walkMap(m: Map<unknown, unknown>, depth: number, ancestors: object[]): string {
    let s = '{';
    let i = 0;
    for (const [k, x] of m) {
      if (i >= this.limits.so_phan_tu) {
        s += `${i > 0 ? ',' : ''}"…":"${m.size - i} more keys"`;
        break;
      }
      if (this.budgetSpent()) {
        s += `${i > 0 ? ',' : ''}"…":${BUDGET_EXCEEDED_JSON}`;
        break;
      }
      const keyText = typeof k === 'string' ? k : error_text(k);
      this.charsLeft -= keyText.length;
      const prefix = this.redaction.tien_to(keyText);
      s += `${i > 0 ? ',' : ''}${prefix ?? this.redaction.tien_to_che(keyText)}${prefix === undefined ? REDACTED_JSON : this.walkValue(x, depth + 1, ancestors)}`;
      i++;
    }
    return `${s}}`;
  }

  /** Own enumerable keys; a throwing getter becomes "[Throws: ...]"; undefined values are left out (as JSON does). */
  private walkPlainObject(o: Record<string, unknown>, depth: number, ancestors: object[]): string {
    let s = '{';
    let i = 0;
    for (const k in o) {
      if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
      const stop = this.stopBeforeKey(i, k);
      if (stop !== undefined) return `${s}${stop}}`;
      const prefix = this.redaction.tien_to(k);
      let part: string;
      if (prefix === undefined) part = `${this.redaction.tien_to_che(k)}${REDACTED_JSON}`;
      else {
        const x = safeRead(o, k);
        if (x === undefined) continue;
        part = prefix + this.walkValue(x, depth + 1, ancestors);
      }
      s += i > 0 ? `,${part}` : part;
      i++;
    }
    return `${s}}`;
  }

  /** An Error as {type, message, stack, code?, cause?, errors?, ...own props}. */
  private walkError(e: Error, depth: number, ancestors: object[]): string {
    const read = (k: string): unknown => safeRead(e as unknown as Record<string, unknown>, k);
    const name = read('name');
    let s = `{"type":${quote_json(this.truncate(typeof name === 'string' && name !== '' ? name : typeName(e)))}`;
    s += `,"message":${this.walkValue(String(read('message') ?? ''), depth + 1, ancestors)}`;
    const stack = read('stack');
    if (typeof stack === 'string') s += `,"stack":${this.walkValue(stack, depth + 1, ancestors)}`;
    const cause = read('cause');
    if (cause !== undefined) s += `,"cause":${this.walkValue(cause, depth + 1, ancestors)}`;
    const errors = read('errors');
    if (Array.isArray(errors)) s += `,"errors":${this.walkValue(errors, depth + 1, ancestors)}`;
    for (const k in e) {
      if (k === 'name' || k === 'message' || k === 'stack' || k === 'cause' || k === 'errors' || k === 'type') continue;
      if (!Object.prototype.hasOwnProperty.call(e, k)) continue;
      if (this.budgetSpent()) {
        s += `,"…":${BUDGET_EXCEEDED_JSON}`;
        break;
      }
      this.charsLeft -= k.length;
      const prefix = this.redaction.tien_to(k);
      if (prefix === undefined) {
        s += `,${this.redaction.tien_to_che(k)}${REDACTED_JSON}`;
        continue;
      }
      const x = read(k);
      if (x !== undefined) s += `,${prefix}${this.walkValue(x, depth + 1, ancestors)}`;
    }
    return `${s}}`;
  }

  /**
   * The top-level `data` object: JSON text, and (when `attributes` is given)
   * one OTel attribute per top-level key: primitives keep their type,
   * objects/arrays become their (redacted) JSON text. Never throws.
   */
  data(d: unknown, attributes: Record<string, AttributeValue> | undefined): string {
    if (d === undefined || d === null) return '{}';
    try {
      // Plain objects (the common case) go straight to the flat walk.
      if (typeof d === 'object' && Object.getPrototypeOf(d) === Object.prototype && typeof (d as { toJSON?: unknown }).toJSON !== 'function') return this.flatData(d as Record<string, unknown>, attributes);
      if (typeof d !== 'object' || Array.isArray(d) || isError(d) || typeof (d as { toJSON?: unknown }).toJSON === 'function' || d instanceof Map) {
        const j = this.gia_tri(d);
        if (attributes !== undefined) attributes.data = typeof d === 'string' ? this.truncate(d) : j;
        return j;
      }
      return this.flatData(d as Record<string, unknown>, attributes);
    } catch (e) {
      const j = quote_json(`[Unserializable: ${this.truncate(error_text(e))}]`);
      if (attributes !== undefined) attributes.data = j;
      return j;
    }
  }

  private flatData(o: Record<string, unknown>, attributes: Record<string, AttributeValue> | undefined): string {
    let s = '{';
    let i = 0;
    const ancestors: object[] = [o];
    for (const k in o) {
      if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
      const stop = this.stopBeforeKey(i, k);
      if (stop !== undefined) return `${s}${stop}}`;
      // OTel attribute keys are cut like the line's keys.
      const attributeKey = k.length > this.limits.do_dai_chuoi ? this.truncate(k) : k;
      const prefix = this.redaction.tien_to(k);
      if (prefix === undefined) {
        s += `${i > 0 ? ',' : ''}${this.redaction.tien_to_che(k)}${REDACTED_JSON}`;
        if (attributes !== undefined) attributes[attributeKey] = GIA_TRI_DA_CHE;
        i++;
        continue;
      }
      const x = safeRead(o, k);
      let j: string;
      switch (typeof x) {
        case 'undefined':
          continue;
        case 'string': {
          const c = x.length > this.limits.do_dai_chuoi ? this.truncate(x) : x;
          this.charsLeft -= c.length;
          j = quote_json(c);
          if (attributes !== undefined) attributes[attributeKey] = c;
          break;
        }
        case 'number':
          if (Number.isFinite(x)) {
            j = String(x);
            if (attributes !== undefined) attributes[attributeKey] = x;
          } else {
            j = `"${String(x)}"`;
            if (attributes !== undefined) attributes[attributeKey] = String(x);
          }
          break;
        case 'boolean':
          j = x ? 'true' : 'false';
          if (attributes !== undefined) attributes[attributeKey] = x;
          break;
        default:
          j = this.walkValue(x, 1, ancestors);
          if (attributes !== undefined) attributes[attributeKey] = typeof x === 'bigint' ? x.toString() : j;
      }
      s += i > 0 ? `,${prefix}${j}` : prefix + j;
      i++;
    }
    return `${s}}`;
  }

  /**
   * An exception as the `exception` field of a line and the OTel semantic
   * attributes exception.type / exception.message / exception.stacktrace.
   */
  exception(e: unknown, attributes: Record<string, AttributeValue> | undefined): string {
    const j = this.gia_tri(e);
    if (attributes !== undefined) {
      try {
        if (typeof e === 'object' && e !== null && isError(e)) {
          const name = e.name;
          attributes['exception.type'] = this.truncate(typeof name === 'string' && name !== '' ? name : typeName(e));
          attributes['exception.message'] = this.truncate(String(e.message ?? ''));
          if (typeof e.stack === 'string') attributes['exception.stacktrace'] = this.truncate(e.stack);
        } else {
          attributes['exception.message'] = typeof e === 'string' ? this.truncate(e) : j;
        }
      } catch (x) {
        attributes['exception.message'] = `[Throws: ${error_text(x)}]`;
      }
    }
    return j;
  }
}
