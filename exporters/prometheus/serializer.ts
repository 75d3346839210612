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
import { format_number, prometheus_unit, sanitize_label_name, scale_to_base, prometheus_name, escape_label_value, escape_help } from '../../src/core/prometheus-names.js';
import { bucket_index, type WithExemplars } from '../../src/core/exemplar.js';
import { exemplar_suffix } from './openmetrics.js';
import type { TuyChonSerializer } from '../../src/core/exposition-options.js';

export type { TuyChonSerializer };

/** One metric family of the text: its TYPE, its HELP and its sample lines. */
interface Family {
  kind: 'counter' | 'gauge' | 'histogram';
  help: string;
  /** The sample lines, each ending in a newline. */
  body: string;
}

/** Attribute key -> label name (bounded: names come from code, but not only ours). */
const labelNameCache = new Map<string, string>();
function labelName(key: string): string {
  let v = labelNameCache.get(key);
  if (v === undefined) {
    v = sanitize_label_name(key);
    if (labelNameCache.size < 10_000) labelNameCache.set(key, v);
  }
  return v;
}

/** A family's Prometheus name and the factor its values are scaled by. */
interface FamilyName {
  name: string;
  scale: number;
}
const familyNameCache = new Map<string, FamilyName>();
function familyName(otelName: string, unit: string, kind: Family['kind'], baseUnits: boolean): FamilyName {
  const key = `${kind}\u0000${baseUnits ? 1 : 0}\u0000${unit}\u0000${otelName}`;
  let v = familyNameCache.get(key);
  if (v === undefined) {
    const { factor } = prometheus_unit(unit, kind === 'gauge', baseUnits);
    v = { name: prometheus_name(otelName, unit, kind === 'counter', kind === 'gauge', baseUnits), scale: factor };
    if (familyNameCache.size < 10_000) familyNameCache.set(key, v);
  }
  return v;
}

/**
 * Rendered label sets of FROZEN attribute objects (QuanLyMetrics freezes its
 * series' attributes, which live as long as the series): a scrape of 1000
 * series then renders no label text at all. Unfrozen objects are rendered
 * each time, since their owner could mutate them.
 */
const renderedLabels = new WeakMap<Attributes, string>();

/** `{a="x",b="y"` without the closing brace (so `le` can follow), or '' for none. */
function openLabels(attrs: Attributes): string {
  const frozen = Object.isFrozen(attrs);
  if (frozen) {
    const cached = renderedLabels.get(attrs);
    if (cached !== undefined) return cached;
  }
  let names: string[] | undefined;
  let values: string[] | undefined;
  let s = '';
  for (const k in attrs) {
    const v = attrs[k];
    if (v === undefined || v === null) continue;
    const text = typeof v === 'string' ? v : Array.isArray(v) ? JSON.stringify(v) : String(v);
    const label = labelName(k);
    if (s === '') {
      s = '{' + label + '="' + escape_label_value(text) + '"';
      names = [label];
      values = [text];
      continue;
    }
    // Two attributes may sanitise to one label name (`a.b`, `a_b`): their
    // values are joined with ';' as the OTel Prometheus rules say.
    const i = (names as string[]).indexOf(label);
    if (i >= 0) {
      (values as string[])[i] += ';' + text;
      s = '{' + (names as string[]).map((n, j) => n + '="' + escape_label_value((values as string[])[j] as string) + '"').join(',');
      continue;
    }
    (names as string[]).push(label);
    (values as string[]).push(text);
    s += ',' + label + '="' + escape_label_value(text) + '"';
  }
  if (frozen) renderedLabels.set(attrs, s);
  return s;
}

function sampleLine(name: string, labels: string, value: number): string {
  return labels === '' ? `${name} ${format_number(value)}\n` : `${name}${labels}} ${format_number(value)}\n`;
}

function bucketLine(name: string, labels: string, le: string, count: number, suffix = ''): string {
  return `${name}_bucket${labels === '' ? '{' : labels + ','}le="${le}"} ${count}${suffix}\n`;
}

/** Classic buckets from an exponential histogram's positive range (cumulative). */
function bucketsFromExponential(p: { scale: number; zeroCount: number; positive: { offset: number; bucketCounts: number[] }; negative: { bucketCounts: number[] } }): Array<[number, number]> {
  const base = Math.pow(2, Math.pow(2, -p.scale));
  let cumulative = p.zeroCount + p.negative.bucketCounts.reduce((a, b) => a + b, 0);
  const out: Array<[number, number]> = [[0, cumulative]];
  for (let i = 0; i < p.positive.bucketCounts.length; i++) {
    cumulative += p.positive.bucketCounts[i] ?? 0;
    out.push([Math.pow(base, p.positive.offset + i + 1), cumulative]);
  }
  return out;
}

/** The `_bucket` lines of one histogram data point, each with its bucket's exemplar in OpenMetrics. */
function bucketLines(name: string, labels: string, dp: { value: { buckets: { boundaries: number[]; counts: number[] }; count: number } } & WithExemplars, scale: number, om: boolean): string {
  const { boundaries, counts } = dp.value.buckets;
  const exemplars = om && dp.exemplars !== undefined && dp.exemplars.length > 0 ? new Map(dp.exemplars.map((e) => [bucket_index(boundaries, e.gia_tri), e])) : undefined;
  const suffix = (i: number): string => {
    const e = exemplars?.get(i);
    return e === undefined ? '' : exemplar_suffix(e, (v) => scale_to_base(v, scale));
  };
  let body = '';
  let cumulative = 0;
  for (let i = 0; i < boundaries.length; i++) {
    cumulative += counts[i] ?? 0;
    body += bucketLine(name, labels, format_number(scale_to_base(boundaries[i] as number, scale)), cumulative, suffix(i));
  }
  return body + bucketLine(name, labels, '+Inf', dp.value.count, suffix(boundaries.length));
}

