/**
 * This project's OTLP protobuf serializers for spans and log records must
 * write exactly the bytes OTel's `ProtobufTraceSerializer` and
 * `ProtobufLogsSerializer` write: compared byte for byte on randomized
 * batches of real SDK spans and log records (several resources and scopes,
 * events, links, trace state, remote parents, statuses, every attribute
 * type, ASCII, non-ASCII and lone-surrogate strings, lengths that need one to
 * four length bytes) and on hand-built records carrying what the SDK would
 * clean away (bytes, nested maps, null, bigint, huge and negative integers).
 * Then through OTel's own exporter to a real OTLP/HTTP receiver.
 */
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, SeverityNumber, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes, type Link, type SpanContext } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor, InMemoryLogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { serializeLogRecords } from '../../exporters/otlp-protobuf/logs.js';
import { serializeSpans } from '../../exporters/otlp-protobuf/spans.js';
import { OtlpLogExporterProto, OtlpSpanExporterProto } from '../../exporters/otlp-protobuf/exporters.js';
import { MayNhanOtlp } from '../support/otlp.js';
import { gc } from '../reliability/support/abuse.js';
import { tao_ngau_nhien } from '../support/random.js';

type Rnd = () => number;
const pick = <T>(r: Rnd, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** Strings that exercise the writer's paths: empty, short ASCII, long ASCII, 2/3/4-byte UTF-8, lone surrogates, >127 and >16383 bytes. */
function randomString(r: Rnd): string {
  const kind = Math.floor(r() * 9);
  if (kind === 0) return '';
  if (kind === 1) return 'x'.repeat(1 + Math.floor(r() * 47));
  if (kind === 2) return 'abc/'.repeat(12 + Math.floor(r() * 40));
  if (kind === 3) return 'Sản phẩm rất tốt '.repeat(1 + Math.floor(r() * 12));
  if (kind === 4) return `a${'\ud800'}b${'\udfff'}`;
  if (kind === 5) return '😀 emoji '.repeat(1 + Math.floor(r() * 30));
  if (kind === 6) return 'y'.repeat(16_000 + Math.floor(r() * 1000));
  if (kind === 7) return `${'é'.repeat(Math.floor(r() * 70))}z`;
  return Math.floor(r() * 1e9).toString(36);
}

const NUMBERS = [0, -0, 1, 127, 128, 300, -1, -300, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 5, -(2 ** 40), 2 ** 53, -(2 ** 63), 2 ** 63, 2 ** 70, 0.5, -3.25, 1e-9, Number.MAX_VALUE, NaN, Infinity, -Infinity];

/** A string (0), a number (1) or a boolean (2). */
function primitive(r: Rnd, k: number): string | number | boolean {
  return k === 0 ? randomString(r) : k === 1 ? pick(r, NUMBERS) : r() < 0.5;
}

/** An attribute value the SDK accepts (primitives and homogeneous arrays). */
function sdkValue(r: Rnd): Attributes[string] {
  const k = Math.floor(r() * 6);
  if (k < 3) return primitive(r, k);
  switch (k) {
    case 3:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomString(r));
    case 4:
      return Array.from({ length: Math.floor(r() * 4) }, () => pick(r, NUMBERS));
    default:
      return [true, false];
  }
}

function sdkAttributes(r: Rnd, n: number): Attributes {
  const a: Attributes = {};
  for (let i = 0; i < n; i++) a[`${pick(r, ['http.request.method', 'url.path', 'k', 'ключ', 'server.port'])}.${i}`] = sdkValue(r);
  return a;
}

/** Any value OTLP's AnyValue can carry, and some it cannot (left empty by both serializers). */
function anyValue(r: Rnd, depth = 0): unknown {
  const k = Math.floor(r() * (depth > 2 ? 5 : 8));
  if (k < 3) return primitive(r, k);
  switch (k) {
    case 3:
      return pick(r, [null, undefined, 10n, () => 1]);
    case 4:
      return Uint8Array.from({ length: Math.floor(r() * 300) }, (_, i) => i & 0xff);
    case 5:
      return Array.from({ length: Math.floor(r() * 5) }, () => anyValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 5); i > 0; i--) o[randomString(r).slice(0, 20) || 'k'] = anyValue(r, depth + 1);
      return o;
    }
  }
}

