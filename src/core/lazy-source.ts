/**
 * A module's metric source, declared on first use (when the first instance
 * of a facade is made) and once for the whole module: a module that is
 * imported but never used adds no instruments to any pipeline.
 */
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
