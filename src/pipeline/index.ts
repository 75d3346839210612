export { PipelineMetric } from './metric-pipeline.js';
export { pipeline_hoac_mac_dinh } from './embedded.js';
export { tao_metric_producer } from './metric-producer.js';
