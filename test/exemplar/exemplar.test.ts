/**
 * Exemplars: QuanLyMetrics histograms and timers, the HTTP request duration
 * and LamNongModel's warm-up duration keep one exemplar per bucket when
 * recorded inside a sampled span; none outside one or in an unsampled one.
 * `/metrics` negotiates OpenMetrics 1.0 (with exemplars, `# EOF`) vs text
 * 0.0.4 (unchanged), and OTLP histogram points carry the same exemplars.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { SpanKind, trace, type Attributes } from '@opentelemetry/api';
import { BoNhoSpanExporter, khoi_dong_sdk, LamNongModel, QuanLyMetrics, type SdkDangChay } from '../../src/index.js';
import { boc_xu_ly_http, CONTENT_TYPE_OPENMETRICS, CONTENT_TYPE_PROMETHEUS } from '../../instrumentation/index.js';
import { wants_openmetrics } from '../../exporters/prometheus/openmetrics.js';
import { assertValidExposition } from '../support/promtool.js';
import { MayNhanOtlp, type BanGhi } from '../support/otlp.js';
import { dong, goi, nghe } from '../instrumentation/support.js';

/** What Prometheus 2.x sends by default. */
const ACCEPT_PROMETHEUS = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

interface DongExemplar {
  ten: string;
  le: string;
  trace_id: string;
  span_id: string;
  gia_tri: number;
  ts: number;
}

/** Every `_bucket` line with an exemplar, parsed. */
function exemplars(om: string): DongExemplar[] {
  const ra: DongExemplar[] = [];
  const re = /^(\w+)_bucket\{[^\n]*?le="([^"]+)"\} \d+ # \{trace_id="([0-9a-f]{32})",span_id="([0-9a-f]{16})"\} (\S+) (\S+)$/gm;
  for (const m of om.matchAll(re)) ra.push({ ten: m[1]!, le: m[2]!, trace_id: m[3]!, span_id: m[4]!, gia_tri: Number(m[5]), ts: Number(m[6]) });
  return ra;
}

