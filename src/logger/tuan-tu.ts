/**
 * Serialisation (tuần tự hóa) of log data to JSON text that never throws.
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
import { GIA_TRI_DA_CHE, type BoCheKhoa } from './che-khoa.js';

/** U+0085, U+2028, U+2029: valid inside JSON strings, but line breaks to some readers (Python's splitlines, JS /m). */
const NGAT_DONG_KHAC = /[\u0085\u2028\u2029]/g;

function thoatNgatDong(j: string): string {
  return j.replace(NGAT_DONG_KHAC, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Quotes `s` as a JSON string. Short strings without anything to escape skip
 * JSON.stringify. Besides JSON's own escapes, the other Unicode line breaks
 * are escaped too, so no reader that splits on them sees a forged line.
 */
export function chuoi_json(s: string): string {
  const n = s.length;
  if (n > 80) {
    const j = JSON.stringify(s);
    return j.search(NGAT_DONG_KHAC) === -1 ? j : thoatNgatDong(j);
  }
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff) || c === 0x85 || c === 0x2028 || c === 0x2029) {
      return thoatNgatDong(JSON.stringify(s));
    }
  }
  return `"${s}"`;
}

export const DA_CHE_JSON = `"${GIA_TRI_DA_CHE}"`;

/** Limits of one serialiser. */
export interface GioiHanTuanTu {
  /** Longest string kept (characters); longer ones are cut with a marker. */
  readonly do_dai_chuoi: number;
  /** Deepest nesting walked; deeper objects become "[Object]" / "[Array]". */
  readonly do_sau: number;
  /** Most array items / object keys written per level. */
  readonly so_phan_tu: number;
}

function moTa(e: unknown): string {
  try {
    if (e instanceof Error) return `${e.name}: ${e.message}`;
    return String(e);
  } catch {
    return 'unknown';
  }
}

function tenKieu(v: object): string {
  try {
    const c = (v as { constructor?: { name?: unknown } }).constructor;
    return typeof c?.name === 'string' && c.name !== '' ? c.name : 'Object';
  } catch {
    return 'Object';
  }
}

/** True for Errors, including ones from other realms and error-like objects with a stack. */
function laLoi(v: object): v is Error {
  if (v instanceof Error) return true;
  try {
    return Object.prototype.toString.call(v) === '[object Error]';
  } catch {
    return false;
  }
}

/** The serialiser of one logger (its redaction rule and limits). */
export class BoTuanTu {
  constructor(
    readonly che: BoCheKhoa,
    readonly gioi_han: GioiHanTuanTu,
  ) {}

  /** Cuts an over-long string, saying how much was cut. */
  cat(s: string): string {
    const max = this.gioi_han.do_dai_chuoi;
    return s.length > max ? `${s.slice(0, max)}…[truncated ${s.length - max} chars]` : s;
  }

  /** The JSON text of any value; never throws. */
  gia_tri(v: unknown): string {
    try {
      return this.giaTri(v, 0, []);
    } catch (e) {
      return chuoi_json(`[Unserializable: ${this.cat(moTa(e))}]`);
    }
  }

  private giaTri(v: unknown, sau: number, duong: object[]): string {
    switch (typeof v) {
      case 'string':
        return chuoi_json(v.length > this.gioi_han.do_dai_chuoi ? this.cat(v) : v);
      case 'number':
        return Number.isFinite(v) ? String(v) : `"${String(v)}"`;
      case 'boolean':
        return v ? 'true' : 'false';
      case 'bigint':
        return `"${v.toString()}"`;
      case 'undefined':
        return 'null';
      case 'symbol':
        return chuoi_json(v.toString());
      case 'function':
        return chuoi_json(`[Function: ${(v as { name?: string }).name || 'anonymous'}]`);
      default:
        if (v === null) return 'null';
        return this.doiTuong(v as object, sau, duong);
    }
  }