const hex = (r: Rnd, n: number) => Array.from({ length: n }, () => pick(r, '0123456789abcdef'.split(''))).join('');
const context = (r: Rnd): SpanContext => ({
  traceId: hex(r, 32),
  spanId: hex(r, 16),
  traceFlags: pick(r, [TraceFlags.NONE, TraceFlags.SAMPLED, 0x7f]),
  isRemote: pick(r, [undefined, true, false]),
  ...(r() < 0.3 ? { traceState: new TraceState('vendor=a,other=b') } : {}),
});

const RESOURCES: Resource[] = [
  resourceFromAttributes({ 'service.name': 'svc-a', 'service.version': '1.0.0', 'host.name': 'máy-1' }),
  resourceFromAttributes({ 'service.name': 'svc-b', n: 3, ok: true }, { schemaUrl: 'https://opentelemetry.io/schemas/1.28.0' }),
];

/** Real SDK spans, randomized, from two providers (resources) and several tracers (scopes). */
function sdkSpans(r: Rnd, count: number): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  for (const resource of RESOURCES) {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter })], spanLimits: { attributeCountLimit: 64 } });
    const tracers = [provider.getTracer('a'), provider.getTracer('b', '2.0.1'), provider.getTracer('c', '0.1', { schemaUrl: 'https://example.com/s' })];
    for (let i = 0; i < count; i++) {
      const parent = r() < 0.6 ? context(r) : undefined;
      const links: Link[] = Array.from({ length: Math.floor(r() * 3) }, () => ({ context: context(r), ...(r() < 0.5 ? { attributes: sdkAttributes(r, 2) } : {}) }));
      const span = pick(r, tracers).startSpan(
        randomString(r),
        { kind: pick(r, [undefined, SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER]), attributes: sdkAttributes(r, Math.floor(r() * 12)), links },
        parent === undefined ? undefined : contextWithParent(parent),
      );
      for (let e = Math.floor(r() * 3); e > 0; e--) span.addEvent(randomString(r), sdkAttributes(r, Math.floor(r() * 3)));
      if (r() < 0.3) span.recordException(new Error(randomString(r)));
      const status = pick(r, [undefined, { code: SpanStatusCode.OK }, { code: SpanStatusCode.ERROR, message: randomString(r) }, { code: SpanStatusCode.ERROR }]);
      if (status !== undefined) span.setStatus(status);
      span.end();
    }
    spans.push(...exporter.getFinishedSpans());
  }
  // Interleave the two resources, so grouping is by identity, not by order.
  return spans.sort(() => r() - 0.5);
}

const contextWithParent = (sc: SpanContext) => trace.setSpanContext(ROOT_CONTEXT, sc);

/** Hand-built spans with what the SDK would clean away: attribute values of every AnyValue kind, a missing kind, counts of drops. */
function rawSpans(r: Rnd, count: number): ReadableSpan[] {
  const scope = { name: 'raw', version: '9', attributes: { 'scope.k': 'v' }, droppedAttributesCount: 2 } as ReadableSpan['instrumentationScope'];
  return Array.from({ length: count }, () => {
    const sc = context(r);
    const attributes = Object.fromEntries(Array.from({ length: Math.floor(r() * 6) }, (_, i) => [`k${i}`, anyValue(r)]));
    return {
      name: randomString(r),
      kind: pick(r, [undefined, 0, 1, 2, 3, 4]),
      spanContext: () => sc,
      parentSpanContext: r() < 0.5 ? context(r) : undefined,
      startTime: [pick(r, [0, 1, 1_700_000_000, 4_000_000_000]), pick(r, [0, 1, 999_999_999, 123_456_789])],
      endTime: [1_800_000_000 + Math.floor(r() * 1e6), Math.floor(r() * 1e9)],
      status: { code: pick(r, [0, 1, 2]), ...(r() < 0.5 ? { message: randomString(r) } : {}) },
      attributes,
      links: [],
      events: [{ name: 'e', time: [1, 2], attributes: { x: anyValue(r) } as Attributes, droppedAttributesCount: pick(r, [undefined, 0, 3]) as number }],
      duration: [0, 0],
      ended: true,
      resource: pick(r, RESOURCES),
      instrumentationScope: scope,
      droppedAttributesCount: pick(r, [0, 1, 300]),
      droppedEventsCount: pick(r, [0, 7]),
      droppedLinksCount: pick(r, [0, 2 ** 20]),
    } as unknown as ReadableSpan;
  });
}

