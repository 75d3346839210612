/**
 * Issue 2's bar: recording a counter with Prometheus AND OTLP enabled costs
 * no more than 1.1x the cost with one output, because the project's pipeline
 * has ONE reader that fans out; two standard OTel readers cost about 1.9x.
 * All cases are a bare OTel `counter.add` with 2 labels, side by side:
 * - the SDK's own meter, metric outputs ['prometheus', 'otlp'];
 * - a MeterProvider with the project's one reader (BoDocMetric), Prometheus only;
 * - a MeterProvider with two standard readers (OTel's PrometheusExporter and a
 *   PeriodicExportingMetricReader with the OTLP exporter).
 * OTLP points at a closed port and the push interval is an hour: nothing is
 * pushed during the run.
 */
import { metrics } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { PrometheusDauRa } from '../exporters/prometheus/index.js';
import { BoDocMetric } from '../src/pipeline/metric-reader.js';
import { khoi_dong_sdk } from '../src/index.js';
import { BangDo } from './lib.js';

const MODEL = ['phobert', 'vit5', 'bartpho', 'xlmr'];
const TRANG_THAI = ['ok', 'loi'];
const DONG = 'http://127.0.0.1:9/v1/metrics';

const sdk = khoi_dong_sdk({
  metrics_exporter: ['prometheus', 'otlp'],
  traces_exporter: 'none',
  logs_exporter: 'none',
  otlp: { metrics_endpoint: DONG },
  prometheus: { phuc_vu: false },
  chu_ky_metrics_ms: 3_600_000,
  timeout_metrics_ms: 500,
  thoi_gian_tat_ms: 1000,
  http: false,
});
if (sdk === undefined) throw new Error('SDK disabled (OTEL_SDK_DISABLED)');
await sdk.san_sang();
const cHai = metrics.getMeter('bench-pipeline').createCounter('requests');

const motBoDoc = new BoDocMetric({ chu_ky_ms: 3_600_000, timeout_ms: 1000, gioi_han_series: 2000 });
await motBoDoc.them_dau_ra(new PrometheusDauRa());
const cMot = new MeterProvider({ readers: [motBoDoc] }).getMeter('bench-pipeline').createCounter('requests');

const haiChuan = new MeterProvider({
  readers: [
    new PrometheusExporter({ preventServerStart: true }),
    new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: DONG, timeoutMillis: 500 }), exportIntervalMillis: 3_600_000 }),
  ],
});
const cChuan = haiChuan.getMeter('bench-pipeline').createCounter('requests');

let i = 0;
const b = new BangDo('pipeline');
b.them('SDK meter, outputs prometheus+otlp (one reader)', () => {
  i++;
  cHai.add(1, { model: MODEL[i & 3] as string, status: TRANG_THAI[(i >> 2) & 1] as string });
});
b.them('one BoDocMetric, prometheus only', () => {
  i++;
  cMot.add(1, { model: MODEL[i & 3] as string, status: TRANG_THAI[(i >> 2) & 1] as string });
});
b.them('two standard readers (PrometheusExporter + periodic OTLP)', () => {
  i++;
  cChuan.add(1, { model: MODEL[i & 3] as string, status: TRANG_THAI[(i >> 2) & 1] as string });
});
await b.chay({ vong: 9, lan: 200_000 });
b.ty_le('prometheus+otlp vs prometheus only', 'SDK meter, outputs prometheus+otlp (one reader)', 'one BoDocMetric, prometheus only', '<= 1.1');
b.ty_le('two standard readers vs one output', 'two standard readers (PrometheusExporter + periodic OTLP)', 'one BoDocMetric, prometheus only');
b.in();
// Final pushes go to a closed port: bounded by the short timeouts above.
await Promise.allSettled([haiChuan.shutdown({ timeoutMillis: 1000 }), motBoDoc.shutdown(), sdk.tat()]);
