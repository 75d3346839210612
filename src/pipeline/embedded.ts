/**
 * The embedded pipeline (pipeline nhúng): metrics only, Prometheus text on
 * demand, no network. A facade that needs a collection (`export_prometheus()`,
 * a `/metrics` endpoint, `tao_metric_producer()`) when the SDK was not started
 * gets this one, made on first use.
 *
 * It is built here, in the module every such caller imports, rather than
 * installed as a factory by the SDK module: importing a facade alone is
 * enough, whatever else was imported first.
 */
import { PrometheusDauRa } from '../../exporters/prometheus/index.js';
import { dat_pipeline, pipeline_hien_tai, type PipelineMetricDich } from '../core/registry.js';
import { PipelineMetric } from './metric-pipeline.js';
import { tao_tai_nguyen } from './resource.js';

/** A new embedded pipeline with its Prometheus output attached. */
export function tao_pipeline_nhung(): PipelineMetric {
  const p = new PipelineMetric({
    resource: tao_tai_nguyen({ ten_dich_vu: undefined, phien_ban_dich_vu: undefined, thuoc_tinh: {}, phat_hien: undefined }),
    chu_ky_ms: 60_000,
    timeout_ms: 30_000,
    gioi_han_series: 2000,
  });
  void p.bo_doc.them_dau_ra(new PrometheusDauRa());
  return p;
}

/**
 * The current pipeline, making the embedded one first when none is set.
 * Used by reads that need a collection (export_prometheus, /metrics).
 */
export function pipeline_hoac_mac_dinh(): PipelineMetricDich {
  const current = pipeline_hien_tai();
  if (current !== undefined) return current;
  const embedded = tao_pipeline_nhung();
  dat_pipeline(embedded);
  return embedded;
}
