/**
 * Pluggable exporters: the registry and the built-in ones (otlp, prometheus,
 * console, memory, zipkin; `none` is handled by the configuration).
 */
import { console_ } from './console.js';
import { memory } from './memory.js';
import { otlp, zipkin } from './otlp.js';
import { prometheus } from './prometheus/index.js';
import { dang_ky_exporter } from './registry.js';

dang_ky_exporter('otlp', otlp);
dang_ky_exporter('prometheus', prometheus);
dang_ky_exporter('console', console_);
dang_ky_exporter('memory', memory);
dang_ky_exporter('zipkin', zipkin);

export { dang_ky_exporter, danh_sach_exporter, danh_sach_exporter_cho, tim_exporter } from './registry.js';
export { BoNhoSpanExporter, BoNhoLogExporter, BoNhoMetric } from './memory.js';
export { PrometheusDauRa, CONTENT_TYPE_PROMETHEUS, CONTENT_TYPE_OPENMETRICS, serialize_prometheus, type TuyChonSerializer } from './prometheus/index.js';
export { dau_ra_tu_push_exporter } from './push-metric.js';
export type { DauRaMetric, DinhNghiaExporter, NguCanhExporter, CauHinhExporter, DiemOtlp, GiaoThucOtlp, UuTienThoiGian, BoThuThap, TinHieu } from './types.js';
