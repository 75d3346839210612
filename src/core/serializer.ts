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
import { GIA_TRI_DA_CHE, type BoCheKhoa } from './redaction.js';
import { cat_chuoi, chuoi_json } from './json-string.js';
import { error_text } from './error-text.js';

export { chuoi_json };

export const DA_CHE_JSON = `"${GIA_TRI_DA_CHE}"`;

/** Values one log record may visit (nodes), over message, data and exception together. */
export const NGAN_SACH_NUT = 10_000;
/** Characters of strings and keys one log record may write (about 256 KB of text). */
export const NGAN_SACH_KY_TU = 256 * 1024;
/** What stands for everything past the budget. */
export const VUOT_NGAN_SACH = '[log record budget exceeded]';
const VUOT_NGAN_SACH_JSON = `"${VUOT_NGAN_SACH}"`;

/** The first `n` items of a Set, without copying a huge one whole. */
function dauTap(t: Set<unknown>, n: number): unknown[] {
  const ra: unknown[] = [];
  for (const x of t) {
    if (ra.length >= n) break;
    ra.push(x);
  }
  return ra;
}

/** Limits of one serialiser. */
export interface GioiHanTuanTu {
  /** Longest string kept (characters); longer ones are cut with a marker. */
  readonly do_dai_chuoi: number;
  /** Deepest nesting walked; deeper objects become "[Object]" / "[Array]". */
  readonly do_sau: number;
  /** Most array items / object keys written per level. */
  readonly so_phan_tu: number;
}

