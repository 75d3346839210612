/**
 * Prometheus text exposition (format 0.0.4) from one OpenTelemetry
 * collection. Written for this project because OTel's serializer puts
 * `otel_scope_name` on every series, writes "description missing" as HELP and
 * drops exponential histograms; this one writes HELP only from descriptions,
 * groups a family once even when several scopes report it, turns exponential
 * histograms into classic cumulative buckets, and always ends histograms with
 * `+Inf`. The resource becomes one `target_info` series. Every family has
 * HELP (the instrument name when it has no description), and units are in
 * base units by default (ms -> seconds, values scaled; `don_vi_co_so: false`
 * keeps OTel's `_milliseconds` names), so `promtool check metrics` finds
 * nothing to lint.
 */
import type { Attributes } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { dinh_dang_so, don_vi_prometheus, lam_sach_ten_nhan, ten_prometheus, thoat_gia_tri_nhan, thoat_help } from '../../src/core/prometheus-names.js';
import { chi_so_bucket, type CoExemplar } from '../../src/core/exemplar.js';
import { hau_to_exemplar } from './openmetrics.js';
import type { TuyChonSerializer } from '../../src/core/exposition-options.js';

export type { TuyChonSerializer };

interface HoMetric {
  loai: 'counter' | 'gauge' | 'histogram';
  help: string;
  /** The sample lines, each ending in a newline. */
  than: string;
}

const boNhoTenNhan = new Map<string, string>();
function tenNhan(k: string): string {
  let v = boNhoTenNhan.get(k);
  if (v === undefined) {
    v = lam_sach_ten_nhan(k);
    if (boNhoTenNhan.size < 10_000) boNhoTenNhan.set(k, v);
  }
  return v;
}

interface TenHo {
  ten: string;
  he_so: number;
}
const boNhoTenHo = new Map<string, TenHo>();
function tenHo(ten: string, unit: string, loai: HoMetric['loai'], co_so: boolean): TenHo {
  const khoa = `${loai}\u0000${co_so ? 1 : 0}\u0000${unit}\u0000${ten}`;
  let v = boNhoTenHo.get(khoa);
  if (v === undefined) {
    const { he_so } = don_vi_prometheus(unit, loai === 'gauge', co_so);
    v = { ten: ten_prometheus(ten, unit, loai === 'counter', loai === 'gauge', co_so), he_so };
    if (boNhoTenHo.size < 10_000) boNhoTenHo.set(khoa, v);
  }
  return v;
}

/**
 * Rendered label sets of FROZEN attribute objects (QuanLyMetrics freezes its
 * series' attributes, which live as long as the series): a scrape of 1000
 * series then renders no label text at all. Unfrozen objects are rendered
 * each time, since their owner could mutate them.
 */
const boNhoNhan = new WeakMap<Attributes, string>();

/** `{a="x",b="y"` without the closing brace (so `le` can follow), or '' for none. */
function moNhan(attrs: Attributes): string {
  const dong = Object.isFrozen(attrs);
  if (dong) {
    const c = boNhoNhan.get(attrs);
    if (c !== undefined) return c;
  }
  let ten: string[] | undefined;
  let gt: string[] | undefined;
  let s = '';
  for (const k in attrs) {
    const v = attrs[k];
    if (v === undefined || v === null) continue;
    const chuoi = typeof v === 'string' ? v : Array.isArray(v) ? JSON.stringify(v) : String(v);
    const tn = tenNhan(k);
    if (s === '') {
      s = '{' + tn + '="' + thoat_gia_tri_nhan(chuoi) + '"';
      ten = [tn];
      gt = [chuoi];
      continue;
    }
    // Two attributes may sanitise to one label name (`a.b`, `a_b`): their
    // values are joined with ';' as the OTel Prometheus rules say.
    const i = (ten as string[]).indexOf(tn);
    if (i >= 0) {
      (gt as string[])[i] += ';' + chuoi;
      s = '{' + (ten as string[]).map((t, j) => t + '="' + thoat_gia_tri_nhan((gt as string[])[j] as string) + '"').join(',');
      continue;
    }
    (ten as string[]).push(tn);
    (gt as string[]).push(chuoi);
    s += ',' + tn + '="' + thoat_gia_tri_nhan(chuoi) + '"';
  }
  if (dong) boNhoNhan.set(attrs, s);
  return s;
}

