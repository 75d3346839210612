import assert from 'node:assert/strict';
import { SeverityNumber, SpanStatusCode, trace } from '@opentelemetry/api';
import { BoNhoLogExporter, BoNhoSpanExporter, khoi_dong_sdk, LamNongModel, type SdkDangChay } from '../../src/index.js';
import { mau_prometheus as mau } from '../support/prometheus.js';


describe('lamnong/telemetry: spans, events, metrics and logs through the real SDK', function () {
  let sdk: SdkDangChay | undefined;

  beforeEach(() => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', logs_exporter: 'memory', metrics_exporter: 'prometheus', prometheus: { phuc_vu: false }, http: false, ten_dich_vu: 'lamnong-test' })!;
  });
  afterEach(async () => {
    await sdk?.tat();
    sdk = undefined;
  });

  const spans = (): ReturnType<BoNhoSpanExporter['lay_spans']> => (sdk!.exporters.traces[0] as BoNhoSpanExporter).lay_spans();
  const logRecords = (): ReturnType<BoNhoLogExporter['lay_logs']> => (sdk!.exporters.logs[0] as BoNhoLogExporter).lay_logs();

  it('one span per warm-up with an event per run; status ERROR and the failing run on failure', async () => {
    const l = new LamNongModel({ so_lan_warmup: 3 });
    let n = 0;
    l.dang_ky_model('tot', () => 1, { du_lieu_mau: 'x' });
    l.dang_ky_model('hong', () => {
      if (++n === 2) throw new RangeError('bad shape');
    }, { du_lieu_mau: 'x' });
    // Concurrent callers share one warm-up, so one span.
    await Promise.all([l.lay_model('tot'), l.lay_model('tot'), l.lam_nong('tot')]);
    await l.lam_nong('hong');
    await sdk!.flush();

    const tot = spans().filter((s) => s.name === 'lam_nong tot');
    assert.equal(tot.length, 1);
    const s = tot[0]!;
    assert.equal(s.instrumentationScope.name, 'vietnamese-ai-otel');
    assert.equal(s.attributes.model_name, 'tot');
    assert.equal(s.attributes['lam_nong.ly_do'], 'lay_model');
    assert.equal(s.attributes['lam_nong.trang_thai'], 'ok');
    assert.equal(s.attributes['lam_nong.so_lan'], 3);
    assert.notEqual(s.status.code, SpanStatusCode.ERROR);
    assert.deepEqual(s.events.map((e) => [e.name, e.attributes!['lam_nong.lan'], e.attributes!['lam_nong.ket_qua']]), [
      ['lam_nong.lan_chay', 1, 'ok'],
      ['lam_nong.lan_chay', 2, 'ok'],
      ['lam_nong.lan_chay', 3, 'ok'],
    ]);
    assert.ok(s.events.every((e) => typeof e.attributes!['lam_nong.thoi_gian_ms'] === 'number'));

    const hong = spans().find((x) => x.name === 'lam_nong hong')!;
    assert.equal(hong.status.code, SpanStatusCode.ERROR);
    assert.match(hong.status.message!, /RangeError: bad shape/);
    const chay = hong.events.filter((e) => e.name === 'lam_nong.lan_chay');
    assert.deepEqual(chay.map((e) => e.attributes!['lam_nong.ket_qua']), ['ok', 'loi']);
    assert.equal(chay[1]!.attributes!['lam_nong.loi'], 'RangeError: bad shape');
    assert.ok(hong.events.some((e) => e.name === 'exception'), 'the exception is recorded');
  });

  it('a warm-up called inside a request span is its child; refresh warm-ups are roots', async () => {
    const l = new LamNongModel({ thoi_gian_refresh: 0.01, so_lan_warmup: 1 });
    l.dang_ky_model('m', () => 1, { du_lieu_mau: 1, tu_dong_refresh: true });
    await trace.getTracer('test').startActiveSpan('POST /predict', async (req) => {
      await l.lay_model('m');
      // Armed inside the request: the timer captures its context.
      l.bat_dau_auto_refresh();
      req.end();
    });
    const het = Date.now() + 5000;
    while (l.trang_thai_model('m')!.so_lan_lam_nong < 3 && Date.now() < het) await new Promise((r) => setTimeout(r, 5));
    l.dung_auto_refresh();
    await sdk!.flush();
    const req = spans().find((s) => s.name === 'POST /predict')!;
    const warm = spans().filter((s) => s.name === 'lam_nong m');
    assert.ok(warm.length >= 3);
    const tu_request = warm.filter((s) => s.attributes['lam_nong.ly_do'] === 'lay_model');
    assert.equal(tu_request.length, 1);
    assert.equal(tu_request[0]!.parentSpanContext?.spanId, req.spanContext().spanId);
    assert.equal(tu_request[0]!.spanContext().traceId, req.spanContext().traceId);
    const refresh = warm.filter((s) => s.attributes['lam_nong.ly_do'] === 'refresh');
    assert.ok(refresh.length >= 2);
    for (const r of refresh) {
      assert.equal(r.parentSpanContext, undefined, 'a refresh span is a root');
      assert.notEqual(r.spanContext().traceId, req.spanContext().traceId);
    }
  });

  it('log records warmup_ok / warmup_loi with model_name, correlated with the warm-up span', async () => {
    const l = new LamNongModel({ so_lan_warmup: 2 });
    l.dang_ky_model('ok_model', () => 1, { du_lieu_mau: 1 });
    l.dang_ky_model('bad_model', () => {
      throw new Error('weights missing');
    }, { du_lieu_mau: 1 });
    await l.lam_nong_tat_ca();
    await sdk!.flush();
    const ok = logRecords().find((r) => r.attributes.event === 'warmup_ok')!;
    const bad = logRecords().find((r) => r.attributes.event === 'warmup_loi')!;
    assert.equal(ok.attributes.model_name, 'ok_model');
    assert.equal(ok.attributes.so_lan, 2);
    assert.equal(ok.severityNumber, SeverityNumber.INFO);
    assert.equal(bad.attributes.model_name, 'bad_model');
    assert.equal(bad.attributes.loi, 'Error: weights missing');
    assert.equal(bad.severityNumber, SeverityNumber.ERROR);
    const span_ok = spans().find((s) => s.name === 'lam_nong ok_model')!;
    assert.equal(ok.spanContext?.spanId, span_ok.spanContext().spanId);
    assert.equal(ok.spanContext?.traceId, span_ok.spanContext().traceId);
  });

  it('metrics: per-model status gauge, warm-up counter by outcome, duration histogram', async () => {
    const l = new LamNongModel({ so_lan_warmup: 1 });
    let hong = false;
    l.dang_ky_model('phobert', () => {
      if (hong) throw new Error('x');
    }, { du_lieu_mau: 1 });
    l.dang_ky_model('chua', () => 1, { du_lieu_mau: 1 });
    await l.lam_nong('phobert');
    hong = true;
    await l.lam_nong('phobert');
    hong = false;
    await l.lam_nong('phobert');
    const text = await sdk!.export_prometheus({ loc_scope: (s) => s === 'vietnamese-ai-otel/lamnong' });
    const m = mau(text);
    assert.equal(m.get('lam_nong_da_warmup{model_name="phobert"}'), 1);
    assert.equal(m.get('lam_nong_da_warmup{model_name="chua"}'), 0);
    assert.equal(m.get('lam_nong_so_lan_total{model_name="phobert",trang_thai="ok"}'), 2);
    assert.equal(m.get('lam_nong_so_lan_total{model_name="phobert",trang_thai="loi"}'), 1);
    assert.equal(m.get('lam_nong_thoi_gian_seconds_count{model_name="phobert",trang_thai="ok"}'), 2);
    assert.equal(m.get('lam_nong_thoi_gian_seconds_count{model_name="phobert",trang_thai="loi"}'), 1);
    assert.ok(m.get('lam_nong_thoi_gian_seconds_sum{model_name="phobert",trang_thai="ok"}')! > 0);
  });

  it('telemetry failures never break a warm-up (a tracer provider that throws)', async () => {
    await sdk!.tat();
    const thu = khoi_dong_sdk({
      traces_exporter: 'memory',
      logs_exporter: 'none',
      metrics_exporter: 'none',
      http: false,
    })!;
    sdk = thu;
    // Sabotage the tracer provider: every span start throws.
    const tp = thu.tracer_provider as unknown as { getTracer: () => unknown };
    const goc = tp.getTracer;
    tp.getTracer = () => {
      throw new Error('broken tracer');
    };
    try {
      const l = new LamNongModel({ so_lan_warmup: 2 });
      let n = 0;
      l.dang_ky_model('m', () => n++, { du_lieu_mau: 1 });
      const kq = await l.lam_nong('m');
      assert.equal(kq.trang_thai, 'ok');
      assert.equal(n, 2);
    } finally {
      tp.getTracer = goc;
    }
  });
});
