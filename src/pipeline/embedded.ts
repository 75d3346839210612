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
import { set_pipeline, pipeline_hien_tai, type RegistryPipeline } from '../core/registry.js';
import { PipelineMetric } from './metric-pipeline.js';
import { create_resource } from './resource.js';

/** A new embedded pipeline with its Prometheus output attached. */
export function create_embedded_pipeline(): PipelineMetric {
  const pipeline = new PipelineMetric({
    resource: create_resource({ ten_dich_vu: undefined, phien_ban_dich_vu: undefined, thuoc_tinh: {}, phat_hien: undefined }),
    chu_ky_ms: 60_000,
    timeout_ms: 30_000,
    gioi_han_series: 2000,
  });
  void pipeline.bo_doc.them_dau_ra(new PrometheusDauRa());
  return pipeline;
}

/**
 * The current pipeline, making the embedded one first when none is set.
 * Used by reads that need a collection (export_prometheus, /metrics).
 */
export function pipeline_hoac_mac_dinh(): RegistryPipeline {
  const current = pipeline_hien_tai();
  if (current !== undefined) return current;
  const embedded = create_embedded_pipeline();
  set_pipeline(embedded);
  return embedded;
}
