/**
 * Export abort (hủy xuất): what makes `tat()` (shutdown) end the SDK's hold
 * on the process, and what keeps "made = delivered + counted drops" true at
 * exit.
 *
 * WHY: `tat()` races the flush against its bound, but a collector that
 * accepts connections and never answers (or one that is down) left behind
 * OTLP requests in flight, their sockets and timeouts, and the batch
 * processors' export timers: the process lived on for tens of seconds after
 * `tat()` returned, and the items of the batches in flight were neither
 * delivered nor counted (a processor counts a batch only when its export
 * calls back). `abort()`, once the bound has passed:
 * - calls back every export still pending with a failure (error type
 *   `shutdown`), so the processors count those items as dropped and clear
 *   their timers; later exports fail at once the same way, so what is still
 *   queued is counted too;
 * - destroys every socket of the OTLP exporters' HTTP agents with an error
 *   OTel does not retry, and refuses new connections the same way.
 * From the start of `tat()` (`begin_shutdown()`), a connection error (the
 * collector down: ECONNREFUSED...) is final instead of retried with 1-5 s
 * of backoff: a short job with no collector then ends at once instead of
 * waiting out the bound and the retries.
 *
 * One instance per SDK: it wraps the exporters handed to the batch
 * processors (`wrap_spans`, `wrap_logs`) and makes the OTLP exporters' HTTP
 * agents (`agent_http`, OTel's `httpAgentOptions` factory form).
 */
import { Socket } from 'node:net';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { race_deadline } from '../core/deadline.js';

/** The failure of an export cut short by shutdown; its name is the `error.type` of the counted drops. */
export class ExportAbortedError extends Error {
  override readonly name = 'shutdown';
  /** Not in OTel's retryable network codes: an aborted request is not retried. */
  readonly code = 'ERR_OTEL_SDK_SHUTDOWN';
  constructor(cause?: unknown) {
    super('export aborted: the SDK shut down before the receiver answered', cause === undefined ? undefined : { cause });
  }
}

/** What a batch processor calls on its exporter (spans and log records alike). */
type Exporter<T> = { export(items: T[], cb: (r: ExportResult) => void): void; shutdown(): Promise<void>; forceFlush?(): Promise<void> };

/** The export abort (hủy xuất) of one SDK. */
export class ExportAbort {
  private aborted = false;
  private shuttingDown = false;
  private resolveAborted!: () => void;
  /** Settles when abort() runs: a flush or shutdown of the wrapped exporter waits no longer. */
  private readonly whenAborted = new Promise<void>((r) => (this.resolveAborted = r));
  /** Callbacks of exports in flight (each calls back once). */
  private readonly pending = new Set<(r: ExportResult) => void>();
  private readonly sockets = new Set<Socket>();

  /** A SpanExporter that `abort()` can cut short. */
  wrap_spans(e: SpanExporter): SpanExporter {
    return this.wrap<ReadableSpan>(e) as SpanExporter;
  }

  /** A LogRecordExporter that `abort()` can cut short. */
  wrap_logs(e: LogRecordExporter): LogRecordExporter {
    return this.wrap<ReadableLogRecord>(e) as LogRecordExporter;
  }

  private wrap<T>(e: Exporter<T>): Exporter<T> {
    return {
      export: (items, cb) => {
        if (this.aborted) return cb({ code: ExportResultCode.FAILED, error: new ExportAbortedError() });
        let done = false;
        const callbackOnce = (r: ExportResult): void => {
          if (done) return;
          done = true;
          this.pending.delete(callbackOnce);
          cb(r);
        };
        this.pending.add(callbackOnce);
        try {
          e.export(items, callbackOnce);
        } catch (error) {
          callbackOnce({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
        }
      },
      // The inner exporter's flush waits for its sends and their retries: not past abort().
      shutdown: () => (this.aborted ? Promise.resolve() : Promise.race([e.shutdown(), this.whenAborted])),
      forceFlush: () => (this.aborted ? Promise.resolve() : Promise.race([e.forceFlush?.() ?? Promise.resolve(), this.whenAborted])),
    };
  }

  /**
   * The OTLP exporters' agent factory (`httpAgentOptions`): a keep-alive
   * agent whose sockets `abort()` destroys. `node:http`/`node:https` are
   * imported when the first export runs, as OTel asks of agent factories.
   */
  readonly agent_http = async (protocol: string): Promise<HttpAgent | HttpsAgent> => {
    const { Agent } = protocol === 'https:' ? await import('node:https') : await import('node:http');
    const agent = new Agent({ keepAlive: true });
    const createConnection = (agent as unknown as { createConnection: (...a: unknown[]) => Socket }).createConnection.bind(agent);
    (agent as unknown as { createConnection: (...a: unknown[]) => Socket }).createConnection = (...a: unknown[]): Socket => {
      if (this.aborted) {
        const refused = new Socket();
        process.nextTick(() => refused.destroy(new ExportAbortedError()));
        return refused;
      }
      return this.track(createConnection(...a));
    };
    return agent;
  };

  /** Keeps `socket` for abort() to destroy, and makes its errors final once the shutdown began. */
  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    // During tat(), a network error is final (not in OTel's retryable codes): no new retry timers.
    const emit = socket.emit.bind(socket) as (ev: string | symbol, ...args: unknown[]) => boolean;
    socket.emit = ((ev: string | symbol, ...args: unknown[]): boolean => {
      if (ev === 'error' && this.shuttingDown && !(args[0] instanceof ExportAbortedError)) args[0] = new ExportAbortedError(args[0]);
      return emit(ev, ...args);
    }) as typeof socket.emit;
    return socket;
  }

  /** The shutdown began (bắt đầu tắt): from now on a connection error is not retried. */
  begin_shutdown(): void {
    this.shuttingDown = true;
  }

  /**
   * Aborts (hủy) everything still exporting, then waits at most `waitMs` for
   * `rest` (the rest of the shutdown, which now runs through at once) so
   * the processors have counted what they could not deliver. Idempotent.
   */
  async abort(rest: Promise<unknown>, waitMs = 1000): Promise<void> {
    this.aborted = true;
    this.shuttingDown = true;
    this.resolveAborted();
    for (const socket of this.sockets) socket.destroy(new ExportAbortedError());
    this.sockets.clear();
    for (const cb of [...this.pending]) cb({ code: ExportResultCode.FAILED, error: new ExportAbortedError() });
    await race_deadline(rest, waitMs, false).catch(() => {});
  }
}
