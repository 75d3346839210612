/**
 * A strict parser of the Prometheus text exposition format 0.0.4: the
 * project's own oracle, always run, and the only one where promtool is not
 * installed. It rejects what Prometheus' parser rejects (bad names, bad
 * escapes, bad values, a family split in two, a repeated HELP/TYPE, a
 * duplicate series, a histogram whose buckets are not cumulative or lack
 * +Inf) and what promtool's linter flags that this project promises never
 * to write (a family without HELP or TYPE, a counter not ending in _total).
 */

export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  /** The sample's own name (`x_bucket`, `x_sum`, ... for histograms). */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** 1-based line number in the text. */
  readonly line: number;
}

export interface Family {
  readonly name: string;
  type: FamilyType | undefined;
  help: string | undefined;
  readonly samples: Sample[];
}

export interface Exposition {
  /** Families in the order they appear. */
  readonly families: Map<string, Family>;
  /** Every series as `name{a="1",b="2"}` (labels sorted), each exactly once. */
  readonly series: Set<string>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<FamilyType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<FamilyType, readonly string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

export class ExpositionError extends Error {
  constructor(line: number, msg: string, text: string) {
    super(`exposition line ${line}: ${msg}: ${JSON.stringify(text.slice(0, 200))}`);
    this.name = 'ExpositionError';
  }
}

/** A sample value or `le`: a Go float literal; undefined when malformed. */
function parseValue(s: string): number | undefined {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : undefined;
}

/** Parses `{a="x",b="y"}` from `s[i]` (at `{`); returns the labels and the index after `}`. */
function parseLabels(s: string, i: number, fail: (m: string) => never): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  i++; // '{'
  for (;;) {
    if (s[i] === '}') return [labels, i + 1];
    const eq = s.indexOf('=', i);
    if (eq < 0) fail('label without "="');
    const name = s.slice(i, eq).trim();
    if (!LABEL_NAME.test(name)) fail(`bad label name ${JSON.stringify(name)}`);
    if (name.startsWith('__')) fail(`reserved label name ${name}`);
    if (name in labels) fail(`label ${name} repeated`);
    if (s[eq + 1] !== '"') fail(`label ${name}: value not quoted`);
    let v = '';
    let j = eq + 2;
    for (;;) {
      const c = s[j];
      if (c === undefined) fail(`label ${name}: unterminated value`);
      if (c === '"') break;
      if (c === '\\') {
        const n = s[j + 1];
        if (n === 'n') v += '\n';
        else if (n === '\\' || n === '"') v += n;
        else fail(`label ${name}: bad escape \\${String(n)}`);
        j += 2;
        continue;
      }
      v += c;
      j++;
    }
    labels[name] = v;
    i = j + 1;
    if (s[i] === ',') i++;
    else if (s[i] !== '}') fail(`label ${name}: expected "," or "}"`);
  }
}

