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
import { LIBRARY_VERSION } from '../core/version.js';
import { report_failure } from '../core/report.js';

/** Instrumentation scope of the log records. */
export const TEN_SCOPE_LOG = 'vietnamese-ai-otel';
export const SCOPE_VERSION = LIBRARY_VERSION;

/**
 * One logger's bridge to the OTel Logs API. The logger name is an attribute of the
 * instrumentation SCOPE (`logger.name`), not of every record: the SDK copies
 * and validates each record attribute one by one, so a per-record name would
 * cost on every line what the scope carries for free (the OTLP exporter
 * groups records per scope and sends the scope's attributes once per batch).
 */
export class OtelBridge {
  private cachedProvider: unknown;
  private cachedLogger: Logger | undefined;

  constructor(private readonly loggerName: string) {}

  /** The OTel logger to emit to, or undefined when no SDK would receive records. */
  current(): Logger | undefined {
    const provider = logs.getLoggerProvider();
    if (provider !== this.cachedProvider) {
      this.cachedProvider = provider;
      try {
        const otelLogger = provider.getLogger(TEN_SCOPE_LOG, SCOPE_VERSION, { attributes: { 'logger.name': this.loggerName } });
        this.cachedLogger = otelLogger.enabled() ? otelLogger : undefined;
      } catch (e) {
        this.cachedLogger = undefined;
        report_failure('LoggerCauTruc: getting the OTel logger', e);
      }
    }
    return this.cachedLogger;
  }
}
