/**
 * OTLP metric export WITH exemplars. OTel JS's transformer writes no
 * exemplars (its SDK has none), so this wraps its serializers: the request
 * is serialized by OTel as usual, then each histogram data point that carries
 * `exemplars` (see src/core/exemplar.ts) gets them added: as protobuf
 * `HistogramDataPoint.exemplars` (field 8: time, as_double, span_id,
 * trace_id), or as OTLP/JSON `exemplars`. Data points are matched by
 * position, the order OTel serializes them in (resource, scope, metric,
 * point); a mismatch leaves the request as OTel made it.
 *
 * The exporter itself is OTel's (`OTLPExporterBase` over the node HTTP
 * delegate, the same parts `OTLPMetricExporter` is built from), so retries,
 * timeouts, headers and the `otel.sdk.exporter.*` self-metrics are unchanged.
 */
import { diag } from '@opentelemetry/api';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { JsonMetricsSerializer, MetricsExporterMetricsHelper, ProtobufMetricsSerializer, type ISerializer } from '@opentelemetry/otlp-transformer';
import { DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { MeterProvider } from '@opentelemetry/api';
import type { WithExemplars, Exemplar } from '../src/core/exemplar.js';

/** One entry per histogram data point, in serialization order (undefined: none). */
type ExemplarLists = Array<readonly Exemplar[] | undefined>;

/** Every histogram data point's exemplars, in serialization order, and whether any has one. */
function exemplarsInOrder(rm: ResourceMetrics): { lists: ExemplarLists; any: boolean } {
  const lists: ExemplarLists = [];
  let any = false;
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      if (m.dataPointType !== DataPointType.HISTOGRAM) continue;
      for (const dp of m.dataPoints) {
        const e = (dp as WithExemplars).exemplars;
        if (e !== undefined && e.length > 0) any = true;
        lists.push(e);
      }
    }
  }
  return { lists, any };
}

// ----------------------------------------------------------- protobuf

/** The varint at `b[i]`: its value and the index after it. */
function readVarint(b: Uint8Array, i: number): [number, number] {
  let v = 0;
  let multiplier = 1;
  for (;;) {
    const x = b[i++] as number;
    v += (x & 0x7f) * multiplier;
    if (x < 0x80) return [v, i];
    multiplier *= 128;
  }
}

