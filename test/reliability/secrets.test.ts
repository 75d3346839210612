/**
 * Secrets (bí mật, issue 7): what must never leave the process.
 * - default redaction of secret-looking keys in log lines, in the OTel log
 *   records, and in span attributes (the SDK's `che_khoa`);
 * - secret query parameters of real HTTP requests reach no span, no log line,
 *   no log record and no metric label;
 * - `/healthz` shows check detail and system info only with `?verbose`, and
 *   probes can live on a separate port so the public one shows nothing;
 * - log injection: newlines, CR, LS/PS, ANSI escapes and fake JSON cannot
 *   forge a line (every line is one JSON object, one line per call, and
 *   levels/loggers are exactly the ones called);
 * - the resource (`target_info`) never carries the process command line.
 *
 * Every secret below is a unique sentinel `BIMAT_<n>`, so "not leaked" is a
 * plain substring search over everything an exporter received.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { trace } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  KiemTraSucKhoe,
  LoggerCauTruc,
  khoi_dong_sdk,
  voi_context,
  type BoNhoLogExporter,
  type BoNhoSpanExporter,
  type SdkDangChay,
} from '../../src/index.js';
import express from 'express';
import Fastify from 'fastify';
import { CONTENT_TYPE_HEALTH_JSON, boc_xu_ly_http, gan_express, gan_fastify, tao_may_chu_tham_do } from '../../instrumentation/index.js';
import { bo_thu_log, goi_tho } from './support/abuse.js';

const REPO = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** The LoggerCauTruc name of an OTel record: a scope attribute (or, in older builds, a record attribute). */
function ten_logger(r: ReadableLogRecord): unknown {
  return r.attributes['logger.name'] ?? (r.instrumentationScope as { attributes?: Record<string, unknown> }).attributes?.['logger.name'];
}

