import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';
import { khoi_dong_sdk, QuanLyMetrics, type SdkDangChay } from '../../src/index.js';
import { assertValidExposition } from '../support/promtool.js';

/**
 * The OTLP metrics messages (opentelemetry-proto v1, field numbers as
 * published). No .proto files ship in node_modules (otlp-transformer writes
 * protobuf by hand), so the subset this test decodes is declared here and
 * parsed by protobufjs; unknown fields (exemplars, other point types) are
 * skipped by the decoder.
 */
const PROTO = `
syntax = "proto3";
package otlp;
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; } }
message KeyValue { string key = 1; AnyValue value = 2; }
message Resource { repeated KeyValue attributes = 1; }
message InstrumentationScope { string name = 1; string version = 2; }
message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
message ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; }
message ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; }
message Metric { string name = 1; string description = 2; string unit = 3; oneof data { Gauge gauge = 5; Sum sum = 7; Histogram histogram = 9; } }
message Gauge { repeated NumberDataPoint data_points = 1; }
message Sum { repeated NumberDataPoint data_points = 1; int32 aggregation_temporality = 2; bool is_monotonic = 3; }
message Histogram { repeated HistogramDataPoint data_points = 1; int32 aggregation_temporality = 2; }
message NumberDataPoint { repeated KeyValue attributes = 7; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3; double as_double = 4; sfixed64 as_int = 6; }
message HistogramDataPoint { repeated KeyValue attributes = 9; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3; fixed64 count = 4; double sum = 5; repeated fixed64 bucket_counts = 6; repeated double explicit_bounds = 7; double min = 11; double max = 12; }
`;
const YeuCau = protobuf.parse(PROTO).root.lookupType('otlp.ExportMetricsServiceRequest');

interface KV {
  key: string;
  value: { stringValue?: string; boolValue?: boolean; intValue?: string; doubleValue?: number };
}
interface DiemSo {
  attributes?: KV[];
  asDouble?: number;
  asInt?: string;
}
interface DiemHist {
  attributes?: KV[];
  count: string;
  sum?: number;
  bucketCounts?: string[];
  explicitBounds?: number[];
}
interface MetricOtlp {
  name: string;
  description: string;
  unit: string;
  sum?: { dataPoints: DiemSo[]; isMonotonic?: boolean };
  gauge?: { dataPoints: DiemSo[] };
  histogram?: { dataPoints: DiemHist[] };
}
interface BanTin {
  resourceMetrics: Array<{ resource: { attributes: KV[] }; scopeMetrics: Array<{ scope: { name: string }; metrics: MetricOtlp[] }> }>;
}

function giaTri(kv: KV): string {
  const v = kv.value;
  return v.stringValue ?? (v.boolValue !== undefined ? String(v.boolValue) : v.intValue ?? String(v.doubleValue));
}

