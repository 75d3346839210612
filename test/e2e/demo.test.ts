/**
 * End to end with the demo service (the built dist/examples/demo: a gateway
 * and a model service, two processes, both on the SDK) and the real stack:
 * OpenTelemetry Collector -> Jaeger v2, the collector's file and prometheus
 * exporters, and a real Prometheus scraping both demo processes. Every
 * request carries a W3C traceparent the test made, so each request's trace
 * id is known and can be looked up in Jaeger. Last, the breaker: the model
 * service is stopped, and the gateway's MachCat opens (503 + Retry-After).
 * Needs `npm run stack:install` and `npm run build` (npm run test:e2e builds);
 * skipped, with the reason printed, when the binaries are missing.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { SCOPE_UNDICI } from '../../src/http-tracing/index.js';
import { retryOnAddrInUse } from '../support/ports.js';
import { demoScrapeTargets, freeDemoPorts, startDemo, tracedPredict, waitDemoReady, type Demo } from './support/demo.js';
import { promtoolCheckMetrics, stackBinaries, startStack, waitFor, type FileLogRecord, type JaegerSpan, type JaegerTrace, type Stack } from './support/stack.js';

const NHAN = ['tieu_cuc', 'trung_tinh', 'tich_cuc'] as const;
type Nhan = (typeof NHAN)[number];

/** Vietnamese texts; clearly positive or negative ones carry the label they must get. */
const VAN_BAN: { text: string; expect?: Nhan }[] = [
  { text: 'Sản phẩm này rất tốt, tôi rất hài lòng', expect: 'tich_cuc' },
  { text: 'Điện thoại dùng rất thích, pin trâu, đáng tiền', expect: 'tich_cuc' },
  { text: 'Nhân viên nhiệt tình, phục vụ chu đáo, sẽ quay lại', expect: 'tich_cuc' },
  { text: 'Giao hàng nhanh, đóng gói cẩn thận, chất lượng tuyệt vời', expect: 'tich_cuc' },
  { text: 'Quán cà phê này đồ uống ngon, không gian đẹp, rất ưng ý', expect: 'tich_cuc' },
  { text: 'Tai nghe âm thanh hay, thiết kế đẹp, rất đáng mua', expect: 'tich_cuc' },
  { text: 'Khách sạn sạch sẽ, nhân viên thân thiện, tôi rất hài lòng', expect: 'tich_cuc' },
  { text: 'Laptop chạy mượt, màn hình đẹp, xuất sắc', expect: 'tich_cuc' },
  { text: 'Hàng tệ quá, tôi rất thất vọng', expect: 'tieu_cuc' },
  { text: 'Giao hàng quá chậm, đóng gói cẩu thả, không bao giờ mua lại', expect: 'tieu_cuc' },
  { text: 'Nhân viên thái độ cau có, phục vụ kém', expect: 'tieu_cuc' },
  { text: 'Máy giặt mới dùng đã hỏng, chất lượng tồi', expect: 'tieu_cuc' },
  { text: 'Đồ ăn nhạt nhẽo, phòng bẩn, quá tệ', expect: 'tieu_cuc' },
  { text: 'Điện thoại lag liên tục, pin kém, rất chán', expect: 'tieu_cuc' },
  { text: 'Áo khoác kém chất lượng, thất vọng', expect: 'tieu_cuc' },
  { text: 'Ứng dụng lỗi suốt, tệ hại', expect: 'tieu_cuc' },
  { text: 'Sản phẩm bình thường, không có gì đặc biệt' },
  { text: 'Giá cả trung bình, dùng tạm được' },
  { text: 'Hôm nay tôi nhận được hàng' },
  { text: 'Cuốn sách dày khoảng ba trăm trang' },
];
const N = VAN_BAN.length;
/** The gateway's breaker: so_loi_toi_da (examples/demo/gateway.ts). */
const SO_LOI_TOI_DA = 5;
const MACHCAT_SPAN = 'machcat dich-vu-mo-hinh';

interface CallResult {
  traceId: string;
  /** The span id the test put in traceparent: the parent of the gateway's SERVER span. */
  parentSpanId: string;
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
  expect?: Nhan;
}

/** POST /predict with a fresh traceparent (sampled). */
async function predict(gatewayUrl: string, text: string, expect?: Nhan): Promise<CallResult> {
  const { traceId, parentSpanId, response: r, body: raw } = await tracedPredict(gatewayUrl, text);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    body = { raw };
  }
  return { traceId, parentSpanId, status: r.status, headers: r.headers, body, text, ...(expect !== undefined ? { expect } : {}) };
}