/** Everything in `x` as text (BigInt-safe), for substring searches. */
function chu(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function khong_lo(text: string, noi: string): void {
  const m = /BIMAT_\d+/.exec(text);
  assert.equal(m, null, `${noi} leaks ${m?.[0]}: …${m === null ? '' : text.slice(Math.max(0, m.index - 120), m.index + 40)}…`);
}

/** Data full of secret-looking keys (every spelling the rule covers) next to keys that must stay. */
function du_lieu_bi_mat(): Record<string, unknown> {
  const loi = Object.assign(new Error('upstream refused'), { password: 'BIMAT_10', ma: 'E42' });
  return {
    password: 'BIMAT_1',
    apiKey: 'BIMAT_2',
    'X-Api-Key': 'BIMAT_3',
    Authorization: 'Bearer BIMAT_4',
    access_token: 'BIMAT_5',
    refreshToken: 'BIMAT_6',
    'set-cookie': ['sid=BIMAT_7'],
    db: { password: 'BIMAT_8', host: 'db.local', nested: [{ client_secret: 'BIMAT_9' }] },
    loi,
    m: new Map([['private_key', 'BIMAT_11']]),
    credentials: { user: 'an', pass: 'BIMAT_12' },
    // kept: a key merely containing a term is not a secret
    token_count: 42,
    prompt_tokens: 7,
    max_tokens: 512,
    author: 'Nguyễn',
  };
}

describe('reliability/secrets: redaction, HTTP queries, verbose-only detail, log injection, command line', function () {
  this.timeout(30_000);
  let sdk: SdkDangChay | undefined;
  afterEach(async () => {
    await sdk?.tat();
    sdk = undefined;
  });
  const spans = () => (sdk!.exporters.traces[0] as BoNhoSpanExporter).lay_spans();
  const records = () => (sdk!.exporters.logs[0] as BoNhoLogExporter).lay_logs();
  const bat_sdk = (http = false): SdkDangChay => (sdk = khoi_dong_sdk({ traces_exporter: 'memory', logs_exporter: 'memory', metrics_exporter: 'prometheus', http })!);

  it('log lines AND OTel log records: secret-looking keys redacted by default at any depth (data, context, request context, exceptions, Maps); token counts kept', async () => {
    bat_sdk();
    const thu = bo_thu_log();
    const lg = new LoggerCauTruc({ ten: 'bi-mat', output: thu.w, context_mac_dinh: { service_token: 'BIMAT_20', region: 'hn' } });
    lg.them_context({ db_password: 'BIMAT_21' });
    lg.info('goi api', du_lieu_bi_mat());
    voi_context({ session_cookie: 'BIMAT_22', request_id: 'r-1' }, () => lg.warning('trong request', { nested: { apikey: 'BIMAT_23' } }));
    lg.error('that bai', { secret: 'BIMAT_24' }, Object.assign(new Error('boom'), { token: 'BIMAT_25' }));
    lg.log_model_event('loaded', 'phobert', { hf_token: 'BIMAT_26', size_mb: 540 });
    assert.ok(await lg.flush());
    await sdk!.flush();

    khong_lo(thu.text(), 'the log lines');
    const ds = thu.dong();
    assert.equal(ds.length, 4);
    const d0 = ds[0]!.data as Record<string, unknown>;
    for (const k of ['password', 'apiKey', 'X-Api-Key', 'Authorization', 'access_token', 'refreshToken', 'set-cookie', 'credentials']) assert.equal(d0[k], '[REDACTED]', k);
    assert.deepEqual([d0.token_count, d0.prompt_tokens, d0.max_tokens, d0.author], [42, 7, 512, 'Nguyễn'], 'non-secrets kept');
    assert.equal((d0.db as { host: string }).host, 'db.local');
    assert.equal(ds[0]!.service_token, '[REDACTED]');
    assert.equal(ds[0]!.region, 'hn');
    assert.equal(ds[1]!.request_id, 'r-1');
    assert.equal(lg.thong_ke().context.db_password, '[REDACTED]', 'thong_ke() shows the context redacted too');

    const rs = records().filter((r) => ten_logger(r) === 'bi-mat');
    assert.equal(rs.length, 4, 'one OTel record per line');
    khong_lo(chu(rs.map((r) => ({ body: r.body, attributes: r.attributes }))), 'the OTel log records');
    assert.equal(rs[0]!.attributes.password, '[REDACTED]');
    assert.equal(rs[0]!.attributes.service_token, '[REDACTED]');
    assert.equal(rs[0]!.attributes.token_count, 42);
    await lg.dong();
  });

  it('span attributes and event attributes: redacted by the SDK (che_khoa) before any exporter', async () => {
    bat_sdk();
    const t = trace.getTracer('bi-mat');
    const s = t.startSpan('goi-api', {
      attributes: { 'db.password': 'BIMAT_30', 'http.request.header.authorization': ['Bearer BIMAT_31'], 'llm.api_key': 'BIMAT_32', 'gen_ai.usage.input_tokens': 12 },
    });
    s.setAttribute('user.password', 'BIMAT_34');
    s.setAttributes({ 'client.secret': 'BIMAT_35', 'url.full': 'https://api.local/v1?model=x&api_key=BIMAT_36' });
    s.addEvent('dang-nhap', { access_token: 'BIMAT_37', user: 'an' });
    s.end();
    await sdk!.flush();
    const sp = spans().find((x) => x.name === 'goi-api')!;
    assert.equal(sp.attributes['gen_ai.usage.input_tokens'], 12, 'token counts kept');
    assert.equal(sp.events[0]!.attributes!.user, 'an');
    assert.match(String(sp.attributes['url.full']), /model=x&api_key=%5BREDACTED%5D/);
    khong_lo(chu({ a: sp.attributes, e: sp.events }), 'span and event attributes');
  });

  it('span LINK attributes: redacted by the SDK (che_khoa) as well', async () => {
    bat_sdk();
    const t = trace.getTracer('bi-mat');
    const cha = t.startSpan('cha');
    const s = t.startSpan('retry', { links: [{ context: cha.spanContext(), attributes: { 'upstream.token': 'BIMAT_33', ly_do: 'retry' } }] });
    s.addLink({ context: cha.spanContext(), attributes: { api_key: 'BIMAT_38' } });
    s.end();
    cha.end();
    await sdk!.flush();
    const sp = spans().find((x) => x.name === 'retry')!;
    assert.equal(sp.links.length, 2);
    assert.equal(sp.links[0]!.attributes!.ly_do, 'retry');
    khong_lo(chu(sp.links), 'span link attributes');
  });

  it('secrets in URL query strings of real HTTP requests reach no span, log line, log record or metric label', async () => {
    bat_sdk(true);
    const thu = bo_thu_log();
    const lg = new LoggerCauTruc({ ten: 'http-bi-mat', output: thu.w });
    // An upstream the app calls with a secret in the query (a client span).
    const upstream = createServer((_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const upPort = (upstream.address() as AddressInfo).port;
    const h = new KiemTraSucKhoe({ thoi_gian_cache: 0 });
    h.dang_ky_check('db', () => true);
    const server = createServer(
      boc_xu_ly_http(
        (_req, res) => {
          const r = request(`http://127.0.0.1:${upPort}/v1/models?apiKey=BIMAT_40&api_key=BIMAT_41&model=phobert`, { agent: false }, (up) => {
            up.resume();
            up.on('end', () => res.end('ok'));
          });
          r.on('error', () => res.end('upstream down'));
          r.end();
        },
        { suc_khoe: h, logger: lg },
      ),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const q = 'q=xin+ch%C3%A0o&api_key=BIMAT_42&access_token=BIMAT_43&Password=BIMAT_44&api%5Fkey=BIMAT_45&client-secret=BIMAT_46';
      const r = await goi_tho(port, `GET /du-doan?${q} HTTP/1.1`, { Authorization: 'Bearer BIMAT_47', Cookie: 'sid=BIMAT_48' });
      assert.equal(r.status, 200);
      const p = await goi_tho(port, 'GET /healthz?token=BIMAT_49 HTTP/1.1');
      assert.equal(p.status, 200);
      assert.ok(await lg.flush());
      await sdk!.flush();

      const ds = spans();
      assert.ok(ds.length >= 2, `server and client spans: ${ds.map((s) => s.name).join(', ')}`);
      khong_lo(chu(ds.map((s) => ({ n: s.name, a: s.attributes, e: s.events, st: s.status }))), 'the HTTP spans');
      const tatCa = chu(ds.map((s) => s.attributes));
      assert.match(tatCa, /model=phobert/, 'other parameters are kept');
      assert.match(tatCa, /\/du-doan/, 'the path is kept');
      khong_lo(thu.text(), 'the request log lines');
      const dong = thu.dong();
      assert.equal(dong.length, 1, 'one request line (the probe is not logged)');
      assert.equal((dong[0]!.data as { path: string }).path, '/du-doan', 'the request log writes the path without its query');
      khong_lo(chu(records().map((x) => ({ b: x.body, a: x.attributes }))), 'the OTel log records');
      khong_lo(await sdk!.export_prometheus(), 'the Prometheus exposition');
    } finally {
      server.closeAllConnections();
      upstream.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => upstream.close(() => r()));
      h.dong();
      await lg.dong();
    }
  });

  it('/healthz: check detail (error text) and system info only with ?verbose, in JSON and health+json; probes on a separate port leave the public port bare', async () => {
    const h = new KiemTraSucKhoe({ thoi_gian_cache: 0, ten: 'bi-mat-probe' });
    h.dang_ky_check('db', () => Promise.reject(new Error('connect ECONNREFUSED 10.9.8.7:5432 user=svc password=BIMAT_50')), 'postgres at 10.9.8.7', false);
    // The public app: no probe endpoints at all (metrics off too: their labels are internal).
    const app = createServer(boc_xu_ly_http((_req, res) => res.writeHead(404).end('not here'), { duong_dan: { metrics: false } }));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const appPort = (app.address() as AddressInfo).port;
    const tham_do = await tao_may_chu_tham_do({ port: 0, host: '127.0.0.1', suc_khoe: h });
    try {
      const noi_bo = [/BIMAT_50/, /10\.9\.8\.7/, /ECONNREFUSED/, /chi_tiet/, /he_thong/, /node_version/, /"pid"/, /memory_total_mb/, /disk_free_gb/, new RegExp(process.version.replace(/\./g, '\\.'))];
      const gon = await goi_tho(tham_do.port, 'GET /healthz HTTP/1.1');
      assert.equal(gon.status, 200, 'a failing non-critical check: degraded, 200');
      assert.equal((JSON.parse(gon.body) as { trang_thai: string }).trang_thai, 'degraded');
      for (const re of noi_bo) assert.doesNotMatch(gon.body, re, `without ?verbose: ${re}`);
      const hj = await goi_tho(tham_do.port, 'GET /healthz HTTP/1.1', { Accept: 'application/health+json' });
      assert.equal(hj.headers['content-type'], CONTENT_TYPE_HEALTH_JSON);
      assert.deepEqual(JSON.parse(hj.body), { status: 'warn' });
      for (const p of ['/readyz', '/livez']) {
        const r = await goi_tho(tham_do.port, `GET ${p} HTTP/1.1`);
        assert.equal(r.body, 'ok\n', `${p} without ?verbose is a word`);
      }

      const chi_tiet = await goi_tho(tham_do.port, 'GET /healthz?verbose HTTP/1.1');
      const o = JSON.parse(chi_tiet.body) as { chi_tiet: { db: { loi: string } }; he_thong: { node_version: string; pid: number } };
      assert.match(o.chi_tiet.db.loi, /ECONNREFUSED/, 'with ?verbose: the detail is there');
      assert.ok(o.he_thong.node_version.includes(process.versions.node), 'with ?verbose: system info is there');
      assert.equal(o.he_thong.pid, process.pid);
      const hjv = JSON.parse((await goi_tho(tham_do.port, 'GET /healthz?verbose=1 HTTP/1.1', { Accept: 'application/health+json' })).body) as { checks: Record<string, unknown> };
      assert.ok('db:responseTime' in hjv.checks && 'memory:utilization' in hjv.checks);

      for (const p of ['/healthz?verbose', '/readyz?verbose', '/livez?verbose', '/metrics']) {
        const r = await goi_tho(appPort, `GET ${p} HTTP/1.1`);
        assert.deepEqual([r.status, r.body], [404, 'not here'], `the public port answers ${p} with the app's 404`);
      }
    } finally {
      await tham_do.dong();
      app.closeAllConnections();
      await new Promise<void>((r) => app.close(() => r()));
      h.dong();
    }
  });

  it('log injection: \\n, \\r, LS/PS, NEL, ANSI escapes, NUL, lone surrogates and fake JSON cannot forge a line (one JSON object per call, levels and loggers exactly as called, values round-trip)', async () => {
    bat_sdk();
    const thu = bo_thu_log();
    const doc = [
      'a\nb',
      'a\rb',
      'a\r\nb',
      'a\u2028b\u2029c',
      'a\u0085b',
      '\x1b[31mđỏ\x1b[0m \x1b]0;title\x07',
      'nul\0byte',
      'lone \ud800 surrogate',
      '"}\n{"timestamp":"2020-01-01T00:00:00.000Z","level":"CRITICAL","logger":"admin","message":"forged"}',
      '\\"}\r\n{"level":"CRITICAL"}',
    ];
    const ten_doc = 'bi-mat\n{"level":"CRITICAL"}';
    const lg = new LoggerCauTruc({ ten: 'tiem', output: thu.w, cap_do: 'DEBUG' });
    const lg2 = new LoggerCauTruc({ ten: ten_doc, output: thu.w });
    const mong_doi: Array<[string, string]> = [];
    const goi = (l: LoggerCauTruc, level: string, f: () => void): void => {
      f();
      mong_doi.push([level, l.ten]);
    };
    lg.them_context({ ctx: doc[8]! });
    for (const p of doc) {
      goi(lg, 'INFO', () => lg.info(p, { v: p, [p]: 1, ds: [p], o: { p } }));
      goi(lg, 'WARNING', () => lg.warning(`x${p}`));
      goi(lg, 'ERROR', () => lg.error(p, undefined, new Error(p)));
      goi(lg, 'INFO', () => lg.log_request(p, p, `/a${p}`, 200, 1));
      goi(lg, 'INFO', () => lg.log_model_event(p, p, { [p]: p }));
      goi(lg2, 'INFO', () => lg2.info(p));
      goi(lg, 'DEBUG', () => voi_context({ rid: p }, () => lg.debug('ctx')));
    }
    assert.ok(await lg.flush());
    assert.ok(await lg2.flush());
    const text = thu.text();
    for (const c of ['\r', '\0', '\x1b', '\x07']) assert.ok(!text.includes(c), `no raw ${JSON.stringify(c)} reaches the output`);
    const ds = thu.dong();
    assert.equal(ds.length, mong_doi.length, 'exactly one line per log call');
    assert.deepEqual(
      ds.map((l) => [l.level, l.logger]),
      mong_doi,
      'every line is the level and logger that was called: nothing forged',
    );
    // Values round-trip: the line holds the hostile text as data, losslessly.
    const info = ds.filter((l) => l.logger === 'tiem' && l.level === 'INFO' && (l.data as { v?: unknown }).v !== undefined);
    assert.equal(info.length, doc.length);
    for (const [i, l] of info.entries()) {
      assert.equal(l.message, doc[i], `message ${i} round-trips`);
      assert.equal((l.data as { v: string }).v, doc[i], `value ${i} round-trips`);
    }
    assert.equal(ds[0]!.ctx, doc[8]);
    assert.ok(
      ds.every((l) => l.message !== 'forged'),
      'no line is the forged one',
    );
    await sdk!.flush();
    const rs = records().filter((r) => ten_logger(r) === 'tiem' || ten_logger(r) === ten_doc);
    assert.equal(rs.length, mong_doi.length, 'one OTel record per call as well');
    await lg.dong();
    await lg2.dong();
  });

  it('request logs: an absolute-form request line (http://user:password@host/path) and a #fragment leak no userinfo or fragment, on node:http, express and fastify (D7)', async () => {
    const thu = bo_thu_log();
    const lg = new LoggerCauTruc({ ten: 'http-userinfo', output: thu.w, otel: false });
    const h = new KiemTraSucKhoe({ thoi_gian_cache: 0 });
    const goc = createServer(boc_xu_ly_http((_req, res) => res.end('ok'), { suc_khoe: h, logger: lg }));
    await new Promise<void>((r) => goc.listen(0, '127.0.0.1', r));
    const app = express();
    gan_express(app, { suc_khoe: h, logger: lg });
    app.use((_req, res) => {
      res.send('ok');
    });
    const ex = await new Promise<Server>((r) => {
      const x = app.listen(0, '127.0.0.1', () => r(x));
    });
    const fa = Fastify();
    gan_fastify(fa, { suc_khoe: h, logger: lg });
    fa.all('/*', async () => 'ok');
    await fa.listen({ port: 0, host: '127.0.0.1' });
    try {
      const cong = [goc.address(), ex.address(), fa.server.address()].map((a) => (a as AddressInfo).port);
      for (const p of cong) {
        await goi_tho(p, 'GET http://admin:BIMAT_60@127.0.0.1/app/x?token=BIMAT_61 HTTP/1.1');
        await goi_tho(p, 'GET /app/y#BIMAT_63 HTTP/1.1');
      }
      assert.ok(await lg.flush());
      khong_lo(thu.text(), 'the request log lines');
      const duong = thu.dong().map((l) => (l.data as { path: string }).path);
      assert.equal(duong.length, 6, thu.text());
      for (let i = 0; i < 6; i += 2) {
        assert.equal(duong[i], '/app/x', 'the absolute form logs its path alone');
        assert.equal(duong[i + 1], '/app/y', 'the fragment is gone');
      }
    } finally {
      goc.closeAllConnections();
      ex.closeAllConnections();
      await new Promise<void>((r) => goc.close(() => r()));
      await new Promise<void>((r) => ex.close(() => r()));
      await fa.close();
      await lg.dong();
      h.dong();
    }
  });

  it('a check that throws an object with secret-looking keys: redacted in the span event suc_khoe.check.loi and in ?verbose output, like log data (D8)', async () => {
    bat_sdk();
    const h = new KiemTraSucKhoe({ thoi_gian_cache: 0, ten: 'd8' });
    h.dang_ky_check('db', () => Promise.reject({ password: 'BIMAT_70', nested: { api_key: 'BIMAT_71' }, host: 'db.local' }), 'db', false);
    const tham_do = await tao_may_chu_tham_do({ port: 0, host: '127.0.0.1', suc_khoe: h });
    try {
      const kq = await h.kiem_tra();
      assert.match(kq.chi_tiet.db!.loi ?? '', /db\.local/, 'the rest of the object is there');
      khong_lo(chu(kq), 'the check result');
      const v = await goi_tho(tham_do.port, 'GET /healthz?verbose HTTP/1.1');
      assert.match(v.body, /\[REDACTED\]/);
      khong_lo(v.body, '?verbose output');
      await sdk!.flush();
      const ev = chu(spans().map((x) => x.events));
      assert.match(ev, /suc_khoe\.check\.loi/, 'the span event is there');
      khong_lo(ev, 'the span events');
    } finally {
      await tham_do.dong();
      h.dong();
    }
  });

  it('the default rule covers the common secret names (secret_key, aws_secret_access_key, session_id, jwt, auth, bearer, passphrase, credential, cookies, accesstoken, XAPIKey) and still keeps token counts', async () => {
    const thu = bo_thu_log();
    const lg = new LoggerCauTruc({ ten: 'ten-bi-mat', output: thu.w, otel: false });
    const bi_mat = ['secret_key', 'aws_secret_access_key', 'session_id', 'sessionId', 'jwt', 'auth', 'bearer', 'passphrase', 'credential', 'cookies', 'accesstoken', 'XAPIKey', 'csrfToken'];
    const giu = { token_count: 1, prompt_tokens: 2, max_tokens: 3, author: 'An', session_count: 4, key_id: 'k1' };
    lg.info('tên', { ...Object.fromEntries(bi_mat.map((k, i) => [k, `BIMAT_${80 + i}`])), ...giu });
    assert.ok(await lg.flush());
    khong_lo(thu.text(), 'the log line');
    const data = thu.dong()[0]!.data as Record<string, unknown>;
    for (const k of bi_mat) assert.equal(data[k], '[REDACTED]', k);
    for (const [k, v] of Object.entries(giu)) assert.equal(data[k], v, k);
    await lg.dong();
  });

  it('tao_may_chu_tham_do binds 127.0.0.1 unless told otherwise (like the demo)', async () => {
    const h = new KiemTraSucKhoe({ thoi_gian_cache: 0 });
    const td = await tao_may_chu_tham_do({ port: 0, suc_khoe: h });
    try {
      assert.equal(td.host, '127.0.0.1');
      assert.equal((td.server.address() as AddressInfo).address, '127.0.0.1');
    } finally {
      await td.dong();
      h.dong();
    }
  });

  it("the resource (target_info, span resource) never carries the process command line, even one holding a secret flag", async function () {
    // In this process: no command-line attribute, none of argv after the executable.
    bat_sdk();
    trace.getTracer('bi-mat').startSpan('x').end();
    await sdk!.flush();
    const text = await sdk!.export_prometheus();
    const ti = text.split('\n').find((l) => l.startsWith('target_info{'));
    assert.ok(ti !== undefined, 'target_info is exported');
    assert.doesNotMatch(ti, /process_command/);
    const res = spans()[0]!.resource.attributes;
    for (const k of Object.keys(res)) assert.ok(!k.startsWith('process.command'), k);
    for (const a of process.argv.slice(1)) if (a.length > 3) assert.ok(!ti.includes(a) && !chu(res).includes(a), `argv ${a} in the resource`);

    // A real child started with a token on its command line.
    const ma = `
      const { khoi_dong_sdk } = await import(${JSON.stringify(join(REPO, 'src/index.ts'))});
      const { trace } = await import('@opentelemetry/api');
      const sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'prometheus', http: false });
      trace.getTracer('x').startSpan('x').end();
      await sdk.flush();
      const t = await sdk.export_prometheus();
      console.log(JSON.stringify({ ti: t.split('\\n').filter((l) => l.startsWith('target_info')), res: sdk.exporters.traces[0].lay_spans()[0].resource.attributes, argv: process.argv }));
      await sdk.tat();
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', ma, '--', '--api-token=BIMAT_60', 'password=BIMAT_61'], { cwd: REPO, timeout: 20_000 });
    const ra = JSON.parse(stdout.trim().split('\n').pop()!) as { ti: string[]; res: Record<string, unknown>; argv: string[] };
    assert.ok(ra.argv.includes('--api-token=BIMAT_60'), 'the child really had the secret on its command line');
    assert.equal(ra.ti.length, 1);
    khong_lo(ra.ti[0]!, 'the child target_info');
    khong_lo(chu(ra.res), 'the child span resource');
  });
});
