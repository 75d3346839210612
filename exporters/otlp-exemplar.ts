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
import type { CoExemplar, Exemplar } from '../src/core/exemplar.js';

/** Every histogram data point's exemplars, in serialization order (undefined: none). */
function exemplarTheoThuTu(rm: ResourceMetrics): { ds: Array<readonly Exemplar[] | undefined>; co: boolean } {
  const ds: Array<readonly Exemplar[] | undefined> = [];
  let co = false;
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      if (m.dataPointType !== DataPointType.HISTOGRAM) continue;
      for (const dp of m.dataPoints) {
        const e = (dp as CoExemplar).exemplars;
        if (e !== undefined && e.length > 0) co = true;
        ds.push(e);
      }
    }
  }
  return { ds, co };
}

// ----------------------------------------------------------- protobuf

function docVarint(b: Uint8Array, i: number): [number, number] {
  let v = 0;
  let nhan = 1;
  for (;;) {
    const x = b[i++] as number;
    v += (x & 0x7f) * nhan;
    if (x < 0x80) return [v, i];
    nhan *= 128;
  }
}

function varint(v: number): number[] {
  const ra: number[] = [];
  while (v >= 0x80) {
    ra.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  ra.push(v);
  return ra;
}

function hex(h: string): Uint8Array {
  return Uint8Array.from(Buffer.from(h, 'hex'));
}

/** One `Exemplar` message, as the bytes of HistogramDataPoint field 8 (tag included). */
function maExemplar(e: Exemplar): Uint8Array {
  const nano = BigInt(Math.round(e.thoi_diem_ms)) * 1_000_000n;
  const than = Buffer.alloc(1 + 8 + 1 + 8);
  than[0] = 0x11; // time_unix_nano, fixed64
  than.writeBigUInt64LE(nano, 1);
  than[9] = 0x19; // as_double
  than.writeDoubleLE(e.gia_tri, 10);
  const span = hex(e.span_id);
  const tr = hex(e.trace_id);
  const msg = Buffer.concat([than, Buffer.from([0x22, span.length]), span, Buffer.from([0x2a, tr.length]), tr]);
  return Buffer.concat([Buffer.from([0x42, ...varint(msg.length)]), msg]);
}

/**
 * Rewrites message `b`, descending into length-delimited fields along
 * `duong` (field numbers); at the end of the path `la` transforms the
 * message. Other fields are copied byte for byte; lengths are recomputed.
 */
function suaLong(b: Uint8Array, duong: readonly number[], la: (msg: Uint8Array) => Uint8Array): Uint8Array {
  if (duong.length === 0) return la(b);
  const phan: Uint8Array[] = [];
  let i = 0;
  let tu = 0;
  while (i < b.length) {
    const dau = i;
    const [tag, j] = docVarint(b, i);
    const so = Math.floor(tag / 8);
    const kieu = tag & 7;
    i = j;
    if (kieu === 0) i = docVarint(b, i)[1];
    else if (kieu === 1) i += 8;
    else if (kieu === 5) i += 4;
    else if (kieu === 2) {
      const [dai, k] = docVarint(b, i);
      if (so === duong[0]) {
        phan.push(b.subarray(tu, dau));
        const moi = suaLong(b.subarray(k, k + dai), duong.slice(1), la);
        phan.push(Uint8Array.from(varint(tag)), Uint8Array.from(varint(moi.length)), moi);
        tu = k + dai;
      }
      i = k + dai;
    } else throw new Error(`unexpected protobuf wire type ${kieu}`);
  }
  phan.push(b.subarray(tu));
  return Buffer.concat(phan);
}

/** request.resource_metrics(1).scope_metrics(2).metrics(2).histogram(9).data_points(1) */
const DUONG_DIEM_HISTOGRAM = [1, 2, 2, 9, 1];

function themExemplarProto(b: Uint8Array, ds: Array<readonly Exemplar[] | undefined>): Uint8Array {
  let k = 0;
  const ra = suaLong(b, DUONG_DIEM_HISTOGRAM, (dp) => {
    const e = ds[k++];
    return e === undefined || e.length === 0 ? dp : Buffer.concat([dp, ...e.map(maExemplar)]);
  });
  if (k !== ds.length) throw new Error(`histogram data points: ${k} serialized, ${ds.length} collected`);
  return ra;
}

// ----------------------------------------------------------- JSON

function themExemplarJson(b: Uint8Array, ds: Array<readonly Exemplar[] | undefined>): Uint8Array {
  type Diem = { exemplars?: unknown[] };
  const req = JSON.parse(Buffer.from(b).toString('utf8')) as {
    resourceMetrics?: Array<{ scopeMetrics?: Array<{ metrics?: Array<{ histogram?: { dataPoints?: Diem[] } }> }> }>;
  };
  let k = 0;
  for (const r of req.resourceMetrics ?? []) {
    for (const s of r.scopeMetrics ?? []) {
      for (const m of s.metrics ?? []) {
        for (const dp of m.histogram?.dataPoints ?? []) {
          const e = ds[k++];
          if (e !== undefined && e.length > 0) {
            dp.exemplars = e.map((x) => ({ timeUnixNano: String(BigInt(Math.round(x.thoi_diem_ms)) * 1_000_000n), asDouble: x.gia_tri, spanId: x.span_id, traceId: x.trace_id }));
          }
        }
      }
    }
  }
  if (k !== ds.length) throw new Error(`histogram data points: ${k} serialized, ${ds.length} collected`);
  return new TextEncoder().encode(JSON.stringify(req));
}

let daBaoLoi = false;

/** OTel's metrics serializer plus the exemplars of each histogram data point. */
function serializerCoExemplar<R>(goc: ISerializer<ResourceMetrics, R>, them: (b: Uint8Array, ds: Array<readonly Exemplar[] | undefined>) => Uint8Array): ISerializer<ResourceMetrics, R> {
  return {
    serializeRequest(rm) {
      const b = goc.serializeRequest(rm);
      if (b === undefined) return b;
      const { ds, co } = exemplarTheoThuTu(rm);
      if (!co) return b;
      try {
        return them(b, ds);
      } catch (e) {
        if (!daBaoLoi) {
          daBaoLoi = true;
          diag.warn('vietnamese-ai-otel: exemplars left out of an OTLP metrics request', e);
        }
        return b;
      }
    },
    deserializeResponse: (r) => goc.deserializeResponse(r),
  };
}

/** What the exporters take: OTel's OTLP/HTTP exporter options (url, headers, timeoutMillis, httpAgentOptions, ...). */
export type TuyChonOtlpMetric = Parameters<typeof convertLegacyHttpOptions>[0] & { selfObsMeterProvider?: MeterProvider };

function taoDelegate(json: boolean, c: TuyChonOtlpMetric) {
  const serializer = json ? serializerCoExemplar(JsonMetricsSerializer, themExemplarJson) : serializerCoExemplar(ProtobufMetricsSerializer, themExemplarProto);
  const ct = { 'Content-Type': json ? 'application/json' : 'application/x-protobuf' };
  // OTel's own component type for both protocols (as its OTLPMetricExporter reports it).
  return createOtlpHttpExportDelegate(convertLegacyHttpOptions(c, 'METRICS', 'v1/metrics', ct), serializer, 'otlp_http_metric_exporter', MetricsExporterMetricsHelper, c.selfObsMeterProvider);
}

/** OTLP/HTTP protobuf metric exporter whose histogram data points carry exemplars. */
export class OtlpMetricProtoExemplar extends OTLPExporterBase<ResourceMetrics> {
  constructor(c: TuyChonOtlpMetric = {}) {
    super(taoDelegate(false, c));
  }
}

/** OTLP/HTTP JSON metric exporter whose histogram data points carry exemplars. */
export class OtlpMetricJsonExemplar extends OTLPExporterBase<ResourceMetrics> {
  constructor(c: TuyChonOtlpMetric = {}) {
    super(taoDelegate(true, c));
  }
}
