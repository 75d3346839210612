import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { KiemTraSucKhoe } from '../../src/health/index.js';
import { BoNhoSpanExporter, khoi_dong_sdk, type SdkDangChay } from '../../src/index.js';
import { CONTENT_TYPE_PROMETHEUS, gan_express, gan_fastify } from '../../instrumentation/index.js';
import { dem, dong, goi, logger_ghi } from './support.js';
import { assertValidExposition } from '../support/promtool.js';
import { waitFor } from '../support/wait.js';

const doi = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The same scenario against each framework. */
async function kich_ban(url: string, sdk: SdkDangChay, lg: ReturnType<typeof logger_ghi>, dat: { db: boolean; cache: boolean }): Promise<void> {
  // probes
  assert.equal((await goi(`${url}/livez`)).status, 200);
  assert.equal((await goi(`${url}/readyz`)).status, 200);
  dat.cache = false;
  const deg = await goi(`${url}/healthz`);
  assert.equal(deg.status, 200);
  assert.equal(JSON.parse(deg.body).trang_thai, 'degraded');
  assert.equal(JSON.parse(deg.body).chi_tiet, undefined);
  dat.db = false;
  assert.equal((await goi(`${url}/readyz`)).status, 503);
  const un = await goi(`${url}/healthz?verbose`);
  assert.equal(un.status, 503);
  assert.equal(JSON.parse(un.body).chi_tiet.db.trang_thai, 'fail');
  assert.ok(JSON.parse(un.body).he_thong.pid > 0);
  const hj = await goi(`${url}/healthz`, { headers: { accept: 'application/health+json' } });
  assert.equal(hj.status, 503);
  assert.deepEqual(JSON.parse(hj.body), { status: 'fail' });
  assert.match(String(hj.headers['content-type']), /^application\/health\+json/);
  const head = await goi(`${url}/livez`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  const del = await goi(`${url}/readyz`, { method: 'DELETE' });
  assert.equal(del.status, 405);
  assert.equal(del.headers.allow, 'GET, HEAD');

  // app routes
  const r = await goi(`${url}/api/users/42?key=secret`, { headers: { 'x-request-id': 'abc-1' } });
  assert.equal(r.status, 200);
  assert.equal(r.body, 'user 42');
  assert.equal(r.headers['x-request-id'], 'abc-1');
  assert.equal((await goi(`${url}/khong-co`)).status, 404);
  await waitFor(() => lg.dong.length >= 2, 5000, 'two request log lines', 10);

  const m = await goi(`${url}/metrics`);
  assert.equal(m.status, 200);
  assert.equal(m.headers['content-type'], CONTENT_TYPE_PROMETHEUS);
  await assertValidExposition(m.body);
  // two app requests, measured once each (by the OTel instrumentation), the route named
  assert.equal(dem(m.body, 'http_server_request_duration_seconds'), 2, m.body);
  assert.equal(dem(m.body, 'http_server_request_duration_seconds', /http_route="\/api\/users\/:id"/), 1);

  await sdk.flush();
  const spans = (sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans().filter((s) => s.kind === SpanKind.SERVER);
  assert.deepEqual(spans.map((s) => s.name).sort(), ['GET', 'GET /api/users/:id']);
  const sp = spans.find((s) => s.name === 'GET /api/users/:id')!;
  assert.equal(sp.attributes['http.route'], '/api/users/:id');

  assert.deepEqual(lg.dong.map((d) => [d.id === 'abc-1' ? 'abc-1' : 'gen', d.method, d.path, d.status]), [['abc-1', 'GET', '/api/users/42', 200], ['gen', 'GET', '/khong-co', 404]]);
  assert.equal(lg.dong[0]!.trace_id, sp.spanContext().traceId);
}

describe('instrumentation/frameworks: express 5 and fastify 5 on real servers with the SDK', function () {
  let sdk: SdkDangChay | undefined;
  let h: KiemTraSucKhoe | undefined;
  const dat = { db: true, cache: true };
  beforeEach(() => {
    dat.db = true;
    dat.cache = true;
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', logs_exporter: 'memory', metrics_exporter: 'prometheus' })!;
    h = new KiemTraSucKhoe({ thoi_gian_cache: 0 });
    h.dang_ky_check('db', () => dat.db, 'database', true);
    h.dang_ky_check('cache', () => dat.cache, 'cache', false);
  });
  afterEach(async () => {
    h?.dong();
    await sdk?.tat();
    sdk = undefined;
  });

  it('express: gan_express puts probes and request tracking in front of the routes', async () => {
    const lg = logger_ghi();
    const app = express();
    gan_express(app, { suc_khoe: h!, logger: lg });
    const r = express.Router();
    r.get('/users/:id', async (req, res) => {
      await doi(2);
      res.send(`user ${req.params.id}`);
    });
    app.use('/api', r);
    const server: Server = await new Promise((ok) => {
      const s = app.listen(0, '127.0.0.1', () => ok(s));
    });
    try {
      await kich_ban(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, sdk!, lg, dat);
    } finally {
      await dong(server);
    }
    assert.throws(() => gan_express({} as never), TypeError);
  });

  it('fastify: gan_fastify adds probe routes and an onRequest hook', async () => {
    const lg = logger_ghi();
    const app: FastifyInstance = Fastify();
    gan_fastify(app, { suc_khoe: h!, logger: lg });
    await app.register(
      async (sub) => {
        sub.get('/users/:id', async (req) => `user ${(req.params as { id: string }).id}`);
      },
      { prefix: '/api' },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await kich_ban(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, sdk!, lg, dat);
    } finally {
      await app.close();
    }
    assert.throws(() => gan_fastify({} as never), TypeError);
  });
});
