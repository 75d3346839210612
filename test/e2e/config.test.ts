/**
 * Configuration from the environment, end to end (issue #17): the demo once
 * exporting over OTLP/gRPC to the real collector's gRPC receiver (traces
 * reach Jaeger), and once with OTEL_PROPAGATORS=tracecontext,baggage,b3,
 * where a recording pass-through between the gateway and the model service
 * shows the model service receiving a `b3` header of the same trace.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { freeDemoPorts, startDemo, waitDemoReady, type Demo } from './support/demo.js';
import { stackBinaries, startStack, waitFor, type JaegerTrace, type Stack } from './support/stack.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** POST /predict with a fresh sampled traceparent; returns its trace id. */
async function predict(gatewayUrl: string, text: string): Promise<string> {
  const traceId = hex(16);
  const r = await fetch(`${gatewayUrl}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${hex(8)}-01` },
    body: JSON.stringify({ text }),
    signal: AbortSignal.timeout(10_000),
  });
  assert.equal(r.status, 200, await r.text());
  return traceId;
}

async function jaegerTrace(s: Stack, traceId: string): Promise<JaegerTrace | undefined> {
  const r = await fetch(`${s.jaegerUrl}/api/traces/${traceId}`, { signal: AbortSignal.timeout(5000) });
  if (r.status === 404) return undefined;
  return ((await r.json()) as { data: JaegerTrace[] | null }).data?.[0];
}

/** Waits until Jaeger holds each trace with its five spans across both services. */
async function traces_day_du(s: Stack, ids: string[]): Promise<JaegerTrace[]> {
  const ts = await waitFor(
    async () => {
      const ts = await Promise.all(ids.map((id) => jaegerTrace(s, id)));
      return ts.every((t) => t !== undefined && t.spans.length >= 5) ? (ts as JaegerTrace[]) : undefined;
    },
    30_000,
    `${ids.length} complete traces in Jaeger`,
  );
  for (const t of ts) assert.deepEqual(new Set(Object.values(t.processes).map((p) => p.serviceName)), new Set(['vnai-gateway', 'vnai-model']));
  return ts;
}

/** A pass-through to `dich` that records every request's headers. */
async function chuyen_tiep(dich: string): Promise<{ server: Server; url: string; headers: IncomingHttpHeaders[] }> {
  const headers: IncomingHttpHeaders[] = [];
  const u = new URL(dich);
  const server = createServer((req, res) => {
    headers.push(req.headers);
    const ra = request({ host: u.hostname, port: u.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    ra.on('error', () => res.writeHead(502).end());
    req.pipe(ra);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, headers };
}

describe('e2e: configuration from OTEL_* (gRPC export, b3 propagation) -> real Collector, Jaeger', function () {
  this.timeout(180_000);
  let stack: Stack | undefined;
  let demo: Demo | undefined;
  let failed = false;

  before(async function () {
    const bins = stackBinaries();
    if (bins.missing.length > 0) {
      console.warn(`    SKIPPED e2e configuration: stack binaries missing: ${bins.missing.join(', ')}. Run: npm run stack:install`);
      this.skip();
    }
    stack = await startStack({ scrapeTargets: [], binaries: bins });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') failed = true;
    await demo?.stop();
    demo = undefined;
  });
  after(async () => {
    await stack?.stop();
    if (stack !== undefined) {
      if (failed) console.warn(`    e2e configuration logs kept in ${stack.workDir}`);
      else rmSync(stack.workDir, { recursive: true, force: true });
    }
  });

  it('OTEL_EXPORTER_OTLP_PROTOCOL=grpc: both services export to the collector\'s gRPC receiver, and every trace reaches Jaeger', async () => {
    const s = stack as Stack;
    const { port, modelPort } = await freeDemoPorts();
    demo = startDemo({
      otlpEndpoint: `http://${s.collectorGrpcEndpoint}`,
      port,
      modelPort,
      logDir: s.workDir,
      env: { ...process.env, DRAIN_MS: '200', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
    });
    await waitDemoReady(demo);
    const ids: string[] = [];
    for (const text of ['Sản phẩm rất tốt', 'Dịch vụ tệ quá', 'Bình thường']) ids.push(await predict(demo.gatewayUrl, text));
    await traces_day_du(s, ids);
    for (const p of [demo.gateway, demo.model]) assert.doesNotMatch(p.logTail(), /vietnamese-ai-otel: OTEL_|Unsupported|invalid/, `${p.name}: no configuration warning`);
  });

  it('OTEL_PROPAGATORS=tracecontext,baggage,b3: the model service receives traceparent AND b3 of the same trace; the trace is whole in Jaeger', async () => {
    const s = stack as Stack;
    const { port, modelPort } = await freeDemoPorts();
    const tt = await chuyen_tiep(`http://127.0.0.1:${modelPort}`);
    try {
      demo = startDemo({
        otlpEndpoint: s.collectorHttpUrl,
        port,
        modelPort,
        modelUrl: tt.url,
        logDir: s.workDir,
        env: { ...process.env, DRAIN_MS: '200', OTEL_PROPAGATORS: 'tracecontext,baggage,b3' },
      });
      await waitDemoReady(demo);
      const ids = [await predict(demo.gatewayUrl, 'Tuyệt vời'), await predict(demo.gatewayUrl, 'Không hài lòng')];
      const traces = await traces_day_du(s, ids);
      for (const [i, id] of ids.entries()) {
        const h = tt.headers.find((x) => String(x.traceparent ?? '').includes(id));
        assert.ok(h, `the model service received a traceparent of trace ${id}`);
        const b3 = String(h.b3 ?? '');
        assert.match(b3, new RegExp(`^${id}-[0-9a-f]{16}-1$`), `b3 header of the same trace, sampled: ${b3}`);
        // The b3 span id is the gateway's CLIENT span, the model SERVER span's parent in Jaeger.
        const client = traces[i]!.spans.find((sp) => sp.spanID === b3.split('-')[1]);
        assert.ok(client, `the b3 span id is a span of trace ${id} in Jaeger`);
      }
    } finally {
      tt.server.closeAllConnections();
      await new Promise<void>((r) => tt.server.close(() => r()));
    }
  });
});
