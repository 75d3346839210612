/**
 * QuanLyMetrics against its anchors, side by side in one run (issue 3 bar):
 * - `counter()` with 2 labels, SDK outputs Prometheus + OTLP, vs a bare OTel
 *   `counter.add` on a MeterProvider with one reader, vs prom-client `inc`;
 * - the same for `histogram()` / `histogram.record` / `observe`;
 * - `export_prometheus()` with 1000 counter series vs prom-client
 *   `register.metrics()` with 1000 series.
 * Labels are fresh object literals each call (the usual call site), cycling
 * over 8 label sets.
 */
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import client from 'prom-client';
import { khoi_dong_sdk, QuanLyMetrics } from '../src/index.js';
import { BangDo } from './lib.js';

class MotBoDoc extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const MODEL = ['phobert', 'vit5', 'bartpho', 'xlmr'];
const TRANG_THAI = ['ok', 'loi'];

// The SDK with both outputs; OTLP points at a closed port and never pushes during the run.
const sdk = khoi_dong_sdk({
  metrics_exporter: ['prometheus', 'otlp'],
  traces_exporter: 'none',
  logs_exporter: 'none',
  otlp: { metrics_endpoint: 'http://127.0.0.1:9/v1/metrics' },
  chu_ky_metrics_ms: 3_600_000,
  timeout_metrics_ms: 500,
  thoi_gian_tat_ms: 1000,
  prometheus: { phuc_vu: false },
  http: false,
  // prom-client's registries here have no default (process) metrics either: neither side
  // pays for runtime metrics in the export case (their per-collection cost: bench/runtime).
  runtime_node: false,
});
if (sdk === undefined) throw new Error('SDK disabled (OTEL_SDK_DISABLED)');

const qlm = new QuanLyMetrics('bench');
const otelMeter = new MeterProvider({ readers: [new MotBoDoc()] }).getMeter('bench');
const otelCounter = otelMeter.createCounter('requests');
const otelHist = otelMeter.createHistogram('latency', { unit: 'ms' });
const reg = new client.Registry();
const promCounter = new client.Counter({ name: 'requests_total', help: 'r', labelNames: ['model', 'status'], registers: [reg] });
const promHist = new client.Histogram({
  name: 'latency_seconds',
  help: 'l',
  labelNames: ['model', 'status'],
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [reg],
});

let i = 0;
const b = new BangDo('metrics');
b.them('ours counter() 2 labels, prom+otlp', () => {
  i++;
  qlm.counter('requests', { model: MODEL[i & 3] as string, status: TRANG_THAI[(i >> 2) & 1] as string });
});
b.them('OTel counter.add, 1 reader', () => {
  i++;
  otelCounter.add(1, { model: MODEL[i & 3] as string, status: TRANG_THAI[(i >> 2) & 1] as string });
});
b.them('prom-client inc', () => {
  i++;
  promCounter.inc({ model: MODEL[i & 3] as string, status: TRANG_THAI[(i >> 2) & 1] as string });
});
b.them('ours histogram() 2 labels, prom+otlp', () => {
  i++;
  qlm.histogram('latency_ms', (i & 1023) * 0.37, { model: MODEL[i & 3] as string, status: TRANG_THAI[(i >> 2) & 1] as string });
});
b.them('OTel histogram.record, 1 reader', () => {
  i++;
  otelHist.record((i & 1023) * 0.37, { model: MODEL[i & 3] as string, status: TRANG_THAI[(i >> 2) & 1] as string });
});
b.them('prom-client observe', () => {
  i++;
  promHist.observe({ model: MODEL[i & 3] as string, status: TRANG_THAI[(i >> 2) & 1] as string }, ((i & 1023) * 0.37) / 1000);
});

// Export: 1000 counter series each.
const qlmXuat = new QuanLyMetrics('xuat');
const reg2 = new client.Registry();
const prom1000 = new client.Counter({ name: 'requests_total', help: 'r', labelNames: ['route', 'status'], registers: [reg2] });
for (let k = 0; k < 1000; k++) {
  const l = { route: `/api/v1/route_${k % 250}`, status: String(200 + (k >> 8)) };
  qlmXuat.counter('requests', l, k + 1);
  prom1000.inc(l, k + 1);
}
let kichThuoc = { ours: 0, prom: 0 };
b.them_async(
  'ours export_prometheus() 1000 series',
  async () => {
    kichThuoc.ours = (await qlmXuat.export_prometheus()).length;
  },
  300,
);
b.them_async(
  'prom-client register.metrics() 1000 series',
  async () => {
    kichThuoc.prom = (await reg2.metrics()).length;
  },
  300,
);

await b.chay({ vong: 9, lan: 200_000 });
b.ty_le('counter vs bare OTel (1 reader)', 'ours counter() 2 labels, prom+otlp', 'OTel counter.add, 1 reader', '<= 1.0');
b.ty_le('counter vs prom-client inc', 'ours counter() 2 labels, prom+otlp', 'prom-client inc');
b.ty_le('histogram vs bare OTel (1 reader)', 'ours histogram() 2 labels, prom+otlp', 'OTel histogram.record, 1 reader', '<= 1.0');
b.ty_le('histogram vs prom-client observe', 'ours histogram() 2 labels, prom+otlp', 'prom-client observe');
b.ty_le('export 1000 series vs prom-client', 'ours export_prometheus() 1000 series', 'prom-client register.metrics() 1000 series', '<= 1.0');
b.ghi_chu.push(`exposition size: ours ${kichThuoc.ours} B (incl. target_info), prom-client ${kichThuoc.prom} B`);
b.in();
kichThuoc = { ours: 0, prom: 0 };
await sdk.tat();
