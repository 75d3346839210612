import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { KiemTraSucKhoe } from '../../src/health/index.js';
import { BoNhoSpanExporter, khoi_dong_sdk, pipeline_hoac_mac_dinh, type SdkDangChay } from '../../src/index.js';
import { boc_xu_ly_http, lay_request_id, tao_theo_doi_http } from '../../instrumentation/index.js';
import { dem, dong, goi, logger_ghi, nghe } from './support.js';
import { assertValidExposition } from '../support/promtool.js';
import { waitFor } from '../support/wait.js';


describe('instrumentation/request middleware on node:http', function () {
  let sdk: SdkDangChay | undefined;
  let server: Server | undefined;
  let h: KiemTraSucKhoe | undefined;
  afterEach(async () => {
    if (server !== undefined) await dong(server);
    server = undefined;
    h?.dong();
    await sdk?.tat();
    sdk = undefined;
  });

  const app = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void => {
    if (req.url?.startsWith('/loi')) {
      res.writeHead(500).end('boom');
      return;
    }
    setTimeout(() => res.end(`id=${lay_request_id(req)}`), 5);
  };

  it('with the SDK: one SERVER span per request (from OTel HTTP instrumentation), log_request carries its trace id, probes are neither traced nor logged', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', logs_exporter: 'memory', metrics_exporter: 'prometheus' })!;
    h = new KiemTraSucKhoe();
    const lg = logger_ghi();
    server = createServer(boc_xu_ly_http(app, { suc_khoe: h, logger: lg }));
    const url = await nghe(server);
    const r1 = await goi(`${url}/predict?token=s3cret`, { headers: { 'x-request-id': 'req-abc_123' } });
    assert.equal(r1.headers['x-request-id'], 'req-abc_123');
    assert.equal(r1.body, 'id=req-abc_123');
    const r2 = await goi(`${url}/loi`, { method: 'POST', headers: { 'x-request-id': 'has spaces "and quotes"' } });
    assert.equal(r2.status, 500);
    assert.match(String(r2.headers['x-request-id']), /^[0-9a-f-]{36}$/, 'an unsafe incoming id is replaced');
    const r3 = await goi(`${url}/predict`);
    assert.match(String(r3.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.notEqual(r3.headers['x-request-id'], r2.headers['x-request-id']);
    for (const p of ['/livez', '/readyz', '/healthz', '/metrics']) assert.equal((await goi(`${url}${p}`)).status, 200);
    await waitFor(() => lg.dong.length >= 3, 5000, 'three request log lines');
    await sdk.flush();

    const spans = (sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans().filter((s: ReadableSpan) => s.kind === SpanKind.SERVER);
    assert.equal(spans.length, 3, spans.map((s) => s.attributes['url.path']).join(','));
    assert.equal(lg.dong.length, 3);
    assert.deepEqual(lg.dong.map((d) => [d.method, d.path, d.status]), [['GET', '/predict', 200], ['POST', '/loi', 500], ['GET', '/predict', 200]]);
    assert.equal(lg.dong[0]!.id, 'req-abc_123');
    assert.equal(lg.dong[1]!.id, r2.headers['x-request-id']);
    for (const d of lg.dong) {
      assert.ok(d.trace_id !== undefined && /^[0-9a-f]{32}$/.test(d.trace_id));
      assert.ok(spans.some((s) => s.spanContext().traceId === d.trace_id), 'the logged trace id is the request span');
      assert.ok(d.ms > 0 && d.ms < 5000);
    }
    assert.doesNotMatch(JSON.stringify(lg.dong), /s3cret/);

    // The instrumentation records http.server.request.duration; the middleware does not record it again.
    const text = await sdk.export_prometheus();
    assert.equal(dem(text, 'http_server_request_duration_seconds'), 3, text);
    await assertValidExposition(text);
  });

  it('SDK with http: false: the middleware records http.server.request.duration itself, once per request, with semconv attributes', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', logs_exporter: 'memory', metrics_exporter: 'prometheus', http: false })!;
    const lg = logger_ghi();
    server = createServer(boc_xu_ly_http(app, { logger: lg }));
    const url = await nghe(server);
    await goi(`${url}/a`);
    await goi(`${url}/loi`);
    await goi(`${url}/b`, { method: 'PROPFIND' });
    await goi(`${url}/metrics`);
    await waitFor(() => lg.dong.length >= 3, 5000, 'three request log lines');
    const text = await sdk.export_prometheus();
    assert.equal(dem(text, 'http_server_request_duration_seconds'), 3, text);
    assert.equal(dem(text, 'http_server_request_duration_seconds', /http_response_status_code="500"/), 1);
    assert.match(text, /http_server_request_duration_seconds_count\{[^}]*error_type="500"/);
    assert.match(text, /http_request_method="_OTHER"/);
    assert.match(text, /url_scheme="http"/);
    assert.equal(lg.dong.length, 3);
    assert.equal(lg.dong[0]!.trace_id, undefined, 'no span without instrumentation');
    await assertValidExposition(text);
  });

  it('without any SDK: the embedded pipeline gets the duration metric; a throwing logger or handler breaks nothing', async () => {
    const truoc = dem(await pipeline_hoac_mac_dinh().export_prometheus(), 'http_server_request_duration_seconds');
    server = createServer(
      boc_xu_ly_http(
        (req, res) => {
          if (req.url === '/nem') throw new Error('handler bug');
          res.end('ok');
        },
        {
          logger: {
            log_request() {
              throw new Error('logger down');
            },
          },
        },
      ),
    );
    const url = await nghe(server);
    assert.equal((await goi(`${url}/x`)).body, 'ok');
    assert.equal((await goi(`${url}/nem`)).status, 500);
    const dem_sau = async (): Promise<number> => dem(await pipeline_hoac_mac_dinh().export_prometheus(), 'http_server_request_duration_seconds');
    await waitFor(async () => (await dem_sau()) - truoc >= 2, 5000, 'two recorded durations', 10);
    assert.equal((await dem_sau()) - truoc, 2);
  });

  it('tao_theo_doi_http: a client that goes away before the answer is logged as 499', async () => {
    const lg = logger_ghi();
    const td = tao_theo_doi_http({ logger: lg, do_thoi_gian: false });
    let den = false;
    server = createServer((req, res) => {
      td(req, res);
      den = true; // never answers
    });
    const url = await nghe(server);
    const { request } = await import('node:http');
    const rq = request(`${url}/cham`, { agent: false });
    rq.on('error', () => {});
    rq.end();
    // The client goes away once the server has the request (not after a fixed time it may not have reached it in).
    await waitFor(() => den, 5000, 'the request to reach the server', 5);
    rq.destroy();
    await waitFor(() => lg.dong.length > 0, 5000, 'the 499 log line', 10);
    assert.equal(lg.dong.length, 1);
    assert.equal(lg.dong[0]!.status, 499);
    assert.equal(lg.dong[0]!.path, '/cham');
  });
});