function encodeVarint(v: number): number[] {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function hex(h: string): Uint8Array {
  return Uint8Array.from(Buffer.from(h, 'hex'));
}

/** One `Exemplar` message, as the bytes of HistogramDataPoint field 8 (tag included). */
function encodeExemplar(e: Exemplar): Uint8Array {
  const nano = BigInt(Math.round(e.thoi_diem_ms)) * 1_000_000n;
  const fixed = Buffer.alloc(1 + 8 + 1 + 8);
  fixed[0] = 0x11; // time_unix_nano, fixed64
  fixed.writeBigUInt64LE(nano, 1);
  fixed[9] = 0x19; // as_double
  fixed.writeDoubleLE(e.gia_tri, 10);
  const span = hex(e.span_id);
  const traceId = hex(e.trace_id);
  const msg = Buffer.concat([fixed, Buffer.from([0x22, span.length]), span, Buffer.from([0x2a, traceId.length]), traceId]);
  return Buffer.concat([Buffer.from([0x42, ...encodeVarint(msg.length)]), msg]);
}

/**
 * Rewrites message `b`, descending into length-delimited fields along
 * `path` (field numbers); at the end of the path `leaf` transforms the
 * message. Other fields are copied byte for byte; lengths are recomputed.
 */
function rewriteAlong(b: Uint8Array, path: readonly number[], leaf: (msg: Uint8Array) => Uint8Array): Uint8Array {
  if (path.length === 0) return leaf(b);
  const parts: Uint8Array[] = [];
  let i = 0;
  let copiedTo = 0;
  while (i < b.length) {
    const fieldStart = i;
    const [tag, j] = readVarint(b, i);
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    i = j;
    if (wireType === 0) i = readVarint(b, i)[1];
    else if (wireType === 1) i += 8;
    else if (wireType === 5) i += 4;
    else if (wireType === 2) {
      const [length, k] = readVarint(b, i);
      if (field === path[0]) {
        parts.push(b.subarray(copiedTo, fieldStart));
        const rewritten = rewriteAlong(b.subarray(k, k + length), path.slice(1), leaf);
        parts.push(Uint8Array.from(encodeVarint(tag)), Uint8Array.from(encodeVarint(rewritten.length)), rewritten);
        copiedTo = k + length;
      }
      i = k + length;
    } else throw new Error(`unexpected protobuf wire type ${wireType}`);
  }
  parts.push(b.subarray(copiedTo));
  return Buffer.concat(parts);
}

/** request.resource_metrics(1).scope_metrics(2).metrics(2).histogram(9).data_points(1) */
const HISTOGRAM_POINT_PATH = [1, 2, 2, 9, 1];

function addExemplarsProto(b: Uint8Array, lists: ExemplarLists): Uint8Array {
  let k = 0;
  const out = rewriteAlong(b, HISTOGRAM_POINT_PATH, (dp) => {
    const e = lists[k++];
    return e === undefined || e.length === 0 ? dp : Buffer.concat([dp, ...e.map(encodeExemplar)]);
  });
  if (k !== lists.length) throw new Error(`histogram data points: ${k} serialized, ${lists.length} collected`);
  return out;
}

// ----------------------------------------------------------- JSON

function addExemplarsJson(b: Uint8Array, lists: ExemplarLists): Uint8Array {
  type JsonPoint = { exemplars?: unknown[] };
  const req = JSON.parse(Buffer.from(b).toString('utf8')) as {
    resourceMetrics?: Array<{ scopeMetrics?: Array<{ metrics?: Array<{ histogram?: { dataPoints?: JsonPoint[] } }> }> }>;
  };
  let k = 0;
  for (const r of req.resourceMetrics ?? []) {
    for (const s of r.scopeMetrics ?? []) {
      for (const m of s.metrics ?? []) {
        for (const dp of m.histogram?.dataPoints ?? []) {
          const e = lists[k++];
          if (e !== undefined && e.length > 0) {
            dp.exemplars = e.map((x) => ({ timeUnixNano: String(BigInt(Math.round(x.thoi_diem_ms)) * 1_000_000n), asDouble: x.gia_tri, spanId: x.span_id, traceId: x.trace_id }));
          }
        }
      }
    }
  }
  if (k !== lists.length) throw new Error(`histogram data points: ${k} serialized, ${lists.length} collected`);
  return new TextEncoder().encode(JSON.stringify(req));
}

/** Once per process: a request that cannot carry exemplars is sent without them. */
let reported = false;

/** OTel's metrics serializer plus the exemplars of each histogram data point. */
function withExemplars<R>(otel: ISerializer<ResourceMetrics, R>, add: (b: Uint8Array, lists: ExemplarLists) => Uint8Array): ISerializer<ResourceMetrics, R> {
  return {
    serializeRequest(rm) {
      const b = otel.serializeRequest(rm);
      if (b === undefined) return b;
      const { lists, any } = exemplarsInOrder(rm);
      if (!any) return b;
      try {
        return add(b, lists);
      } catch (e) {
        if (!reported) {
          reported = true;
          diag.warn('vietnamese-ai-otel: exemplars left out of an OTLP metrics request', e);
        }
        return b;
      }
    },
    deserializeResponse: (r) => otel.deserializeResponse(r),
  };
}

/** What the exporters take (tùy chọn): OTel's OTLP/HTTP exporter options (url, headers, timeoutMillis, httpAgentOptions, ...). */
export type OtlpMetricOptions = Parameters<typeof convertLegacyHttpOptions>[0] & { selfObsMeterProvider?: MeterProvider };

function createDelegate(json: boolean, options: OtlpMetricOptions) {
  const serializer = json ? withExemplars(JsonMetricsSerializer, addExemplarsJson) : withExemplars(ProtobufMetricsSerializer, addExemplarsProto);
  const contentType = { 'Content-Type': json ? 'application/json' : 'application/x-protobuf' };
  // OTel's own component type for both protocols (as its OTLPMetricExporter reports it).
  return createOtlpHttpExportDelegate(convertLegacyHttpOptions(options, 'METRICS', 'v1/metrics', contentType), serializer, 'otlp_http_metric_exporter', MetricsExporterMetricsHelper, options.selfObsMeterProvider);
}

/** OTLP/HTTP protobuf metric exporter whose histogram data points carry exemplars. */
export class OtlpMetricProtoExemplar extends OTLPExporterBase<ResourceMetrics> {
  constructor(options: OtlpMetricOptions = {}) {
    super(createDelegate(false, options));
  }
}

/** OTLP/HTTP JSON metric exporter whose histogram data points carry exemplars. */
export class OtlpMetricJsonExemplar extends OTLPExporterBase<ResourceMetrics> {
  constructor(options: OtlpMetricOptions = {}) {
    super(createDelegate(true, options));
  }
}
