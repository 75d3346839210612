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

/** Keys a context may not use (khóa dành riêng = reserved keys): they are the line's own fields. */
export const KHOA_DANH_RIENG: ReadonlySet<string> = new Set(['timestamp', 'level', 'logger', 'message', 'data', 'exception', 'trace_id', 'span_id']);

/** Checks a context object passed to `caller`; returns a copy of its own enumerable entries. */
export function check_context(x: unknown, caller: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    throw new TypeError(`${caller}: context must be a plain object of fields, got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`);
  }
  const fields: Record<string, unknown> = {};
  for (const k of Object.keys(x)) {
    if (KHOA_DANH_RIENG.has(k)) throw new TypeError(`${caller}: context key ${JSON.stringify(k)} is reserved (reserved: ${[...KHOA_DANH_RIENG].join(', ')})`);
    fields[k] = (x as Record<string, unknown>)[k];
  }
  return fields;
}

/** A compiled context: its fields, JSON fragment and OTel attribute pairs. */
export interface CompiledContext {
  readonly fields: Readonly<Record<string, unknown>>;
  /** `,"k":v` for every field (empty string when none), redacted. */
  readonly json: string;
  /** [key, value] pairs for the OTel record (primitives typed, objects as JSON text). */
  readonly attributes: ReadonlyArray<readonly [string, AttributeValue]>;
}

/** Compiles `fields` with one logger's serialiser (its redaction and limits). */
export function compile_context(fields: Readonly<Record<string, unknown>>, serializer: BoTuanTu): CompiledContext {
  let json = '';
  const attributes: Array<readonly [string, AttributeValue]> = [];
  serializer.bat_dau_ban_ghi(); // the context's own budget
  for (const k of Object.keys(fields)) {
    const v = fields[k];
    if (v === undefined) continue;
    const prefix = serializer.redaction.tien_to(k);
    if (prefix === undefined) {
      json += `,${serializer.redaction.tien_to_che(k)}"${GIA_TRI_DA_CHE}"`;
      attributes.push([k, GIA_TRI_DA_CHE]);
      continue;
    }
    const valueJson = serializer.gia_tri(v);
    json += `,${prefix}${valueJson}`;
    const attribute: AttributeValue =
      typeof v === 'string' ? serializer.truncate(v) : (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' ? v : valueJson;
    attributes.push([k, attribute]);
  }
  return { fields, json, attributes };
}

/** The logger-wide state a frame is merged with (replaced, never mutated, on change). */
export interface LoggerContext {
  readonly compiled: CompiledContext;
  readonly serializer: BoTuanTu;
}

/** One AsyncLocalStorage frame of request-scoped context. */
export class ContextFrame {
  /** The logger state the cached merge was made for. */
  private mergedFor: LoggerContext | undefined;
  private merged: CompiledContext | undefined;

  constructor(readonly fields: Readonly<Record<string, unknown>>) {}

  /** The merged context of a logger state and this frame (frame keys win). */
  merge(state: LoggerContext): CompiledContext {
    if (this.mergedFor === state && this.merged !== undefined) return this.merged;
    const fields: Record<string, unknown> = {};
    for (const k of Object.keys(state.compiled.fields)) if (!(k in this.fields)) fields[k] = state.compiled.fields[k];
    for (const k of Object.keys(this.fields)) fields[k] = this.fields[k];
    const compiled = compile_context(fields, state.serializer);
    this.mergedFor = state;
    this.merged = compiled;
    return compiled;
  }
}

// The key's text is shared with older copies of the package: keep it as is.
const STORAGE_KEY = Symbol.for('vietnamese-ai-otel.logger.ngu-canh.v1');

/** One storage for the process (shared by two copies of the package). */
function sharedStorage(): AsyncLocalStorage<ContextFrame> {
  const g = globalThis as unknown as Record<symbol, AsyncLocalStorage<ContextFrame> | undefined>;
  let storage = g[STORAGE_KEY];
  if (storage === undefined) {
    storage = new AsyncLocalStorage<ContextFrame>();
    g[STORAGE_KEY] = storage;
  }
  return storage;
}

const storage = sharedStorage();

/** The active request-scoped frame, if any. */
export function current_frame(): ContextFrame | undefined {
  return storage.getStore();
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
  const fields = check_context(ctx, 'voi_context');
  if (typeof fn !== 'function') throw new TypeError(`voi_context: fn must be a function, got ${typeof fn}`);
  const parent = storage.getStore();
  const merged = parent === undefined ? fields : { ...parent.fields, ...fields };
  return storage.run(new ContextFrame(Object.freeze(merged)), fn);
}

/** The request-scoped fields active here (a copy), `{}` outside any `voi_context`. */
export function lay_context(): Record<string, unknown> {
  const frame = storage.getStore();
  return frame === undefined ? {} : { ...frame.fields };
}