/** Real SDK log records from two providers and several loggers, with AnyValue bodies. */
function sdkLogRecords(r: Rnd, count: number): ReadableLogRecord[] {
  const records: ReadableLogRecord[] = [];
  for (const resource of RESOURCES) {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
    const loggers = [provider.getLogger('a'), provider.getLogger('b', '1.2.3'), provider.getLogger('c', undefined, { schemaUrl: 'https://example.com/l' })];
    for (let i = 0; i < count; i++) {
      const parent = r() < 0.5 ? context(r) : undefined;
      pick(r, loggers).emit({
        ...(r() < 0.8 ? { body: anyValue(r) as string } : {}),
        ...(r() < 0.8 ? { severityNumber: pick(r, [SeverityNumber.UNSPECIFIED, SeverityNumber.INFO, SeverityNumber.ERROR, SeverityNumber.FATAL4]) } : {}),
        ...(r() < 0.5 ? { severityText: pick(r, ['', 'INFO', 'lỗi']) } : {}),
        ...(r() < 0.3 ? { eventName: randomString(r) } : {}),
        ...(r() < 0.5 ? { timestamp: Date.now() - Math.floor(r() * 1e6) } : {}),
        attributes: sdkAttributes(r, Math.floor(r() * 8)),
        ...(parent === undefined ? {} : { context: contextWithParent(parent) }),
      });
    }
    records.push(...exporter.getFinishedLogRecords());
  }
  return records.sort(() => r() - 0.5);
}

const same = (ours: Uint8Array, otel: Uint8Array | undefined, what: string) => {
  assert.ok(otel !== undefined);
  assert.equal(Buffer.compare(Buffer.from(ours), Buffer.from(otel)), 0, `${what}: ${ours.length} bytes vs OTel's ${otel.length}`);
};

