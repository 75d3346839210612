/**
 * Context (ngữ cảnh): the fields added to every line.
 *
 * Two layers, on purpose:
 * - logger-wide context (`context_mac_dinh` + `them_context`): belongs to
 *   ONE logger object and to every line it writes, from any request. This is
 *   the seed's model; right for `service`, `model_version`, `region`.
 * - request-scoped context (`voi_context(ctx, fn)`): lives in an
 *   AsyncLocalStorage frame, so it follows `fn` and everything it awaits, and
 *   is seen by EVERY logger, but never by a concurrent request. Right for
 *   `request_id`, `user_id`. Frames nest (inner keys win); on a key clash a
 *   request-scoped field wins over a logger-wide one, and each key is written
 *   once.
 *
 * WHY compiled: the JSON fragment (`,"k":v,...`, already redacted) and the
 * OTel attribute pairs of a context are built when the context changes, not
 * per line. A frame remembers the fragment it made for the last logger state
 * it met, so a request logging through one logger pays nothing extra.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AttributeValue } from '@opentelemetry/api';
import { GIA_TRI_DA_CHE } from '../core/redaction.js';
import type { BoTuanTu } from '../core/serializer.js';

/** Keys a context may not use: they are the line's own fields. */
export const KHOA_DANH_RIENG: ReadonlySet<string> = new Set(['timestamp', 'level', 'logger', 'message', 'data', 'exception', 'trace_id', 'span_id']);

/** Checks a context object; returns its own enumerable entries. */
export function kiem_tra_ngu_canh(x: unknown, noi: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    throw new TypeError(`${noi}: context must be a plain object of fields, got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`);
  }
  const ra: Record<string, unknown> = {};
  for (const k of Object.keys(x)) {
    if (KHOA_DANH_RIENG.has(k)) throw new TypeError(`${noi}: context key ${JSON.stringify(k)} is reserved (reserved: ${[...KHOA_DANH_RIENG].join(', ')})`);
    ra[k] = (x as Record<string, unknown>)[k];
  }
  return ra;
}

/** A compiled context: its fields, JSON fragment and OTel attribute pairs. */
export interface NguCanhBien {
  readonly truong: Readonly<Record<string, unknown>>;
  /** `,"k":v` for every field (empty string when none), redacted. */
  readonly json: string;
  /** [key, value] pairs for the OTel record (primitives typed, objects as JSON text). */
  readonly thuoc_tinh: ReadonlyArray<readonly [string, AttributeValue]>;
}

/** Compiles `truong` with one logger's serialiser (its redaction and limits). */
export function bien_dich(truong: Readonly<Record<string, unknown>>, tt: BoTuanTu): NguCanhBien {
  let json = '';
  const thuoc_tinh: Array<readonly [string, AttributeValue]> = [];
  tt.bat_dau_ban_ghi(); // the context's own budget
  for (const k of Object.keys(truong)) {
    const v = truong[k];
    if (v === undefined) continue;
    const tien_to = tt.che.tien_to(k);
    if (tien_to === undefined) {
      json += `,${tt.che.tien_to_che(k)}"${GIA_TRI_DA_CHE}"`;
      thuoc_tinh.push([k, GIA_TRI_DA_CHE]);
      continue;
    }
    const j = tt.gia_tri(v);
    json += `,${tien_to}${j}`;
    const a: AttributeValue =
      typeof v === 'string' ? tt.cat(v) : (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' ? v : j;
    thuoc_tinh.push([k, a]);
  }
  return { truong, json, thuoc_tinh };
}

/** The logger-wide state a frame is merged with (replaced, never mutated, on change). */
export interface TrangThaiNguCanh {
  readonly bien: NguCanhBien;
  readonly tuan_tu: BoTuanTu;
}

/** One AsyncLocalStorage frame of request-scoped context. */
export class KhungNguCanh {
  private khoaCache: TrangThaiNguCanh | undefined;
  private giaTriCache: NguCanhBien | undefined;

  constructor(readonly truong: Readonly<Record<string, unknown>>) {}

  /** The merged context of a logger state and this frame (frame keys win). */
  ghep(ls: TrangThaiNguCanh): NguCanhBien {
    if (this.khoaCache === ls && this.giaTriCache !== undefined) return this.giaTriCache;
    const gop: Record<string, unknown> = {};
    for (const k of Object.keys(ls.bien.truong)) if (!(k in this.truong)) gop[k] = ls.bien.truong[k];
    for (const k of Object.keys(this.truong)) gop[k] = this.truong[k];
    const b = bien_dich(gop, ls.tuan_tu);
    this.khoaCache = ls;
    this.giaTriCache = b;
    return b;
  }
}

const KHOA_ALS = Symbol.for('vietnamese-ai-otel.logger.ngu-canh.v1');

/** One storage for the process (shared by two copies of the package). */
function als(): AsyncLocalStorage<KhungNguCanh> {
  const g = globalThis as unknown as Record<symbol, AsyncLocalStorage<KhungNguCanh> | undefined>;
  let s = g[KHOA_ALS];
  if (s === undefined) {
    s = new AsyncLocalStorage<KhungNguCanh>();
    g[KHOA_ALS] = s;
  }
  return s;
}

const luuTru = als();

/** The active request-scoped frame, if any. */
export function khung_hien_tai(): KhungNguCanh | undefined {
  return luuTru.getStore();
}

/**
 * Runs `fn` with request-scoped context (với ngữ cảnh = "with context"):
 * every line any LoggerCauTruc writes inside `fn`, and inside everything
 * `fn` starts or awaits, carries `ctx`'s fields. Nested calls merge (inner
 * keys win). Concurrent calls never see each other's fields. Returns what
 * `fn` returns (a Promise stays a Promise).
 * @throws TypeError when `ctx` is not a plain object, uses a reserved key, or `fn` is not a function.
 */
export function voi_context<T>(ctx: Record<string, unknown>, fn: () => T): T {
  const truong = kiem_tra_ngu_canh(ctx, 'voi_context');
  if (typeof fn !== 'function') throw new TypeError(`voi_context: fn must be a function, got ${typeof fn}`);
  const cha = luuTru.getStore();
  const gop = cha === undefined ? truong : { ...cha.truong, ...truong };
  return luuTru.run(new KhungNguCanh(Object.freeze(gop)), fn);
}

/** The request-scoped fields active here (a copy), `{}` outside any `voi_context`. */
export function lay_context(): Record<string, unknown> {
  const k = luuTru.getStore();
  return k === undefined ? {} : { ...k.truong };
}
