/**
 * Global fetch (undici, Node's built-in HTTP client) under `khoi_dong_sdk()`:
 * two real local servers, A calling B with `fetch()`. The trace must cross:
 * A's SERVER span -> fetch CLIENT span -> B's SERVER span, with B receiving a
 * W3C traceparent whose parent is the CLIENT span, and the URL secrets of the
 * CLIENT span redacted like those of node:http spans.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { BoNhoSpanExporter, khoi_dong_sdk, type SdkDangChay, type TuyChonSdk } from '../../src/index.js';
import { SCOPE_HTTP, SCOPE_UNDICI } from '../../src/http-tracing/index.js';
import { dong, goi, nghe } from './support.js';

/** Both implementations (this SDK's default and OpenTelemetry's), with the scope names of their spans. */
const IMPLEMENTATIONS = [
  { kieu: 'diagnostics_channel', http: SCOPE_HTTP, undici: SCOPE_UNDICI },
  { kieu: 'otel', http: '@opentelemetry/instrumentation-http', undici: '@opentelemetry/instrumentation-undici' },
] as const;

/** B: records the headers it received; A: calls B with fetch and answers with B's status. */
async function haiMayChu(): Promise<{ urlA: string; nhanB: IncomingHttpHeaders[]; servers: Server[] }> {
  const nhanB: IncomingHttpHeaders[] = [];
  const b = createServer((req, res) => {
    nhanB.push(req.headers);
    res.setHeader('content-type', 'application/json');
    res.end('{"nhan":"tich_cuc"}');
  });
  const urlB = await nghe(b);
  const a = createServer((_req, res) => {
    fetch(`${urlB}/du-doan?model=phobert&api_key=BIMAT_FETCH_1`, { method: 'POST', body: '{"text":"tốt"}', headers: { 'content-type': 'application/json' } })
      .then(async (r) => {
        await r.text();
        res.writeHead(r.status).end('ok');
      })
      .catch(() => res.writeHead(502).end('fetch failed'));
  });
  const urlA = await nghe(a);
  return { urlA, nhanB, servers: [a, b] };
}

for (const impl of IMPLEMENTATIONS) describe(`instrumentation: global fetch (undici) crosses services (instrumentation_http: ${impl.kieu})`, () => {
  let sdk: SdkDangChay | undefined;
  let servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.map(dong));
    servers = [];
    await sdk?.tat();
    sdk = undefined;
  });

  async function chay(tuy_chon: TuyChonSdk): Promise<{ spans: ReadableSpan[]; nhanB: IncomingHttpHeaders[] }> {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'none', instrumentation_http: impl.kieu, ...tuy_chon })!;
    const m = await haiMayChu();
    servers = m.servers;
    assert.equal((await goi(`${m.urlA}/hoi`)).status, 200);
    await sdk.flush();
    return { spans: (sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans(), nhanB: m.nhanB };
  }

  it('by default: A SERVER -> fetch CLIENT -> B SERVER in one trace, traceparent from the CLIENT span, URL secrets redacted', async () => {
    const { spans, nhanB } = await chay({});
    const server = spans.filter((s) => s.kind === SpanKind.SERVER);
    // The test's own node:http request to A is a CLIENT span too (the root).
    const client = spans.filter((s) => s.kind === SpanKind.CLIENT && s.instrumentationScope.name !== impl.http);
    assert.equal(server.length, 2, `spans: ${spans.map((s) => `${s.name}/${s.kind}`).join(', ')}`);
    assert.equal(spans.length, 4, 'test client, A server, fetch client, B server: no second client span for the fetch call');
    assert.equal(client.length, 1, 'one CLIENT span for the fetch call');
    const [c] = client;
    assert.equal(c!.instrumentationScope.name, impl.undici);
    assert.equal(c!.attributes['http.request.method'], 'POST');
    assert.equal(c!.attributes['http.response.status_code'], 200);
    assert.equal(new Set(spans.map((s) => s.spanContext().traceId)).size, 1, 'one trace');
    const serverA = server.find((s) => s.spanContext().spanId === c!.parentSpanContext?.spanId);
    assert.ok(serverA, "the CLIENT span is a child of A's SERVER span");
    const serverB = server.find((s) => s !== serverA)!;
    assert.equal(serverB.parentSpanContext?.spanId, c!.spanContext().spanId, "B's SERVER span is a child of the CLIENT span");
    assert.equal(nhanB.length, 1);
    assert.equal(nhanB[0]!.traceparent, `00-${c!.spanContext().traceId}-${c!.spanContext().spanId}-01`, 'B received W3C traceparent');
    const url = String(c!.attributes['url.full']);
    assert.match(url, /\/du-doan\?model=phobert&api_key=%5BREDACTED%5D$/, url);
    assert.doesNotMatch(JSON.stringify(spans.map((s) => s.attributes)), /BIMAT_FETCH_1/);
  });

  for (const [ten, tuy_chon] of [
    ['OTEL_NODE_DISABLED_INSTRUMENTATIONS=undici', { env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'undici' } }],
    ['undici: false', { undici: false }],
  ] as const) {
    it(`${ten} turns it off: no fetch CLIENT span, no traceparent sent, node:http still traced`, async () => {
      const { spans, nhanB } = await chay(tuy_chon);
      assert.deepEqual(spans.map((s) => `${s.kind} ${s.instrumentationScope.name}`).sort(), [
        `${SpanKind.SERVER} ${impl.http}`,
        `${SpanKind.SERVER} ${impl.http}`,
        `${SpanKind.CLIENT} ${impl.http}`,
      ].sort());
      assert.equal(nhanB[0]!.traceparent, undefined);
      assert.equal(new Set(spans.map((s) => s.spanContext().traceId)).size, 2, 'the trace breaks at fetch, as configured');
    });
  }
});