describe('exemplars: histograms recorded inside sampled spans link to their traces', function () {
  let sdk: SdkDangChay | undefined;
  let server: Server | undefined;
  let nhan: MayNhanOtlp | undefined;
  afterEach(async () => {
    if (server !== undefined) await dong(server);
    server = undefined;
    await sdk?.tat();
    sdk = undefined;
    await nhan?.dung();
    nhan = undefined;
  });

  it('QuanLyMetrics histogram() and timer(): one exemplar per bucket (the latest), none outside a span; OpenMetrics vs 0.0.4', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'prometheus', logs_exporter: 'none', runtime_node: false, env: {} })!;
    const q = new QuanLyMetrics('ex1');
    const t = trace.getTracer('test');
    q.histogram('latency_ms', 3, { model: 'a' }); // no span: no exemplar
    let dau = '';
    let sau = '';
    let hg = '';
    t.startActiveSpan('req-1', (s) => {
      dau = s.spanContext().traceId;
      q.histogram('latency_ms', 4, { model: 'a' });
      q.histogram('latency_ms', 40_000, { model: 'a' }); // the +Inf bucket (above 30000 ms -> 60 s bucket? no: 40 s <= 60 s)
      s.end();
    });
    t.startActiveSpan('req-2', (s) => {
      sau = s.spanContext().traceId;
      q.histogram('latency_ms', 4.5, { model: 'a' }); // same bucket as 4: replaces it
      const h = q.timer('step_ms');
      h.ket_thuc();
      hg = s.spanContext().spanId;
      s.end();
    });
    const om = await sdk.export_prometheus({ openmetrics: true });
    assert.ok(om.endsWith('# EOF\n'));
    const ex = exemplars(om).filter((e) => e.ten.startsWith('ex1_'));
    const lat = ex.filter((e) => e.ten === 'ex1_latency_seconds');
    assert.deepEqual(lat.map((e) => [e.le, e.trace_id, e.gia_tri]), [['0.005', sau, 0.0045], ['60', dau, 40]]);
    const step = ex.filter((e) => e.ten === 'ex1_step_seconds');
    assert.equal(step.length, 1);
    assert.equal(step[0]!.span_id, hg);
    assert.ok(Math.abs(step[0]!.ts - Date.now() / 1000) < 60);
    // text 0.0.4: exactly as before, no exemplar, no EOF; promtool-clean
    const txt = await sdk.export_prometheus();
    assert.doesNotMatch(txt, / # \{|# EOF/);
    await assertValidExposition(txt);
    assert.equal(q.lay_histogram_stats('latency_ms', { model: 'a' }).count, 4);
    q.dong();
  });

  it('no exemplar in an unsampled span, nor without the SDK', async () => {
    const q0 = new QuanLyMetrics('ex0');
    trace.getTracer('t').startActiveSpan('x', (s) => {
      q0.histogram('a_ms', 1);
      s.end();
    });
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'prometheus', logs_exporter: 'none', runtime_node: false, lay_mau: { loai: 'traceidratio', ty_le: 0 }, env: {} })!;
    const q = new QuanLyMetrics('ex2');
    trace.getTracer('t').startActiveSpan('x', (s) => {
      assert.equal(s.isRecording(), false);
      q.histogram('a_ms', 1);
      s.end();
    });
    const om = await sdk.export_prometheus({ openmetrics: true });
    assert.match(om, /^ex2_a_seconds_count 1$/m);
    assert.match(om, /^ex0_a_seconds_count 1$/m);
    assert.equal(exemplars(om).length, 0, om);
    q.dong();
    q0.dong();
  });

  it('/metrics: Accept negotiates OpenMetrics (HTTP request duration and LamNongModel exemplars are the real span ids); otherwise text 0.0.4', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'prometheus', logs_exporter: 'none', runtime_node: false, env: {} })!;
    const qc = new QuanLyMetrics('ex4');
    qc.counter('calls');
    const ln = new LamNongModel({ so_lan_warmup: 1 });
    ln.dang_ky_model('m', () => 1, { du_lieu_mau: 1 });
    await ln.lam_nong('m');
    server = createServer(boc_xu_ly_http((_req, res) => res.end('ok'), {}));
    const url = await nghe(server);
    assert.equal((await goi(`${url}/app`)).body, 'ok');
    const om = await goi(`${url}/metrics`, { headers: { accept: ACCEPT_PROMETHEUS } });
    assert.equal(om.headers['content-type'], CONTENT_TYPE_OPENMETRICS);
    assert.ok(om.body.endsWith('# EOF\n'));
    // counters: the family is declared without _total, its sample keeps it
    assert.match(om.body, /^# TYPE ex4_calls counter\n(ex4_calls_total 1)$/m);
    await sdk.flush();
    const spans = (sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans();
    const ex = exemplars(om.body);
    const http = ex.filter((e) => e.ten === 'http_server_request_duration_seconds');
    const sv = spans.find((s) => s.kind === SpanKind.SERVER)!;
    assert.deepEqual(http.map((e) => [e.trace_id, e.span_id]), [[sv.spanContext().traceId, sv.spanContext().spanId]]);
    const warm = ex.filter((e) => e.ten === 'lam_nong_thoi_gian_seconds');
    const ws = spans.find((s) => s.name === 'lam_nong m')!;
    assert.deepEqual(warm.map((e) => e.span_id), [ws.spanContext().spanId]);

    for (const accept of [undefined, 'text/plain', '*/*', 'application/openmetrics-text;q=0.1,text/plain;q=0.9']) {
      const r = await goi(`${url}/metrics`, accept === undefined ? {} : { headers: { accept } });
      assert.equal(r.headers['content-type'], CONTENT_TYPE_PROMETHEUS, String(accept));
      assert.doesNotMatch(r.body, / # \{|# EOF/);
      await assertValidExposition(r.body);
    }
    qc.dong();
  });

  it('an OTel histogram: one attribute set recorded in two key orders is one series with the newer exemplar; another set keeps its own', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'prometheus', logs_exporter: 'none', runtime_node: false, http: false, env: {} })!;
    const h = sdk.meter_exemplar.getMeter('ex-order').createHistogram('ex_order_seconds', { unit: 's', advice: { explicitBucketBoundaries: [1, 10] } });
    const tracer = trace.getTracer('ex-order');
    const ids: string[] = [];
    for (const attrs of [{ a: 'x', b: 1 }, { b: 1, a: 'x' }, { a: 'x', b: '1' }]) {
      tracer.startActiveSpan('s', (span) => {
        h.record(0.5, attrs);
        ids.push(span.spanContext().spanId);
        span.end();
      });
      await new Promise((r) => setTimeout(r, 2)); // distinct exemplar times
    }
    const om = await sdk.export_prometheus({ openmetrics: true });
    const ex = exemplars(om).filter((e) => e.ten === 'ex_order_seconds' && e.le === '1');
    // {a="x",b="1"} from a number and from a string are one Prometheus series name but two OTel attribute sets.
    assert.deepEqual(ex.map((e) => e.span_id).sort(), [ids[1], ids[2]].sort(), JSON.stringify(ex));
  });

  it('an OTel histogram: more attribute sets than the recent-series cache, sub- and supersets, alternating: each exemplar lands on its own set', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'prometheus', logs_exporter: 'none', runtime_node: false, http: false, env: {} })!;
    const h = sdk.meter_exemplar.getMeter('ex-recent').createHistogram('ex_recent_seconds', { unit: 's', advice: { explicitBucketBoundaries: [1, 10] } });
    const tracer = trace.getTracer('ex-recent');
    const sets: Attributes[] = [{ r: '/a' }, { r: '/a', s: 1 }, { r: '/b' }, { s: 1, r: '/a' }, { r: '/c' }, { r: '/d' }, { r: '/e' }, { r: '/a', s: 2 }];
    const latest = new Map<string, string>();
    for (let round = 0; round < 3; round++) {
      for (const attrs of sets) {
        tracer.startActiveSpan('s', (span) => {
          h.record(0.5, attrs);
          const labels = Object.keys(attrs).sort().map((k) => `${k}="${String(attrs[k])}"`).join(',');
          latest.set(labels, span.spanContext().spanId);
          span.end();
        });
        await new Promise((r) => setTimeout(r, 2)); // distinct exemplar times
      }
    }
    const om = await sdk.export_prometheus({ openmetrics: true });
    const seen = new Map<string, string>();
    for (const m of om.matchAll(/^ex_recent_seconds_bucket\{(.*),le="1"\} \d+ # \{trace_id="[0-9a-f]{32}",span_id="([0-9a-f]{16})"\}/gm)) seen.set(m[1]!, m[2]!);
    assert.deepEqual([...seen].sort(), [...latest].sort(), om);
  });

  it('a new pipeline never shows exemplars of values an earlier one counted', async () => {
    const mot_lan = async (ty_le: number): Promise<string> => {
      sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'prometheus', logs_exporter: 'none', runtime_node: false, lay_mau: { loai: 'traceidratio', ty_le }, env: {} })!;
      server = createServer(boc_xu_ly_http((_req, res) => res.end('ok'), {}));
      const url = await nghe(server);
      await goi(`${url}/app`);
      const om = (await goi(`${url}/metrics`, { headers: { accept: ACCEPT_PROMETHEUS } })).body;
      await dong(server);
      server = undefined;
      await sdk.tat();
      sdk = undefined;
      return om;
    };
    assert.equal(exemplars(await mot_lan(1)).filter((e) => e.ten === 'http_server_request_duration_seconds').length, 1);
    const om = await mot_lan(0); // same series, recorded in an unsampled span
    assert.match(om, /^http_server_request_duration_seconds_count\{[^}]*\} 1$/m);
    assert.equal(exemplars(om).length, 0, om);
  });

  it('the Prometheus pull endpoint (OTEL_EXPORTER_PROMETHEUS_PORT) negotiates the same way', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', logs_exporter: 'none', runtime_node: false, http: false, env: { OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: '0' } })!;
    await sdk.san_sang();
    const q = new QuanLyMetrics('ex5');
    trace.getTracer('t').startActiveSpan('z', (s) => {
      q.histogram('tre_seconds', 0.2);
      s.end();
    });
    const url = `http://127.0.0.1:${sdk.prometheus!.dia_chi()!.port}/metrics`;
    const om = await fetch(url, { headers: { accept: ACCEPT_PROMETHEUS } });
    assert.equal(om.headers.get('content-type'), CONTENT_TYPE_OPENMETRICS);
    const than = await om.text();
    assert.ok(than.endsWith('# EOF\n'));
    assert.deepEqual(exemplars(than).map((e) => [e.ten, e.le]), [['ex5_tre_seconds', '0.5']]);
    const txt = await fetch(url);
    assert.equal(txt.headers.get('content-type'), CONTENT_TYPE_PROMETHEUS);
    assert.doesNotMatch(await txt.text(), / # \{|# EOF/);
    q.dong();
  });

  it('Accept parsing: q-values decide; malformed q is 0', () => {
    assert.equal(wants_openmetrics(ACCEPT_PROMETHEUS), true);
    assert.equal(wants_openmetrics('application/openmetrics-text'), true);
    assert.equal(wants_openmetrics('text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5'), false);
    assert.equal(wants_openmetrics('application/openmetrics-text;q=0'), false);
    assert.equal(wants_openmetrics('application/openmetrics-text;q=abc'), false);
    assert.equal(wants_openmetrics(undefined), false);
  });

  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    it(`OTLP (${protocol}): histogram data points carry the same exemplars`, async () => {
      nhan = new MayNhanOtlp();
      await nhan.bat_dau();
      sdk = khoi_dong_sdk({
        traces_exporter: 'memory',
        metrics_exporter: ['prometheus', 'otlp'],
        logs_exporter: 'none',
        runtime_node: false,
        otlp: { endpoint: `http://127.0.0.1:${nhan.port}`, protocol },
        env: {},
      })!;
      const q = new QuanLyMetrics('ex3');
      let tid = '';
      let sid = '';
      q.histogram('wait_ms', 2);
      trace.getTracer('t').startActiveSpan('y', (s) => {
        tid = s.spanContext().traceId;
        sid = s.spanContext().spanId;
        q.histogram('wait_ms', 7);
        s.end();
      });
      assert.equal(await sdk.flush(), true);
      const m = nhan.metrics().find((x) => x.name === 'ex3_wait')!;
      const dps = (m.histogram as { dataPoints: Array<BanGhi & { exemplars?: BanGhi[] }> }).dataPoints;
      assert.equal(dps.length, 1);
      const ex = dps[0]!.exemplars!;
      assert.equal(ex.length, 1);
      assert.equal(ex[0]!.traceId, tid);
      assert.equal(ex[0]!.spanId, sid);
      assert.equal(ex[0]!.asDouble, 0.007);
      assert.ok(Math.abs(Number(ex[0]!.timeUnixNano) / 1e6 - Date.now()) < 60_000);
      // The other histograms of the request (no exemplars) decode as before.
      assert.ok(nhan.metrics().some((x) => x.name === 'otel.sdk.exporter.operation.duration' || x.histogram !== undefined));
      q.dong();
    });
  }
});