/** One trace by id from Jaeger's HTTP API, or undefined while it has not arrived. */
async function jaegerTrace(s: Stack, traceId: string): Promise<JaegerTrace | undefined> {
  const r = await fetch(`${s.jaegerUrl}/api/traces/${traceId}`, { signal: AbortSignal.timeout(5000) });
  const body = await r.text();
  if (r.status === 404) return undefined;
  if (!r.ok) throw new Error(`GET /api/traces/${traceId}: HTTP ${r.status}: ${body.slice(0, 300)}`);
  return (JSON.parse(body) as { data: JaegerTrace[] | null }).data?.[0];
}

/** Traces of one operation of a service. */
async function jaegerOperation(s: Stack, service: string, operation: string): Promise<JaegerTrace[]> {
  const q = new URLSearchParams({ service, operation, limit: '20', lookback: '1h' });
  const r = await fetch(`${s.jaegerUrl}/api/traces?${q}`, { signal: AbortSignal.timeout(5000) });
  if (!r.ok) throw new Error(`GET /api/traces?${q}: HTTP ${r.status}`);
  return (await r.json() as { data: JaegerTrace[] | null }).data ?? [];
}

const tag = (sp: JaegerSpan, key: string): unknown => sp.tags.find((t) => t.key === key)?.value;
const service = (t: JaegerTrace, sp: JaegerSpan): string | undefined => t.processes[sp.processID]?.serviceName;
const parentOf = (sp: JaegerSpan): string | undefined => sp.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
/** A span event's fields as an object; the event's name is the `event` field. */
const fields = (l: JaegerSpan['logs'][number]): Record<string, unknown> => Object.fromEntries(l.fields.map((f) => [f.key, f.value]));

/** Sum of the samples of `name` in Prometheus text whose labels include all of `labels`. */
function sumSamples(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** `sum by (label) (expr)` as { labelValue: number }. */
async function promSumBy(s: Stack, expr: string, label: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of await s.promQuery(`sum by (${label}) (${expr})`)) out[v.metric[label] ?? ''] = Number(v.value[1]);
  return out;
}

