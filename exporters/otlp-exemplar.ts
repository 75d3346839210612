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
import { ProtoWriter } from './otlp-protobuf/writer.js';

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

/**
 * One `Exemplar` as HistogramDataPoint field 8: 2 time_unix_nano (fixed64),
 * 3 as_double, 4 span_id, 5 trace_id. The time in whole milliseconds, as an
 * HrTime so the nanoseconds stay exact past 2^53.
 */
function writeExemplar(w: ProtoWriter, e: Exemplar): void {
  w.tag(8, 2);
  const at = w.begin();
  const ms = Math.round(e.thoi_diem_ms);
  const seconds = Math.floor(ms / 1000);
  w.tag(2, 1);
  w.hrTime([seconds, (ms - seconds * 1000) * 1_000_000]);
  w.tag(3, 1);
  w.double(e.gia_tri);
  w.tag(4, 2);
  w.hexBytes(e.span_id);
  w.tag(5, 2);
  w.hexBytes(e.trace_id);
  w.end(at);
}

/**
 * Writes message `b` to `w`, descending into length-delimited fields along
 * `path` (field numbers); at the end of the path `leaf` writes the message.
 * Other fields are copied byte for byte; lengths are recomputed.
 */
function rewriteAlong(w: ProtoWriter, b: Uint8Array, path: readonly number[], leaf: (msg: Uint8Array) => void): void {
  if (path.length === 0) return leaf(b);
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
        w.raw(b.subarray(copiedTo, fieldStart));
        w.tag(field, 2);
        const at = w.begin();
        rewriteAlong(w, b.subarray(k, k + length), path.slice(1), leaf);
        w.end(at);
        copiedTo = k + length;
      }
      i = k + length;
    } else throw new Error(`unexpected protobuf wire type ${wireType}`);
  }
  w.raw(b.subarray(copiedTo));
}

/** request.resource_metrics(1).scope_metrics(2).metrics(2).histogram(9).data_points(1) */
const HISTOGRAM_POINT_PATH = [1, 2, 2, 9, 1];

function addExemplarsProto(b: Uint8Array, lists: ExemplarLists): Uint8Array {
  // A writer per request: metric exports are seconds apart, and none is shared with another export.
  const w = new ProtoWriter();
  let k = 0;
  rewriteAlong(w, b, HISTOGRAM_POINT_PATH, (dp) => {
    w.raw(dp);
    for (const e of lists[k++] ?? []) writeExemplar(w, e);
  });
  if (k !== lists.length) throw new Error(`histogram data points: ${k} serialized, ${lists.length} collected`);
  return w.finish();
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