/** The series key: name and labels sorted by name (label values JSON-quoted). */
export function seriesKey(name: string, labels: Readonly<Record<string, string>>): string {
  const ks = Object.keys(labels).sort();
  return `${name}{${ks.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;
}

/** Whether sample `name` belongs to family `f` (by the suffixes its type allows). */
function belongsTo(name: string, f: Family): boolean {
  return SUFFIXES[f.type ?? 'untyped'].some((suffix) => name === f.name + suffix);
}

/** Parses and validates `text`; throws an ExpositionError naming the line. */
export function parseExposition(text: string): Exposition {
  const families = new Map<string, Family>();
  const series = new Set<string>();
  const closed = new Set<string>();
  let current: Family | undefined;
  if (text !== '' && !text.endsWith('\n')) throw new ExpositionError(0, 'text does not end with a newline', text.slice(-200));
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n] as string;
    const lineNo = n + 1;
    const fail = (m: string): never => {
      throw new ExpositionError(lineNo, m, raw);
    };
    if (raw === '') continue;
    const enter = (name: string): Family => {
      if (!METRIC_NAME.test(name)) fail(`bad metric name ${JSON.stringify(name)}`);
      if (current?.name === name) return current;
      if (closed.has(name) || families.has(name)) fail(`family ${name} appears in two places`);
      if (current !== undefined) closed.add(current.name);
      current = { name, type: undefined, help: undefined, samples: [] };
      families.set(name, current);
      return current;
    };
    if (raw.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(raw);
      if (m === null) continue; // a plain comment
      const f = enter(m[2] as string);
      if (f.samples.length > 0) fail(`${m[1]} after samples of ${f.name}`);
      if (m[1] === 'HELP') {
        if (f.help !== undefined) fail(`second HELP for ${f.name}`);
        f.help = m[3] ?? '';
        if (f.help.replace(/\\[n\\]/g, '').includes('\\')) fail('bad escape in HELP');
      } else {
        if (f.type !== undefined) fail(`second TYPE for ${f.name}`);
        const t = (m[3] ?? '') as FamilyType;
        if (!TYPES.has(t)) fail(`unknown type ${JSON.stringify(m[3])}`);
        f.type = t;
      }
      continue;
    }
    const brace = raw.indexOf('{');
    const space = raw.indexOf(' ');
    const nameEnd = brace >= 0 && (space < 0 || brace < space) ? brace : space;
    if (nameEnd <= 0) fail('no value');
    const name = raw.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) fail(`bad metric name ${JSON.stringify(name)}`);
    let labels: Record<string, string> = {};
    let rest = nameEnd;
    if (raw[nameEnd] === '{') [labels, rest] = parseLabels(raw, nameEnd, fail);
    const parts = raw.slice(rest).trim().split(' ');
    if (raw[rest] !== ' ' || parts.length < 1 || parts.length > 2) fail('expected " value [timestamp]"');
    const value = parseValue(parts[0] as string) ?? fail(`bad value ${JSON.stringify(parts[0])}`);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) fail(`bad timestamp ${JSON.stringify(parts[1])}`);
    let f = current !== undefined && belongsTo(name, current) ? current : undefined;
    if (f === undefined) {
      for (const other of families.values()) if (belongsTo(name, other)) fail(`sample ${name} is separated from its family ${other.name}`);
      f = enter(name); // a sample with no HELP/TYPE: an untyped family of its own
    }
    const key = seriesKey(name, labels);
    if (series.has(key)) fail(`duplicate series ${key}`);
    series.add(key);
    f.samples.push({ name, labels, value, line: lineNo });
  }
  for (const f of families.values()) checkFamily(f);
  return { families, series };
}

/** What promtool's linter also checks, plus histogram consistency. */
function checkFamily(f: Family): void {
  const at = f.samples[0]?.line ?? 0;
  const fail = (m: string): never => {
    throw new ExpositionError(at, `family ${f.name}: ${m}`, '');
  };
  if (f.help === undefined) fail('no HELP');
  if (f.type === undefined) fail('no TYPE');
  if (f.type === 'counter' && !f.name.endsWith('_total')) fail('a counter name should end in _total');
  if (f.type !== 'histogram') return;
  // Group the buckets by their labels without `le`.
  const groups = new Map<string, { buckets: [number, number][]; count?: number; sum?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const k = seriesKey('', rest);
    const g = groups.get(k) ?? { buckets: [] };
    groups.set(k, g);
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) fail(`bucket without le at line ${s.line}`);
      g.buckets.push([parseValue(le as string) ?? fail(`bad le ${JSON.stringify(le)} at line ${s.line}`), s.value]);
    } else if (s.name.endsWith('_count')) g.count = s.value;
    else g.sum = s.value;
  }
  for (const [k, g] of groups) {
    const inf = g.buckets.find(([le]) => le === Infinity);
    if (inf === undefined) fail(`series ${k} has no le="+Inf" bucket`);
    if (g.count === undefined || g.sum === undefined) fail(`series ${k} lacks _count or _sum`);
    if (inf![1] !== g.count) fail(`series ${k}: +Inf bucket ${inf![1]} != _count ${g.count}`);
    for (let i = 1; i < g.buckets.length; i++) {
      const [le0, c0] = g.buckets[i - 1] as [number, number];
      const [le1, c1] = g.buckets[i] as [number, number];
      if (!(le1 > le0)) fail(`series ${k}: le not increasing (${le0} then ${le1})`);
      if (c1 < c0) fail(`series ${k}: bucket counts not cumulative (${c0} then ${c1})`);
    }
  }
}