/** The Prometheus label text the serializer writes for OTLP attributes (dots become underscores). */
function nhanProm(attrs: KV[] | undefined, them = ''): string {
  const phan = (attrs ?? []).map((kv) => `${kv.key.replace(/[^a-zA-Z0-9_]/g, '_')}="${giaTri(kv).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  if (them !== '') phan.push(them);
  return phan.length === 0 ? '' : `{${phan.join(',')}}`;
}

/** A real OTLP/HTTP receiver: records every POST body to /v1/metrics. */
class MayNhan {
  readonly than: Buffer[] = [];
  private server: Server | undefined;
  async bat_dau(): Promise<number> {
    this.server = createServer((req, res) => {
      const phan: Buffer[] = [];
      req.on('data', (c: Buffer) => phan.push(c));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/metrics') this.than.push(Buffer.concat(phan));
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return (this.server.address() as AddressInfo).port;
  }
  async dung(): Promise<void> {
    const s = this.server;
    if (s !== undefined) await new Promise<void>((r) => s.close(() => r()));
  }
}

describe('metrics/QuanLyMetrics on the real SDK pipeline', function () {
  this.timeout(30_000);
  let sdk: SdkDangChay | undefined;
  const tao: QuanLyMetrics[] = [];
  afterEach(async () => {
    await sdk?.tat();
    sdk = undefined;
    tao.splice(0).forEach((q) => q.dong());
  });

  it('an instance made BEFORE the SDK moves to it: its series appear in sdk.export_prometheus() with the resource', async () => {
    const m = new QuanLyMetrics('sdk_test');
    tao.push(m);
    m.counter('requests', { model: 'phobert' }, 3);
    assert.match(await m.export_prometheus(), /sdk_test_requests_total\{model="phobert"\} 3/, 'works on the embedded pipeline first');
    sdk = khoi_dong_sdk({
      metrics_exporter: ['prometheus'],
      traces_exporter: 'memory',
      logs_exporter: 'memory',
      prometheus: { phuc_vu: false },
      ten_dich_vu: 'dich-vu-metrics',
      http: false,
      env: {},
    })!;
    m.counter('requests', { model: 'phobert' });
    m.histogram('latency', 12, { model: 'phobert' }, { don_vi: 'ms' });
    const text = await sdk.export_prometheus();
    assert.match(text, /^target_info\{[^}]*service_name="dich-vu-metrics"[^}]*\} 1$/m);
    assert.match(text, /^sdk_test_requests_total\{model="phobert"\} 4$/m);
    assert.match(text, /^sdk_test_latency_seconds_count\{model="phobert"\} 1$/m);
    assert.match(await m.export_prometheus(), /service_name="dich-vu-metrics"/, 'the instance export now comes from the SDK pipeline');
  });

  it('OTLP (protobuf, real HTTP receiver) and Prometheus text carry the same data points from ONE collection', async () => {
    const nhan = new MayNhan();
    const port = await nhan.bat_dau();
    try {
      sdk = khoi_dong_sdk({
        metrics_exporter: ['prometheus', 'otlp'],
        traces_exporter: 'memory',
        logs_exporter: 'memory',
        otlp: { metrics_endpoint: `http://127.0.0.1:${port}/v1/metrics` },
        prometheus: { phuc_vu: false },
        chu_ky_metrics_ms: 3_600_000,
        http: false,
        env: {},
      })!;
      await sdk.san_sang();
      const m = new QuanLyMetrics('otlp_test');
      tao.push(m);
      m.counter('requests', { model: 'phobert', status: 'ok' }, 5);
      m.counter('requests', { model: 'vit5', status: 'loi' }, 2);
      m.counter('requests');
      m.gauge('queue_depth', 7, { q: 'Tiếng "Việt"' });
      for (const v of [0.7, 3, 3, 40, 900, 70_000]) m.histogram('latency', v, { model: 'phobert' }, { don_vi: 'ms' });
      m.histogram('score', 0.25, undefined, { bien_bucket: [0.1, 0.5, 1] });

      await sdk.thu_thap_va_xuat();
      const text = sdk.prometheus?.van_ban_cuoi;
      assert.ok(text !== undefined, 'the Prometheus output received the fan-out collection');
      assert.equal(nhan.than.length, 1, 'one OTLP request');
      const ban = YeuCau.toObject(YeuCau.decode(nhan.than[0] as Buffer), { longs: String, defaults: false }) as BanTin;
      const scope = ban.resourceMetrics.flatMap((r) => r.scopeMetrics).find((s) => s.scope.name === m.scope);
      assert.ok(scope !== undefined, `scope ${m.scope} in OTLP`);
      const lines = new Set(text.split('\n'));
      let soSoSanh = 0;
      for (const mt of scope.metrics) {
        if (mt.sum !== undefined) {
          assert.equal(mt.sum.isMonotonic, true);
          for (const p of mt.sum.dataPoints) {
            const line = `${mt.name}_total${nhanProm(p.attributes)} ${p.asDouble ?? Number(p.asInt)}`;
            assert.ok(lines.has(line), `missing in Prometheus text: ${line}`);
            soSoSanh++;
          }
        } else if (mt.gauge !== undefined) {
          for (const p of mt.gauge.dataPoints) {
            const line = `${mt.name}${nhanProm(p.attributes)} ${p.asDouble ?? Number(p.asInt)}`;
            assert.ok(lines.has(line), `missing in Prometheus text: ${line}`);
            soSoSanh++;
          }
        } else if (mt.histogram !== undefined) {
          const ten = mt.unit === 's' ? `${mt.name}_seconds` : mt.name;
          for (const p of mt.histogram.dataPoints) {
            let tichLuy = 0;
            (p.explicitBounds ?? []).forEach((b, i) => {
              tichLuy += Number(p.bucketCounts?.[i] ?? 0);
              const line = `${ten}_bucket${nhanProm(p.attributes, `le="${b}"`)} ${tichLuy}`;
              assert.ok(lines.has(line), `missing in Prometheus text: ${line}`);
            });
            assert.ok(lines.has(`${ten}_bucket${nhanProm(p.attributes, 'le="+Inf"')} ${p.count}`));
            assert.ok(lines.has(`${ten}_count${nhanProm(p.attributes)} ${p.count}`));
            assert.ok(lines.has(`${ten}_sum${nhanProm(p.attributes)} ${p.sum}`));
            soSoSanh++;
          }
        }
      }
      assert.equal(soSoSanh, 6, 'three counter series, one gauge, two histograms compared');
      // The values themselves, as recorded (ms histograms go out in seconds: OTel semconv and Prometheus base units).
      const lat = scope.metrics.find((x) => x.name === 'otlp_test_latency');
      assert.equal(lat?.unit, 's');
      assert.equal(lat?.histogram?.dataPoints[0]?.count, '6');
      assert.equal(lat?.histogram?.dataPoints[0]?.sum, (0.7 + 3 + 3 + 40 + 900 + 70_000) / 1000);
      assert.ok(lines.has('otlp_test_requests_total{model="phobert",status="ok"} 5'));
      assert.ok(lines.has('otlp_test_queue_depth{q="Tiếng \\"Việt\\""} 7'));
      await assertValidExposition(await m.export_prometheus());
    } finally {
      await nhan.dung();
    }
  });

  it('the SDK cardinality limit applies: an SDK with gioi_han_series 10 exports 9 series + the overflow series', async () => {
    sdk = khoi_dong_sdk({ metrics_exporter: ['prometheus'], traces_exporter: 'memory', logs_exporter: 'memory', prometheus: { phuc_vu: false }, gioi_han_series: 10, http: false, env: {} })!;
    const m = new QuanLyMetrics('limit_test');
    tao.push(m);
    for (let i = 0; i < 50; i++) m.counter('req', { user: `u${i}` });
    const lines = (await sdk.export_prometheus()).split('\n').filter((l) => l.startsWith('limit_test_req_total'));
    assert.equal(lines.length, 10);
    assert.ok(lines.includes('limit_test_req_total{otel_metric_overflow="true"} 41'));
  });
});