  private doiTuong(v: object, sau: number, duong: object[]): string {
    if (duong.includes(v)) return '"[Circular]"';
    if (sau >= this.gioi_han.do_sau) return Array.isArray(v) ? '"[Array]"' : '"[Object]"';
    duong.push(v);
    try {
      if (Array.isArray(v)) return this.mang(v, sau, duong);
      if (laLoi(v)) return this.loi(v, sau, duong);
      if (ArrayBuffer.isView(v)) return chuoi_json(`[${tenKieu(v)} ${v.byteLength} bytes]`);
      if (v instanceof ArrayBuffer) return chuoi_json(`[ArrayBuffer ${v.byteLength} bytes]`);
      if (v instanceof Map) return this.banDo(v, sau, duong);
      if (v instanceof Set) return this.mang([...v], sau, duong);
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return this.giaTri(toJSON.call(v), sau + 1, duong);
      return this.cacKhoa(v as Record<string, unknown>, sau, duong);
    } catch (e) {
      return chuoi_json(`[Unserializable: ${this.cat(moTa(e))}]`);
    } finally {
      duong.pop();
    }
  }

  private mang(a: readonly unknown[], sau: number, duong: object[]): string {
    const n = Math.min(a.length, this.gioi_han.so_phan_tu);
    let s = '[';
    for (let i = 0; i < n; i++) {
      if (i > 0) s += ',';
      let x: unknown;
      try {
        x = a[i];
      } catch (e) {
        s += chuoi_json(`[Throws: ${this.cat(moTa(e))}]`);
        continue;
      }
      s += this.giaTri(x, sau + 1, duong);
    }
    if (a.length > n) s += `${n > 0 ? ',' : ''}"…[${a.length - n} more items]"`;
    return `${s}]`;
  }

  private banDo(m: Map<unknown, unknown>, sau: number, duong: object[]): string {
    let s = '{';
    let i = 0;
    for (const [k, x] of m) {
      if (i >= this.gioi_han.so_phan_tu) {
        s += `${i > 0 ? ',' : ''}"…":"${m.size - i} more keys"`;
        break;
      }
      const ks = typeof k === 'string' ? k : moTa(k);
      const tt = this.che.tien_to(ks);
      s += `${i > 0 ? ',' : ''}${tt ?? `${JSON.stringify(ks)}:`}${tt === undefined ? DA_CHE_JSON : this.giaTri(x, sau + 1, duong)}`;
      i++;
    }
    return `${s}}`;
  }

  /** Own enumerable keys; a throwing getter becomes "[Throws: ...]"; undefined values are left out (as JSON does). */
  private cacKhoa(o: Record<string, unknown>, sau: number, duong: object[]): string {
    let s = '{';
    let i = 0;
    for (const k in o) {
      if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
      if (i >= this.gioi_han.so_phan_tu) {
        s += ',"…":"more keys cut"';
        break;
      }
      const tt = this.che.tien_to(k);
      let phan: string;
      if (tt === undefined) phan = `${JSON.stringify(k)}:${DA_CHE_JSON}`;
      else {
        let x: unknown;
        try {
          x = o[k];
        } catch (e) {
          x = `[Throws: ${moTa(e)}]`;
        }
        if (x === undefined) continue;
        phan = tt + this.giaTri(x, sau + 1, duong);
      }
      s += i > 0 ? `,${phan}` : phan;
      i++;
    }
    return `${s}}`;
  }

  /** An Error as {type, message, stack, code?, cause?, errors?, ...own props}. */
  private loi(e: Error, sau: number, duong: object[]): string {
    const doc = (k: string): unknown => {
      try {
        return (e as unknown as Record<string, unknown>)[k];
      } catch (x) {
        return `[Throws: ${moTa(x)}]`;
      }
    };
    const ten = doc('name');
    let s = `{"type":${chuoi_json(this.cat(typeof ten === 'string' && ten !== '' ? ten : tenKieu(e)))}`;
    s += `,"message":${this.giaTri(String(doc('message') ?? ''), sau + 1, duong)}`;
    const stack = doc('stack');
    if (typeof stack === 'string') s += `,"stack":${this.giaTri(stack, sau + 1, duong)}`;
    const cause = doc('cause');
    if (cause !== undefined) s += `,"cause":${this.giaTri(cause, sau + 1, duong)}`;
    const errors = doc('errors');
    if (Array.isArray(errors)) s += `,"errors":${this.giaTri(errors, sau + 1, duong)}`;
    for (const k in e) {
      if (k === 'name' || k === 'message' || k === 'stack' || k === 'cause' || k === 'errors' || k === 'type') continue;
      if (!Object.prototype.hasOwnProperty.call(e, k)) continue;
      const tt = this.che.tien_to(k);
      if (tt === undefined) {
        s += `,${JSON.stringify(k)}:${DA_CHE_JSON}`;
        continue;
      }
      const x = doc(k);
      if (x !== undefined) s += `,${tt}${this.giaTri(x, sau + 1, duong)}`;
    }
    return `${s}}`;
  }

