import assert from 'node:assert/strict';
import { context, logs, metrics, propagation, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { BoNhoSpanExporter, dang_ky_exporter, khoi_dong_sdk, LoiCauHinh, sdk_hien_tai, type SdkDangChay } from '../../src/index.js';
import { MayNhanOtlp, thuoc_tinh, type BanGhi } from '../support/otlp.js';
import { mau_prometheus as mau } from '../support/prometheus.js';
import { latenessVsTimer, waitFor } from '../support/wait.js';
import { bat_stderr } from '../support/stderr.js';


describe('sdk/pipeline: one pipeline, one reader, fan-out to every output', function () {
  let sdk: SdkDangChay | undefined;
  let nhan: MayNhanOtlp;

  beforeEach(async () => {
    nhan = new MayNhanOtlp();
    await nhan.bat_dau();
  });
  afterEach(async () => {
    await sdk?.tat();
    sdk = undefined;
    await nhan.dung();
  });

  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    it(`Prometheus text and OTLP (${protocol}) carry the same data points from ONE collection`, async () => {
      sdk = khoi_dong_sdk({
        env: { OTEL_METRICS_EXPORTER: 'prometheus,otlp', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${nhan.port}`, OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
        otlp: { protocol },
        prometheus: { phuc_vu: false },
        http: false,
        ten_dich_vu: 'fan-out',
      })!;
      await sdk.san_sang();
      const meter = metrics.getMeter('test-fanout');
      const c = meter.createCounter('yeu_cau', { description: 'requests' });
      c.add(3, { route: '/a', code: '200' });
      c.add(4, { route: '/b', code: '500' });
      const h = meter.createHistogram('tre', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100] } });
      for (const v of [5, 50, 500, 7]) h.record(v, { model: 'x' });

      await sdk.thu_thap_va_xuat();
      const text = sdk.prometheus!.van_ban_cuoi!;
      const prom = mau(text);
      const ms = nhan.metrics();
      const sum = ms.find((m) => m.name === 'yeu_cau')!;
      const pts = ((sum.sum as BanGhi).dataPoints as BanGhi[]).map((p) => [thuoc_tinh(p.attributes, 'route'), Number(p.asDouble ?? p.asInt)]);
      assert.deepEqual(pts.sort(), [['/a', 3], ['/b', 4]]);
      assert.equal(prom.get('yeu_cau_total{route="/a",code="200"}'), 3);
      assert.equal(prom.get('yeu_cau_total{route="/b",code="500"}'), 4);

      const hist = ms.find((m) => m.name === 'tre')!;
      const hp = ((hist.histogram as BanGhi).dataPoints as BanGhi[])[0]!;
      assert.deepEqual(hp.bucketCounts, [2, 1, 1]);
      assert.equal(hp.count, 4);
      assert.equal(hp.sum, 562);
      // Prometheus text is in base units (promtool requires it): ms -> seconds.
      assert.equal(prom.get('tre_seconds_bucket{model="x",le="0.01"}'), 2);
      assert.equal(prom.get('tre_seconds_bucket{model="x",le="0.1"}'), 3);
      assert.equal(prom.get('tre_seconds_bucket{model="x",le="+Inf"}'), 4);
      assert.equal(prom.get('tre_seconds_sum{model="x"}'), 0.562);
      // The resource travels both ways.
      assert.match(text, /target_info\{[^}]*service_name="fan-out"/);
      const rm = (nhan.cua('/v1/metrics')[0]!.resourceMetrics as BanGhi[])[0]!;
      assert.equal(thuoc_tinh((rm.resource as BanGhi).attributes, 'service.name'), 'fan-out');
    });
  }

  it('the protobuf decoding used by these tests agrees with the JSON encoding of the same spans', async () => {
    const nhanJson = new MayNhanOtlp();
    await nhanJson.bat_dau();
    try {
      const chay = async (url: string, protocol: 'http/protobuf' | 'http/json'): Promise<BanGhi[]> => {
        const s = khoi_dong_sdk({ traces_exporter: 'otlp', metrics_exporter: 'none', logs_exporter: 'none', otlp: { traces_endpoint: `${url}/v1/traces`, protocol }, http: false })!;
        const t = trace.getTracer('doi-chieu');
        t.startActiveSpan('cha', { attributes: { 'k.str': 'v', 'k.int': 7, 'k.bool': true } }, (cha) => {
          t.startSpan('con').end();
          cha.addEvent('su_kien', { n: 1 });
          cha.end();
        });
        await s.tat();
        return (protocol === 'http/json' ? nhanJson : nhan).spans();
      };
      const a = await chay(`http://127.0.0.1:${nhan.port}`, 'http/protobuf');
      const b = await chay(`http://127.0.0.1:${nhanJson.port}`, 'http/json');
      const hinh = (ss: BanGhi[]) =>
        ss.map((s) => ({ name: s.name, kind: s.kind, coCha: typeof s.parentSpanId === 'string' && s.parentSpanId !== '', attrs: s.attributes ?? [], ev: ((s.events as BanGhi[]) ?? []).map((e) => [e.name, e.attributes]) })).sort((x, y) => String(x.name).localeCompare(String(y.name)));
      assert.deepEqual(hinh(a), hinh(b));
      assert.equal(a.length, 2);
    } finally {
      await nhanJson.dung();
    }
  });

  it('tat() delivers every span and log record created before it to a live receiver', async () => {
    sdk = khoi_dong_sdk({
      traces_exporter: 'otlp',
      logs_exporter: 'otlp',
      metrics_exporter: 'none',
      otlp: { endpoint: `http://127.0.0.1:${nhan.port}` },
      // A long delay: nothing would be exported before tat() without the flush.
      bo_xu_ly: { scheduled_delay_ms: 60_000, max_queue_size: 4096 },
      http: false,
    })!;
    const N = 1500;
    const t = trace.getTracer('giao-hang');
    const l = logs.getLogger('giao-hang');
    const ids = new Set<string>();
    for (let i = 0; i < N; i++) {
      t.startActiveSpan(`op-${i}`, (s) => {
        ids.add(s.spanContext().spanId);
        l.emit({ body: `dong ${i}`, severityNumber: 9 });
        s.end();
      });
    }
    assert.equal(nhan.spans().length, 0, 'nothing is exported before tat()');
    const kq = await sdk.tat();
    assert.equal(kq.het_gio, false);
    const spans = nhan.spans();
    assert.equal(spans.length, N);
    assert.deepEqual(new Set(spans.map((s) => s.spanId as string)), ids);
    const ls = nhan.logs();
    assert.equal(ls.length, N);
    assert.ok(ls.every((r) => ids.has(r.spanId as string)), 'every log record carries the span it was written in');
    assert.equal(sdk_hien_tai(), undefined, 'tat() unregisters the SDK');
  });

  it('counts what was dropped when the receiver is down, per signal and reason, and shows it as self-metrics', async () => {
    nhan.che_do = 'loi';
    sdk = khoi_dong_sdk({
      traces_exporter: 'otlp',
      logs_exporter: 'otlp',
      metrics_exporter: ['prometheus', 'otlp'],
      otlp: { endpoint: `http://127.0.0.1:${nhan.port}`, timeout_ms: 2000 },
      bo_xu_ly: { scheduled_delay_ms: 60_000, max_queue_size: 100, max_export_batch_size: 50 },
      http: false,
    })!;
    const t = trace.getTracer('roi');
    const l = logs.getLogger('roi');
    for (let i = 0; i < 200; i++) {
      t.startSpan(`s${i}`).end();
      l.emit({ body: `l${i}` });
    }
    assert.equal(await sdk.flush(), false);
    const tk = await sdk.thong_ke();
    // 200 made in one synchronous burst: the first batch of 50 leaves for the
    // (failing) receiver, 100 fill the queue, 50 find it full.
    assert.equal(tk.spans.bi_bo.queue_full, 50);
    assert.equal(tk.logs.bi_bo.queue_full, 50);
    assert.equal(tk.spans.bi_bo.OTLPExporterError, 150);
    assert.equal(tk.spans.da_xuat, 0);
    assert.equal(tk.spans.tong_bi_bo, 200, 'made = delivered + counted drops');
    assert.equal(tk.logs.tong_bi_bo, 200);
    assert.ok(tk.metrics.theo_dau_ra.otlp!.xuat_loi >= 1, 'the failed metric push is counted');
    assert.ok(tk.metrics.tong_diem_bi_bo > 0);
    const text = await sdk.export_prometheus();
    assert.match(text, /otel_sdk_processor_span_processed_total\{[^}]*error_type="queue_full"[^}]*\} 50/);
  });

  it('counts spans dropped while the receiver hangs, bounded by the export timeout', async () => {
    nhan.che_do = 'treo';
    sdk = khoi_dong_sdk({
      traces_exporter: 'otlp',
      metrics_exporter: 'none',
      otlp: { endpoint: `http://127.0.0.1:${nhan.port}`, timeout_ms: 300 },
      bo_xu_ly: { scheduled_delay_ms: 60_000, export_timeout_ms: 500 },
      thoi_gian_tat_ms: 3000,
      http: false,
    })!;
    for (let i = 0; i < 20; i++) trace.getTracer('treo').startSpan(`s${i}`).end();
    const { value: ok, lateness } = await latenessVsTimer(500, () => sdk!.flush());
    assert.equal(ok, false, 'flush() reports the failure instead of throwing');
    assert.ok(lateness < 2000, `a hanging receiver does not hang flush(): it returned ${lateness.toFixed(0)} ms after its 500 ms export timeout`);
    // The exporter's own 300 ms timeout books the drop; on a busy machine that can land just after flush() gave up.
    const tk = await waitFor(async () => {
      const t = await sdk!.thong_ke();
      return t.spans.tong_bi_bo === 20 ? t : undefined;
    }, 5000, '20 dropped spans counted', 50).catch(async (e: unknown) => assert.fail(`${(e as Error).message}: ${JSON.stringify((await sdk!.thong_ke()).spans)}`));
    assert.equal(tk.spans.da_xuat + tk.spans.tong_bi_bo, 20);
  });

  it('allows one SDK at a time, restarts after tat(), and OTEL_SDK_DISABLED starts nothing', async () => {
    sdk = khoi_dong_sdk({ http: false })!;
    assert.throws(() => khoi_dong_sdk({ http: false }), /already running/);
    await sdk.tat();
    const lai = khoi_dong_sdk({ http: false });
    assert.ok(lai);
    sdk = lai;
    await sdk.tat();
    sdk = undefined;
    assert.equal(khoi_dong_sdk({ env: { OTEL_SDK_DISABLED: 'true' } }), undefined);
    assert.equal(sdk_hien_tai(), undefined);
  });

  it('an unknown exporter name: from the environment a warning and the default, from an option a LoiCauHinh naming it', async () => {
    const canh_bao = bat_stderr(() => {
      sdk = khoi_dong_sdk({ env: { OTEL_TRACES_EXPORTER: 'zipkinn' }, http: false })!;
    });
    assert.ok(sdk !== undefined);
    assert.ok(sdk_hien_tai() === sdk, 'the SDK runs');
    assert.ok(sdk.exporters.traces[0] instanceof BoNhoSpanExporter, 'with the default trace exporter');
    assert.deepEqual(canh_bao.filter((w) => w.includes('OTEL_TRACES_EXPORTER')).length, 1, canh_bao.join('\n'));
    assert.match(canh_bao.find((w) => w.includes('OTEL_TRACES_EXPORTER'))!, /"zipkinn".*known: .*otlp.*using the default "memory"/);
    await sdk.tat();
    sdk = undefined;
    assert.throws(
      () => khoi_dong_sdk({ traces_exporter: 'zipkinn', http: false }),
      (e: unknown) => e instanceof LoiCauHinh && e.bien === 'traces_exporter' && /unknown traces exporter "zipkinn"; known: .*otlp/.test(e.message),
    );
    assert.equal(sdk_hien_tai(), undefined);
  });

  it('a user exporter registered by name is selectable from the environment', async () => {
    const nhanDuoc: ReadableSpan[] = [];
    const cuaToi: SpanExporter = {
      export: (s, cb) => {
        nhanDuoc.push(...s);
        cb({ code: ExportResultCode.SUCCESS });
      },
      shutdown: async () => {},
    };
    dang_ky_exporter('cua-toi', { traces: () => cuaToi });
    sdk = khoi_dong_sdk({ env: { OTEL_TRACES_EXPORTER: 'cua-toi,memory' }, http: false })!;
    trace.getTracer('x').startSpan('cua-toi-span').end();
    await sdk.flush();
    assert.deepEqual(nhanDuoc.map((s) => s.name), ['cua-toi-span']);
    assert.deepEqual((sdk.exporters.traces[1] as BoNhoSpanExporter).lay_spans().map((s) => s.name), ['cua-toi-span']);
  });

  it('serves /metrics on the Prometheus pull endpoint when prometheus is named', async () => {
    sdk = khoi_dong_sdk({ env: { OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: '0' }, http: false })!;
    await sdk.san_sang();
    metrics.getMeter('keo').createCounter('keo_thu').add(2);
    const port = sdk.prometheus!.dia_chi()!.port;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(await res.text(), /^keo_thu_total 2$/m);
    assert.equal((await fetch(`http://127.0.0.1:${port}/other`)).status, 404);
  });
});

describe('sdk/pipeline: sampling', () => {
  it('traceidratio 0 records nothing, yet trace context still propagates (ids on the non-recording span)', async () => {
    const sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'none', http: false, lay_mau: { loai: 'traceidratio', ty_le: 0 } })!;
    try {
      const s = trace.getTracer('mau').startSpan('khong-ghi');
      assert.equal(s.isRecording(), false);
      assert.match(s.spanContext().traceId, /^[0-9a-f]{32}$/);
      s.end();
      await sdk.flush();
      assert.equal((sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans().length, 0);
    } finally {
      await sdk.tat();
    }
  });
});

