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
import { number_option } from '../src/core/options.js';

/** A ring of the newest `capacity` items. */
class Ring<T> {
  private readonly items: T[] = [];
  /** Index of the oldest item once the ring is full. */
  private head = 0;
  /** Items evicted to make room. */
  evicted = 0;
  constructor(readonly capacity: number) {}
  push(x: T): void {
    if (this.items.length < this.capacity) this.items.push(x);
    else {
      this.items[this.head] = x;
      this.head = (this.head + 1) % this.capacity;
      this.evicted++;
    }
  }
  /** The items, oldest first. */
  toArray(): T[] {
    return this.items.length < this.capacity ? this.items.slice() : [...this.items.slice(this.head), ...this.items.slice(0, this.head)];
  }
  clear(): void {
    this.items.length = 0;
    this.head = 0;
  }
}

/**
 * The ring of a memory exporter, its capacity (`suc_chua`) checked like any
 * option (never undefined here: each constructor has a default).
 */
function boundedRing<T>(owner: string, suc_chua: number): Ring<T> {
  return new Ring<T>(number_option(owner, 'suc_chua', suc_chua, suc_chua, { integer: true, min: 1 }));
}

/**
 * One bounded in-memory exporter for any record type (spans, log records):
 * the span and log exporters below differ only in their public getter.
 */
class BoundedMemoryExporter<T> {
  private readonly ring: Ring<T>;
  private closed = false;
  constructor(owner: string, suc_chua: number) {
    this.ring = boundedRing(owner, suc_chua);
  }
  export(items: T[], done: (r: ExportResult) => void): void {
    if (this.closed) return done({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
    for (const x of items) this.ring.push(x);
    done({ code: ExportResultCode.SUCCESS });
  }
  /** The items held, oldest first. */
  protected held(): T[] {
    return this.ring.toArray();
  }
  /** Items evicted to make room (bị loại). */
  get bi_loai(): number {
    return this.ring.evicted;
  }
  /** Drops every item held (xóa = clear). */
  xoa(): void {
    this.ring.clear();
  }
  async shutdown(): Promise<void> {
    this.closed = true;
  }
  async forceFlush(): Promise<void> {}
}

/** Bounded in-memory span exporter (bộ nhớ = memory). */
export class BoNhoSpanExporter extends BoundedMemoryExporter<ReadableSpan> implements SpanExporter {
  constructor(suc_chua = 10_000) {
    super('BoNhoSpanExporter', suc_chua);
  }
  /** The spans held, oldest first. */
  lay_spans(): ReadableSpan[] {
    return this.held();
  }
}

/** Bounded in-memory log record exporter. */
export class BoNhoLogExporter extends BoundedMemoryExporter<ReadableLogRecord> implements LogRecordExporter {
  constructor(suc_chua = 10_000) {
    super('BoNhoLogExporter', suc_chua);
  }
  /** The log records held, oldest first. */
  lay_logs(): ReadableLogRecord[] {
    return this.held();
  }
}

/** Bounded in-memory metric output: keeps the newest collections pushed to it. */
export class BoNhoMetric implements DauRaMetric {
  readonly ten = 'memory';
  private readonly ring: Ring<ResourceMetrics>;
  constructor(suc_chua = 16) {
    this.ring = boundedRing('BoNhoMetric', suc_chua);
  }
  async xuat(rm: ResourceMetrics): Promise<boolean> {
    this.ring.push(rm);
    return true;
  }
  /** The collections held, oldest first. */
  lay_metrics(): ResourceMetrics[] {
    return this.ring.toArray();
  }
  /** The newest collection pushed, if any (mới nhất). */
  moi_nhat(): ResourceMetrics | undefined {
    return this.ring.toArray().at(-1);
  }
  xoa(): void {
    this.ring.clear();
  }
  async shutdown(): Promise<void> {}
}

export const memory: DinhNghiaExporter = {
  traces: () => new BoNhoSpanExporter(),
  metrics: () => new BoNhoMetric(),
  logs: () => new BoNhoLogExporter(),
};