function dongMau(ten: string, mo: string, gia_tri: number): string {
  return mo === '' ? `${ten} ${dinh_dang_so(gia_tri)}\n` : `${ten}${mo}} ${dinh_dang_so(gia_tri)}\n`;
}

function dongBucket(ten: string, mo: string, le: string, dem: number, hau_to = ''): string {
  return `${ten}_bucket${mo === '' ? '{' : mo + ','}le="${le}"} ${dem}${hau_to}\n`;
}

/** Classic buckets from an exponential histogram's positive range (cumulative). */
function bucketTuMu(p: { scale: number; zeroCount: number; positive: { offset: number; bucketCounts: number[] }; negative: { bucketCounts: number[] } }): Array<[number, number]> {
  const co_so = Math.pow(2, Math.pow(2, -p.scale));
  let tich_luy = p.zeroCount + p.negative.bucketCounts.reduce((a, b) => a + b, 0);
  const ra: Array<[number, number]> = [[0, tich_luy]];
  for (let i = 0; i < p.positive.bucketCounts.length; i++) {
    tich_luy += p.positive.bucketCounts[i] ?? 0;
    ra.push([Math.pow(co_so, p.positive.offset + i + 1), tich_luy]);
  }
  return ra;
}

/** A value in base units; sub-units divide (0.0025, not 0.0025000000000000005). */
function nhan(v: number, he_so: number): number {
  return he_so === 1 ? v : he_so > 1 ? v * he_so : v / Math.round(1 / he_so);
}

/** The `_bucket` lines of one histogram data point, each with its bucket's exemplar in OpenMetrics. */
function dongBuckets(ten: string, mo: string, dp: { value: { buckets: { boundaries: number[]; counts: number[] }; count: number } } & CoExemplar, he_so: number, om: boolean): string {
  const { boundaries, counts } = dp.value.buckets;
  const ex = om && dp.exemplars !== undefined && dp.exemplars.length > 0 ? new Map(dp.exemplars.map((e) => [chi_so_bucket(boundaries, e.gia_tri), e])) : undefined;
  const hauTo = (i: number): string => {
    const e = ex?.get(i);
    return e === undefined ? '' : hau_to_exemplar(e, (v) => nhan(v, he_so));
  };
  let than = '';
  let tich_luy = 0;
  for (let i = 0; i < boundaries.length; i++) {
    tich_luy += counts[i] ?? 0;
    than += dongBucket(ten, mo, dinh_dang_so(nhan(boundaries[i] as number, he_so)), tich_luy, hauTo(i));
  }
  return than + dongBucket(ten, mo, '+Inf', dp.value.count, hauTo(boundaries.length));
}

/** Samples written between two yields of the async render (about a millisecond of work). */
const MAU_MOI_NHIP = 2000;

/** Counts samples and says when to yield (nhịp = beat). */
interface Nhip {
  n: number;
}

