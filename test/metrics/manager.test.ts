import assert from 'node:assert/strict';
import { QuanLyMetrics } from '../../src/index.js';
import { assertValidExposition } from '../support/promtool.js';

describe('metrics/QuanLyMetrics: the seed API on own storage', function () {
  const tao: QuanLyMetrics[] = [];
  const moi = (ten?: string | { ten?: string }): QuanLyMetrics => {
    const q = new QuanLyMetrics(ten);
    tao.push(q);
    return q;
  };
  // Each test's instances are closed after it: two live instances may not write the same name.
  afterEach(() => tao.splice(0).forEach((q) => q.dong()));

  it('counter: default increment 1, explicit increments, per label set, independent of key order', () => {
    const m = moi();
    m.counter('requests');
    m.counter('requests', undefined, 2.5);
    m.counter('requests', { model: 'phobert', status: 'ok' });
    m.counter('requests', { status: 'ok', model: 'phobert' }, 4);
    m.counter('requests', { model: 'vit5', status: 'ok' });
    assert.equal(m.lay_counter('requests'), 3.5);
    assert.equal(m.lay_counter('requests', { model: 'phobert', status: 'ok' }), 5);
    assert.equal(m.lay_counter('requests', { status: 'ok', model: 'phobert' }), 5);
    assert.equal(m.lay_counter('requests', { model: 'vit5', status: 'ok' }), 1);
    assert.equal(m.lay_counter('requests', { model: 'nope', status: 'ok' }), 0);
    assert.equal(m.lay_counter('unknown'), 0);
  });

  it('gauge: last value wins per label set; lay_gauge 0 when unknown', () => {
    const m = moi();
    m.gauge('queue', 3, { q: 'a' });
    m.gauge('queue', -7.5, { q: 'a' });
    m.gauge('queue', 1);
    assert.equal(m.lay_gauge('queue', { q: 'a' }), -7.5);
    assert.equal(m.lay_gauge('queue'), 1);
    assert.equal(m.lay_gauge('queue', { q: 'b' }), 0);
    assert.equal(m.lay_gauge('x'), 0);
  });

  it('histogram stats per label set; count 0 when unknown', () => {
    const m = moi();
    for (const v of [1, 2, 3, 4]) m.histogram('lat', v, { m: 'a' });
    m.histogram('lat', 100, { m: 'b' });
    const a = m.lay_histogram_stats('lat', { m: 'a' });
    assert.equal(a.count, 4);
    assert.equal(a.mean, 2.5);
    assert.equal(a.min, 1);
    assert.equal(a.max, 4);
    assert.ok(Math.abs(a.std - Math.sqrt(1.25)) < 1e-12);
    assert.equal(m.lay_histogram_stats('lat', { m: 'b' }).count, 1);
    assert.deepEqual(m.lay_histogram_stats('nope'), { count: 0, mean: 0, std: 0, min: 0, max: 0, p50: 0, p90: 0, p95: 0, p99: 0 });
  });

  it('numbers, booleans and bigints as label values are converted with String(); other types are a TypeError', () => {
    const m = moi();
    m.counter('c', { code: 200 as unknown as string, ok: true as unknown as string });
    assert.equal(m.lay_counter('c', { code: '200', ok: 'true' }), 1);
    assert.throws(() => m.counter('c', { code: { x: 1 } as unknown as string }), TypeError);
    assert.throws(() => m.counter('c', { code: null as unknown as string }), TypeError);
    assert.throws(() => m.counter('c', { code: undefined as unknown as string }), TypeError);
  });

  it('timer records elapsed ms once, via ket_thuc() and via `using`', async () => {
    const m = moi();
    const t = m.timer('inference_ms', { model: 'phobert' });
    await new Promise((r) => setTimeout(r, 30));
    const ms = t.ket_thuc();
    assert.ok(ms >= 25 && ms < 5000, `elapsed ${ms}`);
    assert.equal(t.ket_thuc(), ms, 'a second ket_thuc returns the same figure');
    {
      using _t = m.timer('inference_ms', { model: 'phobert' });
    }
    const st = m.lay_histogram_stats('inference_ms', { model: 'phobert' });
    assert.equal(st.count, 2);
    assert.equal(st.max, ms);
    assert.throws(() => m.timer('bad name'), TypeError, 'a bad name fails at timer(), not later');
    assert.throws(() => m.timer('ok', { 'Bad-Label': 'x' }), TypeError, 'bad labels fail at timer() too');
  });

  it('bad values: RangeError for negative/non-finite counter increments and non-finite gauge/histogram values; TypeError for non-numbers', () => {
    const m = moi();
    for (const v of [-1, -0.001, NaN, Infinity, -Infinity]) assert.throws(() => m.counter('c', undefined, v), RangeError, String(v));
    for (const v of [NaN, Infinity, -Infinity]) {
      assert.throws(() => m.gauge('g', v), RangeError);
      assert.throws(() => m.histogram('h', v), RangeError);
    }
    assert.throws(() => m.counter('c', undefined, '5' as unknown as number), TypeError);
    assert.throws(() => m.gauge('g', '5' as unknown as number), TypeError);
    assert.equal(m.lay_counter('c'), 0, 'nothing recorded by rejected calls');
    m.counter('c', undefined, 0);
    assert.equal(m.lay_counter('c'), 0);
  });

  it('bad names: TypeError (spaces, Vietnamese diacritics, leading digit, upper case, reserved suffixes, type clash)', () => {
    const m = moi();
    for (const ten of ['so yeu cau', 'số_yêu_cầu', '1requests', 'Requests', 'a-b', '', 'x'.repeat(201), 'h', 'ms_latency']) {
      assert.throws(() => m.counter(ten), TypeError, JSON.stringify(ten));
    }
    assert.throws(() => m.gauge('queue_total', 1), TypeError);
    assert.throws(() => m.histogram('lat_bucket', 1), TypeError);
    assert.throws(() => m.counter('c', { 'nhãn': 'x' }), TypeError);
    assert.throws(() => m.counter('c', { __x: 'x' }), TypeError);
    assert.throws(() => m.histogram('h', 1, { le: '1' }), TypeError);
    m.counter('dup');
    assert.throws(() => m.gauge('dup', 1), /already a counter/);
    assert.throws(() => new QuanLyMetrics('vietnamese-ai'), TypeError);
    assert.throws(() => m.histogram('h2', 1, undefined, { bien_bucket: [5, 1] }), RangeError);
    assert.throws(() => m.counter('c2', undefined, 1, { bien_bucket: [1] }), TypeError);
  });

  it('export_json keys every series by name + labels (labelled histograms are NOT merged)', () => {
    const m = moi();
    m.counter('req', { b: '2', a: '1' });
    m.gauge('g', 5);
    m.histogram('lat', 10, { model: 'a' });
    m.histogram('lat', 20, { model: 'a' });
    m.histogram('lat', 1000, { model: 'b' });
    const j = m.export_json();
    assert.deepEqual(j.counters, { 'req{a="1",b="2"}': 1 });
    assert.deepEqual(j.gauges, { g: 5 });
    assert.deepEqual(Object.keys(j.histograms).sort(), ['lat{model="a"}', 'lat{model="b"}']);
    assert.equal(j.histograms['lat{model="a"}']?.count, 2);
    assert.equal(j.histograms['lat{model="a"}']?.max, 20);
    assert.equal(j.histograms['lat{model="b"}']?.min, 1000);
    assert.ok(typeof j.uptime_s === 'number' && j.uptime_s >= 0);
  });

  it('reset(): nothing recorded before shows in reads, export_json or export_prometheus', async () => {
    const m = moi('reset_test');
    m.counter('truoc', { a: 'x' }, 5);
    m.gauge('g_truoc', 1);
    m.histogram('hist_truoc', 3);
    assert.match(await m.export_prometheus(), /reset_test_truoc_total\{a="x"\} 5/);
    m.reset();
    assert.equal(m.lay_counter('truoc', { a: 'x' }), 0);
    assert.equal(m.lay_histogram_stats('hist_truoc').count, 0);
    const j = m.export_json();
    assert.deepEqual([j.counters, j.gauges, j.histograms], [{}, {}, {}]);
    m.counter('sau');
    const text = await m.export_prometheus();
    assert.doesNotMatch(text, /truoc/);
    assert.match(text, /reset_test_sau_total 1/);
    assert.equal(m.thong_ke().so_counters, 1);
  });

  it('thong_ke: ten, so_counters, so_gauges, so_histograms, series and limit', () => {
    const m = moi({ ten: 'tk' });
    m.counter('a');
    m.counter('bb', { x: '1' });
    m.counter('bb', { x: '2' });
    m.gauge('g', 1);
    m.histogram('hist', 1);
    const t = m.thong_ke();
    assert.equal(t.ten, 'tk');
    assert.equal(t.so_counters, 2);
    assert.equal(t.so_gauges, 1);
    assert.equal(t.so_histograms, 1);
    assert.equal(t.so_series, 5);
    assert.ok(t.gioi_han_series >= 2);
  });

  it('a 100k-distinct-label bomb keeps memory bounded: series collapse into the OTel overflow series', async () => {
    const m = moi('bomb');
    const gioi_han = m.thong_ke().gioi_han_series;
    global.gc?.();
    const truoc = process.memoryUsage().heapUsed;
    for (let i = 0; i < 100_000; i++) m.counter('req', { user_id: `u${i}` });
    for (let i = 0; i < 100_000; i++) m.histogram('lat', i % 100, { user_id: `u${i}` });
    const tk = m.thong_ke();
    assert.equal(tk.so_series, 2 * gioi_han, 'per metric: limit - 1 series + the overflow series');
    assert.equal(tk.so_lan_tran, 2 * (100_000 - (gioi_han - 1)));
    const text = await m.export_prometheus();
    assert.match(text, new RegExp(`bomb_req_total\\{otel_metric_overflow="true"\\} ${100_000 - (gioi_han - 1)}\\n`));
    assert.match(text, /bomb_lat_count\{otel_metric_overflow="true"\} \d+/);
    const seriesLines = text.split('\n').filter((l) => l.startsWith('bomb_req_total'));
    assert.equal(seriesLines.length, gioi_han);
    assert.ok(text.length < gioi_han * 2 * 2000, `exposition bounded: ${text.length} bytes`);
    // Counted overflow mass is exact: nothing lost.
    let tong = 0;
    for (const l of seriesLines) tong += Number(l.slice(l.lastIndexOf(' ') + 1));
    assert.equal(tong, 100_000);
    const tang = process.memoryUsage().heapUsed - truoc;
    assert.ok(tang < 80 * 1024 * 1024, `heap grew ${(tang / 1048576).toFixed(1)} MB`);
    await assertValidExposition(text);
  });

  it('options: HELP from mo_ta, unit suffix in base units, custom buckets; promtool exits 0', async () => {
    const m = moi('opt');
    m.counter('requests', { route: '/a' }, 1, { mo_ta: 'Requests served.\nSecond line \\ backslash' });
    m.histogram('latency', 5, { route: '/a' }, { don_vi: 'ms', bien_bucket: [1, 10, 100], mo_ta: 'Latency' });
    m.gauge('model_size', 2, undefined, { don_vi: 'KiBy' });
    m.histogram('inference_ms', 250);
    const text = await m.export_prometheus();
    assert.match(text, /# HELP opt_requests_total Requests served\.\\nSecond line \\\\ backslash\n# TYPE opt_requests_total counter\n/);
    assert.match(text, /# TYPE opt_latency_seconds histogram\n/);
    assert.match(text, /opt_latency_seconds_bucket\{route="\/a",le="0.001"\} 0\n/);
    assert.match(text, /opt_latency_seconds_bucket\{route="\/a",le="0.01"\} 1\n/);
    assert.match(text, /opt_latency_seconds_bucket\{route="\/a",le="\+Inf"\} 1\n/);
    assert.match(text, /opt_latency_seconds_sum\{route="\/a"\} 0.005\n/);
    assert.match(text, /opt_model_size_bytes 2048\n/);
    assert.match(text, /# TYPE opt_inference_seconds histogram\n/, 'the seed\'s "inference_ms" becomes a unit, not a lint error');
    assert.match(text, /opt_inference_seconds_sum 0.25\n/);
    assert.equal(m.lay_histogram_stats('latency', { route: '/a' }).max, 5, 'reads stay in the recorded unit');
    await assertValidExposition(text);
  });

  it('label values with quotes, backslashes, newlines and Vietnamese text are escaped; promtool exits 0', async () => {
    const m = moi('escape');
    const khoKhan = ['say "xin chào"', 'C:\\models\\phobert', 'dòng 1\ndòng 2', 'Tiếng Việt có dấu: ắ ầ ẫ ự', '{}=,', ''];
    for (const v of khoKhan) {
      m.counter('c', { v });
      m.gauge('gg', 1, { v });
      m.histogram('hist', 1, { v });
    }
    const text = await m.export_prometheus();
    assert.ok(text.includes('escape_c_total{v="say \\"xin chào\\""} 1\n'));
    assert.ok(text.includes('escape_c_total{v="C:\\\\models\\\\phobert"} 1\n'));
    assert.ok(text.includes('escape_c_total{v="dòng 1\\ndòng 2"} 1\n'));
    assert.ok(text.includes('escape_c_total{v="Tiếng Việt có dấu: ắ ầ ẫ ự"} 1\n'));
    await assertValidExposition(text);
  });

  it('each instance has its own scope; export_prometheus shows only its own metrics', async () => {
    const a = moi('inst_a');
    const b = moi('inst_bb');
    const a2 = moi('inst_a');
    assert.notEqual(a.scope, a2.scope);
    a.counter('x');
    b.counter('y');
    const ta = await a.export_prometheus();
    assert.match(ta, /inst_a_x_total 1/);
    assert.doesNotMatch(ta, /inst_bb_y_total/);
    assert.match(ta, /^target_info\{/m, 'the resource comes along as target_info');
  });

  it('dong() removes the instance from the pipeline', async () => {
    const m = new QuanLyMetrics('dong_test');
    m.counter('x');
    assert.match(await m.export_prometheus(), /dong_test_x_total 1/);
    m.dong();
    m.dong();
    assert.doesNotMatch(await m.export_prometheus(), /dong_test_x_total/);
  });
});
