/**
 * The exporter registry (sổ đăng ký exporter): name -> factories. The SDK
 * resolves each name in OTEL_*_EXPORTER through it, so a user's own exporter
 * is one `dang_ky_exporter()` call away from being selectable by environment.
 */
import { LoiCauHinh } from '../src/core/config-error.js';
import type { DinhNghiaExporter, TinHieu } from './types.js';

const REGISTRY_KEY = Symbol.for('vietnamese-ai-otel.exporters.v1');
const g = globalThis as unknown as Record<symbol, Map<string, DinhNghiaExporter> | undefined>;
// On globalThis, so two copies of the package (ESM and CommonJS) share one registry.
const registry: Map<string, DinhNghiaExporter> = (g[REGISTRY_KEY] ??= new Map());

/**
 * Registers (đăng ký) an exporter under `name`. Registering a name again
 * replaces it, so a user can swap a built-in one.
 */
export function dang_ky_exporter(name: string, definition: DinhNghiaExporter): void {
  if (typeof name !== 'string' || !/^[a-z0-9_.-]+$/i.test(name)) {
    throw new TypeError(`dang_ky_exporter: invalid exporter name ${JSON.stringify(name)} (letters, digits, _ . - only)`);
  }
  if (definition === null || typeof definition !== 'object' || (!definition.traces && !definition.metrics && !definition.logs)) {
    throw new TypeError(`dang_ky_exporter(${JSON.stringify(name)}): give at least one of traces, metrics, logs factories`);
  }
  registry.set(name, definition);
}

/** The names registered (danh sách exporter), for messages and docs. */
export function danh_sach_exporter(): string[] {
  return [...registry.keys()].sort();
}

/** The names registered for one signal (cho: for). */
export function danh_sach_exporter_cho(signal: TinHieu): string[] {
  return danh_sach_exporter().filter((name) => registry.get(name)?.[signal] !== undefined);
}

/** Looks up (tìm) the factory of `name` for `signal`, or throws naming the variable. */
export function tim_exporter<S extends TinHieu>(name: string, signal: S): NonNullable<DinhNghiaExporter[S]> {
  const definition = registry.get(name);
  const variable = `OTEL_${signal.toUpperCase()}_EXPORTER`;
  if (definition === undefined) {
    throw new LoiCauHinh(variable, `unknown exporter ${JSON.stringify(name)}; known: ${danh_sach_exporter().join(', ')}`);
  }
  const factory = definition[signal];
  if (factory === undefined) throw new LoiCauHinh(variable, `exporter ${JSON.stringify(name)} does not export ${signal}`);
  return factory as NonNullable<DinhNghiaExporter[S]>;
}
