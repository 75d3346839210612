/**
 * A module's metric source, declared on first use (when the first instance
 * of a facade is made) and once for the whole module: a module that is
 * imported but never used adds no instruments to any pipeline.
 */
import type { BatchObservableCallback, Meter, Observable } from '@opentelemetry/api';
import { dang_ky_nguon_metric, type NguonMetric } from './registry.js';

/** Returns `ensure()`: its first call declares the source; later calls do nothing. */
export function lazy_metric_source(scope: string, source: NguonMetric, version: string): () => void {
  let declared = false;
  return () => {
    if (declared) return;
    declared = true;
    dang_ky_nguon_metric(scope, source, version);
  };
}

/**
 * Adds `observe` as the one batch callback of a source's observable
 * instruments (one pass over the live instances per collection, however many
 * instruments); returns how to remove it when the source is taken down.
 */
export function observe_batch(meter: Meter, instruments: Observable[], observe: BatchObservableCallback): () => void {
  meter.addBatchObservableCallback(observe, instruments);
  return () => meter.removeBatchObservableCallback(observe, instruments);
}
