/**
 * The instrumentations the SDK owns: node:http/https (incoming and outgoing)
 * and undici, which is also Node's global `fetch`. By default this SDK's lean
 * diagnostics_channel instrumentation (src/http-tracing) traces both;
 * `instrumentation_http: 'otel'`, or an OTel config object for `http` or
 * `undici`, selects OpenTelemetry's for that one. Either way the spans go
 * through the SDK's TracerProvider, hence through the same URL redaction.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { KnownDrop } from '../http-tracing/dropped-span.js';
import { DUONG_DAN_BO_QUA } from '../core/ignored-paths.js';
import { startHttpTracing } from '../http-tracing/index.js';
import type { CauHinh } from './config.js';

/** The providers the instrumentations record into. */
export interface InstrumentationTargets {
  readonly tracerProvider: TracerProvider;
  /** The exemplar meter provider: request durations keep their exemplars. */
  readonly meterProvider: MeterProvider;
  /** What `tracerProvider`'s sampler is known to drop: only for a provider this SDK built with that sampler. */
  readonly drop?: KnownDrop;
}

const ignored = (path: string): boolean => DUONG_DAN_BO_QUA.includes(path);

/**
 * Starts the configured HTTP instrumentations.
 * @returns how to stop them, or undefined when none runs.
 */
export function startInstrumentations(c: Pick<CauHinh, 'http' | 'undici' | 'instrumentation_http'>, to: InstrumentationTargets): (() => void) | undefined {
  const wantsOtel = (v: false | object): boolean => v !== false && (c.instrumentation_http === 'otel' || Object.keys(v).length > 0);
  const httpOtel = wantsOtel(c.http);
  const undiciOtel = wantsOtel(c.undici);
  const leanHttp = c.http !== false && !httpOtel;
  const leanUndici = c.undici !== false && !undiciOtel;
  const stopLean = leanHttp || leanUndici ? startHttpTracing({ ...to, http: leanHttp, undici: leanUndici, ignore: ignored }) : undefined;

  const otel: Instrumentation[] = [];
  if (httpOtel && c.http !== false) otel.push(otelHttp(c.http));
  if (undiciOtel && c.undici !== false) otel.push(new UndiciInstrumentation(c.undici));
  if (otel.length === 0) return stopLean;
  const stopOtel = registerInstrumentations({ instrumentations: otel, ...to });
  if (httpOtel) {
    // Core modules may already be loaded: requiring them again passes them
    // through the instrumentation hook, and syncing updates ESM named imports.
    const req = createRequire(import.meta.url);
    req('node:http');
    req('node:https');
    syncBuiltinESMExports();
  }
  return () => {
    stopLean?.();
    stopOtel();
  };
}

/** OTel's HTTP instrumentation, also skipping the probe and scrape paths before the user's own hook. */
function otelHttp(cfg: HttpInstrumentationConfig): HttpInstrumentation {
  const userIgnore = cfg.ignoreIncomingRequestHook;
  return new HttpInstrumentation({
    ...cfg,
    ignoreIncomingRequestHook: (req) => ignored((req.url ?? '/').split('?')[0] ?? '/') || (userIgnore?.(req) ?? false),
  });
}
