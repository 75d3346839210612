/**
 * Exemplars: for a histogram value recorded inside a sampled span, the trace
 * and span ids, the value and the time, kept as ONE exemplar per bucket (the
 * latest), so a latency spike in a bucket links to a trace that shows it.
 * Memory is bounded by buckets x series; the collection hands them on as an
 * `exemplars` array on each histogram data point, which the OpenMetrics text
 * and the OTLP exporter write out (OTel JS's SDK and transformer have none).
 *
 * Cost when no span is active: none beyond reading one number. A span
 * processor of the SDK counts the sampled spans open right now; while that
 * count is 0 no context is looked up at all. Only when some sampled span is
 * open is the active span read (an AsyncLocalStorage lookup).
 */
import { context, isSpanContextValid, trace, TraceFlags, type Context, type SpanContext } from '@opentelemetry/api';

/** One exemplar (mẫu): ids as lowercase hex, `gia_tri` in the recorded unit, `thoi_diem_ms` epoch ms. */
export interface Exemplar {
  trace_id: string;
  span_id: string;
  gia_tri: number;
  thoi_diem_ms: number;
}

/** A histogram data point with its exemplars (the property is this project's, not OTel's). */
export interface CoExemplar {
  exemplars?: readonly Exemplar[];
}

interface TrangThai {
  /** Sampled spans started and not yet ended, in this process. */
  span_mau_dang_mo: number;
}

const KHOA = Symbol.for('vietnamese-ai-otel.exemplar.v1');
const g = globalThis as unknown as Record<symbol, TrangThai | undefined>;
/** Shared by every copy of the package in the process (like the pipeline slot). */
const TT: TrangThai = (g[KHOA] ??= { span_mau_dang_mo: 0 });

/** Notes that a sampled span started (+1) or ended (-1). For the SDK's span processor. */
export function dem_span_mau(d: 1 | -1): void {
  TT.span_mau_dang_mo = Math.max(0, TT.span_mau_dang_mo + d);
}

/**
 * The sampled span context to attach, or undefined (cheap when no sampled
 * span is open anywhere). `ctx` defaults to the active context.
 */
export function span_mau(ctx?: Context): SpanContext | undefined {
  if (TT.span_mau_dang_mo === 0) return undefined;
  const sc = trace.getSpanContext(ctx ?? context.active());
  if (sc === undefined || (sc.traceFlags & TraceFlags.SAMPLED) === 0 || !isSpanContextValid(sc)) return undefined;
  return sc;
}

/**
 * One exemplar slot per bucket (ô exemplar), allocated on the first exemplar
 * of a series; each new exemplar of a bucket overwrites the slot in place.
 */
export class OExemplar {
  private readonly o: Array<Exemplar | undefined>;

  constructor(so_bucket: number) {
    this.o = new Array<Exemplar | undefined>(so_bucket).fill(undefined);
  }

  ghi(bucket: number, sc: SpanContext, gia_tri: number): void {
    const e = this.o[bucket];
    const bay_gio = Date.now();
    if (e === undefined) this.o[bucket] = { trace_id: sc.traceId, span_id: sc.spanId, gia_tri, thoi_diem_ms: bay_gio };
    else {
      e.trace_id = sc.traceId;
      e.span_id = sc.spanId;
      e.gia_tri = gia_tri;
      e.thoi_diem_ms = bay_gio;
    }
  }

  /** Copies (scaled by `nhan`), in bucket order, one at most per bucket. */
  chup(nhan: (v: number) => number = (v) => v): Exemplar[] {
    const ra: Exemplar[] = [];
    for (const e of this.o) if (e !== undefined) ra.push({ ...e, gia_tri: nhan(e.gia_tri) });
    return ra;
  }

  /** Adds another series' exemplars (the newer one of each bucket wins). */
  gop(k: OExemplar): void {
    k.o.forEach((e, i) => {
      const m = this.o[i];
      if (e !== undefined && (m === undefined || e.thoi_diem_ms >= m.thoi_diem_ms)) this.o[i] = { ...e };
    });
  }
}

/** The bucket of `x` for explicit `bien` (upper bounds inclusive, as OTel and Prometheus). */
export function chi_so_bucket(bien: readonly number[], x: number): number {
  let i = 0;
  while (i < bien.length && x > (bien[i] as number)) i++;
  return i;
}