/** Samples written between two yields of the async render (about a millisecond of work). */
const SAMPLES_PER_STEP = 2000;

/** Counts samples since the last yield. */
interface StepCounter {
  n: number;
}

function* addMetric(families: Map<string, Family>, m: MetricData, baseUnits: boolean, step: StepCounter, om: boolean): Generator<void, void> {
  const d = m.descriptor;
  let kind: Family['kind'];
  if (m.dataPointType === DataPointType.SUM) {
    // Delta sums cannot be exposed as Prometheus counters; the reader is cumulative.
    kind = m.isMonotonic && m.aggregationTemporality === AggregationTemporality.CUMULATIVE ? 'counter' : 'gauge';
  } else if (m.dataPointType === DataPointType.GAUGE) kind = 'gauge';
  else kind = 'histogram';
  const { name, scale } = familyName(d.name, d.unit, kind, baseUnits);
  let family = families.get(name);
  if (family === undefined) {
    // promtool lints a family without HELP: fall back to the instrument's own name.
    family = { kind, help: d.description === '' ? d.name : d.description, body: '' };
    families.set(name, family);
  } else if (family.kind !== kind) return; // a clash of types: the first one wins
  let body = '';
  if (m.dataPointType === DataPointType.HISTOGRAM) {
    for (const dp of m.dataPoints) {
      const labels = openLabels(dp.attributes);
      body += bucketLines(name, labels, dp, scale, om);
      body += sampleLine(`${name}_sum`, labels, scale_to_base(dp.value.sum ?? 0, scale));
      body += sampleLine(`${name}_count`, labels, dp.value.count);
      if ((step.n += dp.value.buckets.boundaries.length + 3) >= SAMPLES_PER_STEP) {
        step.n = 0;
        yield;
      }
    }
  } else if (m.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) {
    for (const dp of m.dataPoints) {
      const labels = openLabels(dp.attributes);
      for (const [le, count] of bucketsFromExponential(dp.value)) body += bucketLine(name, labels, format_number(scale_to_base(le, scale)), count);
      body += bucketLine(name, labels, '+Inf', dp.value.count);
      body += sampleLine(`${name}_sum`, labels, scale_to_base(dp.value.sum ?? 0, scale));
      body += sampleLine(`${name}_count`, labels, dp.value.count);
      if ((step.n += dp.value.positive.bucketCounts.length + 4) >= SAMPLES_PER_STEP) {
        step.n = 0;
        yield;
      }
    }
  } else {
    for (const dp of m.dataPoints) {
      body += sampleLine(name, openLabels(dp.attributes), scale_to_base(dp.value as number, scale));
      if (++step.n >= SAMPLES_PER_STEP) {
        step.n = 0;
        yield;
      }
    }
  }
  family.body += body;
}

/**
 * The render, as steps: it yields every SAMPLES_PER_STEP samples or so. The
 * sync form runs the steps back to back; the async form gives the event loop
 * a turn between them.
 */
function* renderSteps(rm: ResourceMetrics, options: TuyChonSerializer): Generator<void, string> {
  const families = new Map<string, Family>();
  const keepScope = options.loc_scope;
  const baseUnits = options.don_vi_co_so !== false;
  const om = options.openmetrics === true;
  const step: StepCounter = { n: 0 };
  for (const sm of rm.scopeMetrics) {
    if (keepScope !== undefined && !keepScope(sm.scope.name)) continue;
    for (const m of sm.metrics) yield* addMetric(families, m, baseUnits, step, om);
  }
  let out = '';
  if (options.target_info !== false) {
    const labels = openLabels(rm.resource.attributes);
    out += '# HELP target_info Target metadata\n# TYPE target_info gauge\n' + (labels === '' ? 'target_info 1\n' : `target_info${labels}} 1\n`);
  }
  for (const [name, family] of families) {
    if (family.body === '') continue;
    if (!om) out += `# HELP ${name} ${escape_help(family.help)}\n# TYPE ${name} ${family.kind}\n${family.body}`;
    else {
      // OpenMetrics names a counter family without `_total`; its samples keep it.
      const omName = family.kind === 'counter' ? name.replace(/_total$/, '') : name;
      out += `# HELP ${omName} ${escape_label_value(family.help)}\n# TYPE ${omName} ${family.kind}\n${family.body}`;
    }
  }
  return om ? `${out}# EOF\n` : out;
}

/** Serializes one collection as Prometheus text. */
export function serialize_prometheus(rm: ResourceMetrics, tuy_chon: TuyChonSerializer = {}): string {
  const steps = renderSteps(rm, tuy_chon);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

/**
 * The same text, rendered in steps with a turn of the event loop
 * (setImmediate) between them (nhường = yield): a scrape of 20,000 series
 * must not hold a liveness probe for the whole render.
 */
export async function serialize_prometheus_yielding(rm: ResourceMetrics, tuy_chon: TuyChonSerializer = {}): Promise<string> {
  const steps = renderSteps(rm, tuy_chon);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
    await new Promise<void>((resume) => setImmediate(resume));
  }
}