  /**
   * The top-level `data` object: JSON text, and (when `thuoc_tinh` is given)
   * one OTel attribute per top-level key: primitives keep their type,
   * objects/arrays become their (redacted) JSON text. Never throws.
   */
  du_lieu(d: unknown, thuoc_tinh: Record<string, AttributeValue> | undefined): string {
    if (d === undefined || d === null) return '{}';
    try {
      // Plain objects (the common case) go straight to the flat walk.
      if (typeof d === 'object' && Object.getPrototypeOf(d) === Object.prototype && typeof (d as { toJSON?: unknown }).toJSON !== 'function') return this.duLieuPhang(d as Record<string, unknown>, thuoc_tinh);
      if (typeof d !== 'object' || Array.isArray(d) || laLoi(d) || typeof (d as { toJSON?: unknown }).toJSON === 'function' || d instanceof Map) {
        const j = this.gia_tri(d);
        if (thuoc_tinh !== undefined) thuoc_tinh.data = typeof d === 'string' ? this.cat(d) : j;
        return j;
      }
      return this.duLieuPhang(d as Record<string, unknown>, thuoc_tinh);
    } catch (e) {
      const j = chuoi_json(`[Unserializable: ${this.cat(moTa(e))}]`);
      if (thuoc_tinh !== undefined) thuoc_tinh.data = j;
      return j;
    }
  }

  private duLieuPhang(o: Record<string, unknown>, tt_otel: Record<string, AttributeValue> | undefined): string {
    let s = '{';
    let i = 0;
    const duong: object[] = [o];
    for (const k in o) {
      if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
      if (i >= this.gioi_han.so_phan_tu) {
        s += ',"…":"more keys cut"';
        break;
      }
      const tt = this.che.tien_to(k);
      if (tt === undefined) {
        s += `${i > 0 ? ',' : ''}${JSON.stringify(k)}:${DA_CHE_JSON}`;
        if (tt_otel !== undefined) tt_otel[k] = GIA_TRI_DA_CHE;
        i++;
        continue;
      }
      let x: unknown;
      try {
        x = o[k];
      } catch (e) {
        x = `[Throws: ${moTa(e)}]`;
      }
      let j: string;
      switch (typeof x) {
        case 'undefined':
          continue;
        case 'string': {
          const c = x.length > this.gioi_han.do_dai_chuoi ? this.cat(x) : x;
          j = chuoi_json(c);
          if (tt_otel !== undefined) tt_otel[k] = c;
          break;
        }
        case 'number':
          if (Number.isFinite(x)) {
            j = String(x);
            if (tt_otel !== undefined) tt_otel[k] = x;
          } else {
            j = `"${String(x)}"`;
            if (tt_otel !== undefined) tt_otel[k] = String(x);
          }
          break;
        case 'boolean':
          j = x ? 'true' : 'false';
          if (tt_otel !== undefined) tt_otel[k] = x;
          break;
        default:
          j = this.giaTri(x, 1, duong);
          if (tt_otel !== undefined) tt_otel[k] = typeof x === 'bigint' ? x.toString() : j;
      }
      s += i > 0 ? `,${tt}${j}` : tt + j;
      i++;
    }
    return `${s}}`;
  }

  /**
   * An exception as the `exception` field of a line and the OTel semantic
   * attributes exception.type / exception.message / exception.stacktrace.
   */
  ngoai_le(e: unknown, thuoc_tinh: Record<string, AttributeValue> | undefined): string {
    const j = this.gia_tri(e);
    if (thuoc_tinh !== undefined) {
      try {
        if (typeof e === 'object' && e !== null && laLoi(e)) {
          const ten = e.name;
          thuoc_tinh['exception.type'] = this.cat(typeof ten === 'string' && ten !== '' ? ten : tenKieu(e));
          thuoc_tinh['exception.message'] = this.cat(String(e.message ?? ''));
          if (typeof e.stack === 'string') thuoc_tinh['exception.stacktrace'] = this.cat(e.stack);
        } else {
          thuoc_tinh['exception.message'] = typeof e === 'string' ? this.cat(e) : j;
        }
      } catch (x) {
        thuoc_tinh['exception.message'] = `[Throws: ${moTa(x)}]`;
      }
    }
    return j;
  }
}
