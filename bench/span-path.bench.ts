/**
 * What one recorded span costs from start to OTLP bytes, and how much of
 * that is the OpenTelemetry SDK's span objects (issue 15: would a span path
 * that bypasses them be worth its price, the users' own samplers, span
 * processors and exporters?). Three paths, each op 512 SERVER spans with the
 * demo's HTTP attributes under a sampled remote parent, then the batch
 * serialized to an OTLP/protobuf request:
 * - the SDK's Tracer (ParentBased(AlwaysOn) sampler, span limits, ids) and
 *   BatchSpanProcessor, exported with this project's serializer (the
 *   default path of `khoi_dong_sdk()`);
 * - the same with OTel's `ProtobufTraceSerializer` (the standard stack's
 *   exporter);
 * - the floor: a plain object per span with the same fields, ids from the
 *   SDK's own generator, clock read twice, and the same serializer as the
 *   first path. No span path can cost less than this, so first minus floor
 *   bounds what a lean tracer could save per span.
 * And a span the sampler drops (exporters `none`: parentbased_always_off, no
 * sampled parent), started and ended the SDK's way (start attributes built,
 * the Tracer asked) against http-tracing/dropped-span's (neither).
 */
import { ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Attributes } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, RandomIdGenerator, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { dropped_span } from '../src/http-tracing/dropped-span.js';
import { serializeSpans } from '../exporters/otlp-protobuf/spans.js';
import { BangDo } from './lib.js';

const BATCH = 512;
const resource = resourceFromAttributes({ 'service.name': 'vnai-gateway', 'service.version': '0.1.0' });
const scope = { name: 'vietnamese-ai-otel/http-tracing/http', version: '1.0.0' };
const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED, isRemote: true });
/** Bytes written, read at the end so no serialization is optimized away. */
let bytes = 0;

function attributes(i: number): Attributes {
  return { 'http.request.method': 'POST', 'url.scheme': 'http', 'server.address': '127.0.0.1', 'server.port': 8080, 'network.peer.address': '127.0.0.1', 'network.peer.port': 50_000 + (i & 1023), 'network.protocol.version': '1.1', 'user_agent.original': 'autocannon', 'url.path': '/predict', 'http.route': '/predict' };
}

/** An SDK Tracer and BatchSpanProcessor whose exporter serializes with `serialize`. */
function sdkPath(serialize: (spans: ReadableSpan[]) => Uint8Array): () => Promise<void> {
  const exporter: SpanExporter = {
    export(spans: ReadableSpan[], done: (r: ExportResult) => void): void {
      bytes += serialize(spans).length;
      done({ code: ExportResultCode.SUCCESS });
    },
    shutdown: async () => {},
  };
  const processor = new BatchSpanProcessor({ exporter, maxExportBatchSize: BATCH, maxQueueSize: 4 * BATCH, scheduledDelayMillis: 3_600_000 });
  const tracer = new TracerProvider({ resource, sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }), spanProcessors: [processor] }).getTracer(scope.name, scope.version);
  return async () => {
    for (let i = 0; i < BATCH; i++) {
      const span = tracer.startSpan('POST /predict', { kind: SpanKind.SERVER, attributes: attributes(i) }, parent);
      span.setAttribute('http.response.status_code', 200);
      span.end();
    }
    await processor.forceFlush();
  };
}

/** The floor: what any span path pays at least for the same spans and bytes. */
function floorPath(): () => Promise<void> {
  const ids = new RandomIdGenerator();
  const origin = performance.timeOrigin;
  const hrTime = (ms: number): [number, number] => {
    const t = origin + ms;
    const s = Math.trunc(t / 1000);
    return [s, Math.round((t - s * 1000) * 1e6)];
  };
  const spans: ReadableSpan[] = [];
  return async () => {
    for (let i = 0; i < BATCH; i++) {
      const start = performance.now();
      const attrs = attributes(i);
      attrs['http.response.status_code'] = 200;
      const end = performance.now();
      const context = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: ids.generateSpanId(), traceFlags: TraceFlags.SAMPLED };
      spans.push({
        name: 'POST /predict',
        kind: SpanKind.SERVER,
        spanContext: () => context,
        parentSpanContext: { traceId: context.traceId, spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED, isRemote: true },
        startTime: hrTime(start),
        endTime: hrTime(end),
        status: { code: 0 },
        attributes: attrs,
        links: [],
        events: [],
        duration: [0, Math.round((end - start) * 1e6)],
        ended: true,
        resource,
        instrumentationScope: scope,
        droppedAttributesCount: 0,
        droppedEventsCount: 0,
        droppedLinksCount: 0,
      });
    }
    bytes += serializeSpans(spans).length;
    spans.length = 0;
  };
}

const unsampled = trace.setSpanContext(ROOT_CONTEXT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE, isRemote: true });
const dropping = new TracerProvider({ resource, sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }) }).getTracer(scope.name, scope.version);
let n = 0;
function droppedBySdk(): void {
  const span = dropping.startSpan('POST /predict', { kind: SpanKind.SERVER, attributes: attributes(n++) }, unsampled);
  span.setAttribute('http.response.status_code', 200);
  span.end();
}
function droppedHere(): void {
  const span = dropped_span('unsampled_parent', unsampled)!;
  span.setAttribute('http.response.status_code', 200);
  span.end();
}

const OURS = 'SDK span + BatchSpanProcessor, this project serializer';
const STANDARD = 'SDK span + BatchSpanProcessor, OTel ProtobufTraceSerializer';
const FLOOR = 'floor: plain object per span, this project serializer';
const b = new BangDo('span-path');
b.them_async(OURS, sdkPath(serializeSpans), 20);
b.them_async(STANDARD, sdkPath((s) => ProtobufTraceSerializer.serializeRequest(s)!), 20);
b.them_async(FLOOR, floorPath(), 20);
const DROPPED_SDK = 'dropped span: SDK Tracer, start attributes built';
const DROPPED_HERE = 'dropped span: made without the Tracer, no attributes';
b.them(DROPPED_SDK, droppedBySdk, 200_000);
b.them(DROPPED_HERE, droppedHere, 200_000);
await b.chay({ vong: 9, lan: 20 });
b.ty_le('SDK path, ours vs the standard serializer', OURS, STANDARD, '<= 0.8');
b.ty_le('SDK path vs the floor', OURS, FLOOR);
b.ty_le('a dropped span: made here vs by the SDK Tracer', DROPPED_HERE, DROPPED_SDK, '<= 0.5');
const perSpan = (name: string): number => b.ns(name) / BATCH;
b.ghi_chu.push(
  `ns/op is one batch of ${BATCH} spans; per span: ours ${perSpan(OURS).toFixed(0)} ns, standard ${perSpan(STANDARD).toFixed(0)} ns, floor ${perSpan(FLOOR).toFixed(0)} ns`,
  'dropped spans: ns/op is one span',
  `the SDK's span objects, sampler and batch processor cost ${(perSpan(OURS) - perSpan(FLOOR)).toFixed(0)} ns per span above the floor: the most a span path bypassing them could save (${bytes} bytes written)`,
);
b.in();
