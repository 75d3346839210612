/**
 * /startupz and the Open Inference Protocol (KServe V2) health endpoints, the
 * same scenario on node:http, express and fastify: a model whose warm-up is
 * held by the test, so each state (loading, warmed, a second model loading,
 * shutting down) is observed on the wire.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { KiemTraSucKhoe } from '../../src/health/index.js';
import { LamNongModel } from '../../src/warmup/index.js';
import { boc_xu_ly_http, gan_express, gan_fastify, type TuyChonHttp } from '../../instrumentation/index.js';
import { dong, goi, nghe } from './support.js';

/** A model whose predictions wait until the test opens the gate. */
function mo_hinh_giu(): { model: { du_doan(x: unknown): Promise<number> }; mo(): void } {
  let mo!: () => void;
  const cong = new Promise<void>((r) => (mo = r));
  return { model: { du_doan: async () => (await cong, 1) }, mo: () => mo() };
}

interface Ung {
  url: string;
  dong(): Promise<void>;
}

type TaoUng = (t: TuyChonHttp) => Promise<Ung>;

const ADAPTERS: Array<[string, TaoUng]> = [
  [
    'node:http',
    async (t) => {
      const s = createServer(boc_xu_ly_http((_req, res) => res.end('app'), t));
      return { url: await nghe(s), dong: () => dong(s) };
    },
  ],
  [
    'express',
    async (t) => {
      const app = express();
      gan_express(app, t);
      app.use((_req, res) => {
        res.send('app');
      });
      const s: Server = await new Promise((ok) => {
        const x = app.listen(0, '127.0.0.1', () => ok(x));
      });
      return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, dong: () => dong(s) };
    },
  ],
  [
    'fastify',
    async (t) => {
      const app = Fastify();
      gan_fastify(app, t);
      app.setNotFoundHandler((_req, reply) => reply.send('app'));
      await app.listen({ port: 0, host: '127.0.0.1' });
      return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, dong: () => app.close() };
    },
  ],
];

