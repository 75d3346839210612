/**
 * Using your own NodeSDK: the app starts the standard `NodeSDK` from
 * `@opentelemetry/sdk-node` with its own exporters (OTLP/HTTP here, to
 * OTEL_EXPORTER_OTLP_ENDPOINT) instead of `khoi_dong_sdk()`, and gives its
 * metric reader `tao_metric_producer()`. The five facades then write into the
 * app's SDK: spans and span events through the global tracer, log records
 * through the global logger provider, metrics through the producer.
 *
 *   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 node dist/examples/own-nodesdk.js
 *
 * In an app, import from 'vietnamese-ai-otel' instead of '../src/index.js'.
 */
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { KiemTraSucKhoe, LamNongModel, LoggerCauTruc, MachCat, QuanLyMetrics, tao_metric_producer } from '../src/index.js';

const sdk = new NodeSDK({
  serviceName: 'own-nodesdk',
  traceExporter: new OTLPTraceExporter(),
  logRecordProcessors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter() })],
  // The one line that brings the facades' metrics into this SDK.
  metricReaders: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), metricProducers: [tao_metric_producer()] })],
});
sdk.start();

const metrics = new QuanLyMetrics('own_nodesdk');
const logger = new LoggerCauTruc({ ten: 'own-nodesdk' });
const mach = new MachCat({ ten: 'api-mo-hinh', so_loi_toi_da: 2, tao_span: true });
const suc_khoe = new KiemTraSucKhoe({ thoi_gian_cache: 0 });
const lam_nong = new LamNongModel({ so_lan_warmup: 2 });

// LamNongModel: a span `lam_nong cam_xuc` with a `lam_nong.lan_chay` event per run.
lam_nong.dang_ky_model('cam_xuc', (van_ban: string) => (van_ban.includes('tốt') ? 'tich_cuc' : 'tieu_cuc'), { du_lieu_mau: 'Sản phẩm rất tốt' });
await lam_nong.lam_nong('cam_xuc');

// MachCat: a span per call; two failures open it (a `machcat.chuyen_trang_thai` event).
await mach.thuc_hien(() => Promise.resolve('ok'));
for (let i = 0; i < 2; i++) await mach.thuc_hien(() => Promise.reject(new Error('mo hinh het han'))).catch(() => undefined);

// KiemTraSucKhoe: a span with an event for the failing check, and check metrics.
suc_khoe.dang_ky_check('mo_hinh', () => lam_nong.san_sang(), 'model warmed', true);
suc_khoe.dang_ky_check('bo_nho_dem', () => false, 'cache reachable', false);
await suc_khoe.kiem_tra();

// QuanLyMetrics and LoggerCauTruc (its log records carry the active trace).
metrics.counter('du_doan', { ket_qua: 'ok' }, 3, { mo_ta: 'Predictions served' });
metrics.histogram('do_tre_ms', 12.5);
logger.info('du doan xong', { so_luong: 3 });

await logger.flush();
// Shutdown flushes every signal, including one last metric collection.
await sdk.shutdown();
suc_khoe.dong();
