/**
 * The bridge to the OpenTelemetry Logs API.
 *
 * WHY a cached logger keyed by the global provider: `logs.getLogger()` on an
 * SDK provider builds a key and looks it up (too slow per line), and a logger
 * obtained once goes stale when the SDK is shut down and started again
 * (tests, hot reload). `logs.getLoggerProvider()` is one global lookup, so
 * each line compares it with the cached provider and re-resolves only when
 * it changed. When no provider is registered the API hands out a proxy whose
 * loggers are no-ops: we detect that once (`enabled()` is false) and skip
 * building OTel records entirely. A provider registered later replaces the
 * proxy as the global, so the next line sees it.
 */
import { logs, type Logger } from '@opentelemetry/api';

/** Instrumentation scope of the log records. */
export const TEN_SCOPE_LOG = 'vietnamese-ai-otel';
export const PHIEN_BAN_SCOPE = '0.1.0';

let providerDem: unknown;
let loggerDem: Logger | undefined;

/** The OTel logger to emit to, or undefined when no SDK would receive records. */
export function logger_otel(): Logger | undefined {
  const p = logs.getLoggerProvider();
  if (p !== providerDem) {
    providerDem = p;
    try {
      const l = p.getLogger(TEN_SCOPE_LOG, PHIEN_BAN_SCOPE);
      loggerDem = l.enabled() ? l : undefined;
    } catch {
      loggerDem = undefined;
    }
  }
  return loggerDem;
}
