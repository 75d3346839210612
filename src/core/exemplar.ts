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

/** One exemplar: ids as lowercase hex, `gia_tri` in the recorded unit, `thoi_diem_ms` epoch ms. */
export interface Exemplar {
  trace_id: string;
  span_id: string;
  gia_tri: number;
  thoi_diem_ms: number;
}

/** A histogram data point with its exemplars (the property is this project's, not OTel's). */
export interface WithExemplars {
  exemplars?: readonly Exemplar[];
}

/**
 * The process-wide state. Its field keeps its original name: every copy of
 * the package in the process shares this object, whatever its version.
 */
interface SharedState {
  /** Sampled spans started and not yet ended, in this process. */
  span_mau_dang_mo: number;
}

const STATE_KEY = Symbol.for('vietnamese-ai-otel.exemplar.v1');
const slots = globalThis as unknown as Record<symbol, SharedState | undefined>;
/** Shared by every copy of the package in the process (like the pipeline slot). */
const state: SharedState = (slots[STATE_KEY] ??= { span_mau_dang_mo: 0 });

/** Notes that a sampled span started (+1) or ended (-1). For the SDK's span processor. */
export function count_sampled_span(delta: 1 | -1): void {
  state.span_mau_dang_mo = Math.max(0, state.span_mau_dang_mo + delta);
}

/**
 * The sampled span context to attach, or undefined (cheap when no sampled
 * span is open anywhere). `ctx` defaults to the active context.
 */
export function sampled_span(ctx?: Context): SpanContext | undefined {
  if (state.span_mau_dang_mo === 0) return undefined;
  const sc = trace.getSpanContext(ctx ?? context.active());
  if (sc === undefined || (sc.traceFlags & TraceFlags.SAMPLED) === 0 || !isSpanContextValid(sc)) return undefined;
  return sc;
}

/**
 * One exemplar slot per bucket , allocated on the first exemplar
 * of a series; each new exemplar of a bucket overwrites the slot in place.
 */
export class ExemplarSlots {
  private readonly slots: Array<Exemplar | undefined>;

  constructor(bucketCount: number) {
    this.slots = new Array<Exemplar | undefined>(bucketCount).fill(undefined);
  }

  /** Records `value` seen in span `sc` as bucket `bucket`'s exemplar. */
  record(bucket: number, sc: SpanContext, value: number): void {
    const e = this.slots[bucket];
    const now = Date.now();
    if (e === undefined) this.slots[bucket] = { trace_id: sc.traceId, span_id: sc.spanId, gia_tri: value, thoi_diem_ms: now };
    else {
      e.trace_id = sc.traceId;
      e.span_id = sc.spanId;
      e.gia_tri = value;
      e.thoi_diem_ms = now;
    }
  }

  /** Copies (values scaled by `scale`), in bucket order, one at most per bucket. */
  snapshot(scale: (v: number) => number = (v) => v): Exemplar[] {
    const out: Exemplar[] = [];
    for (const e of this.slots) if (e !== undefined) out.push({ ...e, gia_tri: scale(e.gia_tri) });
    return out;
  }

  /** Adds another series' exemplars (the newer one of each bucket wins). */
  merge(other: ExemplarSlots): void {
    other.slots.forEach((e, i) => {
      const mine = this.slots[i];
      if (e !== undefined && (mine === undefined || e.thoi_diem_ms >= mine.thoi_diem_ms)) this.slots[i] = { ...e };
    });
  }
}

/** The bucket of `x` for explicit `boundaries` (upper bounds inclusive, as OTel and Prometheus). */
export function bucket_index(boundaries: readonly number[], x: number): number {
  let i = 0;
  while (i < boundaries.length && x > (boundaries[i] as number)) i++;
  return i;
}