describe('e2e: the demo service (gateway + model) -> real Collector, Jaeger v2, Prometheus', function () {
  this.timeout(180_000);

  let stack: Stack | undefined;
  let demo: Demo | undefined;
  const calls: CallResult[] = [];
  let failed = false;
  let setupDone = false;
  const timings: Record<string, number> = {};

  before(async function () {
    const bins = stackBinaries();
    if (bins.missing.length > 0) {
      console.warn(`    SKIPPED e2e demo: stack binaries missing: ${bins.missing.join(', ')}. Run: npm run stack:install`);
      this.skip();
    }
    let t = performance.now();
    // The demo's ports are chosen before the stack starts (Prometheus scrapes them): a port
    // taken meanwhile fails the start with EADDRINUSE, and the whole start is tried again.
    await retryOnAddrInUse(async () => {
      t = performance.now();
      const { port, modelPort } = await freeDemoPorts();
      stack = await startStack({ scrapeTargets: demoScrapeTargets(port, modelPort), binaries: bins });
      timings.stack_ready_s = (performance.now() - t) / 1000;
      t = performance.now();
      // DRAIN_MS short: the breaker scenario and the end stop the processes.
      demo = startDemo({ otlpEndpoint: stack.collectorHttpUrl, port, modelPort, logDir: stack.workDir, env: { ...process.env, DRAIN_MS: '200' } });
      await waitDemoReady(demo).catch(async (e: unknown) => {
        await demo?.stop();
        await stack?.stop();
        throw e;
      });
      timings.demo_ready_s = (performance.now() - t) / 1000;
    });
    t = performance.now();
    // 4 at a time: concurrent requests must not mix their traces.
    const gw = demo!.gatewayUrl;
    for (let i = 0; i < N; i += 4) calls.push(...(await Promise.all(VAN_BAN.slice(i, i + 4).map((v) => predict(gw, v.text, v.expect)))));
    timings.requests_s = (performance.now() - t) / 1000;
    setupDone = true;
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });
  after(async () => {
    await demo?.stop();
    await stack?.stop();
    if (Object.keys(timings).length > 0) console.log(`    e2e demo timings (s): ${Object.entries(timings).map(([k, v]) => `${k}=${v.toFixed(2)}`).join(' ')}`);
    if (stack !== undefined) {
      if (failed || !setupDone) console.warn(`    e2e demo logs kept in ${stack.workDir}`);
      else rmSync(stack.workDir, { recursive: true, force: true });
    }
  });

  it(`answers ${N} Vietnamese texts: 200, a label of ${NHAN.join('|')}, the right one for clear texts`, () => {
    assert.equal(calls.length, N);
    for (const c of calls) {
      assert.equal(c.status, 200, `${c.text}: HTTP ${c.status} ${JSON.stringify(c.body)}`);
      const nhan = c.body.nhan as Nhan;
      assert.ok(NHAN.includes(nhan), `${c.text}: label ${String(nhan)}`);
      const p = c.body.do_tin_cay as number;
      assert.ok(typeof p === 'number' && p > 0 && p <= 1, `${c.text}: confidence ${String(p)}`);
      const xs = c.body.xac_suat as Record<string, number>;
      assert.deepEqual(Object.keys(xs).sort(), [...NHAN].sort());
      assert.ok(Math.abs(Object.values(xs).reduce((a, b) => a + b, 0) - 1) < 1e-3, 'probabilities sum to 1');
      assert.equal(xs[nhan], p, 'the confidence is the chosen label\'s probability');
      if (c.expect !== undefined) assert.equal(nhan, c.expect, `"${c.text}" labelled ${nhan} (${JSON.stringify(xs)})`);
    }
    assert.equal(new Set(calls.map((c) => c.traceId)).size, N);
  });

  it(`Jaeger has every request's trace (${N}), each gateway SERVER -> ${MACHCAT_SPAN} -> fetch CLIENT -> model SERVER -> du_doan cam_xuc`, async () => {
    const s = stack as Stack;
    const traces = await waitFor(
      async () => {
        const ts = await Promise.all(calls.map((c) => jaegerTrace(s, c.traceId)));
        return ts.every((t) => t !== undefined && t.spans.length >= 5) ? (ts as JaegerTrace[]) : undefined;
      },
      30_000,
      `${N} complete traces in Jaeger`,
    );
    for (const [i, t] of traces.entries()) {
      const c = calls[i] as CallResult;
      assert.equal(t.traceID, c.traceId);
      const where = `trace ${c.traceId} (${t.spans.map((sp) => `${service(t, sp)}:${sp.operationName}`).join(', ')})`;
      assert.equal(t.spans.length, 5, where);
      assert.deepEqual(new Set(t.spans.map((sp) => service(t, sp))), new Set(['vnai-gateway', 'vnai-model']), where);
      const one = (pred: (sp: JaegerSpan) => boolean, what: string) => {
        const found = t.spans.filter(pred);
        assert.equal(found.length, 1, `${where}: ${found.length} spans for ${what}`);
        return found[0] as JaegerSpan;
      };
      const gwServer = one((sp) => service(t, sp) === 'vnai-gateway' && tag(sp, 'span.kind') === 'server', 'gateway SERVER');
      const mc = one((sp) => sp.operationName === MACHCAT_SPAN, MACHCAT_SPAN);
      const client = one((sp) => tag(sp, 'span.kind') === 'client', 'CLIENT');
      const mServer = one((sp) => service(t, sp) === 'vnai-model' && tag(sp, 'span.kind') === 'server', 'model SERVER');
      const du = one((sp) => sp.operationName === 'du_doan cam_xuc', 'du_doan cam_xuc');
      // The chain, across the process boundary (CLIENT in the gateway, SERVER in the model).
      assert.deepEqual(gwServer.references.map((r) => [r.refType, r.traceID, r.spanID]), [['CHILD_OF', c.traceId, c.parentSpanId]], `${where}: the gateway continues the caller's traceparent`);
      assert.equal(parentOf(mc), gwServer.spanID, where);
      assert.equal(service(t, mc), 'vnai-gateway');
      assert.equal(tag(mc, 'machcat.ten'), 'dich-vu-mo-hinh');
      assert.equal(parentOf(client), mc.spanID, `${where}: the model call runs inside the MachCat span`);
      assert.equal(service(t, client), 'vnai-gateway');
      assert.equal(tag(client, 'otel.scope.name') ?? tag(client, 'otel.library.name'), SCOPE_UNDICI, `${where}: the gateway calls the model with global fetch (traced by the default lean instrumentation)`);
      assert.equal(parentOf(mServer), client.spanID, `${where}: the model SERVER span is the child of the gateway's CLIENT span`);
      assert.equal(parentOf(du), mServer.spanID, where);
      assert.equal(service(t, du), 'vnai-model');
      assert.equal(tag(du, 'vnai.label'), c.body.nhan, `${where}: the inference span carries the answered label`);
      assert.equal(tag(gwServer, 'http.response.status_code') ?? tag(gwServer, 'http.status_code'), 200);
    }
    // Counted through the service listing too: all N under each service.
    const ids = new Set(calls.map((c) => c.traceId));
    for (const svc of ['vnai-gateway', 'vnai-model']) {
      const listed = (await s.jaegerTraces(svc, 500)).filter((t) => ids.has(t.traceID));
      assert.equal(listed.length, N, `${svc}: ${listed.length} of the ${N} request traces listed`);
    }
  });

  it('Jaeger has LamNongModel\'s warm-up span "lam_nong cam_xuc" for vnai-model, with its lam_nong.lan_chay events', async () => {
    const s = stack as Stack;
    const [t] = await waitFor(async () => {
      const ts = await jaegerOperation(s, 'vnai-model', 'lam_nong cam_xuc');
      return ts.length > 0 ? ts : undefined;
    }, 30_000, 'the warm-up trace in Jaeger');
    const sp = t?.spans.find((x) => x.operationName === 'lam_nong cam_xuc');
    assert.ok(t && sp);
    assert.equal(service(t, sp), 'vnai-model');
    assert.equal(tag(sp, 'model_name'), 'cam_xuc');
    assert.equal(tag(sp, 'lam_nong.trang_thai'), 'ok');
    const runs = sp.logs.map(fields).filter((f) => f.event === 'lam_nong.lan_chay');
    // The demo warms with so_lan_warmup: 5.
    assert.deepEqual(runs.map((f) => f['lam_nong.lan']), [1, 2, 3, 4, 5]);
    assert.ok(runs.every((f) => f['lam_nong.ket_qua'] === 'ok'));
  });

  it("the collector's file exporter holds both services' request logs for every request, each trace id one Jaeger has", async () => {
    const s = stack as Stack;
    const isRequestLog = (l: FileLogRecord) => l.attributes.path === '/predict' && l.attributes.status === 200 && l.body === 'POST /predict 200';
    const logs = await waitFor(
      () => {
        const all = s.readFileExporter().logs.filter((l) => l.service === 'vnai-gateway' || l.service === 'vnai-model');
        const ok = calls.every((c) => ['vnai-gateway', 'vnai-model'].every((svc) => all.some((l) => l.service === svc && l.traceId === c.traceId && isRequestLog(l))));
        return ok ? all : undefined;
      },
      30_000,
      `request logs of both services for ${N} traces in ${s.fileExporterPath}`,
    );
    for (const c of calls)
      for (const svc of ['vnai-gateway', 'vnai-model']) {
        const recs = logs.filter((l) => l.service === svc && l.traceId === c.traceId && isRequestLog(l));
        assert.equal(recs.length, 1, `${svc}: ${recs.length} request logs for trace ${c.traceId}`);
        const rec = recs[0] as FileLogRecord;
        assert.equal(rec.severityText, 'INFO');
        assert.match(String(rec.spanId), /^[0-9a-f]{16}$/);
        assert.equal(typeof rec.attributes.request_id, 'string');
      }
    // The model also logs each prediction, in the inference span.
    for (const c of calls) assert.ok(logs.some((l) => l.service === 'vnai-model' && l.traceId === c.traceId && l.body === 'Prediction cam_xuc'), `prediction log of ${c.traceId}`);
    // Every record that carries a trace id (requests, predictions, the warm-up's) names a trace Jaeger has.
    const withTrace = [...new Set(logs.map((l) => l.traceId).filter((id) => id !== ''))];
    assert.ok(withTrace.length > N, `${withTrace.length} trace ids in the log records`);
    for (const id of withTrace) assert.ok(await jaegerTrace(s, id), `log record trace id ${id} is not in Jaeger`);
  });

  it(`Prometheus scraped both demo processes (up=1) and sums their prediction counters to ${N}, also as pushed over OTLP through the collector`, async () => {
    const s = stack as Stack;
    const labels: Record<string, number> = {};
    for (const c of calls) labels[c.body.nhan as string] = (labels[c.body.nhan as string] ?? 0) + 1;
    await waitFor(
      async () => {
        const up = await promSumBy(s, 'up{job=~"demo-gateway|demo-model"}', 'job');
        const gw = await promSumBy(s, 'vnai_gateway_predictions_total{job="demo-gateway"}', 'ket_qua');
        const m = await promSumBy(s, 'vnai_model_predictions_total{job="demo-model"}', 'nhan');
        return up['demo-gateway'] === 1 && up['demo-model'] === 1 && gw.ok === N && JSON.stringify(sortKeys(m)) === JSON.stringify(sortKeys(labels));
      },
      30_000,
      `Prometheus: both demo targets up, vnai_gateway_predictions_total=${N}, vnai_model_predictions_total by label ${JSON.stringify(labels)}`,
    );
    assert.deepEqual(await promSumBy(s, 'vnai_gateway_predictions_total{job="demo-gateway"}', 'ket_qua'), { ok: N });
    assert.deepEqual(await promSumBy(s, 'vnai_model_predictions_total{job="demo-model"}', 'nhan'), labels);
    // Pushed over OTLP: the collector's prometheus exporter (job = service.name) ...
    const text = await waitFor(
      async () => {
        const t = await (await fetch(s.collectorPromUrl)).text();
        return sumSamples(t, 'vnai_gateway_predictions_total', { job: 'vnai-gateway' }) === N && sumSamples(t, 'vnai_model_predictions_total', { job: 'vnai-model' }) === N ? t : undefined;
      },
      30_000,
      `vnai_*_predictions_total=${N} at ${s.collectorPromUrl}`,
    );
    for (const [nhan, n] of Object.entries(labels)) assert.equal(sumSamples(text, 'vnai_model_predictions_total', { job: 'vnai-model', nhan }), n, nhan);
    // ... and Prometheus scraping the collector.
    await waitFor(
      async () => {
        const [g] = await s.promQuery('sum(vnai_gateway_predictions_total{job="vnai-gateway"})');
        const [m] = await s.promQuery('sum(vnai_model_predictions_total{job="vnai-model"})');
        return Number(g?.value[1]) === N && Number(m?.value[1]) === N;
      },
      30_000,
      `PromQL sum(vnai_*_predictions_total{job="vnai-*"}) = ${N} via the collector`,
    );
  });

  it('Prometheus scrapes OpenMetrics with exemplars: query_exemplars of the request duration returns trace ids that Jaeger has', async () => {
    const s = stack as Stack;
    const byId = new Set(calls.map((c) => c.traceId));
    const now = Date.now() / 1000;
    const exemplars = await waitFor(
      async () => {
        const q = new URLSearchParams({ query: 'http_server_request_duration_seconds_bucket{job=~"demo-.*"}', start: String(now - 3600), end: String(now + 600) });
        const r = await fetch(`${s.prometheusUrl}/api/v1/query_exemplars?${q}`, { signal: AbortSignal.timeout(5000) });
        const o = (await r.json()) as { status: string; data: Array<{ seriesLabels: Record<string, string>; exemplars: Array<{ labels: Record<string, string> }> }> };
        if (o.status !== 'success') throw new Error(`query_exemplars: ${JSON.stringify(o).slice(0, 300)}`);
        const ex = o.data.flatMap((d) => d.exemplars.map((e) => ({ job: d.seriesLabels.job, trace_id: e.labels.trace_id as string })));
        // Both services' durations, and at least one exemplar of a request this test made.
        return new Set(ex.map((e) => e.job)).size === 2 && ex.some((e) => byId.has(e.trace_id)) ? ex : undefined;
      },
      30_000,
      'exemplars of http_server_request_duration_seconds from demo-gateway and demo-model',
    );
    for (const e of exemplars) {
      assert.match(e.trace_id, /^[0-9a-f]{32}$/);
      assert.ok(await waitFor(async () => jaegerTrace(s, e.trace_id), 30_000, `trace ${e.trace_id} (exemplar of ${e.job}) in Jaeger`), e.trace_id);
    }
  });

  it('promtool check metrics passes on both demo processes\' /metrics', async () => {
    const d = demo as Demo;
    for (const url of [d.gatewayUrl, d.modelUrl]) {
      const r = await fetch(`${url}/metrics`);
      assert.equal(r.status, 200);
      const text = await r.text();
      assert.match(text, /_predictions_total\{/);
      const check = await promtoolCheckMetrics(text);
      assert.equal(check.code, 0, `promtool check metrics on ${url}/metrics:\n${check.output}`);
    }
  });

  it(`breaker: with the model service stopped, at most ${SO_LOI_TOI_DA} requests fail (502) before the gateway answers 503 + Retry-After; Jaeger shows machcat.chuyen_trang_thai`, async () => {
    const s = stack as Stack;
    const d = demo as Demo;
    await d.model.stop(15_000);
    assert.equal(await d.model.exited, 0, `the model service's graceful shutdown\n${d.model.logTail()}`);
    const seen: CallResult[] = [];
    let open: CallResult | undefined;
    for (let i = 0; i < SO_LOI_TOI_DA + 3 && open === undefined; i++) {
      const c = await predict(d.gatewayUrl, 'Sản phẩm này rất tốt');
      if (c.status === 503) open = c;
      else seen.push(c);
    }
    assert.ok(open, `no 503 after ${seen.length} requests: ${seen.map((c) => c.status).join(',')}`);
    assert.ok(seen.length >= 1 && seen.length <= SO_LOI_TOI_DA, `${seen.length} requests before the circuit opened`);
    assert.deepEqual(new Set(seen.map((c) => c.status)), new Set([502]));
    const retry = Number(open.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 5, `retry-after ${open.headers.get('retry-after')}`);
    assert.equal(open.body.mach, 'mo', JSON.stringify(open.body));
    // Readiness follows the model service (a critical check).
    const ready = await fetch(`${d.gatewayUrl}/readyz`);
    await ready.arrayBuffer();
    assert.equal(ready.status, 503);

    // The transition closed -> open is an event on the MachCat span of the failing call that tripped it.
    const last = seen[seen.length - 1] as CallResult;
    const ev = await waitFor(
      async () => {
        for (const c of seen) {
          const t = await jaegerTrace(s, c.traceId);
          const mc = t?.spans.find((sp) => sp.operationName === MACHCAT_SPAN);
          const e = mc?.logs.map(fields).find((f) => f.event === 'machcat.chuyen_trang_thai');
          if (t && mc && e) return { t, mc, e, c };
        }
        return undefined;
      },
      30_000,
      'machcat.chuyen_trang_thai on a gateway trace in Jaeger',
    );
    assert.equal(ev.c.traceId, last.traceId, 'the last failing call opened the circuit');
    assert.equal(service(ev.t, ev.mc), 'vnai-gateway');
    assert.equal(ev.e['machcat.tu'], 'dong');
    assert.equal(ev.e['machcat.den'], 'mo');
    assert.equal(ev.e['machcat.ten'], 'dich-vu-mo-hinh');
    // The refused call's trace: a MachCat span marked bi_chan, and no CLIENT span (the model was not called).
    const refused = await waitFor(async () => jaegerTrace(s, open.traceId), 30_000, 'the refused call\'s trace');
    const mc = refused.spans.find((sp) => sp.operationName === MACHCAT_SPAN);
    assert.ok(mc);
    assert.equal(tag(mc, 'machcat.bi_chan'), true);
    assert.ok(mc.logs.map(fields).some((f) => f.event === 'machcat.bi_chan'));
    assert.ok(!refused.spans.some((sp) => tag(sp, 'span.kind') === 'client'));
    // The transition's log record (MachCat's, through the OTel Logs API) reaches the file exporter with that trace id.
    await waitFor(
      () => s.readFileExporter().logs.some((l) => l.service === 'vnai-gateway' && l.attributes['machcat.den'] === 'mo' && l.traceId === last.traceId),
      30_000,
      'the machcat.chuyen_trang_thai log record in the file exporter output',
    );
  });

  it('stopping the demo and the stack ends every process', async () => {
    const d = demo as Demo;
    const s = stack as Stack;
    await d.stop();
    assert.equal(await d.gateway.exited, 0, `the gateway's graceful shutdown\n${d.gateway.logTail()}`);
    await s.stop();
    for (const p of [d.gateway, d.model, ...Object.values(s.processes)]) {
      assert.equal(p.alive(), false, `${p.name} still runs`);
      assert.throws(() => process.kill(p.child.pid as number, 0), /ESRCH/, `${p.name} (pid ${p.child.pid}) still exists`);
    }
  });
});

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