for (const [ten, tao] of ADAPTERS) {
  describe(`instrumentation/${ten}: /startupz and the V2 inference health endpoints`, function () {
    let h: KiemTraSucKhoe;
    let ln: LamNongModel;
    let ung: Ung | undefined;
    beforeEach(() => {
      h = new KiemTraSucKhoe({ thoi_gian_cache: 0, ten: `startup-${ten}` });
      ln = new LamNongModel({ so_lan_warmup: 1 });
    });
    afterEach(async () => {
      await ung?.dong();
      ung = undefined;
      h.dong();
    });

    it('503 while the model loads, 200 once warmed (startup latched), per-model 200/503/404, HEAD and 405', async () => {
      const a = mo_hinh_giu();
      ln.dang_ky_model('cam_xuc', a.model, { du_lieu_mau: 'x' });
      h.dang_ky_check('models_warm', ln.ham_kiem_tra_san_sang(), 'models warmed', true, true);
      h.dang_ky_check('cache', () => true, 'cache', false);
      ung = await tao({ suc_khoe: h, lam_nong: ln });
      const u = ung.url;

      // loading: warm-up started and held
      const warm = ln.lam_nong('cam_xuc');
      const s1 = await goi(`${u}/startupz`);
      assert.deepEqual([s1.status, s1.body], [503, 'starting\n']);
      assert.equal(s1.headers['cache-control'], 'no-store');
      const sv = await goi(`${u}/startupz?verbose`);
      assert.deepEqual([sv.status, JSON.parse(sv.body)], [503, { started: false, cho: ['models_warm'] }]);
      assert.equal((await goi(`${u}/livez`)).status, 200);
      const live = await goi(`${u}/v2/health/live`);
      assert.deepEqual([live.status, JSON.parse(live.body)], [200, { live: true }]);
      const r1 = await goi(`${u}/v2/health/ready`);
      assert.deepEqual([r1.status, JSON.parse(r1.body)], [503, { ready: false }]);
      const m1 = await goi(`${u}/v2/models/cam_xuc/ready`);
      assert.deepEqual([m1.status, JSON.parse(m1.body)], [503, { name: 'cam_xuc', ready: false }]);
      assert.equal((await goi(`${u}/v2/models/khong_co/ready`)).status, 404);

      // warmed
      a.mo();
      assert.equal((await warm).trang_thai, 'ok');
      const s2 = await goi(`${u}/startupz`);
      assert.deepEqual([s2.status, s2.body], [200, 'ok\n']);
      assert.equal((await goi(`${u}/v2/health/ready`)).status, 200);
      const m2 = await goi(`${u}/v2/models/cam_xuc/ready`);
      assert.deepEqual([m2.status, JSON.parse(m2.body)], [200, { name: 'cam_xuc', ready: true }]);

      // a second model registered later: not ready, but start-up stays done for good
      const b = mo_hinh_giu();
      ln.dang_ky_model('tên mô hình', b.model, { du_lieu_mau: 'x' });
      assert.equal((await goi(`${u}/readyz`)).status, 503);
      assert.equal((await goi(`${u}/startupz`)).status, 200);
      assert.equal((await goi(`${u}/v2/health/ready`)).status, 503);
      const enc = `${u}/v2/models/${encodeURIComponent('tên mô hình')}/ready`;
      assert.deepEqual(JSON.parse((await goi(enc)).body), { name: 'tên mô hình', ready: false });
      assert.equal((await goi(enc)).status, 503);
      b.mo();
      await ln.lam_nong('tên mô hình');
      assert.equal((await goi(enc)).status, 200);
      assert.equal((await goi(`${u}/v2/health/ready`)).status, 200);

      // methods
      const head = await goi(`${u}/v2/models/cam_xuc/ready`, { method: 'HEAD' });
      assert.deepEqual([head.status, head.body], [200, '']);
      const post = await goi(`${u}/v2/health/ready`, { method: 'POST' });
      assert.deepEqual([post.status, post.headers.allow], [405, 'GET, HEAD']);
      assert.equal((await goi(`${u}/startupz`, { method: 'DELETE' })).status, 405);

      // draining: server readiness drops at once, liveness stays
      h.bat_dau_tat();
      assert.equal((await goi(`${u}/v2/health/ready`)).status, 503);
      assert.equal((await goi(`${u}/v2/health/live`)).status, 200);
      assert.equal((await goi(`${u}/startupz`)).status, 200);
    });

    it('without lam_nong the V2 paths are the app\'s; without marked checks /startupz is 200 at once; paths can move or go', async () => {
      h.dang_ky_check('db', () => true);
      ung = await tao({ suc_khoe: h, duong_dan: { startupz: '/khoi-dong' } });
      assert.equal((await goi(`${ung.url}/v2/health/live`)).body, 'app');
      assert.equal((await goi(`${ung.url}/v2/models/a/ready`)).body, 'app');
      assert.equal((await goi(`${ung.url}/startupz`)).body, 'app');
      assert.deepEqual([(await goi(`${ung.url}/khoi-dong`)).status, (await goi(`${ung.url}/khoi-dong`)).body], [200, 'ok\n']);
      await ung.dong();
      ung = await tao({ suc_khoe: h, duong_dan: { startupz: false } });
      assert.equal((await goi(`${ung.url}/startupz`)).body, 'app');
    });
  });
}

describe('instrumentation: V2 endpoints with a LamNongModel alone, and path clashes', function () {
  let ung: { url: string; s: Server } | undefined;
  afterEach(async () => {
    if (ung !== undefined) await dong(ung.s);
    ung = undefined;
  });

  it('live is 200 (the process answered), ready follows the models; /startupz needs health checks; bad escapes are 404', async () => {
    const ln = new LamNongModel();
    ln.dang_ky_model('m', () => 1, { du_lieu_mau: 1 });
    const s = createServer(boc_xu_ly_http((_req, res) => res.end('app'), { lam_nong: ln }));
    ung = { url: await nghe(s), s };
    assert.equal((await goi(`${ung.url}/v2/health/live`)).status, 200);
    assert.equal((await goi(`${ung.url}/v2/health/ready`)).status, 503);
    await ln.lam_nong('m');
    assert.equal((await goi(`${ung.url}/v2/health/ready`)).status, 200);
    assert.equal((await goi(`${ung.url}/v2/models/%E0%A4%A/ready`)).status, 404);
    assert.equal((await goi(`${ung.url}/v2/models/m/versions/1/ready`)).body, 'app');
    assert.equal((await goi(`${ung.url}/startupz`)).body, 'app');
  });

  it('a probe path that takes a V2 path is refused at once', () => {
    const ln = new LamNongModel();
    const h = new KiemTraSucKhoe();
    try {
      assert.throws(() => boc_xu_ly_http(() => {}, { suc_khoe: h, lam_nong: ln, duong_dan: { readyz: '/v2/health/ready' } }), /Open Inference Protocol/);
    } finally {
      h.dong();
    }
  });
});