function* themMetric(ho: Map<string, HoMetric>, m: MetricData, co_so: boolean, nhip: Nhip, om: boolean): Generator<void, void> {
  const d = m.descriptor;
  let loai: HoMetric['loai'];
  if (m.dataPointType === DataPointType.SUM) {
    // Delta sums cannot be exposed as Prometheus counters; the reader is cumulative.
    loai = m.isMonotonic && m.aggregationTemporality === AggregationTemporality.CUMULATIVE ? 'counter' : 'gauge';
  } else if (m.dataPointType === DataPointType.GAUGE) loai = 'gauge';
  else loai = 'histogram';
  const { ten, he_so } = tenHo(d.name, d.unit, loai, co_so);
  let h = ho.get(ten);
  if (h === undefined) {
    // promtool lints a family without HELP: fall back to the instrument's own name.
    h = { loai, help: d.description === '' ? d.name : d.description, than: '' };
    ho.set(ten, h);
  } else if (h.loai !== loai) return; // a clash of types: the first one wins
  let than = '';
  if (m.dataPointType === DataPointType.HISTOGRAM) {
    for (const dp of m.dataPoints) {
      const mo = moNhan(dp.attributes);
      than += dongBuckets(ten, mo, dp, he_so, om);
      than += dongMau(`${ten}_sum`, mo, nhan(dp.value.sum ?? 0, he_so));
      than += dongMau(`${ten}_count`, mo, dp.value.count);
      if ((nhip.n += dp.value.buckets.boundaries.length + 3) >= MAU_MOI_NHIP) {
        nhip.n = 0;
        yield;
      }
    }
  } else if (m.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) {
    for (const dp of m.dataPoints) {
      const mo = moNhan(dp.attributes);
      for (const [le, dem] of bucketTuMu(dp.value)) than += dongBucket(ten, mo, dinh_dang_so(nhan(le, he_so)), dem);
      than += dongBucket(ten, mo, '+Inf', dp.value.count);
      than += dongMau(`${ten}_sum`, mo, nhan(dp.value.sum ?? 0, he_so));
      than += dongMau(`${ten}_count`, mo, dp.value.count);
      if ((nhip.n += dp.value.positive.bucketCounts.length + 4) >= MAU_MOI_NHIP) {
        nhip.n = 0;
        yield;
      }
    }
  } else {
    for (const dp of m.dataPoints) {
      than += dongMau(ten, moNhan(dp.attributes), nhan(dp.value as number, he_so));
      if (++nhip.n >= MAU_MOI_NHIP) {
        nhip.n = 0;
        yield;
      }
    }
  }
  h.than += than;
}

/**
 * The render, as steps: it yields every MAU_MOI_NHIP samples or so. The sync
 * form runs the steps back to back; the async form gives the event loop a
 * turn between them.
 */
function* cacBuoc(rm: ResourceMetrics, tuy_chon: TuyChonSerializer): Generator<void, string> {
  const ho = new Map<string, HoMetric>();
  const loc = tuy_chon.loc_scope;
  const co_so = tuy_chon.don_vi_co_so !== false;
  const om = tuy_chon.openmetrics === true;
  const nhip: Nhip = { n: 0 };
  for (const sm of rm.scopeMetrics) {
    if (loc !== undefined && !loc(sm.scope.name)) continue;
    for (const m of sm.metrics) yield* themMetric(ho, m, co_so, nhip, om);
  }
  let out = '';
  if (tuy_chon.target_info !== false) {
    const mo = moNhan(rm.resource.attributes);
    out += '# HELP target_info Target metadata\n# TYPE target_info gauge\n' + (mo === '' ? 'target_info 1\n' : `target_info${mo}} 1\n`);
  }
  for (const [ten, h] of ho) {
    if (h.than === '') continue;
    if (!om) out += `# HELP ${ten} ${thoat_help(h.help)}\n# TYPE ${ten} ${h.loai}\n${h.than}`;
    else {
      // OpenMetrics names a counter family without `_total`; its samples keep it.
      const ho_om = h.loai === 'counter' ? ten.replace(/_total$/, '') : ten;
      out += `# HELP ${ho_om} ${thoat_gia_tri_nhan(h.help)}\n# TYPE ${ho_om} ${h.loai}\n${h.than}`;
    }
  }
  return om ? `${out}# EOF\n` : out;
}

/** Serializes one collection as Prometheus text. */
export function serialize_prometheus(rm: ResourceMetrics, tuy_chon: TuyChonSerializer = {}): string {
  const g = cacBuoc(rm, tuy_chon);
  for (;;) {
    const r = g.next();
    if (r.done === true) return r.value;
  }
}

/**
 * The same text, rendered in steps with a turn of the event loop
 * (setImmediate) between them: a scrape of 20,000 series must not hold a
 * liveness probe for the whole render.
 */
export async function serialize_prometheus_nhuong(rm: ResourceMetrics, tuy_chon: TuyChonSerializer = {}): Promise<string> {
  const g = cacBuoc(rm, tuy_chon);
  for (;;) {
    const r = g.next();
    if (r.done === true) return r.value;
    await new Promise<void>((ok) => setImmediate(ok));
  }
}
