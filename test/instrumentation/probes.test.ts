import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { KiemTraSucKhoe } from '../../src/health/index.js';
import { khoi_dong_sdk, type SdkDangChay } from '../../src/index.js';
import { boc_xu_ly_http, CONTENT_TYPE_HEALTH_JSON, CONTENT_TYPE_PROMETHEUS, tao_may_chu_tham_do, tao_xu_ly_tham_do } from '../../instrumentation/index.js';
import { dong, goi, nghe } from './support.js';
import { assertValidExposition } from '../support/promtool.js';

describe('instrumentation/probes on node:http: /livez /readyz /healthz /metrics', function () {
  let server: Server | undefined;
  let h: KiemTraSucKhoe | undefined;
  let sdk: SdkDangChay | undefined;
  let db = true;
  let cache = true;
  let url = '';

  beforeEach(async () => {
    db = true;
    cache = true;
    h = new KiemTraSucKhoe({ thoi_gian_cache: 0, ten: 'probe-test' });
    h.dang_ky_check('db', () => (db ? true : Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2'))), 'database', true);
    h.dang_ky_check('cache', () => cache, 'cache', false);
    server = createServer(boc_xu_ly_http((_req, res) => res.end('app'), { suc_khoe: h }));
    url = await nghe(server);
  });
  afterEach(async () => {
    if (server !== undefined) await dong(server);
    h?.dong();
    await sdk?.tat();
    sdk = undefined;
  });

  it('healthy: 200 everywhere; degraded: /readyz and /healthz 200; unhealthy: 503; /livez stays 200', async () => {
    for (const [dbOk, cacheOk, tt, ma] of [
      [true, true, 'healthy', 200],
      [true, false, 'degraded', 200],
      [false, true, 'unhealthy', 503],
    ] as const) {
      db = dbOk;
      cache = cacheOk;
      const r = await goi(`${url}/readyz`);
      assert.equal(r.status, ma, tt);
      assert.equal(r.body, ma === 200 ? 'ok\n' : 'not ready\n');
      assert.equal(r.headers['cache-control'], 'no-store');
      const hz = await goi(`${url}/healthz`);
      assert.equal(hz.status, ma, tt);
      assert.equal(JSON.parse(hz.body).trang_thai, tt);
      const lz = await goi(`${url}/livez`);
      assert.equal(lz.status, 200);
      assert.equal(lz.body, 'ok\n');
    }
    assert.equal((await goi(`${url}/other`)).body, 'app');
  });

  it('/healthz hides check detail and system info without ?verbose (no error text leaks); shows them with it', async () => {
    db = false;
    const gon = await goi(`${url}/healthz`);
    const o = JSON.parse(gon.body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(o).sort(), ['dang_tat', 'thoi_gian_ms', 'timestamp', 'trang_thai', 'uptime_s']);
    assert.doesNotMatch(gon.body, /hunter2|10\.0\.0\.7|ECONNREFUSED|node_version|pid/);
    assert.match(String(gon.headers['content-type']), /^application\/json/);
    for (const q of ['verbose', 'verbose=1', 'verbose=true']) {
      const v = JSON.parse((await goi(`${url}/healthz?${q}`)).body) as { chi_tiet: Record<string, { loi?: string }>; he_thong: { pid: number } };
      assert.match(v.chi_tiet.db!.loi!, /ECONNREFUSED/);
      assert.equal(v.he_thong.pid, process.pid);
    }
    const khong = JSON.parse((await goi(`${url}/healthz?verbose=false`)).body) as Record<string, unknown>;
    assert.equal(khong.chi_tiet, undefined);
    const rz = await goi(`${url}/readyz`);
    assert.doesNotMatch(rz.body, /hunter2|ECONNREFUSED/);
    const rzv = JSON.parse((await goi(`${url}/readyz?verbose`)).body) as { ready: boolean; chi_tiet: Record<string, unknown> };
    assert.equal(rzv.ready, false);
    assert.ok('db' in rzv.chi_tiet);
  });

  it('application/health+json by Accept or ?format: pass / warn / fail with the right codes; checks only with verbose', async () => {
    for (const [dbOk, cacheOk, st, ma] of [
      [true, true, 'pass', 200],
      [true, false, 'warn', 200],
      [false, false, 'fail', 503],
    ] as const) {
      db = dbOk;
      cache = cacheOk;
      const a = await goi(`${url}/healthz`, { headers: { accept: 'application/health+json' } });
      assert.equal(a.status, ma);
      assert.equal(a.headers['content-type'], CONTENT_TYPE_HEALTH_JSON);
      assert.deepEqual(JSON.parse(a.body), { status: st });
      const f = await goi(`${url}/readyz?format=health+json`);
      assert.equal(f.status, ma);
      assert.equal(JSON.parse(f.body).status, st);
      const v = JSON.parse((await goi(`${url}/healthz?format=health%2Bjson&verbose`)).body) as { status: string; checks: Record<string, Array<{ status: string; output?: string }>> };
      assert.equal(v.status, st);
      assert.equal(v.checks['db:responseTime']![0]!.status, dbOk ? 'pass' : 'fail');
      assert.equal(v.checks['cache:responseTime']![0]!.status, cacheOk ? 'pass' : 'warn');
      if (!dbOk) assert.match(v.checks['db:responseTime']![0]!.output!, /ECONNREFUSED/);
    }
    const lz = await goi(`${url}/livez`, { headers: { accept: 'application/health+json' } });
    assert.deepEqual(JSON.parse(lz.body), { status: 'pass' });
  });

  it('HEAD gets headers without a body; other methods get 405 with Allow', async () => {
    const hd = await goi(`${url}/readyz`, { method: 'HEAD' });
    assert.equal(hd.status, 200);
    assert.equal(hd.body, '');
    assert.equal(hd.headers['content-length'], '3');
    const p = await goi(`${url}/healthz`, { method: 'POST' });
    assert.equal(p.status, 405);
    assert.equal(p.headers.allow, 'GET, HEAD');
  });

  it('readiness is 503 at once after bat_dau_tat(), while /livez stays 200', async () => {
    h!.bat_dau_tat();
    const r = await goi(`${url}/readyz`);
    assert.equal(r.status, 503);
    assert.equal(r.body, 'shutting down\n');
    assert.equal((await goi(`${url}/livez`)).status, 200);
    assert.equal(JSON.parse((await goi(`${url}/healthz`)).body).dang_tat, true);
  });

  it('/metrics: Prometheus text 0.0.4 from the one pipeline, accepted by promtool', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', logs_exporter: 'memory', metrics_exporter: 'prometheus', http: false });
    await goi(`${url}/healthz`); // a run, so health metrics exist
    const m = await goi(`${url}/metrics`);
    assert.equal(m.status, 200);
    assert.equal(m.headers['content-type'], CONTENT_TYPE_PROMETHEUS);
    assert.match(m.body, /suc_khoe_check_ok\{/);
    assert.match(m.body, /suc_khoe_check_thoi_gian_seconds_bucket\{/);
    await assertValidExposition(m.body);
    // without the SDK: the embedded pipeline answers
    await sdk!.tat();
    sdk = undefined;
    const m2 = await goi(`${url}/metrics`);
    assert.equal(m2.status, 200);
    assert.match(m2.body, /suc_khoe_check_ok\{/);
    await assertValidExposition(m2.body);
  });

  it('custom paths, paths turned off, and bad options', async () => {
    const x = tao_xu_ly_tham_do({ suc_khoe: h!, duong_dan: { livez: '/song', metrics: false } });
    const s2 = createServer((req, res) => {
      if (!x(req, res)) res.writeHead(404).end();
    });
    const u2 = await nghe(s2);
    try {
      assert.equal((await goi(`${u2}/song`)).status, 200);
      assert.equal((await goi(`${u2}/livez`)).status, 404);
      assert.equal((await goi(`${u2}/metrics`)).status, 404);
      assert.equal((await goi(`${u2}/readyz`)).status, 200);
    } finally {
      await dong(s2);
    }
    // without suc_khoe only /metrics is served
    const chiMetrics = tao_xu_ly_tham_do({});
    const s3 = createServer((req, res) => {
      if (!chiMetrics(req, res)) res.writeHead(404).end();
    });
    const u3 = await nghe(s3);
    try {
      assert.equal((await goi(`${u3}/livez`)).status, 404);
      assert.equal((await goi(`${u3}/metrics`)).status, 200);
    } finally {
      await dong(s3);
    }
    assert.throws(() => tao_xu_ly_tham_do({ suc_khoe: h!, duong_dan: { livez: 'livez' } }), TypeError);
    assert.throws(() => tao_xu_ly_tham_do({ suc_khoe: h!, duong_dan: { livez: '/x?y' } }), TypeError);
    assert.throws(() => tao_xu_ly_tham_do({ suc_khoe: h!, duong_dan: { livez: '/a', readyz: '/a' } }), /used twice/);
    assert.throws(() => tao_xu_ly_tham_do(null as never), TypeError);
    assert.throws(() => boc_xu_ly_http('x' as never), TypeError);
    assert.throws(() => boc_xu_ly_http(() => {}, { logger: {} as never }), /log_request/);
  });

  it('a separate probe server: probes on their own port, 404 elsewhere, the app port serves none', async () => {
    const appOnly = createServer(boc_xu_ly_http((_req, res) => res.writeHead(404).end('app 404'), { duong_dan: { livez: false, readyz: false, healthz: false, metrics: false } }));
    const ua = await nghe(appOnly);
    const td = await tao_may_chu_tham_do({ suc_khoe: h!, port: 0, host: '127.0.0.1' });
    try {
      const up = `http://127.0.0.1:${td.port}`;
      assert.equal((await goi(`${up}/readyz`)).status, 200);
      assert.equal((await goi(`${up}/metrics`)).status, 200);
      assert.equal((await goi(`${up}/predict`)).status, 404);
      assert.equal((await goi(`${ua}/healthz?verbose`)).body, 'app 404');
    } finally {
      await td.dong();
      await dong(appOnly);
    }
    await assert.rejects(tao_may_chu_tham_do({ suc_khoe: h!, port: -1 }), RangeError);
    await assert.rejects(tao_may_chu_tham_do({ suc_khoe: h!, port: 1.5 }), RangeError);
  });
});
