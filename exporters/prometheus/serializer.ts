/**
 * Prometheus text exposition (format 0.0.4) from one OpenTelemetry
 * collection. Written for this project because OTel's serializer puts
 * `otel_scope_name` on every series, writes "description missing" as HELP and
 * drops exponential histograms; this one writes HELP only from descriptions,
 * groups a family once even when several scopes report it, turns exponential
 * histograms into classic cumulative buckets, and always ends histograms with
 * `+Inf`. The resource becomes one `target_info` series.
 */
import type { Attributes } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { dinh_dang_so, lam_sach_ten_nhan, ten_prometheus, thoat_gia_tri_nhan, thoat_help } from './ten.js';

export interface TuyChonSerializer {
  /** Keep only the scopes this returns true for (e.g. one QuanLyMetrics). */
  loc_scope?: (ten_scope: string) => boolean;
  /** Write `target_info` from the resource (default true). */
  target_info?: boolean;
}

interface HoMetric {
  loai: 'counter' | 'gauge' | 'histogram';
  help: string | undefined;
  dong: string[];
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

/** `{a="x",b="y"` without the closing brace (so `le` can follow), or '' for none. */
function moNhan(attrs: Attributes): string {
  let s = '';
  for (const k in attrs) {
    const v = attrs[k];
    if (v === undefined || v === null) continue;
    const chuoi = typeof v === 'string' ? v : Array.isArray(v) ? JSON.stringify(v) : String(v);
    s += (s === '' ? '{' : ',') + tenNhan(k) + '="' + thoat_gia_tri_nhan(chuoi) + '"';
  }
  return s;
}

function dongMau(ten: string, mo: string, gia_tri: number): string {
  return mo === '' ? `${ten} ${dinh_dang_so(gia_tri)}` : `${ten}${mo}} ${dinh_dang_so(gia_tri)}`;
}

function dongBucket(ten: string, mo: string, le: string, dem: number): string {
  return `${ten}_bucket${mo === '' ? '{' : mo + ','}le="${le}"} ${dem}`;
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

function themMetric(ho: Map<string, HoMetric>, m: MetricData): void {
  const d = m.descriptor;
  let loai: HoMetric['loai'];
  if (m.dataPointType === DataPointType.SUM) {
    // Delta sums cannot be exposed as Prometheus counters; the reader is cumulative.
    loai = m.isMonotonic && m.aggregationTemporality === AggregationTemporality.CUMULATIVE ? 'counter' : 'gauge';
  } else if (m.dataPointType === DataPointType.GAUGE) loai = 'gauge';
  else loai = 'histogram';
  const ten = ten_prometheus(d.name, d.unit, loai === 'counter', loai === 'gauge');
  let h = ho.get(ten);
  if (h === undefined) {
    h = { loai, help: d.description === '' ? undefined : d.description, dong: [] };
    ho.set(ten, h);
  } else if (h.loai !== loai) return; // a clash of types: the first one wins
  const dong = h.dong;
  if (m.dataPointType === DataPointType.HISTOGRAM) {
    for (const dp of m.dataPoints) {
      const mo = moNhan(dp.attributes);
      const { boundaries, counts } = dp.value.buckets;
      let tich_luy = 0;
      for (let i = 0; i < boundaries.length; i++) {
        tich_luy += counts[i] ?? 0;
        dong.push(dongBucket(ten, mo, dinh_dang_so(boundaries[i] as number), tich_luy));
      }
      dong.push(dongBucket(ten, mo, '+Inf', dp.value.count));
      dong.push(dongMau(`${ten}_sum`, mo, dp.value.sum ?? 0));
      dong.push(dongMau(`${ten}_count`, mo, dp.value.count));
    }
  } else if (m.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) {
    for (const dp of m.dataPoints) {
      const mo = moNhan(dp.attributes);
      for (const [le, dem] of bucketTuMu(dp.value)) dong.push(dongBucket(ten, mo, dinh_dang_so(le), dem));
      dong.push(dongBucket(ten, mo, '+Inf', dp.value.count));
      dong.push(dongMau(`${ten}_sum`, mo, dp.value.sum ?? 0));
      dong.push(dongMau(`${ten}_count`, mo, dp.value.count));
    }
  } else {
    for (const dp of m.dataPoints) dong.push(dongMau(ten, moNhan(dp.attributes), dp.value as number));
  }
}

/** Serializes one collection as Prometheus text. */
export function serialize_prometheus(rm: ResourceMetrics, tuy_chon: TuyChonSerializer = {}): string {
  const ho = new Map<string, HoMetric>();
  const loc = tuy_chon.loc_scope;
  for (const sm of rm.scopeMetrics) {
    if (loc !== undefined && !loc(sm.scope.name)) continue;
    for (const m of sm.metrics) themMetric(ho, m);
  }
  let out = '';
  if (tuy_chon.target_info !== false) {
    const mo = moNhan(rm.resource.attributes);
    out += '# HELP target_info Target metadata\n# TYPE target_info gauge\n' + (mo === '' ? 'target_info 1\n' : `target_info${mo}} 1\n`);
  }
  for (const [ten, h] of ho) {
    if (h.dong.length === 0) continue;
    if (h.help !== undefined) out += `# HELP ${ten} ${thoat_help(h.help)}\n`;
    out += `# TYPE ${ten} ${h.loai}\n${h.dong.join('\n')}\n`;
  }
  return out;
}
