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
 * calls back). `huy()` (abort), once the bound has passed:
 * - calls back every export still pending with a failure (error type
 *   `shutdown`), so the processors count those items as dropped and clear
 *   their timers; later exports fail at once the same way, so what is still
 *   queued is counted too;
 * - destroys every socket of the OTLP exporters' HTTP agents with an error
 *   OTel does not retry, and refuses new connections the same way.
 * From the start of `tat()` (`bat_dau_tat()`), a connection error (the
 * collector down: ECONNREFUSED...) is final instead of retried with 1-5 s
 * of backoff: a short job with no collector then ends at once instead of
 * waiting out the bound and the retries.
 *
 * One instance per SDK: it wraps the exporters handed to the batch
 * processors (`bao_span`, `bao_log`) and makes the OTLP exporters' HTTP
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
export class LoiHuyXuat extends Error {
  override readonly name = 'shutdown';
  /** Not in OTel's retryable network codes: an aborted request is not retried. */
  readonly code = 'ERR_OTEL_SDK_SHUTDOWN';
  constructor(nguyen_nhan?: unknown) {
    super('export aborted: the SDK shut down before the receiver answered', nguyen_nhan === undefined ? undefined : { cause: nguyen_nhan });
  }
}

type Xuat<T> = { export(items: T[], cb: (r: ExportResult) => void): void; shutdown(): Promise<void>; forceFlush?(): Promise<void> };

export class HuyXuat {
  private daHuy = false;
  private dangTat = false;
  private bao_huy!: () => void;
  /** Settles when huy() runs: a flush or shutdown of the wrapped exporter waits no longer. */
  private readonly khiHuy = new Promise<void>((r) => (this.bao_huy = r));
  /** Callbacks of exports in flight (each calls back once). */
  private readonly dangCho = new Set<(r: ExportResult) => void>();
  private readonly sockets = new Set<Socket>();

  /** A SpanExporter that `huy()` can cut short. */
  bao_span(e: SpanExporter): SpanExporter {
    return this.bao<ReadableSpan>(e) as SpanExporter;
  }

  /** A LogRecordExporter that `huy()` can cut short. */
  bao_log(e: LogRecordExporter): LogRecordExporter {
    return this.bao<ReadableLogRecord>(e) as LogRecordExporter;
  }

  private bao<T>(e: Xuat<T>): Xuat<T> {
    return {
      export: (items, cb) => {
        if (this.daHuy) return cb({ code: ExportResultCode.FAILED, error: new LoiHuyXuat() });
        let xong = false;
        const mot_lan = (r: ExportResult): void => {
          if (xong) return;
          xong = true;
          this.dangCho.delete(mot_lan);
          cb(r);
        };
        this.dangCho.add(mot_lan);
        try {
          e.export(items, mot_lan);
        } catch (x) {
          mot_lan({ code: ExportResultCode.FAILED, error: x instanceof Error ? x : new Error(String(x)) });
        }
      },
      // The inner exporter's flush waits for its sends and their retries: not past huy().
      shutdown: () => (this.daHuy ? Promise.resolve() : Promise.race([e.shutdown(), this.khiHuy])),
      forceFlush: () => (this.daHuy ? Promise.resolve() : Promise.race([e.forceFlush?.() ?? Promise.resolve(), this.khiHuy])),
    };
  }

  /**
   * The OTLP exporters' agent factory (`httpAgentOptions`): a keep-alive
   * agent whose sockets `huy()` destroys. `node:http`/`node:https` are
   * imported when the first export runs, as OTel asks of agent factories.
   */
  readonly agent_http = async (protocol: string): Promise<HttpAgent | HttpsAgent> => {
    const { Agent } = protocol === 'https:' ? await import('node:https') : await import('node:http');
    const agent = new Agent({ keepAlive: true });
    const goc = (agent as unknown as { createConnection: (...a: unknown[]) => Socket }).createConnection.bind(agent);
    (agent as unknown as { createConnection: (...a: unknown[]) => Socket }).createConnection = (...a: unknown[]): Socket => {
      if (this.daHuy) {
        const s = new Socket();
        process.nextTick(() => s.destroy(new LoiHuyXuat()));
        return s;
      }
      const s = goc(...a);
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
      // During tat(), a network error is final (not in OTel's retryable codes): no new retry timers.
      const emit = s.emit.bind(s) as (ev: string | symbol, ...x: unknown[]) => boolean;
      s.emit = ((ev: string | symbol, ...x: unknown[]): boolean => {
        if (ev === 'error' && this.dangTat && !(x[0] instanceof LoiHuyXuat)) x[0] = new LoiHuyXuat(x[0]);
        return emit(ev, ...x);
      }) as typeof s.emit;
      return s;
    };
    return agent;
  };

  /** The shutdown began: from now on a connection error is not retried. */
  bat_dau_tat(): void {
    this.dangTat = true;
  }

  /**
   * Aborts (hủy) everything still exporting, then waits at most `cho_ms` for
   * `con_lai` (the rest of the shutdown, which now runs through at once) so
   * the processors have counted what they could not deliver. Idempotent.
   */
  async huy(con_lai: Promise<unknown>, cho_ms = 1000): Promise<void> {
    this.daHuy = true;
    this.dangTat = true;
    this.bao_huy();
    for (const s of this.sockets) s.destroy(new LoiHuyXuat());
    this.sockets.clear();
    for (const cb of [...this.dangCho]) cb({ code: ExportResultCode.FAILED, error: new LoiHuyXuat() });
    await race_deadline(con_lai, cho_ms, false).catch(() => {});
  }
}