describe('exporters: OTLP protobuf serializers (the same bytes as OTel)', () => {
  /** 40 batches from `make`, each serialized by both, compared byte for byte. */
  function compareBatches<T>(seed: number, make: (r: Rnd, n: number) => T[], ours: (x: T[]) => Uint8Array, otel: (x: T[]) => Uint8Array | undefined): void {
    const r = tao_ngau_nhien(seed);
    for (let b = 0; b < 40; b++) {
      const items = make(r, 1 + Math.floor(r() * 30));
      same(ours(items), otel(items), `batch ${b}`);
    }
  }

  it('spans: 40 randomized batches of SDK spans, byte for byte', () => {
    compareBatches(2026, sdkSpans, serializeSpans, (x) => ProtobufTraceSerializer.serializeRequest(x));
  });

  it('spans: hand-built spans with every AnyValue kind, odd times, kinds and drop counts', () => {
    compareBatches(7, rawSpans, serializeSpans, (x) => ProtobufTraceSerializer.serializeRequest(x));
  });

  it('log records: 40 randomized batches, byte for byte', () => {
    compareBatches(15, sdkLogRecords, serializeLogRecords, (x) => ProtobufLogsSerializer.serializeRequest(x));
  });

  it('a request past 2 MiB (four length bytes) and past the kept scratch size; an earlier result is not overwritten', () => {
    const r = tao_ngau_nhien(3);
    const small = sdkSpans(r, 3);
    const first = serializeSpans(small);
    const copy = Buffer.from(first);
    const big = rawSpans(r, 2).map((s) => ({ ...s, spanContext: s.spanContext, attributes: { big: 'é'.repeat(2_500_000) } })) as unknown as ReadableSpan[];
    same(serializeSpans(big), ProtobufTraceSerializer.serializeRequest(big), 'big');
    assert.equal(Buffer.compare(Buffer.from(first), copy), 0, 'the first request changed after the next one');
    same(serializeSpans(small), ProtobufTraceSerializer.serializeRequest(small), 'after the big one');
  });

  it('names and texts that are not strings, as the SDK passes them through: the same bytes (a String object as its text, a number or an object as empty), and null throws in both', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    const odd = [404, true, { a: 1 }, new String('tên dài hơn bốn mươi tám ký tự, không phải ASCII ở đây')] as unknown as string[];
    for (const name of odd) {
      const span = provider.getTracer('t', 1 as unknown as string).startSpan(name);
      span.addEvent(7 as unknown as string);
      span.end();
    }
    const spans = exporter.getFinishedSpans();
    same(serializeSpans(spans), ProtobufTraceSerializer.serializeRequest(spans), 'odd names');
    const logs = new InMemoryLogRecordExporter();
    new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: logs })] }).getLogger('l').emit({ body: 'x', severityText: 3 as unknown as string, eventName: 5 as unknown as string });
    const records = logs.getFinishedLogRecords();
    same(serializeLogRecords(records), ProtobufLogsSerializer.serializeRequest(records), 'odd texts');
    const bad = [{ ...rawSpans(tao_ngau_nhien(1), 1)[0], name: null }] as unknown as ReadableSpan[];
    assert.throws(() => ProtobufTraceSerializer.serializeRequest(bad));
    assert.throws(() => serializeSpans(bad));
  });

  it('a request that throws half-way leaves no oversized buffer behind: 30 failing 3 MB requests, memory bounded, the next request right', () => {
    const r = tao_ngau_nhien(5);
    const failing = rawSpans(r, 1).map((x) => ({ ...x, attributes: { big: 'x'.repeat(3_000_000) }, status: null })) as unknown as ReadableSpan[];
    gc();
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 30; i++) assert.throws(() => serializeSpans(failing));
    gc();
    assert.ok(process.memoryUsage().arrayBuffers - before < 40 * 1024 * 1024, `${process.memoryUsage().arrayBuffers - before} bytes more`);
    const ok = sdkSpans(r, 3);
    same(serializeSpans(ok), ProtobufTraceSerializer.serializeRequest(ok), 'after the failures');
    gc();
    // The scratch buffer is small again once a request completes.
    assert.ok(process.memoryUsage().arrayBuffers - before < 4 * 1024 * 1024, `${process.memoryUsage().arrayBuffers - before} bytes more`);
  });

  it('a request serialized from inside another (a TraceState that exports) leaves both intact', () => {
    const r = tao_ngau_nhien(9);
    const inner = sdkSpans(r, 2);
    let innerBytes: Uint8Array | undefined;
    const outer = rawSpans(r, 3).map((x) => {
      const sc = { ...x.spanContext(), traceState: { serialize: () => ((innerBytes = serializeSpans(inner)), 'k=v') } };
      return { ...x, spanContext: () => sc };
    }) as unknown as ReadableSpan[];
    const ours = serializeSpans(outer);
    same(innerBytes!, ProtobufTraceSerializer.serializeRequest(inner), 'inner');
    same(ours, ProtobufTraceSerializer.serializeRequest(outer), 'outer');
  });

  it('through OTel\'s exporter: a real OTLP/HTTP receiver decodes (with protobufjs) what was sent', async () => {
    const receiver = new MayNhanOtlp();
    const url = await receiver.bat_dau();
    try {
      const r = tao_ngau_nhien(11);
      const spans = sdkSpans(r, 5);
      const records = sdkLogRecords(r, 5);
      const spanExporter = new OtlpSpanExporterProto({ url: `${url}/v1/traces` });
      const logExporter = new OtlpLogExporterProto({ url: `${url}/v1/logs` });
      const results = await Promise.all([
        new Promise<number>((res) => spanExporter.export(spans, (x) => res(x.code))),
        new Promise<number>((res) => logExporter.export(records, (x) => res(x.code))),
      ]);
      assert.deepEqual(results, [0, 0]);
      // What a decoder reads back: UTF-8 names (a lone surrogate as U+FFFD), hex ids.
      const utf8 = (x: string) => Buffer.from(x, 'utf8').toString('utf8');
      const key = (name: unknown, id: unknown) => `${String(name)} ${String(id)}`;
      assert.deepEqual(receiver.spans().map((x) => key(x.name, x.spanId)).sort(), spans.map((x) => key(utf8(x.name), x.spanContext().spanId)).sort());
      assert.equal(receiver.logs().length, records.length);
      await Promise.all([spanExporter.shutdown(), logExporter.shutdown()]);
    } finally {
      await receiver.dung();
    }
  });
});
