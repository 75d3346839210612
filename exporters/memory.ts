/**
 * `memory`: bounded in-process buffers (bộ nhớ), for tests and the embedded
 * default. Unlike OTel's InMemory exporters they keep at most `suc_chua`
 * items, evicting the oldest, and count what they evicted, so an embedded
 * service never grows without bound.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { DauRaMetric, DinhNghiaExporter } from './types.js';

/** A ring of the newest `suc_chua` items. */
class VongDem<T> {
  private readonly muc: T[] = [];
  private dau = 0;
  /** Items evicted to make room (bị loại). */
  bi_loai = 0;
  constructor(readonly suc_chua: number) {
    if (!Number.isInteger(suc_chua) || suc_chua < 1) throw new RangeError(`suc_chua must be an integer >= 1, got ${suc_chua}`);
  }
  them(x: T): void {
    if (this.muc.length < this.suc_chua) this.muc.push(x);
    else {
      this.muc[this.dau] = x;
      this.dau = (this.dau + 1) % this.suc_chua;
      this.bi_loai++;
    }
  }
  lay(): T[] {
    return this.muc.length < this.suc_chua ? this.muc.slice() : [...this.muc.slice(this.dau), ...this.muc.slice(0, this.dau)];
  }
  xoa(): void {
    this.muc.length = 0;
    this.dau = 0;
  }
}

/**
 * One bounded in-memory exporter for any record type (spans, log records):
 * the span and log exporters below differ only in their public getter.
 */
class BoNhoExporter<T> {
  private readonly vong: VongDem<T>;
  private dong = false;
  constructor(suc_chua: number) {
    this.vong = new VongDem(suc_chua);
  }
  export(items: T[], xong: (r: ExportResult) => void): void {
    if (this.dong) return xong({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
    for (const x of items) this.vong.them(x);
    xong({ code: ExportResultCode.SUCCESS });
  }
  /** The items held, oldest first. */
  protected lay(): T[] {
    return this.vong.lay();
  }
  get bi_loai(): number {
    return this.vong.bi_loai;
  }
  xoa(): void {
    this.vong.xoa();
  }
  async shutdown(): Promise<void> {
    this.dong = true;
  }
  async forceFlush(): Promise<void> {}
}

/** Bounded in-memory span exporter. */
export class BoNhoSpanExporter extends BoNhoExporter<ReadableSpan> implements SpanExporter {
  constructor(suc_chua = 10_000) {
    super(suc_chua);
  }
  /** The spans held, oldest first. */
  lay_spans(): ReadableSpan[] {
    return this.lay();
  }
}

/** Bounded in-memory log record exporter. */
export class BoNhoLogExporter extends BoNhoExporter<ReadableLogRecord> implements LogRecordExporter {
  constructor(suc_chua = 10_000) {
    super(suc_chua);
  }
  lay_logs(): ReadableLogRecord[] {
    return this.lay();
  }
}

/** Bounded in-memory metric output: keeps the newest collections pushed to it. */
export class BoNhoMetric implements DauRaMetric {
  readonly ten = 'memory';
  private readonly vong: VongDem<ResourceMetrics>;
  constructor(suc_chua = 16) {
    this.vong = new VongDem(suc_chua);
  }
  async xuat(rm: ResourceMetrics): Promise<boolean> {
    this.vong.them(rm);
    return true;
  }
  lay_metrics(): ResourceMetrics[] {
    return this.vong.lay();
  }
  /** The newest collection pushed, if any. */
  moi_nhat(): ResourceMetrics | undefined {
    return this.vong.lay().at(-1);
  }
  xoa(): void {
    this.vong.xoa();
  }
  async shutdown(): Promise<void> {}
}

export const memory: DinhNghiaExporter = {
  traces: () => new BoNhoSpanExporter(),
  metrics: () => new BoNhoMetric(),
  logs: () => new BoNhoLogExporter(),
};
