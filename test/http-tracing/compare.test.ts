/**
 * The lean diagnostics_channel instrumentation (src/http-tracing) against
 * OpenTelemetry's instrumentation-http and instrumentation-undici: the same
 * requests through each, under the real SDK, and the spans compared attribute
 * by attribute (name, kind, parent, status, semantic-convention attributes,
 * exception events) and the duration metrics series by series. Only ids,
 * times, ports and the instrumentation scope may differ.
 *
 * The scenario covers a node:http server reading a body with listeners (so
 * the request's context must reach them), a route set through OTel's RPC
 * metadata (as frameworks do), node:http client calls (success, redacted
 * signed query, a refused connection), fetch calls (success, a 503), a
 * non-standard method, and an ignored probe path.
 */
import assert from 'node:assert/strict';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, type Attributes } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { SCOPE_HTTP } from '../../src/http-tracing/index.js';
import { BoNhoSpanExporter, khoi_dong_sdk, type KieuInstrumentationHttp, type TuyChonSdk } from '../../src/index.js';
import { dong, goi, nghe } from '../instrumentation/support.js';

interface Ports {
  a: number;
  b: number;
  closed: number;
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

function getBody(url: string): Promise<void> {
  return new Promise((resolve) => {
    http.get(url, { agent: false, headers: { 'user-agent': 'so-sanh/1.0' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
  });
}

/** Runs the scenario under one implementation; returns the spans and the duration metric points. */
async function run(kieu: KieuInstrumentationHttp): Promise<{ spans: ReadableSpan[]; points: { name: string; attrs: Attributes; count: number }[]; ports: Ports }> {
  const sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'none', instrumentation_http: kieu })!;
  const servers: Server[] = [];
  try {
    const b = http.createServer((req, res) => {
      req.resume();
      res.writeHead(req.url?.startsWith('/loi') === true ? 503 : 200, { 'content-type': 'text/plain' }).end('b');
    });
    const urlB = await nghe(b);
    const closed = await closedPort();
    const a = http.createServer((req, res) => {
      const rpc = getRPCMetadata(context.active()) as { route?: string } | undefined;
      if (rpc !== undefined) rpc.route = '/hoi';
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        // In the body's 'end' listener: the calls must still be children of A's SERVER span.
        http.get(`${urlB}/ok?model=x&sig=BIMAT`, { agent: false }, (r) => {
          r.resume();
          r.on('end', () => {
            void fetch(`${urlB}/loi?n=${body.length}`, { method: 'POST', body })
              .then((f) => f.text())
              .then(() => {
                const bad = http.request(`http://127.0.0.1:${closed}/khong`, { agent: false });
                bad.on('error', () => res.writeHead(200).end('a'));
                bad.end();
              });
          });
        });
      });
    });
    const urlA = await nghe(a);
    servers.push(a, b);
    assert.equal((await goi(`${urlA}/hoi?q=1&sig=BIMAT2`, { method: 'POST', headers: { 'user-agent': 'so-sanh/1.0', 'content-type': 'text/plain' } })).status, 200);
    assert.equal((await goi(`${urlA}/livez`)).status, 200);
    assert.equal((await goi(`${urlB}/xoa`, { method: 'PURGE' })).status, 200);
    await getBody(`${urlB}/ok`);
    await sdk.flush();
    const rm = await sdk.thu_thap_va_xuat();
    const points = rm.scopeMetrics
      .flatMap((s) => s.metrics)
      .filter((m) => m.descriptor.name.startsWith('http.') && m.descriptor.name.endsWith('.request.duration'))
      .flatMap((m) => m.dataPoints.map((p) => ({ name: m.descriptor.name, attrs: p.attributes, count: (p.value as { count: number }).count })));
    const portOf = (u: string) => Number(new URL(u).port);
    return { spans: (sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans(), points, ports: { a: portOf(urlA), b: portOf(urlB), closed } };
  } finally {
    await Promise.all(servers.map(dong));
    await sdk.tat();
  }
}

/** Ports and ephemeral values replaced by names, so two runs compare. */
function normalizer(ports: Ports): (key: string, v: unknown, server: boolean) => unknown {
  const names = new Map([
    [ports.a, 'PORT_A'],
    [ports.b, 'PORT_B'],
    [ports.closed, 'PORT_CLOSED'],
  ]);
  return (key, v, server) => {
    if (key === 'network.peer.port' && server) return 'EPHEMERAL';
    if (typeof v === 'number') return names.get(v) ?? v;
    if (typeof v === 'string') return v.replace(/:(\d{2,5})\b/g, (m, p: string) => (names.has(Number(p)) ? `:${names.get(Number(p))}` : m));
    return v;
  };
}

function describeSpans(spans: ReadableSpan[], ports: Ports): string[] {
  const norm = normalizer(ports);
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const label = (s: ReadableSpan): string => `${s.kind} ${s.name} ${String(norm('url.full', s.attributes['url.full'] ?? s.attributes['url.path'], false))}`;
  return spans
    .map((s) => {
      const server = s.kind === 1;
      const attrs = Object.fromEntries(
        Object.entries(s.attributes)
          .sort(([x], [y]) => x.localeCompare(y))
          .map(([k, v]) => [k, norm(k, v, server)]),
      );
      const parent = s.parentSpanContext === undefined ? 'ROOT' : byId.has(s.parentSpanContext.spanId) ? label(byId.get(s.parentSpanContext.spanId)!) : 'REMOTE?';
      const events = s.events.map((e) => ({ name: e.name, type: e.attributes?.['exception.type'], message: norm('', e.attributes?.['exception.message'], false) }));
      const status = { code: s.status.code, message: norm('', s.status.message, false) };
      return JSON.stringify({ span: label(s), parent, status, attrs, events });
    })
    .sort();
}

describe('http-tracing: the lean instrumentation makes the spans and metrics OpenTelemetry\'s instrumentations make', function () {
  this.timeout(20_000);

  it('node:http server and client, fetch: same spans attribute by attribute, same duration series', async () => {
    const otel = await run('otel');
    const lean = await run('diagnostics_channel');
    assert.equal(lean.spans.length, otel.spans.length, 'as many spans');
    // Not vacuous: every kind of call of the scenario is there.
    const names = otel.spans.map((s) => `${s.kind}:${s.name}`).sort();
    assert.deepEqual(names, [
      ...['2:POST', '1:POST /hoi'], // test -> A
      ...['2:GET', '1:GET'], // A -> B /ok (node:http)
      ...['2:POST', '1:POST'], // A -> B /loi (fetch, 503)
      '2:GET', // A -> refused port
      '2:GET', // test -> A /livez (no SERVER span: a probe) ...
      ...['1:GET', '1:POST'], // ... whose calls to B make no CLIENT spans (tracing suppressed), so B's spans are roots
      ...['2:PURGE', '1:PURGE'], // test -> B, a non-standard method
      ...['2:GET', '1:GET'], // http.get -> B /ok
    ].sort(), names.join(', '));
    assert.deepEqual(describeSpans(lean.spans, lean.ports), describeSpans(otel.spans, otel.ports));
    const series = (r: typeof otel) => {
      const norm = normalizer(r.ports);
      return r.points.map((p) => JSON.stringify({ name: p.name, count: p.count, attrs: Object.fromEntries(Object.entries(p.attrs).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, norm(k, v, false)])) })).sort();
    };
    assert.ok(series(otel).length >= 5, series(otel).join('\n'));
    assert.deepEqual(series(lean), series(otel));
  });

  for (const [ten, tuy_chon, scope] of [
    ['by default', {}, SCOPE_HTTP],
    ['an HttpInstrumentationConfig object given as `http` (only OTel\'s honours its hooks)', { http: { requireParentforIncomingSpans: false } }, '@opentelemetry/instrumentation-http'],
  ] as [string, TuyChonSdk, string][]) {
    it(`${ten}: the SERVER span comes from ${scope}`, async () => {
      const sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'none', ...tuy_chon })!;
      const s = http.createServer((_q, r) => r.end('ok'));
      try {
        const url = await nghe(s);
        await goi(`${url}/x`);
        await sdk.flush();
        const server = (sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans().filter((x) => x.kind === 1);
        assert.deepEqual(server.map((x) => x.instrumentationScope.name), [scope]);
      } finally {
        await dong(s);
        await sdk.tat();
      }
    });
  }
});
