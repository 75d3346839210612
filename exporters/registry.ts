/**
 * The exporter registry (sổ đăng ký exporter): name -> factories. The SDK
 * resolves each name in OTEL_*_EXPORTER through it, so a user's own exporter
 * is one `dang_ky_exporter()` call away from being selectable by environment.
 */
import { LoiCauHinh } from '../src/core/config-error.js';
import type { DinhNghiaExporter, TinHieu } from './types.js';

const KHOA = Symbol.for('vietnamese-ai-otel.exporters.v1');
const g = globalThis as unknown as Record<symbol, Map<string, DinhNghiaExporter> | undefined>;
const soDangKy: Map<string, DinhNghiaExporter> = (g[KHOA] ??= new Map());

/**
 * Registers (đăng ký) an exporter under `ten`. Registering a name again
 * replaces it, so a user can swap a built-in one.
 */
export function dang_ky_exporter(ten: string, dinh_nghia: DinhNghiaExporter): void {
  if (typeof ten !== 'string' || !/^[a-z0-9_.-]+$/i.test(ten)) {
    throw new TypeError(`dang_ky_exporter: invalid exporter name ${JSON.stringify(ten)} (letters, digits, _ . - only)`);
  }
  if (dinh_nghia === null || typeof dinh_nghia !== 'object' || (!dinh_nghia.traces && !dinh_nghia.metrics && !dinh_nghia.logs)) {
    throw new TypeError(`dang_ky_exporter(${JSON.stringify(ten)}): give at least one of traces, metrics, logs factories`);
  }
  soDangKy.set(ten, dinh_nghia);
}

/** The names registered, for messages and docs. */
export function danh_sach_exporter(): string[] {
  return [...soDangKy.keys()].sort();
}

/** The names registered for one signal. */
export function danh_sach_exporter_cho(tin_hieu: TinHieu): string[] {
  return danh_sach_exporter().filter((ten) => soDangKy.get(ten)?.[tin_hieu] !== undefined);
}

/** Looks up the factory of `ten` for `tin_hieu`, or throws naming the variable. */
export function tim_exporter<S extends TinHieu>(ten: string, tin_hieu: S): NonNullable<DinhNghiaExporter[S]> {
  const dn = soDangKy.get(ten);
  const bien = `OTEL_${tin_hieu.toUpperCase()}_EXPORTER`;
  if (dn === undefined) {
    throw new LoiCauHinh(bien, `unknown exporter ${JSON.stringify(ten)}; known: ${danh_sach_exporter().join(', ')}`);
  }
  const f = dn[tin_hieu];
  if (f === undefined) throw new LoiCauHinh(bien, `exporter ${JSON.stringify(ten)} does not export ${tin_hieu}`);
  return f as NonNullable<DinhNghiaExporter[S]>;
}
