import assert from 'node:assert/strict';
import { BoNhoSpanExporter, khoi_dong_sdk, type SdkDangChay } from '../../src/index.js';
import { KiemTraSucKhoe } from '../../src/health/index.js';
import { gc } from '../reliability/support/abuse.js';

describe('health/telemetry: a span per run, an event per failing check, gauges and a duration histogram', function () {
  let sdk: SdkDangChay | undefined;
  let h: KiemTraSucKhoe | undefined;
  afterEach(async () => {
    h?.dong();
    h = undefined;
    await sdk?.tat();
    sdk = undefined;
  });

  it('exports through the one pipeline (real SDK, memory exporter, Prometheus text)', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', logs_exporter: 'memory', metrics_exporter: 'prometheus', http: false })!;
    h = new KiemTraSucKhoe({ timeout: 0.2, thoi_gian_cache: 5, ten: 'api' });
    h.dang_ky_check('db', () => true, 'database');
    h.dang_ky_check('cache', () => false, 'cache', false);
    h.dang_ky_check('queue', () => Promise.reject(new Error('broker gone')), 'queue', false);
    h.dang_ky_check('hang', () => new Promise(() => {}), 'hangs', false);
    await Promise.all([h.kiem_tra(), h.kiem_tra(), h.ready()]);
    await h.kiem_tra(); // cache hit: no new span
    await sdk.flush();
    const spans = (sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans().filter((s) => s.name === 'KiemTraSucKhoe.kiem_tra');
    assert.equal(spans.length, 1);
    const s = spans[0]!;
    assert.equal(s.instrumentationScope.name, 'vietnamese-ai-otel');
    assert.equal(s.attributes['suc_khoe.trang_thai'], 'degraded');
    assert.equal(s.attributes['suc_khoe.ten'], 'api');
    const ev = s.events.filter((e) => e.name === 'suc_khoe.check_khong_ok');
    assert.deepEqual(ev.map((e) => e.attributes?.['suc_khoe.check']).sort(), ['cache', 'hang', 'queue']);
    const q = ev.find((e) => e.attributes?.['suc_khoe.check'] === 'queue')!;
    assert.equal(q.attributes?.['suc_khoe.check.trang_thai'], 'error');
    assert.match(String(q.attributes?.['suc_khoe.check.loi']), /broker gone/);

    const text = await sdk.export_prometheus();
    assert.match(text, /suc_khoe_check_ok\{[^}]*check="db"[^}]*\} 1/);
    assert.match(text, /suc_khoe_check_ok\{[^}]*check="cache"[^}]*\} 0/);
    assert.match(text, /suc_khoe_trang_thai\{[^}]*trang_thai="degraded"[^}]*\} 1/);
    assert.match(text, /suc_khoe_trang_thai\{[^}]*trang_thai="healthy"[^}]*\} 0/);
    assert.match(text, /suc_khoe_check_thoi_gian_seconds_count\{[^}]*check="hang"[^}]*\} 1/);
  });

  it('an unhealthy run marks the span as an error; a facade built before the SDK reports into it', async () => {
    h = new KiemTraSucKhoe({ thoi_gian_cache: 0, ten: 'truoc' });
    h.dang_ky_check('db', () => false);
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', logs_exporter: 'memory', metrics_exporter: 'prometheus', http: false })!;
    await h.kiem_tra();
    await sdk.flush();
    const s = (sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans().find((x) => x.name === 'KiemTraSucKhoe.kiem_tra')!;
    assert.equal(s.status.code, 2);
    const text = await sdk.export_prometheus();
    assert.match(text, /suc_khoe_check_ok\{[^}]*suc_khoe="truoc"[^}]*\} 0/);
  });

  it('a live instance keeps its check gauges across garbage collections (its weakly held metric entry lives as long as it does)', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', logs_exporter: 'memory', metrics_exporter: 'prometheus', http: false })!;
    h = new KiemTraSucKhoe({ thoi_gian_cache: 0, ten: 'song_qua_gc' });
    h.dang_ky_check('db', () => true);
    await h.kiem_tra();
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setImmediate(r)); // FinalizationRegistry callbacks run in a later turn
    }
    const text = await sdk.export_prometheus();
    assert.match(text, /suc_khoe_check_ok\{[^}]*check="db"[^}]*suc_khoe="song_qua_gc"[^}]*\} 1|suc_khoe_check_ok\{[^}]*suc_khoe="song_qua_gc"[^}]*check="db"[^}]*\} 1/, text.split('\n').filter((l) => l.startsWith('suc_khoe')).join('\n'));
  });
});
