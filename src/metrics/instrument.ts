/**
 * One metric (a name) and its series, keyed for a cheap hot path.
 *
 * Fast path: the first labelled call fixes the metric's label "shape" (the
 * label names in the order the caller wrote them). Later calls whose keys come
 * in that same order, with string values, walk a tree of Maps keyed by the
 * values only: two `Map.get` for two labels, no sorting, no string building.
 * Anything else (another key order, numbers as values, a new label set) takes
 * the slow path: validate, sort, build the canonical key, find or create the
 * series, and teach the tree the shape-ordered path. So the result is correct
 * for any key order, and fast for the usual consistent one.
 *
 * Memory stays bounded: at most `gioi_han - 1` series per metric (the limit
 * counts the overflow series, as in the OTel SDK); further label sets go to
 * one overflow series with the attribute `otel.metric.overflow: true` and are
 * never added to the tree.
 */
import { gia_tri_nhan, kiem_tra_ten_nhan, type LoaiMetric } from './names.js';
import { hr_bay_gio, NHAN_TRAN, SeriesHistogram, SeriesSo, type SeriesGoc } from './series.js';
import { DON_VI_CO_SO, thoat_gia_tri_nhan } from '../core/prometheus-names.js';

type Nut = Map<string, unknown>;

/** Options accepted by counter/gauge/histogram (tùy chọn metric). */
export interface TuyChonMetric {
  /** Description: the Prometheus HELP text and the OTel description. */
  mo_ta?: string;
  /** Unit (UCUM, e.g. "ms", "s", "By", "1"); Prometheus names get a base-unit suffix. */
  don_vi?: string;
  /** Histogram bucket boundaries (strictly increasing, finite). */
  bien_bucket?: number[];
}

const tenNhanHopLe = new Set<string>();

function chuanHoaNhan(labels: Record<string, unknown>, loai: LoaiMetric): { cap: Array<[string, string]>; tatCaChuoi: boolean; khoa: string[] } {
  const khoa = Object.keys(labels);
  const cap: Array<[string, string]> = [];
  let tatCaChuoi = true;
  for (const k of khoa) {
    if (!tenNhanHopLe.has(k)) {
      kiem_tra_ten_nhan(k, loai);
      if (tenNhanHopLe.size < 10_000) tenNhanHopLe.add(k);
    }
    const v = labels[k];
    if (typeof v !== 'string') tatCaChuoi = false;
    cap.push([k, gia_tri_nhan(v, k, loai)]);
  }
  cap.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { cap, tatCaChuoi, khoa };
}

/** A value scaled into base units (sub-units divide, for exact decimals). */
export function nhan_he_so(v: number, he_so: number): number {
  return he_so === 1 ? v : he_so > 1 ? v * he_so : v / Math.round(1 / he_so);
}

export class Metric<S extends SeriesGoc> {
  /**
   * The unit reported to OTel: scaled time/byte units go out in base units
   * (ms -> s, KiBy -> By) with their values scaled by `he_so`, so that the
   * Prometheus names are `_seconds`/`_bytes` (promtool lints anything else)
   * and OTLP follows the semantic conventions (durations in seconds).
   * Reads (`lay_*`, `export_json`) stay in the unit recorded.
   */
  readonly don_vi_otel: string;
  readonly he_so: number;
  /** `bien` in the OTel unit. */
  readonly bien_otel: number[];
  khong_nhan: S | undefined;
  /** Label names in the caller's order, fixed by the first labelled series. */
  private hinh: string[] | undefined;
  private cay: Nut = new Map();
  /** Canonical key -> series, every series but the overflow one. */
  readonly chuoi = new Map<string, S>();
  tran: S | undefined;
  /** Recordings that went to the overflow series. */
  so_lan_tran = 0;

  constructor(
    readonly loai: LoaiMetric,
    /** The name the user gave (with unit abbreviation, if any). */
    readonly ten: string,
    /** The OTel instrument name: namespace + name without unit abbreviation. */
    readonly ten_otel: string,
    readonly mo_ta: string,
    readonly don_vi: string,
    readonly bien: readonly number[],
    private readonly gioiHan: () => number,
  ) {
    const d = DON_VI_CO_SO[don_vi];
    if (d !== undefined && d.he_so !== 1 && (d.ten === 'seconds' || d.ten === 'bytes')) {
      this.don_vi_otel = d.ten === 'seconds' ? 's' : 'By';
      this.he_so = d.he_so;
    } else {
      this.don_vi_otel = don_vi;
      this.he_so = 1;
    }
    this.bien_otel = bien.map((b) => nhan_he_so(b, this.he_so));
  }