/** `o[k]`; a getter that throws reads as "[Throws: ...]". */
function docAnToan(o: Record<string, unknown>, k: string): unknown {
  try {
    return o[k];
  } catch (e) {
    return `[Throws: ${error_text(e)}]`;
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
  private conNut = NGAN_SACH_NUT;
  private conKyTu = NGAN_SACH_KY_TU;

  constructor(
    readonly che: BoCheKhoa,
    readonly gioi_han: GioiHanTuanTu,
  ) {}

  /** Cuts an over-long string, saying how much was cut. */
  cat(s: string): string {
    return cat_chuoi(s, this.gioi_han.do_dai_chuoi);
  }

  /**
   * Starts a record's budget (ngân sách): every value visited costs one
   * node, every string and key its length, shared by all the parts of one
   * record (message, data, exception). Without it the depth and width limits
   * multiply through shared references (16 wide x 8 deep is 4 billion paths
   * to ONE leaf): one call could freeze the process for minutes.
   */
  bat_dau_ban_ghi(): void {
    this.conNut = NGAN_SACH_NUT;
    this.conKyTu = NGAN_SACH_KY_TU;
  }

  /** True once the record's budget is spent: the caller writes VUOT_NGAN_SACH and stops. */
  private het(): boolean {
    return this.conNut < 0 || this.conKyTu < 0;
  }

  /**
   * Before the i-th own key `k` of a plain object: the marker that ends the
   * object (too many keys, or the record's budget spent), or undefined once
   * the key is charged to the budget.
   */
  private chanKhoa(i: number, k: string): string | undefined {
    if (i >= this.gioi_han.so_phan_tu) return ',"…":"more keys cut"';
    if (this.het()) return `${i > 0 ? ',' : ''}"…":${VUOT_NGAN_SACH_JSON}`;
    this.conKyTu -= k.length;
    return undefined;
  }

  /** The JSON text of any value; never throws. */
  gia_tri(v: unknown): string {
    try {
      return this.giaTri(v, 0, []);
    } catch (e) {
      return chuoi_json(`[Unserializable: ${this.cat(error_text(e))}]`);
    }
  }

  private giaTri(v: unknown, sau: number, duong: object[]): string {
    if (--this.conNut < 0 || this.conKyTu < 0) return VUOT_NGAN_SACH_JSON;
    switch (typeof v) {
      case 'string': {
        const c = v.length > this.gioi_han.do_dai_chuoi ? this.cat(v) : v;
        this.conKyTu -= c.length;
        return chuoi_json(c);
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
      if (v instanceof Set) return this.mang(dauTap(v, this.gioi_han.so_phan_tu + 1), sau, duong, v.size);
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return this.giaTri(toJSON.call(v), sau + 1, duong);
      return this.cacKhoa(v as Record<string, unknown>, sau, duong);
    } catch (e) {
      return chuoi_json(`[Unserializable: ${this.cat(error_text(e))}]`);
    } finally {
      duong.pop();
    }
  }

  private mang(a: readonly unknown[], sau: number, duong: object[], tong = a.length): string {
    const n = Math.min(a.length, this.gioi_han.so_phan_tu);
    let s = '[';
    for (let i = 0; i < n; i++) {
      if (i > 0) s += ',';
      if (this.het()) return `${s}${VUOT_NGAN_SACH_JSON}]`;
      let x: unknown;
      try {
        x = a[i];
      } catch (e) {
        s += chuoi_json(`[Throws: ${this.cat(error_text(e))}]`);
        continue;
      }
      s += this.giaTri(x, sau + 1, duong);
    }
    if (tong > n) s += `${n > 0 ? ',' : ''}"…[${tong - n} more items]"`;
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
      if (this.het()) {
        s += `${i > 0 ? ',' : ''}"…":${VUOT_NGAN_SACH_JSON}`;
        break;
      }
      const ks = typeof k === 'string' ? k : error_text(k);
      this.conKyTu -= ks.length;
      const tt = this.che.tien_to(ks);
      s += `${i > 0 ? ',' : ''}${tt ?? this.che.tien_to_che(ks)}${tt === undefined ? DA_CHE_JSON : this.giaTri(x, sau + 1, duong)}`;
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
      const chan = this.chanKhoa(i, k);
      if (chan !== undefined) return `${s}${chan}}`;
      const tt = this.che.tien_to(k);
      let phan: string;
      if (tt === undefined) phan = `${this.che.tien_to_che(k)}${DA_CHE_JSON}`;
      else {
        const x = docAnToan(o, k);
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
    const doc = (k: string): unknown => docAnToan(e as unknown as Record<string, unknown>, k);
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
      if (this.het()) {
        s += `,"…":${VUOT_NGAN_SACH_JSON}`;
        break;
      }
      this.conKyTu -= k.length;
      const tt = this.che.tien_to(k);
      if (tt === undefined) {
        s += `,${this.che.tien_to_che(k)}${DA_CHE_JSON}`;
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
      const j = chuoi_json(`[Unserializable: ${this.cat(error_text(e))}]`);
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
      const chan = this.chanKhoa(i, k);
      if (chan !== undefined) return `${s}${chan}}`;
      // OTel attribute keys are cut like the line's keys.
      const ka = k.length > this.gioi_han.do_dai_chuoi ? this.cat(k) : k;
      const tt = this.che.tien_to(k);
      if (tt === undefined) {
        s += `${i > 0 ? ',' : ''}${this.che.tien_to_che(k)}${DA_CHE_JSON}`;
        if (tt_otel !== undefined) tt_otel[ka] = GIA_TRI_DA_CHE;
        i++;
        continue;
      }
      const x = docAnToan(o, k);
      let j: string;
      switch (typeof x) {
        case 'undefined':
          continue;
        case 'string': {
          const c = x.length > this.gioi_han.do_dai_chuoi ? this.cat(x) : x;
          this.conKyTu -= c.length;
          j = chuoi_json(c);
          if (tt_otel !== undefined) tt_otel[ka] = c;
          break;
        }
        case 'number':
          if (Number.isFinite(x)) {
            j = String(x);
            if (tt_otel !== undefined) tt_otel[ka] = x;
          } else {
            j = `"${String(x)}"`;
            if (tt_otel !== undefined) tt_otel[ka] = String(x);
          }
          break;
        case 'boolean':
          j = x ? 'true' : 'false';
          if (tt_otel !== undefined) tt_otel[ka] = x;
          break;
        default:
          j = this.giaTri(x, 1, duong);
          if (tt_otel !== undefined) tt_otel[ka] = typeof x === 'bigint' ? x.toString() : j;
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
        thuoc_tinh['exception.message'] = `[Throws: ${error_text(x)}]`;
      }
    }
    return j;
  }
}
