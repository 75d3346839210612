import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SpanKind, trace, type ProxyTracerProvider, type SpanContext, type Tracer } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { khoi_dong_sdk, LoggerCauTruc, type SdkDangChay } from '../../src/index.js';
import { SCOPE_HTTP, SCOPE_UNDICI } from '../../src/http-tracing/index.js';
import { LIBRARY_VERSION } from '../../src/core/version.js';
import { bat_stderr } from '../support/stderr.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
/** The version of the OTel API copy in use (another copy registers under its major version). */
const API_VERSION = ((): string => {
  for (let dir = dirname(createRequire(import.meta.url).resolve('@opentelemetry/api')); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
    if (pkg.name === '@opentelemetry/api') return pkg.version;
  }
  throw new Error('@opentelemetry/api: package.json not found');
})();

interface Seen {
  /** The SERVER span's context inside the front handler. */
  sc: SpanContext;
  recording: boolean;
  /** The traceparent the back service received over fetch and over http.request. */
  viaFetch: string | undefined;
  viaHttp: string | undefined;
  log: { trace_id?: string; span_id?: string };
}

async function listen(s: Server): Promise<number> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

/**
 * With exporters `none` the SDK samples with parentbased_always_off: the lean
 * HTTP instrumentation makes the spans it knows are dropped without the
 * Tracer, and the result is what the Tracer would have given: a valid,
 * unsampled span context in the handler, in the log line and in every
 * outgoing traceparent; a sampled parent still goes through the Tracer and
 * records.
 */