  get so_series(): number {
    return this.chuoi.size + (this.khong_nhan === undefined ? 0 : 1);
  }

  private tao(nhan: Readonly<Record<string, string | boolean>>, khoa: string): S {
    const bd = hr_bay_gio();
    return (this.loai === 'histogram' ? new SeriesHistogram(nhan, khoa, bd, this.bien) : new SeriesSo(nhan, khoa, bd)) as unknown as S;
  }

  /** The series for `labels` (created when `tao`), or undefined when unknown and not creating. */
  tim(labels: Record<string, unknown> | undefined, tao: boolean): S | undefined {
    if (labels === undefined || labels === null) return this.khong_nhan ?? (tao ? (this.khong_nhan = this.tao(Object.freeze({}), '')) : undefined);
    const hinh = this.hinh;
    if (hinh !== undefined) {
      let nut: Nut = this.cay;
      let i = 0;
      const n = hinh.length;
      let la: unknown;
      for (const k in labels) {
        const v = labels[k];
        if (i >= n || k !== hinh[i] || typeof v !== 'string') {
          i = -1;
          break;
        }
        const tiep = nut.get(v);
        if (tiep === undefined) {
          i = -1;
          break;
        }
        if (++i === n) la = tiep;
        else nut = tiep as Nut;
      }
      if (i === n && la !== undefined) return la as S;
    }
    return this.timCham(labels, tao);
  }

  private timCham(labels: Record<string, unknown>, tao: boolean): S | undefined {
    if (typeof labels !== 'object') throw new TypeError(`QuanLyMetrics.${this.loai}: labels must be an object of name -> string value, got ${typeof labels}`);
    const { cap, tatCaChuoi, khoa } = chuanHoaNhan(labels, this.loai);
    if (cap.length === 0) return this.tim(undefined, tao);
    let khoaChuan = '{';
    for (const [k, v] of cap) khoaChuan += (khoaChuan === '{' ? '' : ',') + k + '="' + thoat_gia_tri_nhan(v) + '"';
    khoaChuan += '}';
    let s = this.chuoi.get(khoaChuan);
    if (s === undefined) {
      if (!tao) return undefined;
      if (this.so_series >= this.gioiHan() - 1) {
        this.so_lan_tran++;
        return (this.tran ??= this.tao(NHAN_TRAN, '{otel.metric.overflow="true"}'));
      }
      const nhan: Record<string, string> = {};
      for (const [k, v] of cap) nhan[k] = v;
      s = this.tao(Object.freeze(nhan), khoaChuan);
      this.chuoi.set(khoaChuan, s);
    }
    if (tatCaChuoi) this.hoc(labels as Record<string, string>, khoa, s);
    return s;
  }

  /** Adds the shape-ordered path of `labels` to the tree (only for the metric's shape). */
  private hoc(labels: Record<string, string>, khoa: string[], s: S): void {
    if (this.hinh === undefined) this.hinh = khoa;
    const hinh = this.hinh;
    if (khoa.length !== hinh.length) return;
    for (let i = 0; i < khoa.length; i++) if (khoa[i] !== hinh[i]) return;
    let nut = this.cay;
    for (let i = 0; i < hinh.length - 1; i++) {
      const v = labels[hinh[i] as string] as string;
      let tiep = nut.get(v) as Nut | undefined;
      if (tiep === undefined) {
        tiep = new Map();
        nut.set(v, tiep);
      }
      nut = tiep;
    }
    nut.set(labels[hinh[hinh.length - 1] as string] as string, s);
  }

  /** Every series, the overflow one last. */
  *tat_ca(): Iterable<S> {
    if (this.khong_nhan !== undefined) yield this.khong_nhan;
    yield* this.chuoi.values();
    if (this.tran !== undefined) yield this.tran;
  }
}
