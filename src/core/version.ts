/**
 * The library's version, read once from its own package.json (through the
 * package's self-reference, which resolves the same from `src/` under tsx
 * and from `dist/` when installed), so every instrumentation scope reports
 * the version that was actually released instead of a copied literal.
 */
import { createRequire } from 'node:module';

export const LIBRARY_NAME = 'vietnamese-ai-otel';

function readVersion(): string {
  try {
    const v = (createRequire(import.meta.url)(`${LIBRARY_NAME}/package.json`) as { version?: unknown }).version;
    return typeof v === 'string' ? v : '0.0.0';
  } catch {
    // Telemetry never stops an app: a bundler that dropped package.json gets a placeholder.
    return '0.0.0';
  }
}

export const LIBRARY_VERSION: string = readVersion();
