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
 * Memory stays bounded: at most `limit - 1` series per metric (the limit
 * counts the overflow series, as in the OTel SDK); further label sets go to
 * one overflow series with the attribute `otel.metric.overflow: true` and are
 * never added to the tree.
 */
import { check_label_name, label_value, type MetricKind } from './names.js';
import { hr_now, OVERFLOW_ATTRIBUTES, HistogramSeries, NumberSeries, type SeriesBase } from './series.js';
import { BASE_UNITS, scale_to_base, escape_label_value } from '../core/prometheus-names.js';

/** A node of the label tree: label value -> next node, or the series at the last label. */
type LabelTreeNode = Map<string, unknown>;

/** Options accepted by counter/gauge/histogram (tùy chọn metric). */
export interface TuyChonMetric {
  /** Description (mô tả): the Prometheus HELP text and the OTel description. */
  mo_ta?: string;
  /** Unit (đơn vị; UCUM, e.g. "ms", "s", "By", "1"); Prometheus names get a base-unit suffix. */
  don_vi?: string;
  /** Histogram bucket boundaries (biên bucket; strictly increasing, finite). */
  bien_bucket?: number[];
}

/** Label names already checked (bounded, so hostile input cannot grow it). */
const checkedLabelNames = new Set<string>();

/** Checks and converts a label set: its pairs sorted by name, whether every value was a string, the keys in caller order. */
function canonicalLabels(labels: Record<string, unknown>, kind: MetricKind): { pairs: Array<[string, string]>; allStrings: boolean; keys: string[] } {
  const keys = Object.keys(labels);
  const pairs: Array<[string, string]> = [];
  let allStrings = true;
  for (const k of keys) {
    if (!checkedLabelNames.has(k)) {
      check_label_name(k, kind);
      if (checkedLabelNames.size < 10_000) checkedLabelNames.add(k);
    }
    const v = labels[k];
    if (typeof v !== 'string') allStrings = false;
    pairs.push([k, label_value(v, k, kind)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { pairs, allStrings, keys };
}

export class Instrument<S extends SeriesBase> {
  /**
   * The unit reported to OTel: scaled time/byte units go out in base units
   * (ms -> s, KiBy -> By) with their values scaled by `scale`, so that the
   * Prometheus names are `_seconds`/`_bytes` (promtool lints anything else)
   * and OTLP follows the semantic conventions (durations in seconds).
   * Reads (`lay_*`, `export_json`) stay in the unit recorded.
   */
  readonly otelUnit: string;
  readonly scale: number;
  /** `boundaries` in the OTel unit. */
  readonly otelBoundaries: number[];
  unlabelled: S | undefined;
  /** Label names in the caller's order, fixed by the first labelled series. */
  private shape: string[] | undefined;
  private tree: LabelTreeNode = new Map();
  /** Canonical key -> series, every series but the unlabelled and overflow ones. */
  readonly labelled = new Map<string, S>();
  overflow: S | undefined;
  /** Recordings that went to the overflow series. */
  overflowCount = 0;

  constructor(
    readonly kind: MetricKind,
    /** The name the user gave (with unit abbreviation, if any). */
    readonly name: string,
    /** The OTel instrument name: namespace + name without unit abbreviation. */
    readonly otelName: string,
    readonly description: string,
    readonly unit: string,
    readonly boundaries: readonly number[],
    private readonly seriesLimit: () => number,
  ) {
    const base = BASE_UNITS[unit];
    if (base !== undefined && base.factor !== 1 && (base.name === 'seconds' || base.name === 'bytes')) {
      this.otelUnit = base.name === 'seconds' ? 's' : 'By';
      this.scale = base.factor;
    } else {
      this.otelUnit = unit;
      this.scale = 1;
    }
    this.otelBoundaries = boundaries.map((b) => scale_to_base(b, this.scale));
  }

  get seriesCount(): number {
    return this.labelled.size + (this.unlabelled === undefined ? 0 : 1);
  }

  private newSeries(attributes: Readonly<Record<string, string | boolean>>, key: string): S {
    const start = hr_now();
    return (this.kind === 'histogram' ? new HistogramSeries(attributes, key, start, this.boundaries) : new NumberSeries(attributes, key, start)) as unknown as S;
  }

  /** The series for `labels` (created when `create`), or undefined when unknown and not creating. */
  find(labels: Record<string, unknown> | undefined, create: boolean): S | undefined {
    if (labels === undefined || labels === null) return this.unlabelled ?? (create ? (this.unlabelled = this.newSeries(Object.freeze({}), '')) : undefined);
    const shape = this.shape;
    if (shape !== undefined) {
      let node: LabelTreeNode = this.tree;
      let i = 0;
      const n = shape.length;
      let leaf: unknown;
      for (const k in labels) {
        const v = labels[k];
        if (i >= n || k !== shape[i] || typeof v !== 'string') {
          i = -1;
          break;
        }
        const next = node.get(v);
        if (next === undefined) {
          i = -1;
          break;
        }
        if (++i === n) leaf = next;
        else node = next as LabelTreeNode;
      }
      if (i === n && leaf !== undefined) return leaf as S;
    }
    return this.findSlow(labels, create);
  }

  private findSlow(labels: Record<string, unknown>, create: boolean): S | undefined {
    if (typeof labels !== 'object') throw new TypeError(`QuanLyMetrics.${this.kind}: labels must be an object of name -> string value, got ${typeof labels}`);
    const { pairs, allStrings, keys } = canonicalLabels(labels, this.kind);
    if (pairs.length === 0) return this.find(undefined, create);
    let key = '{';
    for (const [k, v] of pairs) key += (key === '{' ? '' : ',') + k + '="' + escape_label_value(v) + '"';
    key += '}';
    let s = this.labelled.get(key);
    if (s === undefined) {
      if (!create) return undefined;
      if (this.seriesCount >= this.seriesLimit() - 1) {
        this.overflowCount++;
        return (this.overflow ??= this.newSeries(OVERFLOW_ATTRIBUTES, '{otel.metric.overflow="true"}'));
      }
      const attributes: Record<string, string> = {};
      for (const [k, v] of pairs) attributes[k] = v;
      s = this.newSeries(Object.freeze(attributes), key);
      this.labelled.set(key, s);
    }
    if (allStrings) this.learn(labels as Record<string, string>, keys, s);
    return s;
  }

  /** Adds the shape-ordered path of `labels` to the tree (only for the metric's shape). */
  private learn(labels: Record<string, string>, keys: string[], s: S): void {
    if (this.shape === undefined) this.shape = keys;
    const shape = this.shape;
    if (keys.length !== shape.length) return;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== shape[i]) return;
    let node = this.tree;
    for (let i = 0; i < shape.length - 1; i++) {
      const v = labels[shape[i] as string] as string;
      let next = node.get(v) as LabelTreeNode | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(v, next);
      }
      node = next;
    }
    node.set(labels[shape[shape.length - 1] as string] as string, s);
  }

  /** Every series, the overflow one last. */
  *all(): Iterable<S> {
    if (this.unlabelled !== undefined) yield this.unlabelled;
    yield* this.labelled.values();
    if (this.overflow !== undefined) yield this.overflow;
  }
}