describe('http-tracing: spans the sampler is known to drop are made without the Tracer', () => {
  let sdk: SdkDangChay | undefined;
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) s.close();
    await sdk?.tat();
    sdk = undefined;
  });

  /** Counts the calls of a tracer's startSpan (the SDK caches one Tracer per scope, so this is the instrumentation's). */
  function countStarts(tracer: Tracer): { n: number } {
    const count = { n: 0 };
    const original = tracer.startSpan.bind(tracer);
    tracer.startSpan = (...args: Parameters<Tracer['startSpan']>) => {
      count.n++;
      return original(...args);
    };
    return count;
  }

  async function setUp(sampler?: 'parentbased_always_on'): Promise<{ call: (headers: Record<string, string>) => Promise<Seen>; starts: { http: { n: number }; undici: { n: number } } }> {
    sdk = khoi_dong_sdk({ traces_exporter: 'none', metrics_exporter: 'none', logs_exporter: 'none', ...(sampler ? { lay_mau: { loai: sampler } } : {}), runtime_node: false })!;
    const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate();
    const starts = { http: countStarts(provider.getTracer(SCOPE_HTTP, LIBRARY_VERSION)), undici: countStarts(provider.getTracer(SCOPE_UNDICI, LIBRARY_VERSION)) };
    let line = '';
    const logger = new LoggerCauTruc({ ten: 'front', output: new Writable({ write: (c: Buffer, _e, cb) => ((line = c.toString()), cb()) }) });
    let last: IncomingHttpHeaders = {};
    const back = createServer((req, res) => {
      last = req.headers;
      res.end('ok');
    });
    const backPort = await listen(back);
    const getVia = async (via: 'fetch' | 'http'): Promise<string | undefined> => {
      if (via === 'fetch') await (await fetch(`http://127.0.0.1:${backPort}/x`)).text();
      else await new Promise<void>((r, j) => httpRequest(`http://127.0.0.1:${backPort}/y`, (res) => res.resume().on('end', r)).on('error', j).end());
      return last.traceparent as string | undefined;
    };
    let seen: Seen | undefined;
    const front = createServer((_req, res) => {
      const span = trace.getActiveSpan()!;
      logger.info('handling');
      void (async () => {
        const viaFetch = await getVia('fetch');
        const viaHttp = await getVia('http');
        // The logger hands its lines over asynchronously.
        for (let i = 0; line === '' && i < 1000; i++) await new Promise((r) => setImmediate(r));
        const log = JSON.parse(line) as Seen['log'];
        seen = { sc: span.spanContext(), recording: span.isRecording(), viaFetch, viaHttp, log };
        res.end('done');
      })();
    });
    const frontPort = await listen(front);
    servers.push(back, front);
    // The test's own request is written on a raw socket: no instrumentation of this process touches its headers.
    const call = async (headers: Record<string, string>): Promise<Seen> => {
      const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      const reply = await new Promise<string>((resolve, reject) => {
        let text = '';
        const socket = connect(frontPort, '127.0.0.1', () => socket.write(`GET /p HTTP/1.1\r\nhost: 127.0.0.1\r\n${head}connection: close\r\n\r\n`));
        socket.on('data', (c: Buffer) => (text += c.toString())).on('end', () => resolve(text)).on('error', reject);
      });
      assert.match(reply, /^HTTP\/1\.1 200/);
      return seen!;
    };
    return { call, starts };
  }

  it('no parent: a new unsampled trace in the handler, the log line and both outgoing requests; the Tracer is never called', async () => {
    const { call, starts } = await setUp();
    const s = await call({});
    assert.equal(s.recording, false);
    assert.match(s.sc.traceId, /^[0-9a-f]{32}$/);
    assert.notEqual(s.sc.traceId, '0'.repeat(32));
    assert.equal(s.sc.traceFlags, 0);
    assert.equal(s.log.trace_id, s.sc.traceId, 'the log line carries the trace id');
    assert.equal(s.log.span_id, s.sc.spanId);
    for (const tp of [s.viaFetch, s.viaHttp]) {
      const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-00$/.exec(tp ?? '');
      assert.ok(m, `an unsampled traceparent goes out: ${tp}`);
      assert.equal(m[1], s.sc.traceId);
      assert.notEqual(m[2], s.sc.spanId, 'a CLIENT span of its own');
    }
    // The front's SERVER span, its fetch and its http.request, the back's two SERVER spans: all made here.
    assert.equal(starts.http.n, 0, 'the node:http SERVER and CLIENT spans');
    assert.equal(starts.undici.n, 0, 'the fetch CLIENT span');
  });

  it("an unsampled parent: its trace id and trace state carried on, not recorded; the Tracer is never called", async () => {
    const { call, starts } = await setUp();
    const s = await call({ traceparent: `00-${TRACE}-b7ad6b7169203331-00`, tracestate: 'vendor=v1' });
    assert.equal(s.recording, false);
    assert.equal(s.sc.traceId, TRACE);
    assert.equal(s.sc.traceState?.serialize(), 'vendor=v1');
    assert.equal(s.log.trace_id, TRACE);
    assert.match(s.viaFetch ?? '', new RegExp(`^00-${TRACE}-[0-9a-f]{16}-00$`));
    assert.equal(starts.http.n + starts.undici.n, 0);
  });

  it('a sampled parent goes through the Tracer and records, as the sampler decides', async () => {
    const { call, starts } = await setUp();
    const s = await call({ traceparent: `00-${TRACE}-b7ad6b7169203331-01` });
    assert.equal(s.recording, true);
    assert.equal(s.sc.traceId, TRACE);
    assert.equal(s.sc.traceFlags, 1);
    assert.match(s.viaFetch ?? '', new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
    assert.match(s.viaHttp ?? '', new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
    assert.equal(starts.http.n, 4, "the front's SERVER span, its http.request CLIENT span and the back's two SERVER spans");
    assert.equal(starts.undici.n, 1, 'the fetch CLIENT span');
  });

  it("a tracer provider another copy of the OTel API registered is never bypassed: its sampler decides, as before", async () => {
    // A second copy of @opentelemetry/api (same version) holds the global tracer provider: NodeSDK's registration fails.
    const KEY = Symbol.for(`opentelemetry.js.api.${API_VERSION.split('.')[0]}`);
    const slot = globalThis as unknown as Record<symbol, Record<string, unknown> | undefined>;
    const saved = slot[KEY];
    const exporter = new InMemorySpanExporter();
    const theirs = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    slot[KEY] = { version: API_VERSION, trace: { getTracer: (n: string, v?: string) => theirs.getTracer(n, v), getDelegate: () => theirs } };
    try {
      const stderr = bat_stderr(() => {
        sdk = khoi_dong_sdk({ traces_exporter: 'none', metrics_exporter: 'none', logs_exporter: 'none', runtime_node: false, undici: false })!;
      });
      assert.ok(stderr.some((l) => l.includes('duplicate registration of API: trace')), 'NodeSDK could not register its provider');
      const back = createServer((_req, res) => res.end('ok'));
      servers.push(back);
      const port = await listen(back);
      await new Promise<void>((r, j) => httpRequest(`http://127.0.0.1:${port}/`, (res) => res.resume().on('end', r)).on('error', j).end());
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(exporter.getFinishedSpans().map((x) => x.kind).sort(), [SpanKind.SERVER, SpanKind.CLIENT].sort(), 'their always-on sampler recorded both spans');
    } finally {
      for (const s of servers.splice(0)) s.close();
      await sdk?.tat();
      sdk = undefined;
      slot[KEY] = saved;
    }
  });

  it('a sampler that may record (an option over the default) leaves every span to the Tracer', async () => {
    const { call, starts } = await setUp('parentbased_always_on');
    const s = await call({});
    assert.equal(s.recording, true);
    assert.equal(starts.http.n, 4);
    assert.equal(starts.undici.n, 1);
  });
});