describe('sdk/pipeline: OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta', function () {
  it('OTLP gets delta sums and histograms from the one cumulative collection, which Prometheus still reads cumulative', async () => {
    const nhan = new MayNhanOtlp();
    const url = await nhan.bat_dau();
    const sdk = khoi_dong_sdk({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_METRICS_EXPORTER: 'prometheus,otlp', OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta' },
      prometheus: { phuc_vu: false },
      http: false,
    })!;
    try {
      const meter = metrics.getMeter('test-delta');
      const c = meter.createCounter('dem_delta');
      const h = meter.createHistogram('tre_delta', { advice: { explicitBucketBoundaries: [10] } });
      const ud = meter.createUpDownCounter('dang_chay_delta');
      c.add(3);
      h.record(5);
      ud.add(2);
      await sdk.thu_thap_va_xuat();
      c.add(4);
      h.record(50);
      h.record(60);
      ud.add(-1);
      await sdk.thu_thap_va_xuat();
      const lan = (ten: string) => nhan.metrics().filter((m) => m.name === ten);
      const [s1, s2] = lan('dem_delta').map((m) => m.sum as BanGhi);
      assert.deepEqual([s1, s2].map((s) => [s!.aggregationTemporality, Number(((s!.dataPoints as BanGhi[])[0]!.asInt ?? (s!.dataPoints as BanGhi[])[0]!.asDouble))]), [[1, 3], [1, 4]], 'DELTA (1): 3, then 4');
      const h2 = (lan('tre_delta')[1]!.histogram as BanGhi);
      assert.equal(h2.aggregationTemporality, 1);
      assert.deepEqual(((h2.dataPoints as BanGhi[])[0]!).bucketCounts?.toString(), '0,2', 'only the second interval\'s two observations');
      const ud2 = lan('dang_chay_delta')[1]!.sum as BanGhi;
      assert.equal(ud2.aggregationTemporality, 2, 'up/down sums stay CUMULATIVE (2)');
      assert.equal(Number((ud2.dataPoints as BanGhi[])[0]!.asInt ?? (ud2.dataPoints as BanGhi[])[0]!.asDouble), 1);
      const prom = mau(sdk.prometheus!.van_ban_cuoi!);
      assert.equal(prom.get('dem_delta_total'), 7, 'Prometheus reads the same collection, cumulative');
    } finally {
      await sdk.tat();
      await nhan.dung();
    }
  });
});

describe('sdk/pipeline: variables NodeSDK reads (OTEL_PROPAGATORS, span limits)', function () {
  const bien = { OTEL_PROPAGATORS: 'b3multi,baggage', OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '2' };
  afterEach(() => {
    for (const k of Object.keys(bien)) delete process.env[k];
  });

  it('OTEL_PROPAGATORS=b3multi,baggage injects X-B3-* instead of traceparent; OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT caps attributes', async () => {
    Object.assign(process.env, bien);
    const sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'none', http: false })!;
    try {
      const span = trace.getTracer('x').startSpan('gioi-han', { attributes: { a: 1, b: 2, c: 3, d: 4 } });
      const mang: Record<string, string> = {};
      propagation.inject(trace.setSpan(context.active(), span), mang);
      span.end();
      assert.equal(mang['x-b3-traceid'], span.spanContext().traceId);
      assert.equal(mang['x-b3-spanid'], span.spanContext().spanId);
      assert.equal(mang.traceparent, undefined, 'tracecontext was not chosen');
      await sdk.flush();
      const [ra] = (sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans();
      assert.equal(Object.keys(ra!.attributes).length, 2);
    } finally {
      await sdk.tat();
    }
  });
});
